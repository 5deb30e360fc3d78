// Continuing an interrupted batch: what its output already holds, a torn last line dropped.
//
// The output file is the only record of progress. Records are written strictly in input order,
// one line each, newline last; so after any kill the file is N complete records, which are the
// outputs of the first N non-blank lines of the shard, plus perhaps one torn line. Resuming
// truncates the torn line, skips N records of the input without running them (checking a few of
// them against the records they produced: see `ResumePoint.samples`), and appends.
// Complete lines are never rewritten. The kept and dropped files are functions of the output
// records, so they are rebuilt from the N records rather than trusted: a kill between writing the
// output and writing them leaves them one record behind or ahead, and rebuilding cannot be wrong.

import Glibc

/// What an interrupted run left in its output.
public struct ResumePoint: Sendable, Hashable {
    /// Complete records in the output: the first that many input records of the shard are done.
    public var completeRecords: Int
    /// Bytes of a torn last line that were cut off (0 when the file ended on a newline).
    public var droppedBytes: Int
    /// The identity of the output's first and last records and of those at powers of two, by
    /// index: resuming checks them against the input records it skips, so that an output written
    /// from another input or shard is refused instead of continued.
    var samples: [Int: RecordIdentity] = [:]

    public static let fresh = ResumePoint(completeRecords: 0, droppedBytes: 0)

    static func isSampled(_ index: Int) -> Bool { index & (index - 1) == 0 }
}

/// Which input record an output record came from: the first member that verification carries
/// through unchanged, key and value bytes exactly as written (an `"id"` as a rule), or the line
/// number of a malformed line, which its output record starts with.
struct RecordIdentity: Sendable, Hashable, CustomStringConvertible {
    var key: String
    var value: [UInt8]

    /// Members an output record rewrites or adds; they say nothing of the input record.
    private static let rewritten: Set<String> = ["computations", "execution_output", "execution_error", "verification"]

    /// Nil when every member is rewritten (such records are not checked).
    init?(members: [JSONMember], in text: [UInt8]) {
        guard let member = members.first(where: { !Self.rewritten.contains($0.key) }) else { return nil }
        key = member.key
        value = Array(text[member.value.range])
    }

    init(malformedLine line: Int) {
        key = "line"
        value = Array(String(line).utf8)
    }

    init?(_ parsed: ParsedLine) {
        switch parsed {
        case .blank: return nil
        case .malformed(let line): self.init(malformedLine: line.line)
        case .record(let record): self.init(members: record.members, in: record.text)
        }
    }

    /// The identity of an output line; nil when it is not a JSON object.
    init?(outputRecord bytes: [UInt8]) {
        var scanner = JSONScanner(bytes, maxDepth: 1024)
        guard let document = try? scanner.document(), document.kind == .object else { return nil }
        self.init(members: JSONScanner.members(of: document, in: bytes), in: bytes)
    }

    var description: String {
        let shown = value.count > 60 ? String(decoding: value.prefix(60), as: UTF8.self) + "..." : String(decoding: value, as: UTF8.self)
        return "\"\(key)\": \(shown)"
    }
}

