// JSON text as spans of the original bytes: records are read into spans and spliced, never re-serialised.
//
// Why not JSONSerialization: it loses key order, turns 9007199254740993 into a Double and 1.0
// into 1, and costs a dictionary per record. Here a line is validated once (RFC 8259, strict),
// its top-level members are located by byte range, and the output record is the original text
// of every member with new members spliced in. Values we do not touch come back byte for byte.

/// The type of a JSON value, as its first byte tells.
enum JSONKind: Sendable, Hashable {
    case object, array, string, number, bool, null

    /// "an array", "a number": for messages about mistyped fields.
    var withArticle: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// A value's kind and where its text sits in the line.
struct JSONSpan: Sendable, Hashable {
    var kind: JSONKind
    var range: Range<Int>
}

/// One member of an object: its decoded key, its value, and the text from the key's opening
/// quote to the value's last byte (what is copied when the member is kept).
struct JSONMember: Sendable, Hashable {
    var key: String
    var value: JSONSpan
    var range: Range<Int>
}

/// Why a line is not JSON, with the byte offset (0-based) where reading stopped.
struct JSONSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}

/// A strict, validating reader over the bytes of one JSON text.
///
/// Nesting deeper than `maxDepth` is refused rather than recursed into, so a line of a million
/// `[` cannot overflow the stack.
struct JSONScanner {
    let bytes: [UInt8]
    var position: Int
    let maxDepth: Int

    init(_ bytes: [UInt8], from position: Int = 0, maxDepth: Int = 256) {
        self.bytes = bytes
        self.position = position
        self.maxDepth = maxDepth
    }

