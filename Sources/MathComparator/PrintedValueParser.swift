// Reads what a snippet printed: finds the line or lines that hold the answer and reads them without eval.

/// The printed answer is normally the last value printed; the expected value's shape says when it
/// is spread over several lines (solutions one per line, a numpy matrix, `x = 1` then `y = 2`).
enum PrintedValueParser {
    /// The ways to read `stdout`, most likely first, each read only when asked for (the first usually decides).
    static func candidates(_ stdout: String, expected: MathValue) -> [() -> MathValue?] {
        var text = Substring(stdout)
        if text.utf8.count > Limits.maxInputLength {
            // The answer is printed last: keep the tail.
            text = text.suffix(Limits.maxInputLength)
        }
        let lines = text.nonBlankLines()
        guard !lines.isEmpty else { return [] }
        let lastValue = { lines.reversed().lazy.compactMap(readLine).first }
        let whole = { lines.count > 1 ? ClauseReader.read(text, dialect: .python).value : nil }
        switch expected {
        case .scalar, .quantity, .equation:
            return [lastValue, whole]
        case .assignments(let items) where items.count == 1:
            // `x = 0.5` expected, `x = 0.5` then `y = 0.25` printed: a line that names x is the
            // answer, whatever follows it; otherwise the last value, whatever its name.
            let name = items[0].name
            let namedOrLast = {
                lines.reversed().lazy.compactMap(readLine).first { value in
                    if case .assignments(let printed) = value { return printed.contains { $0.name == name } }
                    return false
                } ?? lastValue()
            }
            return [namedOrLast, whole]
        default:
            var found = [whole, { lines.count > 1 ? trailingBlock(lines) : nil }, lastValue]
            if let n = elementCount(expected), n > 1 {
                found.append { lastLines(lines, count: n, expected: expected) }
            }
            found.append { spaceSeparated(lines[lines.count - 1]) }
            return found
        }
    }

    /// One line: a repr, a LaTeX answer, a labelled value (`The area is 12.5`, `c = 5.0`, `Distance: 15 km`).
    static func readLine(_ line: Substring) -> MathValue? {
        let looksLaTeX = line.utf8.contains { $0 == 0x5C || $0 == 0x24 }
        if looksLaTeX, let v = ClauseReader.read(line, dialect: .latex).value { return v }
        if let v = ClauseReader.read(line, dialect: .python).value { return v }
        if !looksLaTeX, let v = ClauseReader.read(line, dialect: .latex).value, isPlausibleLaTeXReading(v) { return v }
        // `The final answer is 34. I hope it is correct.`: the last label may be in a later sentence.
        if let label = afterLabel(line), let v = readLine(label) { return v }
        return valueInSentence(line)
    }

    /// LaTeX reads `Done` as a product of variables; from printed text only readings with a number count.
    private static func isPlausibleLaTeXReading(_ v: MathValue) -> Bool {
        if case .scalar(let e) = v, e.variables.count > 2 { return false }
        return true
    }

