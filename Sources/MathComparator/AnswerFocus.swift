// Finds the answer in LaTeX text that says more than the answer: boxes, math set among prose.

/// `The answer is $\boxed{28}$.`, `Therefore $x \geq 5$ is the solution.`, `$\frac{3}{4}$ of the students`.
///
/// A box is the answer by convention: with prose around it only the boxes are read (several joined
/// only by `and`, `or` or commas are several answers, otherwise the last box is); among math alone
/// a box is unwrapped in place, so that `p = \boxed{5}, q = \boxed{2}` keeps its names. Math between
/// `$` signs among prose is the answer, unless it only names (`$n$`); several pieces joined only by
/// `and`, `or` or commas are several answers, otherwise the last piece that follows a label
/// (`is $\frac{9}{4}$, attained at $x = \frac32$`) or else the last one. A unit written in the
/// prose right after that one answer belongs to it (`$3$ tonnes`).
enum AnswerFocus {
    /// The text to read instead of `text`, or nil when `text` is read as it is.
    static func focus(_ text: Substring) -> String? {
        // Most text has neither boxes nor dollar signs: one pass over the bytes decides, without a copy.
        guard mayNeedFocus(text.utf8) else { return nil }
        let bytes = Array(text.utf8)
        let boxes = boxRanges(bytes)
        if !boxes.isEmpty {
            var outside: [UInt8] = []
            var unwrapped: [UInt8] = []
            var contents: [String] = []
            var between: [ArraySlice<UInt8>] = []
            var position = 0
            for (command, inner) in boxes {
                if position > 0 { between.append(bytes[position..<command.lowerBound]) }
                outside += bytes[position..<command.lowerBound]
                unwrapped += bytes[position..<command.lowerBound] + bytes[inner]
                contents.append(String(decoding: bytes[inner], as: UTF8.self))
                position = inner.upperBound + 1
            }
            outside += bytes[position...]
            unwrapped += bytes[position...]
            if hasProse(outside) {
                if between.allSatisfy(isJoiner) && contents.count > 1 { return contents.joined(separator: ", ") }
                return withUnit(contents[contents.count - 1], after: bytes[position...])
            }
            return String(decoding: unwrapped, as: UTF8.self)
        }
        let pieces = mathPieces(bytes)
        guard !pieces.math.isEmpty, hasProse(pieces.prose.joined()) else { return nil }
        let between = pieces.prose.dropFirst().dropLast()
        let math = pieces.math.map { String(decoding: $0, as: UTF8.self) }
        // `The largest $n$ is 34.`: math that only names something is not the answer.
        let answers = math.indices.filter { !isName(math[$0]) }
        guard let last = answers.last else { return nil }
        if between.allSatisfy(isJoiner) && answers.count > 1 { return answers.map { math[$0] }.joined(separator: ", ") }
        let labelled = answers.last { k in
            let before = String(decoding: pieces.prose[k], as: UTF8.self)
            return [" is", " are", " equals", " was", " be", ":", "="].contains { before.trimmingSuffixSpaces().hasSuffix($0) }
        }
        let answer = labelled ?? last
        return withUnit(math[answer], after: pieces.prose[answer + 1])
    }

