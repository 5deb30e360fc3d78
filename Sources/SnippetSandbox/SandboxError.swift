// Failures of the sandbox machinery itself (never of a snippet), as one typed error.

/// A failure of ours: the pool could not start or keep its fork servers.
///
/// What a snippet does is never thrown; it is a `SnippetOutcome`.
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The `snippet-server` executable was not found.
        case serverNotFound
        /// Spawning a server process failed.
        case spawnFailed
        /// The kernel lacks a protection and the caller did not accept running without it.
        case protectionMissing([Protection])
        /// A server started but reported that it cannot serve for a reason that starting it
        /// again cannot change: a preload module does not import, a bad option.
        case serverStartFailed
        /// A server did not get to serve for a reason that may pass: it was killed while starting
        /// (the OOM killer, an operator), a step of its set-up failed, or it sent no hello in
        /// time. The pool starts it again a few times before it gives up with this code.
        case serverStartInterrupted
        /// A server broke the frame protocol.
        case protocolViolation
    }

    public var code: Code
    /// A whole sentence naming the thing and the call that failed.
    public var message: String
    /// The errno of the failed call, when there was one.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// Whether starting the server again may succeed.
    var isTransient: Bool {
        switch code {
        case .spawnFailed, .serverStartInterrupted, .protocolViolation: true
        case .serverNotFound, .protectionMissing, .serverStartFailed: false
        }
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message) (\(errnoName(errno)))"
    }
}
