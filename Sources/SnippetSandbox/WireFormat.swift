// The only place that maps the C protocol (snippet_protocol.h) to Swift values and back.

internal import CSnippetProtocol

/// Encoding of requests and decoding of hello and response frames.
enum WireFormat {
    static let helloSize = MemoryLayout<vs_hello>.size
    static let responseSize = MemoryLayout<vs_response>.size

    /// The request frame for `code` under `limits`: header, then the UTF-8 source.
    static func request(code: String, limits: SandboxLimits) -> [UInt8] {
        let source = Array(code.utf8)
        var header = vs_request()
        header.magic = VS_REQUEST_MAGIC
        header.code_length = UInt32(source.count)
        header.wall_ms = UInt64(max(1, limits.wallTime.milliseconds))
        // RLIMIT_CPU counts whole seconds; round up so a limit never cuts shorter than asked.
        header.cpu_seconds = UInt64(max(1, (limits.cpuTime.milliseconds + 999) / 1000))
        header.memory_bytes = UInt64(limits.memory.bytes)
        header.output_bytes = UInt64(limits.output.bytes)
        header.file_bytes = UInt64(limits.scratchFileSize.bytes)
        header.open_files = UInt32(clamping: limits.openFiles)
        header.threads = UInt32(clamping: limits.threads)
        var frame = withUnsafeBytes(of: &header) { Array($0) }
        frame.append(contentsOf: source)
        return frame
    }

    static var maxCodeBytes: Int { Int(VS_MAX_CODE_BYTES) }

    static let forkReplySize = MemoryLayout<vs_fork_reply>.size

    /// The frame that asks a template for a server; its two descriptors travel with it.
    static func forkRequest() -> [UInt8] {
        var request = vs_fork_request()
        request.magic = VS_FORK_MAGIC
        return withUnsafeBytes(of: &request) { Array($0) }
    }

    /// A template's answer to a fork request.
    enum ForkReply: Sendable {
        case forked(pid: Int32)
        case failed(errno: Int32)
    }

    static func forkReply(_ bytes: [UInt8]) -> ForkReply? {
        guard bytes.count == forkReplySize else { return nil }
        let r = bytes.withUnsafeBytes { $0.loadUnaligned(as: vs_fork_reply.self) }
        guard r.magic == VS_FORK_MAGIC else { return nil }
        return r.server_pid > 0 ? .forked(pid: Int32(bitPattern: r.server_pid)) : .failed(errno: r.error)
    }

    struct Hello: Sendable {
        var ok: Bool
        var failure: StartFailure
        var protections: Set<Protection>
        /// The protections the kernel lacks that the caller did not accept to do without.
        var missing: Set<Protection>
        var landlockABI: Int
        var serverPID: Int32
        var noteLength: Int
    }

    /// Why a server could not start, as its hello frame says (`enum vs_start_failure`).
    enum StartFailure: Sendable {
        case none, protectionMissing, badOption, interpreterFailed, setupFailed

        init(_ code: UInt32) {
            switch vs_start_failure(rawValue: code) {
            case VS_START_READY: self = .none
            case VS_START_PROTECTION_MISSING: self = .protectionMissing
            case VS_START_BAD_OPTION: self = .badOption
            case VS_START_INTERPRETER_FAILED: self = .interpreterFailed
            default: self = .setupFailed
            }
        }
    }

    static func hello(_ bytes: [UInt8]) -> Hello? {
        guard bytes.count == helloSize else { return nil }
        let h = bytes.withUnsafeBytes { $0.loadUnaligned(as: vs_hello.self) }
        guard h.magic == VS_HELLO_MAGIC, h.version == VS_PROTOCOL_VERSION,
              h.note_length <= VS_MAX_NOTE_BYTES else { return nil }
        return Hello(
            ok: h.ok == 1, failure: StartFailure(h.failure), protections: protections(h.protections),
            missing: protections(h.missing), landlockABI: Int(h.landlock_abi),
            serverPID: Int32(bitPattern: h.server_pid), noteLength: Int(h.note_length))
    }

