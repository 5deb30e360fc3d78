// One pool of real fork servers shared by the sandbox tests, so CPython starts twice, not per test.

import SnippetSandbox
import Testing

/// Every sandbox test, one at a time: they share two real servers, and the checks that no
/// stray process is left behind need the machine quiet.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SandboxTests {}

/// The pool every sandbox test runs on: 2 servers with the full default preload.
enum SharedPool {
    private static let pool = Task { try await ServerPool(configuration: SandboxConfiguration(servers: 2)) }

    static func get() async throws -> ServerPool {
        try await pool.value
    }

    /// Limits short enough that timeout tests finish quickly.
    static let quick = SandboxLimits(wallTime: .seconds(3), cpuTime: .seconds(2))
}

extension SnippetRun {
    /// What a failed expectation should show about a run.
    var explanation: Comment {
        "outcome: \(outcome.summary)\nstdout: \(stdout.prefix(500))\nstderr: \(stderr.suffix(800))"
    }
}
