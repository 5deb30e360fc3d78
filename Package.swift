// swift-tools-version:6.0
// verify-snippets: run untrusted Python math snippets in confined fork servers and check what they
// print against the result written in LaTeX.
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

// _GNU_SOURCE once for every C target (clone flags, close_range, pidfd, F_DUPFD_CLOEXEC). No
// unsafe flags on any target a dependent builds: SwiftPM refuses those in dependencies.
let cSettings: [CSetting] = [
    .define("_GNU_SOURCE"),
]

// Opt-in for this repository's own builds: with VERIFY_SNIPPETS_STATIC_PYTHON=1 in the
// environment of `swift build`, the fork server is linked against Debian's static,
// position-independent libpython3.X-pic.a instead of the shared library (bench/README.md says
// what each link costs a snippet). Never by default: SwiftPM refuses unsafe flags in a
// dependency even behind a trait condition, and a dependent never sets the variable. The whole
// archive is linked because pkg-config's -lpython3.X comes first on the line and would
// otherwise provide every symbol; symbols defined in the executable take precedence, and
// --export-dynamic gives extension modules (numpy's .so files) the executable's Py* symbols.
let staticPythonLink: [LinkerSetting] = {
    guard ProcessInfo.processInfo.environment["VERIFY_SNIPPETS_STATIC_PYTHON"] == "1",
          let archive = debianStaticPython() else { return [] }
    return [.unsafeFlags([
        "-Xlinker", "--export-dynamic", "-Xlinker", "--whole-archive", archive, "-Xlinker", "--no-whole-archive",
        "-lexpat", "-lz", "-lm",
    ])]
}()

/// The -pic.a beside the interpreter that `pkg-config python3-embed` names, if Debian ships it.
func debianStaticPython() -> String? {
    let pkgConfig = Process()
    pkgConfig.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    pkgConfig.arguments = ["pkg-config", "--modversion", "python3-embed"]
    let pipe = Pipe()
    pkgConfig.standardOutput = pipe
    pkgConfig.standardError = FileHandle.nullDevice
    guard (try? pkgConfig.run()) != nil else { return nil }
    pkgConfig.waitUntilExit()
    let version = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    guard pkgConfig.terminationStatus == 0, !version.isEmpty else { return nil }
    let folder = "/usr/lib/python\(version)"
    let configs = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return configs.filter { $0.hasPrefix("config-\(version)") }.sorted()
        .map { "\(folder)/\($0)/libpython\(version)-pic.a" }
        .first { FileManager.default.fileExists(atPath: $0) }
}

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
        // The embedded interpreter and libseccomp. The interpreter is the one `pkg-config
        // python3-embed` names (Debian's and Ubuntu's system Python; another one through
        // PKG_CONFIG_PATH, see README "Another interpreter"), so its headers and library come
        // with their flags and no target needs an unsafe one.
        .systemLibrary(
            name: "CPython",
            path: "CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["libpython3-dev", "libseccomp-dev"])]
        ),
        // The frame layout shared by the C server and the Swift side; the only C the Swift side sees.
        .target(
            name: "CSnippetProtocol",
            cSettings: cSettings
        ),
        .target(
            name: "CSnippetServer",
            dependencies: ["CPython", "CSnippetProtocol"],
            cSettings: cSettings,
            linkerSettings: [.linkedLibrary("seccomp")] + staticPythonLink
        ),
        .executableTarget(
            name: "snippet-server",
            dependencies: ["CSnippetServer"],
            cSettings: cSettings
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
        // The README's library example, compiled with the package and run by a test.
        .executableTarget(
            name: "library-example",
            dependencies: ["SnippetVerifier", "SnippetSandbox"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SnippetVerifierTests",
            dependencies: ["SnippetVerifier", "SnippetSandbox", "MathComparator", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VerifySnippetsCLITests",
            dependencies: ["verify-snippets", "snippet-server", "library-example", "TestSupport"],
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
