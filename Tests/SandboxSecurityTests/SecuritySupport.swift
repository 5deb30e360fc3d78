// What the security tests share: a bounded pool of real servers and the fixtures folder.

import Foundation
import SnippetSandbox
import TestSupport
import Testing

/// Every security test, one at a time (they check the machine for stray processes), each bounded.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SecurityTests {}

enum SecurityPool {
    /// Two servers with only `math` preloaded: probes import what they need (ctypes, socket)
    /// lazily, and a light server forks fastest, which matters for sweeps of a thousand children.
    private static let light = Task {
        try await ServerPool(configuration: SandboxConfiguration(servers: 2, preload: ["math"]))
    }
    private static let full = Task { try await ServerPool(configuration: SandboxConfiguration(servers: 2)) }

    static func lightPool() async throws -> ServerPool { try await light.value }
    static func fullPool() async throws -> ServerPool { try await full.value }

    /// The limits every attack runs under: short, so that the suite stays bounded.
    static let attackLimits = SandboxLimits(
        wallTime: .seconds(3), cpuTime: .seconds(2), memory: .gibibytes(1), output: .kibibytes(64))

    static let fixtures = FixturePaths.root
}
