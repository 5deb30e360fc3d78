// Reads the expected value from the LaTeX result, or from the right-hand side of the expression.

enum LaTeXValueParser {
    /// The value a LaTeX result states, or why it states none.
    static func read(_ text: Substring) -> Reading {
        let reading = ClauseReader.read(text, dialect: .latex)
        guard case .noValue = reading, text.utf8.count <= Limits.maxInputLength, AnswerFocus.hasProse(text.utf8) else { return reading }
        // `The probability is \frac{1}{6}.`: a sentence that states its value after a label.
        if let stated = PrintedValueParser.afterLabel(text), case .value(let v) = ClauseReader.read(stated, dialect: .latex) {
            return .value(v)
        }
        // `It takes 3 hours.`: the one number of a sentence.
        if let v = PrintedValueParser.valueInSentence(text, onlyNumber: true) { return .value(v) }
        return reading
    }

    /// The expression's right-hand side (`\log_2 8 = 3` gives 3); without a relation, the expression
    /// itself when it is a plain number (`2 + 3`), since an expression in variables states no result.
    static func readExpression(_ text: Substring) -> Reading {
        if text.isEmpty { return .noValue("empty") }
        let reading = read(text)
        guard case .value(let v) = reading else { return reading }
        if case .scalar(let e) = v, !e.variables.isEmpty, !hasRelation(text) {
            return .noValue("an expression in variables with no stated result")
        }
        return reading
    }

    private static func hasRelation(_ text: Substring) -> Bool {
        text.utf8.contains(0x3D) || text.utf8.split(separator: 0x5C).contains { $0.starts(with: "approx".utf8) }
    }
}
