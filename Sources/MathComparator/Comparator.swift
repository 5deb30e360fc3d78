// The public entry point: reads both sides and says whether the printed output reproduces the result.

/// Decides whether what a snippet printed reproduces the result written in LaTeX.
///
/// Pure and thread-safe: no processes, no I/O, no shared state; every input, however large or
/// malformed, is answered in time linear in its length (see `Limits`).
public struct Comparator: Sendable {
    public init() {}

    /// result: the LaTeX "Computation Result" text (may be empty);
    /// expression: the LaTeX "Computation Expression" (its right-hand side is the expected value when result is empty or holds no value);
    /// printed: the snippet's whole stdout (already known to be non-empty after trimming).
    ///
    /// A result that is text or a relation falls back to the expression's right-hand side only to
    /// confirm: the snippet is `equivalent` when it printed that value, and otherwise the result is
    /// still `noExpectedValue`, since a statement cannot be contradicted by a number it did not state.
    public func compare(result: String, expression: String, printed: String) -> Comparison {
        let resultText = Substring(result).trimmingSpaces()
        let resultReading = resultText.isEmpty ? Reading.noValue("empty result") : LaTeXValueParser.read(resultText)
        if case .value(let expected) = resultReading {
            return Comparator.judge(expected: expected, printed: printed)
        }
        let expressionReading = LaTeXValueParser.readExpression(Substring(expression).trimmingSpaces())
        guard case .noValue(let reason) = resultReading, case .value(let expected) = expressionReading else {
            if case .noValue(let reason) = resultReading, !resultText.isEmpty { return .noExpectedValue(reason: "the result is \(reason)") }
            if case .noValue(let reason) = expressionReading { return .noExpectedValue(reason: "no result, and the expression is \(reason)") }
            return .noExpectedValue(reason: "no expected value")
        }
        let comparison = Comparator.judge(expected: expected, printed: printed)
        if resultText.isEmpty { return comparison }
        if case .equivalent(var evidence) = comparison {
            evidence.rule += " (against the expression's right-hand side)"
            return .equivalent(evidence)
        }
        return .noExpectedValue(reason: "the result is \(reason)")
    }

    private static func judge(expected: MathValue, printed: String) -> Comparison {
        var tried: [MathValue] = []
        var firstJudgement: Judgement?
        for read in PrintedValueParser.candidates(printed, expected: expected) {
            guard let candidate = read(), !tried.contains(candidate) else { continue }
            tried.append(candidate)
            let judgement = Equivalence.compare(expected, candidate)
            if judgement.equal {
                return .equivalent(Evidence(expected: expected.description, printed: candidate.description, rule: judgement.rule))
            }
            firstJudgement = firstJudgement ?? judgement
        }
        guard let first = tried.first, let firstJudgement else {
            let shown = Substring(printed).nonBlankLines().last.map { String($0.prefix(80)) } ?? ""
            return .different(Evidence(expected: expected.description, printed: shown, rule: "printed output holds no value"))
        }
        return .different(Evidence(expected: expected.description, printed: first.description, rule: firstJudgement.rule))
    }
}

public enum Comparison: Sendable, Hashable {
    /// Verdict "correct".
    case equivalent(Evidence)
    /// Verdict "wrong" (includes: printed output holds no value).
    case different(Evidence)
    /// Verdict "unverifiable": the result is a statement, a word, a relation...
    case noExpectedValue(reason: String)
}

/// What was compared, and the rule that decided.
public struct Evidence: Sendable, Hashable {
    /// Canonical rendering of the expected value, e.g. "3/4", "{2, 3}", "2*x + 2".
    public var expected: String
    /// Canonical rendering of the printed value that was compared.
    public var printed: String
    /// The rule that decided, as a short sentence: "exact rational", "rounds to 3.14 (2 decimals)".
    public var rule: String

    public init(expected: String, printed: String, rule: String) {
        self.expected = expected
        self.printed = printed
        self.rule = rule
    }
}