    static let protectionBits: [(Protection, UInt32)] = [
        (.seccomp, VS_PROTECT_SECCOMP.rawValue),
        (.landlockFilesystem, VS_PROTECT_LANDLOCK_FS.rawValue),
        (.landlockNetwork, VS_PROTECT_LANDLOCK_NET.rawValue),
        (.landlockScoping, VS_PROTECT_LANDLOCK_SCOPE.rawValue),
        (.unprivilegedUser, VS_PROTECT_UNPRIVILEGED.rawValue),
        (.noNewPrivileges, VS_PROTECT_NO_NEW_PRIVS.rawValue),
        (.resourceLimits, VS_PROTECT_RLIMITS.rawValue),
        (.privateRoot, VS_PROTECT_PRIVATE_ROOT.rawValue),
    ]

    static func protections(_ bits: UInt32) -> Set<Protection> {
        Set(protectionBits.filter { bits & $0.1 != 0 }.map(\.0))
    }

    /// A response header: the outcome code and lengths of the bodies that follow it.
    struct ResponseHeader: Sendable {
        var outcome: UInt32
        var detail: Int32
        var stdoutLength: Int
        var stderrLength: Int
        var noteLength: Int
        var usage: ResourceUsage
    }

    static func responseHeader(_ bytes: [UInt8], outputLimit: ByteCount) -> ResponseHeader? {
        guard bytes.count == responseSize else { return nil }
        let r = bytes.withUnsafeBytes { $0.loadUnaligned(as: vs_response.self) }
        guard r.magic == VS_RESPONSE_MAGIC, Int64(r.stdout_length) <= outputLimit.bytes,
              Int64(r.stderr_length) <= outputLimit.bytes, r.note_length <= VS_MAX_NOTE_BYTES
        else { return nil }
        let usage = ResourceUsage(
            wallTime: .nanoseconds(Int64(clamping: r.wall_ns)),
            cpuTime: .nanoseconds(Int64(clamping: r.cpu_ns)),
            peakMemory: ByteCount(bytes: Int64(clamping: r.peak_rss_bytes)))
        return ResponseHeader(
            outcome: r.outcome, detail: r.detail, stdoutLength: Int(r.stdout_length),
            stderrLength: Int(r.stderr_length), noteLength: Int(r.note_length), usage: usage)
    }

    /// The outcome for a response; exception details come from the last line of stderr, which
    /// the child's runner writes as Python does ("ZeroDivisionError: division by zero").
    static func outcome(code: UInt32, detail: Int32, note: String, stderr: String) -> SnippetOutcome {
        switch vs_outcome(rawValue: code) {
        case VS_OUTCOME_COMPLETED: return .completed
        case VS_OUTCOME_EXCEPTION:
            let (type, message) = lastErrorLine(stderr)
            return .exception(type: type, message: message)
        case VS_OUTCOME_SYNTAX_ERROR: return .syntaxError(message: lastErrorLine(stderr).message)
        case VS_OUTCOME_TIMEOUT_WALL: return .timeout(.wall)
        case VS_OUTCOME_TIMEOUT_CPU: return .timeout(.cpu)
        case VS_OUTCOME_MEMORY_LIMIT: return .memoryLimit
        case VS_OUTCOME_VIOLATION: return .violation(syscall: note)
        case VS_OUTCOME_OUTPUT_LIMIT: return .outputLimit
        case VS_OUTCOME_CRASHED: return .crashed(signal: detail)
        case VS_OUTCOME_EXITED: return .exited(status: detail)
        case VS_OUTCOME_SETUP_FAILED:
            return .sandboxError("confinement step \(note) failed: \(errnoName(detail))")
        default: return .sandboxError("the fork server sent unknown outcome \(code)")
        }
    }

    /// ("ZeroDivisionError", "division by zero") from a traceback's last line.
    static func lastErrorLine(_ stderr: String) -> (type: String, message: String) {
        let last = stderr.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) }
        guard let line = last.map(String.init) else { return ("Exception", "") }
        if let colon = line.firstIndex(of: ":") {
            let type = line[..<colon]
            if !type.isEmpty, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
                return (String(type), line[line.index(after: colon)...].trimmingWhitespace())
            }
        }
        if line.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
            return (line, "")
        }
        return ("Exception", line)
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
