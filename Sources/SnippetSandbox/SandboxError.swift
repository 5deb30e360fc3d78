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
        /// A server started but reported that it cannot serve (an import failed, a bad option).
        case serverStartFailed
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

    public var description: String {
        guard let errno else { return message }
        return "\(message) (\(errnoName(errno)))"
    }
}