public enum Resume {
    /// Cuts a torn last line off `output`, counts its complete records, and rewrites `kept` and
    /// `dropped` (when given) from those records. A missing output is a fresh start.
    ///
    /// - Throws: `.unwritableOutput` when the output cannot be read or truncated, or the kept and
    ///   dropped files cannot be written; `.resumeMismatch` when a complete line of the output is
    ///   not one of our records (the file is not a verify-snippets output, or was edited).
    public static func prepare(output: String, kept: String?, dropped: String?) throws(VerifierError) -> ResumePoint {
        let keptFile = try kept.map { path throws(VerifierError) in try OutputFile(path: path, mode: .truncate) }
        let droppedFile = try dropped.map { path throws(VerifierError) in try OutputFile(path: path, mode: .truncate) }
        let droppedBytes = try cutTornLine(output)
        guard let droppedBytes else { return .fresh }
        let reader: LineReader
        do {
            reader = try LineReader(path: output)
        } catch {
            throw VerifierError(.unwritableOutput, error.message, errno: error.errno)
        }
        var records = 0
        var lineNumber = 0
        var samples: [Int: RecordIdentity] = [:]
        var last: [UInt8] = []
        while let line = try reader.next(maxBytes: Int.max / 2) {
            lineNumber += 1
            guard case .text(let bytes) = line, bytes.contains(where: { !isJSONWhitespace($0) }) else { continue }
            if ResumePoint.isSampled(records) {
                guard let identity = RecordIdentity(outputRecord: bytes) else {
                    throw VerifierError(
                        .resumeMismatch,
                        "line \(lineNumber) of \(output) is not a verify-snippets output record; resume needs the output of an earlier run")
                }
                samples[records] = identity
            }
            last = bytes
            records += 1
            guard keptFile != nil || droppedFile != nil else { continue }
            guard let parts = split(outputRecord: bytes) else {
                throw VerifierError(
                    .resumeMismatch,
                    "line \(lineNumber) of \(output) is not a verify-snippets output record; resume needs the output of an earlier run")
            }
            if let text = parts.kept { try keptFile?.writeLine(text) }
            if let text = parts.dropped { try droppedFile?.writeLine(text) }
        }
        try keptFile?.flush()
        try droppedFile?.flush()
        if records > 0, samples[records - 1] == nil, let identity = RecordIdentity(outputRecord: last) {
            samples[records - 1] = identity
        }
        return ResumePoint(completeRecords: records, droppedBytes: droppedBytes, samples: samples)
    }

    /// Truncates the file after its last newline; returns the bytes cut, or nil when it does not exist.
    private static func cutTornLine(_ path: String) throws(VerifierError) -> Int? {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw VerifierError(.unwritableOutput, "cannot open the output \(path) to resume it", errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw VerifierError(.unwritableOutput, "cannot stat the output \(path)", errno: errno)
        }
        let size = Int(info.st_size)
        var end = size
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var keep = 0
        search: while end > 0 {
            let start = max(0, end - chunk.count)
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, end - start, off_t(start)) }
            guard count == end - start else {
                throw VerifierError(.unwritableOutput, "cannot read the output \(path)", errno: errno)
            }
            for index in stride(from: count - 1, through: 0, by: -1) where chunk[index] == 0x0A {
                keep = start + index + 1
                break search
            }
            end = start
        }
        if keep < size {
            guard ftruncate(fd, off_t(keep)) == 0 else {
                throw VerifierError(.unwritableOutput, "cannot cut the torn last line of \(path)", errno: errno)
            }
        }
        return size - keep
    }

    /// The kept and dropped parts of one output record, read back from its text; nil when the
    /// text is not an output record. A malformed-line record has neither part.
    static func split(outputRecord bytes: [UInt8]) -> (kept: [UInt8]?, dropped: [UInt8]?)? {
        var scanner = JSONScanner(bytes, maxDepth: 1024)
        guard let document = try? scanner.document(), document.kind == .object else { return nil }
        let members = JSONScanner.members(of: document, in: bytes)
        if let computations = members.last(named: "computations"), computations.value.kind == .array {
            let elements = JSONScanner.elements(of: computations.value, in: bytes)
            let verdicts = elements.map { verdict(of: $0, in: bytes) }
            let texts = elements.map { Array(bytes[$0.range]) }
            return Splice.split(bytes, members, elements: texts, verdicts: verdicts)
        }
        if let verification = members.last(named: "verification") {
            guard let name = verdict(of: verification.value, in: bytes, isVerification: true) else { return nil }
            return name.isKept ? (bytes, nil) : (nil, bytes)
        }
        if members.last(named: "error") != nil { return (nil, nil) }
        return nil
    }

    /// The verdict in a computation object (or, with `isVerification`, in the verification object itself).
    private static func verdict(of span: JSONSpan, in bytes: [UInt8], isVerification: Bool = false) -> Verdict.Name? {
        guard span.kind == .object else { return nil }
        var object = JSONScanner.members(of: span, in: bytes)
        if !isVerification {
            guard let verification = object.last(named: "verification"), verification.value.kind == .object else { return nil }
            object = JSONScanner.members(of: verification.value, in: bytes)
        }
        guard let verdict = object.last(named: "verdict"), verdict.value.kind == .string else { return nil }
        return Verdict.Name(rawValue: JSONScanner.decodeString(bytes, verdict.value.range))
    }
}