    /// `$3$ tonnes`, `\boxed{12}\,\text{cm}`: a unit written in the prose right after the answer belongs to it.
    private static func withUnit(_ answer: String, after prose: ArraySlice<UInt8>) -> String {
        var start = prose.startIndex
        // After a box, the `$` that closes its math: `$\boxed{7}$ days`.
        while start < prose.endIndex && (prose[start] == 0x20 || prose[start] == 0x24) { start += 1 }
        var end = start
        while end < prose.endIndex && prose[end] != 0x20 { end += 1 }
        // The word's own punctuation ends a sentence or a clause: `$3$ tonnes.`
        while end > start, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F].contains(prose[end - 1]) { end -= 1 }
        let word = String(decoding: prose[start..<end], as: UTF8.self)
        // `$3$ in each row`: after an answer `in` is a preposition far more often than inches.
        guard end > start, word != "in", let lexemes = Lexer.tokens(Substring(word), dialect: .latex), !lexemes.isEmpty,
              UnitReader.readWhole(lexemes, from: 0, to: lexemes.count) != nil else { return answer }
        return answer + " " + word
    }

    /// `n`, `f(x)`, `P(A)`: a variable or two and no number.
    private static func isName(_ piece: String) -> Bool {
        guard !piece.utf8.contains(where: isDigit), case .value(.scalar(let e)) = ClauseReader.read(Substring(piece), dialect: .latex) else { return false }
        switch e {
        case .variable: return true
        case .product(let factors): return factors.count <= 2 && factors.allSatisfy { if case .variable = $0 { true } else { false } }
        default: return false
        }
    }

    private static let boxCommands: [[UInt8]] = [Array("\\boxed".utf8), Array("\\fbox".utf8)]

    /// A `$` or a box command: matched byte by byte (the commands start with their only backslash),
    /// since a generic substring search costs more here than reading the whole value.
    private static func mayNeedFocus(_ bytes: Substring.UTF8View) -> Bool {
        var matched = [0, 0]
        for c in bytes {
            if c == 0x24 { return true }
            for k in 0..<boxCommands.count {
                let command = boxCommands[k]
                matched[k] = c == command[matched[k]] ? matched[k] + 1 : (c == 0x5C ? 1 : 0)
                if matched[k] == command.count { return true }
            }
        }
        return false
    }

    /// Whether the text holds English words (not units, connectives or variables).
    static func hasProse<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        let text = String(decoding: Array(bytes), as: UTF8.self)
        guard let lexemes = Lexer.tokens(Substring(text), dialect: .latex) else { return false }
        return lexemes.contains { lexeme in
            if case .word(let w) = lexeme.token { return LaTeXWords.isProse(w) && !LaTeXWords.connectives.contains(w) }
            return false
        }
    }

    /// `\boxed{…}` and `\fbox{…}`: the command's start and the range inside its braces.
    private static func boxRanges(_ bytes: [UInt8]) -> [(command: Range<Int>, inner: Range<Int>)] {
        var found: [(Range<Int>, Range<Int>)] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x5C, let name = ["boxed", "fbox"].first(where: { matches(bytes, at: i + 1, $0) }) else {
                i += 1
                continue
            }
            var open = i + 1 + name.utf8.count
            while open < bytes.count && bytes[open] == 0x20 { open += 1 }
            guard open < bytes.count, bytes[open] == 0x7B, let close = matchingBrace(bytes, open) else {
                i += 1
                continue
            }
            found.append((i..<open, (open + 1)..<close))
            i = close + 1
        }
        return found
    }

    private static func matches(_ bytes: [UInt8], at i: Int, _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
        // `\boxed` and not `\boxedtext`.
        return i + w.count == bytes.count || !isLetter(bytes[i + w.count])
    }

    private static func matchingBrace(_ bytes: [UInt8], _ open: Int) -> Int? {
        var level = 0
        var k = open
        while k < bytes.count {
            switch bytes[k] {
            case 0x5C: k += 1  // an escaped brace, `\{`, does not count
            case 0x7B: level += 1
            case 0x7D:
                level -= 1
                if level == 0 { return k }
            default: break
            }
            k += 1
        }
        return nil
    }

    /// The text split at unescaped `$` signs (`$$` counts as one): math pieces and the prose around them.
    private static func mathPieces(_ bytes: [UInt8]) -> (math: [ArraySlice<UInt8>], prose: [ArraySlice<UInt8>]) {
        var math: [ArraySlice<UInt8>] = []
        var prose: [ArraySlice<UInt8>] = []
        var start = 0
        var inMath = false
        var k = 0
        while k < bytes.count {
            if bytes[k] == 0x5C {
                k += 2
                continue
            }
            if bytes[k] == 0x24 {
                let piece = bytes[start..<k]
                if inMath { math.append(piece) } else { prose.append(piece) }
                inMath.toggle()
                k += (k + 1 < bytes.count && bytes[k + 1] == 0x24) ? 2 : 1
                start = k
                continue
            }
            k += 1
        }
        // An unclosed `$` is a currency sign, not math.
        if inMath { return ([], []) }
        prose.append(bytes[min(start, bytes.count)...])
        return (math, prose)
    }

    /// Text between two answers that only joins them: `and`, `or`, a comma, `\text{ and }`.
    private static func isJoiner(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let lexemes = Lexer.tokens(Substring(String(decoding: bytes, as: UTF8.self)), dialect: .latex) else { return false }
        return lexemes.allSatisfy { lexeme in
            switch lexeme.token {
            case .word(let w): return LaTeXWords.connectives.contains(w)
            case .symbol(","), .symbol(";"), .symbol("."), .symbol("{"), .symbol("}"): return true
            case .command(let c): return ClauseReader.textCommands.contains(c) || c == "quad"
            default: return false
            }
        }
    }
}

private extension String {
    func trimmingSuffixSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[..<end]
    }
}
