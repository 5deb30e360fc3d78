// swift-tools-version:6.0
// verify-snippets: run untrusted Python math snippets in confined fork servers and check what they
// print against the result written in LaTeX.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

// _GNU_SOURCE once for every C target (clone flags, close_range, pidfd, F_DUPFD_CLOEXEC). No
// unsafe compiler flags: pipelines depend on this package, and SwiftPM refuses those in
// dependencies (the one exception, the fork server's link line, is explained there).
let cSettings: [CSetting] = [
    .define("_GNU_SOURCE"),
]

let package = Package(
    name: "verify-snippets",
    products: [
        .library(name: "SnippetSandbox", targets: ["SnippetSandbox"]),
        .executable(name: "snippet-server", targets: ["snippet-server"]),
        .library(name: "SnippetVerifier", targets: ["SnippetVerifier"]),
        .executable(name: "verify-snippets", targets: ["verify-snippets"]),
        .library(name: "MathComparator", targets: ["MathComparator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // Debian's Python 3.11 headers and libseccomp. Python is linked statically into the
        // fork server (CSnippetServer below), so this target names no library: with pkg-config's
        // -lpython3.11 the shared library would be linked beside the static one.
        .systemLibrary(
            name: "CPython",
            path: "CPython",
            providers: [.apt(["libpython3-dev", "libseccomp-dev"])]
        ),
        // The frame layout shared by the C server and the Swift side; the only C the Swift side sees.
        .target(
            name: "CSnippetProtocol",
            cSettings: cSettings
        ),
        // Linked against Debian's static, position-independent libpython3.11-pic.a rather than the
        // shared libpython3.11.so: measured here, a snippet's child then costs 11 % (print) to 16 %
        // (sympy) less CPU. --export-dynamic gives extension modules (numpy's .so files) the Py*
        // symbols they expect from the executable. These are the package's only unsafe flags,
        // on the server's own target, which a package depending on the verifier never builds.
        .target(
            name: "CSnippetServer",
            dependencies: ["CPython", "CSnippetProtocol"],
            cSettings: cSettings,
            linkerSettings: [
                .linkedLibrary("seccomp"),
                .unsafeFlags([
                    "-Xlinker", "--export-dynamic",
                    "/usr/lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11-pic.a",
                    "-lexpat", "-lz", "-lm",
                ]),
            ]
        ),
        .executableTarget(
            name: "snippet-server",
            dependencies: ["CSnippetServer"],
            cSettings: cSettings,
            // Every symbol resolved once, in the server: with lazy binding each child resolved
            // again each libc function the server had not called yet, writing (and so copying)
            // the server's GOT pages (measured: 15 fewer page faults a child, about 0.15 ms).
            linkerSettings: [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "now"])]
        ),
        // GNU calls Swift's Glibc module does not import (pipe2, sched_getaffinity).
        .target(
            name: "CSystemShims",
            cSettings: cSettings
        ),
        .target(
            name: "SnippetSandbox",
            dependencies: ["CSnippetProtocol", "CSystemShims"],
            swiftSettings: swiftSettings
        ),
        // Pure Swift: LaTeX result -> value, printed output -> value, equivalence. No processes, no I/O.
        .target(
            name: "MathComparator",
            dependencies: [
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "Numerics", package: "swift-numerics"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "comparator-benchmark",
            dependencies: ["MathComparator"],
            swiftSettings: swiftSettings
        ),
        // Record formats, batch verification, verdicts, resume, shards, summary. Pipelines link it.
        .target(
            name: "SnippetVerifier",
            dependencies: ["SnippetSandbox", "MathComparator"],
            swiftSettings: swiftSettings
        ),
        // The command-line checker; it spawns the `snippet-server` built beside it.
        .executableTarget(
            name: "verify-snippets",
            dependencies: [
                "SnippetVerifier",
                "SnippetSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SnippetVerifierTests",
            dependencies: ["SnippetVerifier", "SnippetSandbox", "MathComparator", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VerifySnippetsCLITests",
            dependencies: ["verify-snippets", "snippet-server", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "snippet-benchmark",
            dependencies: ["SnippetSandbox"],
            swiftSettings: swiftSettings
        ),
        // Helpers every test target shares: fixture paths, process checks.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SnippetSandboxTests",
            dependencies: ["SnippetSandbox", "snippet-server", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SandboxSecurityTests",
            dependencies: ["SnippetSandbox", "snippet-server", "verify-snippets", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MathComparatorTests",
            dependencies: ["MathComparator"],
            swiftSettings: swiftSettings
        ),
    ]
)
