// TEMPORARY stand-in for MathComparator's API (branch `comparator`), removed when that branch is merged.
//
// It has the exact public shape the comparator branch promises (Comparator, Comparison, Evidence)
// and compares only the last plain number or fraction on each side, so that the verifier builds
// and its tests run before the real comparator lands.

public struct Evidence: Sendable, Hashable {
    public var expected: String
    public var printed: String
    public var rule: String

    public init(expected: String, printed: String, rule: String) {
        self.expected = expected
        self.printed = printed
        self.rule = rule
    }
}

public enum Comparison: Sendable, Hashable {
    case equivalent(Evidence)
    case different(Evidence)
    case noExpectedValue(reason: String)
}

public struct Comparator: Sendable {
    public init() {}

    public func compare(result: String, expression: String, printed: String) -> Comparison {
        let source = result.contains(where: \.isNumber) ? result : (LaTeXRelation.rightHandSide(of: expression) ?? "")
        guard let expected = Self.lastNumber(in: source) else {
            return .noExpectedValue(reason: "the result holds no number")
        }
        guard let value = Self.lastNumber(in: printed) else {
            return .different(Evidence(expected: "\(expected)", printed: printed, rule: "printed no number"))
        }
        let evidence = Evidence(expected: "\(expected)", printed: "\(value)", rule: "numeric")
        return abs(expected - value) <= 1e-9 * max(1, abs(expected)) ? .equivalent(evidence) : .different(evidence)
    }

    /// The last number in the text; `\frac{a}{b}` and `a/b` read as fractions.
    static func lastNumber(in text: String) -> Double? {
        var numbers: [Double] = []
        var current = ""
        var divide = false
        func flush() {
            guard let value = Double(current) else { current = ""; return }
            if divide, let numerator = numbers.popLast() { numbers.append(numerator / value) } else { numbers.append(value) }
            current = ""
            divide = false
        }
        for character in text {
            if character.isNumber || character == "." || (character == "-" && current.isEmpty) {
                current.append(character)
            } else {
                let hadNumber = !current.isEmpty && current != "-"
                flush()
                if character == "/" || (character == "}" && hadNumber && text.contains("\\frac")) {
                    divide = hadNumber
                } else if character != "{" {
                    divide = false
                }
            }
        }
        flush()
        return numbers.last
    }
}
