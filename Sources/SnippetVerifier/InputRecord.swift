// One input line read into a record: its format, the computations to run, and the text to splice into.

/// One computation to run and judge: a snippet and the LaTeX result it must reproduce.
public struct Computation: Sendable, Hashable {
    /// "**Computation 1**" in raw model output; whatever the record says in the blocks form.
    public var title: String
    public var conditions: String
    /// The LaTeX expression, e.g. `$3 \times 4$` or `$60 / 6 = 10$`.
    public var expression: String
    /// The LaTeX result as written, e.g. `$12$`. May be empty: the comparator then takes the
    /// expected value from the expression's right-hand side (`$60 / 6 = 10$` gives 10).
    public var result: String
    /// The Python snippet.
    public var code: String

    public init(title: String = "", conditions: String = "", expression: String = "", result: String, code: String) {
        self.title = title
        self.conditions = conditions
        self.expression = expression
        self.result = result
        self.code = code
    }
}

/// The three shapes an input line can take; detected per line.
public enum RecordFormat: String, Sendable, Hashable, CaseIterable {
    /// `{"id", "code", "result", "expression", "conditions"}`: the record is one computation.
    case flat
    /// `{"idx", "computations": [{"title", "conditions", "expression", "result", "code"}, ...]}`.
    case blocks
    /// `{"idx", "text": "...**Computation 1** ... ```python ...```"}`: the model's own answer.
    case rawModelOutput = "raw"
}

/// Bounds on what one input line may hold; past them the line is malformed, not a crash.
public struct RecordLimits: Sendable, Hashable {
    /// Longest line, in bytes. Default 16 MiB. A longer line is skipped without being held whole.
    public var maxLineBytes: Int
    /// Most computations in one record. Default 1024.
    public var maxComputations: Int
    /// Deepest JSON nesting. Default 256.
    public var maxDepth: Int

    public init(maxLineBytes: Int = 16 << 20, maxComputations: Int = 1024, maxDepth: Int = 256) {
        self.maxLineBytes = maxLineBytes
        self.maxComputations = maxComputations
        self.maxDepth = maxDepth
    }
}

/// A valid input record: what to run, and the original text its output is spliced from.
public struct InputRecord: Sendable {
    /// 1-based line number in the input.
    public var line: Int
    public var format: RecordFormat
    /// The computations to run, in order: one for a flat record, those of `computations`, or
    /// those found in `text`.
    public var computations: [Computation]

    let text: [UInt8]
    let members: [JSONMember]
    /// For blocks: the members of each element of `computations`, in order.
    let computationMembers: [[JSONMember]]
}

/// A line that is not a valid record: the reason, and the members that could be read.
public struct MalformedLine: Sendable {
    /// 1-based line number in the input.
    public var line: Int
    /// A whole sentence: "not JSON: the string is not closed (at byte 41)".
    public var reason: String

    let text: [UInt8]
    /// The members of the object when the line was a JSON object; kept in the output record.
    let members: [JSONMember]
}

/// What one input line turned out to be.
public enum ParsedLine: Sendable {
    /// Only whitespace: no output record, but the line still counts for numbers and shards.
    case blank
    case record(InputRecord)
    case malformed(MalformedLine)

    /// Reads one line (without its newline). Never throws: a bad line is a `.malformed` value.
    public init(bytes: [UInt8], line: Int, limits: RecordLimits = RecordLimits()) {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }  // CRLF files
        guard bytes.contains(where: { !isJSONWhitespace($0) }) else {
            self = .blank
            return
        }
        func malformed(_ reason: String, _ members: [JSONMember] = []) -> ParsedLine {
            .malformed(MalformedLine(line: line, reason: reason, text: bytes, members: members))
        }
        guard bytes.count <= limits.maxLineBytes else {
            self = malformed("the line is \(bytes.count) bytes long, more than the limit of \(limits.maxLineBytes)")
            return
        }
        if let bad = firstInvalidUTF8(bytes) {
            self = malformed("invalid UTF-8 at byte \(bad)", Self.validMembers(of: bytes, maxDepth: limits.maxDepth))
            return
        }
        var scanner = JSONScanner(bytes, maxDepth: limits.maxDepth)
        let document: JSONSpan
        do {
            document = try scanner.document()
        } catch {
            self = malformed("not JSON: \(error.message) (at byte \(error.offset))")
            return
        }
        guard document.kind == .object else {
            self = malformed("not a JSON object but \(document.kind.withArticle)")
            return
        }
        let members = JSONScanner.members(of: document, in: bytes)
        let fields = FieldReader(bytes: bytes, members: members)
        do throws(RecordProblem) {
            let record: InputRecord
            if let computations = members.last(named: "computations") {
                record = try InputRecord.blocks(line: line, fields: fields, computations: computations, limits: limits)
            } else if let text = members.last(named: "text"), text.value.kind == .string {
                record = try InputRecord.rawModelOutput(line: line, fields: fields, text: text, limits: limits)
            } else {
                record = try InputRecord.flat(line: line, fields: fields)
            }
            self = .record(record)
        } catch {
            self = malformed(error.reason, members)
        }
    }
}

extension ParsedLine {
    /// The members of a line that is a JSON object apart from its invalid UTF-8, less those whose
    /// text holds the invalid bytes: what can be kept of it without writing invalid UTF-8.
    static func validMembers(of bytes: [UInt8], maxDepth: Int) -> [JSONMember] {
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        guard let document = try? scanner.document(), document.kind == .object else { return [] }
        return JSONScanner.members(of: document, in: bytes).filter { firstInvalidUTF8(Array(bytes[$0.range])) == nil }
    }
}

/// Why a parsed JSON object is not a valid record ("missing \"code\"").
struct RecordProblem: Error {
    var reason: String
}

/// Typed access to the members of one object, with the messages for missing and mistyped fields.
struct FieldReader {
    let bytes: [UInt8]
    let members: [JSONMember]
    /// "computations[2]." for an element, "" at the top level: prefixes field names in messages.
    var path: String = ""

    /// A field that must be a string (`code`, `result`).
    func requiredString(_ key: String) throws(RecordProblem) -> String {
        guard let member = members.last(named: key) else {
            throw RecordProblem(reason: "missing \"\(path)\(key)\"")
        }
        guard member.value.kind == .string else {
            throw RecordProblem(reason: "\"\(path)\(key)\" is \(member.value.kind.withArticle), not a string")
        }
        return JSONScanner.decodeString(bytes, member.value.range)
    }

    /// A field that may be absent; anything but a string reads as empty.
    func optionalString(_ key: String) -> String {
        guard let member = members.last(named: key), member.value.kind == .string else { return "" }
        return JSONScanner.decodeString(bytes, member.value.range)
    }

    /// The snippet: a string without NUL characters (the fork server takes C strings).
    func code() throws(RecordProblem) -> String {
        let code = try requiredString("code")
        guard !code.utf8.contains(0) else {
            throw RecordProblem(reason: "\"\(path)code\" contains a NUL character")
        }
        return code
    }
}

func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
}

/// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    // Fast path: pure ASCII needs no decoder.
    if !bytes.contains(where: { $0 >= 0x80 }) { return nil }
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): offset += UTF8.width(scalar)
        case .emptyInput: return nil
        case .error: return offset
        }
    }
}
