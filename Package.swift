// swift-tools-version:6.0
// verify-snippets: run untrusted Python math snippets in confined fork servers and check what they
// print against the result written in LaTeX.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "verify-snippets",
    products: [
        .library(name: "MathComparator", targets: ["MathComparator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
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
        .testTarget(
            name: "MathComparatorTests",
            dependencies: ["MathComparator"],
            swiftSettings: swiftSettings
        ),
    ]
)
