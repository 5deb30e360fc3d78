// Failures of the verifier's own machinery (files, environment, sandbox start), as one typed error.

import SnippetSandbox

/// A failure of ours that stops a batch: never a snippet's doing, never a malformed line.
public struct VerifierError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The input cannot be opened or read.
        case unreadableInput
        /// The output (or the kept, dropped or summary file) cannot be created or written.
        case unwritableOutput
        /// `--resume` found an output that does not fit the input (more records than it has).
        case resumeMismatch
        /// The scheduler's variables for the shard are incomplete or out of range.
        case invalidShardEnvironment
        /// The sandbox could not start.
        case sandbox(SandboxError.Code)
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

    public init(_ error: SandboxError) {
        self.init(.sandbox(error.code), error.description)
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message): \(systemErrorText(errno))"
    }
}
