// How one snippet's run ended, as a value: what the snippet did is data, never a thrown error.

/// How a snippet's run ended.
public enum SnippetOutcome: Sendable, Hashable {
    /// It exited normally (or with `sys.exit(0)`).
    case completed
    /// An uncaught exception: its type name, its message and the last line of the traceback.
    case exception(type: String, message: String)
    /// The source did not compile.
    case syntaxError(message: String)
    /// It ran past the wall-clock or the CPU limit.
    case timeout(TimeoutKind)
    /// It ran out of the address space it was given (`MemoryError`).
    case memoryLimit
    /// It made a system call the seccomp policy denies; the call was not executed.
    case violation(syscall: String)
    /// It wrote more than the output limit to stdout or stderr.
    case outputLimit
    /// It was killed by a signal it did not ask for (a segfault, an abort).
    case crashed(signal: Int32)
    /// It ended with an exit status of its own choosing (`os._exit(3)`).
    case exited(status: Int32)
    /// Our own machinery failed around it: a confinement step in the child, or the fork server
    /// died while running it. Never the snippet's fault as far as we can tell.
    case sandboxError(String)

    public enum TimeoutKind: String, Sendable, Hashable, Codable {
        case wall, cpu
    }

    /// The outcome's name in summaries and JSON: the single source of these spellings.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case completed
        case exception
        case syntaxError = "syntax_error"
        case timeout
        case memoryLimit = "memory_limit"
        case violation
        case outputLimit = "output_limit"
        case crashed
        case exited
        case sandboxError = "sandbox_error"
    }

    public var kind: Kind {
        switch self {
        case .completed: .completed
        case .exception: .exception
        case .syntaxError: .syntaxError
        case .timeout: .timeout
        case .memoryLimit: .memoryLimit
        case .violation: .violation
        case .outputLimit: .outputLimit
        case .crashed: .crashed
        case .exited: .exited
        case .sandboxError: .sandboxError
        }
    }

    /// One line that says what happened, for reports: "timeout (wall)", "violation: socket".
    public var summary: String {
        switch self {
        case .completed: "completed"
        case .exception(let type, let message): message.isEmpty ? type : "\(type): \(message)"
        case .syntaxError(let message): "SyntaxError: \(message)"
        case .timeout(let kind): "timeout (\(kind.rawValue))"
        case .memoryLimit: "memory limit"
        case .violation(let syscall): "violation: \(syscall)"
        case .outputLimit: "output limit"
        case .crashed(let signal): "crashed (signal \(signal))"
        case .exited(let status): "exited with status \(status)"
        case .sandboxError(let message): "sandbox error: \(message)"
        }
    }
}