    /// Reads one complete JSON text: a value surrounded by nothing but whitespace.
    mutating func document() throws(JSONSyntaxError) -> JSONSpan {
        skipWhitespace()
        let span = try value(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
        return span
    }

    /// The members of the object whose text is `span` (already validated), in text order.
    static func members(of span: JSONSpan, in bytes: [UInt8]) -> [JSONMember] {
        precondition(span.kind == .object, "members(of:) needs an object")
        var scanner = JSONScanner(bytes, from: span.range.lowerBound)
        do {
            return try scanner.objectMembers(depth: 0)
        } catch {
            preconditionFailure("a validated object failed to scan again: \(error.message)")
        }
    }

    /// The element spans of the array whose text is `span` (already validated).
    static func elements(of span: JSONSpan, in bytes: [UInt8]) -> [JSONSpan] {
        precondition(span.kind == .array, "elements(of:) needs an array")
        var scanner = JSONScanner(bytes, from: span.range.lowerBound)
        do {
            return try scanner.arrayElements(depth: 0)
        } catch {
            preconditionFailure("a validated array failed to scan again: \(error.message)")
        }
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONSpan {
        guard position < bytes.count else { throw fail("the line ends where a value should start") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"):
            _ = try objectMembers(depth: depth)
            return JSONSpan(kind: .object, range: start..<position)
        case UInt8(ascii: "["):
            _ = try arrayElements(depth: depth)
            return JSONSpan(kind: .array, range: start..<position)
        case UInt8(ascii: "\""):
            try string()
            return JSONSpan(kind: .string, range: start..<position)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONSpan(kind: .bool, range: start..<position)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONSpan(kind: .bool, range: start..<position)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONSpan(kind: .null, range: start..<position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return JSONSpan(kind: .number, range: start..<position)
        case 0:
            throw fail("a NUL byte")
        default:
            throw fail("unexpected character '\(printable(bytes[position]))'")
        }
    }

    private mutating func objectMembers(depth: Int) throws(JSONSyntaxError) -> [JSONMember] {
        guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
        position += 1  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw fail("an object key must be a string") }
            let keyStart = position
            try string()
            let key = JSONScanner.decodeString(bytes, keyStart..<position)
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw fail("missing ':' after the key \"\(key)\"") }
            position += 1
            skipWhitespace()
            let value = try value(depth: depth + 1)
            members.append(JSONMember(key: key, value: value, range: keyStart..<value.range.upperBound))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
            } else if peek(UInt8(ascii: "}")) {
                position += 1
                return members
            } else {
                throw fail(position < bytes.count ? "expected ',' or '}' in an object" : "the object is not closed")
            }
        }
    }

    private mutating func arrayElements(depth: Int) throws(JSONSyntaxError) -> [JSONSpan] {
        guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
        position += 1  // [
        var elements: [JSONSpan] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
            } else if peek(UInt8(ascii: "]")) {
                position += 1
                return elements
            } else {
                throw fail(position < bytes.count ? "expected ',' or ']' in an array" : "the array is not closed")
            }
        }
    }

    private mutating func string() throws(JSONSyntaxError) {
        position += 1  // opening quote
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { throw fail("the string is not closed") }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= bytes.count,
                        bytes[(position + 2)..<(position + 6)].allSatisfy({ hexValue($0) != nil })
                    else { throw fail("a \\u escape needs four hex digits") }
                    position += 6
                default:
                    throw fail("invalid escape '\\\(printable(bytes[position + 1]))' in a string")
                }
            case 0:
                throw fail("a NUL byte inside a string")
            case 0x01..<0x20:
                throw fail("an unescaped control character inside a string")
            default:
                position += 1
            }
        }
        throw fail("the string is not closed")
    }

    private mutating func number() throws(JSONSyntaxError) {
        if peek(UInt8(ascii: "-")) { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("a number needs digits") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("a number needs digits after '.'") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("a number needs digits in its exponent") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = position + count <= bytes.count
            && word.withUTF8Buffer { Array($0) == Array(bytes[position..<(position + count)]) }
        guard matches else { throw fail("unexpected character '\(printable(bytes[position]))'") }
        position += count
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    private func fail(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, message: message)
    }

    /// The text of a validated string value (quotes included in `range`), escapes resolved.
    /// A lone surrogate escape becomes U+FFFD, as it cannot be held in a Swift String.
    static func decodeString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        guard bytes[inner].contains(UInt8(ascii: "\\")) else {
            return String(decoding: bytes[inner], as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var i = inner.lowerBound
        while i < inner.upperBound {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(bytes, i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= inner.upperBound,
                    bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(bytes, i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let decoded = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(decoded).utf8)
            default: out.append(escape)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (at..<(at + 4)).reduce(0) { $0 << 4 | UInt32(hexValue(bytes[$1]) ?? 0) }
    }
}

private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

private func printable(_ byte: UInt8) -> String {
    (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
}

extension [JSONMember] {
    /// The last member with this key: duplicate keys resolve the way Python's `json` does.
    func last(named key: String) -> JSONMember? {
        last { $0.key == key }
    }
}

/// Appends JSON text to a byte buffer: the only JSON writer on the hot path.
struct JSONWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw<C: Collection<UInt8>>(_ text: C) {
        bytes.append(contentsOf: text)
    }

    /// A string value, escaped; non-ASCII text stays as UTF-8 (as `ensure_ascii=False` writes it).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x00..<0x20, 0x7F:
                raw("\\u00")
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` for a member.
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// `,"key":"value"` (no comma when `first`).
    mutating func member(_ name: String, string value: String, first: Bool = false) {
        member(name, first: first) { $0.string(value) }
    }

    /// `,"key":` followed by what `value` writes (no comma when `first`).
    mutating func member(_ name: String, first: Bool = false, _ value: (inout JSONWriter) -> Void) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        key(name)
        value(&self)
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A non-negative number with three decimals at most ("12.5", "0.125", "3"), for milliseconds.
    mutating func milliseconds(_ value: Double) {
        let thousandths = Int64((max(0, value) * 1000).rounded())
        integer(thousandths / 1000)
        var fraction = thousandths % 1000
        guard fraction != 0 else { return }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        let text = String(fraction)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    private func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