    /// The text after the last label mark outside brackets: `:`, ` is `, ` are `, ` equals `, ` = `, `≈`.
    static func afterLabel(_ line: Substring) -> Substring? {
        let bytes = Array(line.utf8)
        var level = 0
        var cut: Int?
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case 0x28, 0x5B, 0x7B: level += 1
            case 0x29, 0x5D, 0x7D: level -= 1
            case 0x3A where level == 0: cut = i + 1
            case 0x3D where level == 0 && i + 1 < bytes.count && bytes[i + 1] != 0x3D && (i == 0 || bytes[i - 1] != 0x3D): cut = i + 1
            case 0x20 where level == 0:
                for word in [" is ", " are ", " equals ", " was ", " be ", " of "] where matches(bytes, at: i, word) {
                    cut = i + word.utf8.count
                }
            default: break
            }
            i += 1
        }
        guard let cut, cut < bytes.count else { return nil }
        let index = line.utf8.index(line.startIndex, offsetBy: cut)
        let rest = line[index...].trimmingSpaces()
        return rest.isEmpty ? nil : rest
    }

    private static func matches(_ bytes: [UInt8], at i: Int, _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count else { return false }
        for k in 0..<w.count where bytes[i + k] | (w[k] == 0x20 ? 0 : 0x20) != w[k] | (w[k] == 0x20 ? 0 : 0x20) { return false }
        return true
    }

    /// A number inside a sentence: the first place a value starts after which no other number follows.
    /// With `onlyNumber`, only in a sentence that holds one number.
    static func valueInSentence(_ line: Substring, onlyNumber: Bool = false) -> MathValue? {
        // Each start is a parse: only sentence-sized lines are searched.
        guard line.utf8.count <= 400, let lexemes = Lexer.tokens(line, dialect: .python) else { return nil }
        let (cleaned, _) = ClauseReader.clean(lexemes)
        if onlyNumber, cleaned.count(where: { if case .number = $0.token { true } else { false } }) != 1 { return nil }
        for start in cleaned.indices {
            guard startsValue(cleaned[start].token) else { continue }
            var parser = ExpressionParser(cleaned[start...], dialect: .python)
            guard let (value, end) = try? parser.parsePrefix() else { continue }
            let rest = cleaned[end...]
            if rest.contains(where: { if case .number = $0.token { return true } else { return false } }) { continue }
            return value
        }
        return nil
    }

    private static func startsValue(_ token: Token) -> Bool {
        switch token {
        case .number, .symbol("-"), .symbol("("), .symbol("["), .symbol("{"): return true
        case .word(let w): return PythonNames.constants[w] != nil || PythonNames.functions[w] != nil
        default: return false
        }
    }

    /// A multi-line structure printed after a label: from the last line that opens one to the end.
    private static func trailingBlock(_ lines: [Substring]) -> MathValue? {
        guard let start = lines.lastIndex(where: { $0.hasPrefix("[[") || $0.hasPrefix("Matrix(") || $0.hasPrefix("array(") }),
              start < lines.count - 1 else { return nil }
        let block = lines[start...].joined(separator: "\n")
        return ClauseReader.read(Substring(block), dialect: .python).value
    }

    /// Solutions or coordinates printed one per line.
    private static func lastLines(_ lines: [Substring], count: Int, expected: MathValue) -> MathValue? {
        guard lines.count >= count else { return nil }
        var values: [MathValue] = []
        var named: [Assignment] = []
        for line in lines.suffix(count) {
            guard let v = readLine(line) else { return nil }
            if case .assignments(let a) = v, a.count == 1 { named.append(a[0]) }
            values.append(v)
        }
        if case .assignments = expected, named.count == count { return .assignments(named) }
        let unwrapped = values.map { v -> MathValue in
            if case .assignments(let a) = v, a.count == 1 { return a[0].value }
            return v
        }
        if case .tuple = expected { return .tuple(unwrapped) }
        return .solutions(unwrapped)
    }

    /// `print(a, b)` prints `2 3`.
    private static func spaceSeparated(_ line: Substring) -> MathValue? {
        let parts = line.split(separator: " ")
        guard parts.count > 1, parts.count <= Limits.maxElements else { return nil }
        var values: [MathValue] = []
        for part in parts {
            guard let v = ClauseReader.read(part, dialect: .python).value else { return nil }
            values.append(v)
        }
        return .tuple(values)
    }

    private static func elementCount(_ v: MathValue) -> Int? {
        switch v {
        case .tuple(let xs), .list(let xs), .set(let xs), .solutions(let xs): return xs.count
        case .assignments(let xs): return xs.count
        case .matrix(let rows): return rows.count
        default: return nil
        }
    }
}

extension Substring {
    /// Trims ASCII white space by bytes: Character properties cost more than the whole parse of a number.
    func trimmingSpaces() -> Substring {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }

    /// The non-blank lines, trimmed.
    func nonBlankLines() -> [Substring] {
        utf8.split(separator: 0x0A).compactMap { line in
            let trimmed = Substring(line).trimmingSpaces()
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}

@inline(__always) private func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
}
