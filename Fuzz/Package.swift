// swift-tools-version:6.0
// Coverage-guided fuzz targets (libFuzzer) for every parser that reads untrusted bytes. A
// separate package: its executables link only with -sanitize=fuzzer, which supplies main().
// Build and run with ../scripts/fuzz.
import PackageDescription

let package = Package(
    name: "verify-snippets-fuzz",
    dependencies: [.package(path: "../.build-fuzz-root/verify-snippets")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "fuzz-wire-format",
            dependencies: ["FuzzDriver", .product(name: "SnippetSandbox", package: "verify-snippets")]
        ),
    ]
)
