// What the verifier needs from a sandbox: run a snippet, say which protections were active.

import SnippetSandbox

/// Something that runs untrusted snippets and reports each run as a value.
///
/// `ServerPool` is the real one; tests use a fake with canned outcomes. An implementation must
/// never throw and never hang: every call returns a `SnippetRun`, bad outcomes included. It may
/// make extra callers wait (the pool runs as many snippets at once as it has servers).
public protocol SnippetRunning: Sendable {
    func run(_ code: String) async -> SnippetRun
    /// The protections active in every child, for the summary.
    var protections: [Protection] { get }
}

extension ServerPool: SnippetRunning {
    /// Runs the snippet under the pool's configured limits.
    public func run(_ code: String) async -> SnippetRun {
        await run(code, limits: nil)
    }
}
