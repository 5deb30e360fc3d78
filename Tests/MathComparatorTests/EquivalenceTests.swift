// The equivalence rules, one row per rule and near miss, plus the evidence each comparison carries.
import Testing
@testable import MathComparator

@Suite struct EquivalenceTests {
    static let rows: [ComparisonRow] = [
        // Exact: big integers and rationals.
        ComparisonRow("2^{64}", "18446744073709551616", "correct"),
        ComparisonRow("2^{64}", "18446744073709551615", "wrong"),
        ComparisonRow("\\frac{3}{4}", "0.75", "correct"),
        ComparisonRow("\\frac{3}{4}", "0.76", "wrong"),
        // Written precision: rounds or truncates.
        ComparisonRow("3.14", "3.14159", "correct"),
        ComparisonRow("3.14", "3.1449", "correct"),
        ComparisonRow("3.14", "3.146", "correct"),
        ComparisonRow("3.14", "3.135", "correct"),
        ComparisonRow("3.14", "3.15", "wrong"),
        ComparisonRow("3.14", "3.13", "wrong"),
        ComparisonRow("0.34", "0.3333333333333333", "wrong"),
        ComparisonRow("6.02 \\times 10^{22}", "6.02e+23", "wrong"),
        ComparisonRow("\\approx 3", "3.4", "correct"),
        ComparisonRow("\\approx 3", "3.6", "wrong"),
        ComparisonRow("0.000123", "0.0000123", "wrong"),
        ComparisonRow("1.2e-5", "1.24e-05", "correct"),
        // Exact expected against a float.
        ComparisonRow("\\frac{1}{3}", "0.3333333333333333", "correct"),
        ComparisonRow("\\frac{1}{3}", "0.333", "correct"),
        ComparisonRow("\\frac{1}{3}", "0.33", "wrong"),
        ComparisonRow("\\sqrt{2}", "1.4142135623730951", "correct"),
        ComparisonRow("\\sqrt{2}", "1.4142135", "correct"),
        ComparisonRow("\\sqrt{2}", "1.4142137", "wrong"),
        ComparisonRow("\\pi", "3.141592653589793", "correct"),
        ComparisonRow("0", "1.2246467991473532e-16", "correct"),
        ComparisonRow("10^{-20}", "1e-21", "wrong"),
        // Percent and degrees.
        ComparisonRow("25\\%", "25", "correct"),
        ComparisonRow("25\\%", "0.25", "correct"),
        ComparisonRow("25\\%", "25%", "correct"),
        ComparisonRow("25\\%", "0.26", "wrong"),
        ComparisonRow("90^\\circ", "1.5707963267948966", "correct"),
        // Collections.
        ComparisonRow("\\{1, 2, 3\\}", "{3, 1, 2}", "correct"),
        ComparisonRow("\\{1, 2, 3\\}", "{1, 2}", "wrong"),
        ComparisonRow("(1, 2)", "(2, 1)", "wrong"),
        ComparisonRow("x = 2 \\text{ or } x = 3", "[3, 2]", "correct"),
        ComparisonRow("x = 2 \\text{ or } x = 3", "[2]", "wrong"),
        ComparisonRow("x = \\pm 3", "[-3, 3]", "correct"),
        ComparisonRow("(3, \\infty)", "Interval.open(3, oo)", "correct"),
        ComparisonRow("[3, \\infty)", "Interval.open(3, oo)", "wrong"),
        ComparisonRow("x > 3", "Interval.open(3, oo)", "correct"),
        ComparisonRow("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "[[1 2]\n [3 4]]", "correct"),
        ComparisonRow("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "[[1 3]\n [2 4]]", "wrong"),
        ComparisonRow("x = 1, y = 2", "{x: 1, y: 2}", "correct"),
        ComparisonRow("x = 1, y = 2", "{x: 2, y: 1}", "wrong"),
        // Equations.
        ComparisonRow("x^2 + y^2 = 25", "Eq(x**2 + y**2, 25)", "correct"),
        ComparisonRow("x^2 + y^2 = 25", "Eq(x**2 + y**2, 26)", "wrong"),
        ComparisonRow("x = 5", "Eq(x, 5)", "correct"),
        // Symbolic.
        ComparisonRow("(x+1)^2", "x**2 + 2*x + 1", "correct"),
        ComparisonRow("(x+1)^2", "x**2 + 2*x", "wrong"),
        ComparisonRow("\\frac{x^3}{3} + C", "x**3/3", "correct"),
        ComparisonRow("\\sqrt{x - 5}", "sqrt(x - 5)", "correct"),
        ComparisonRow("\\ln(x - 9)", "log(x - 9)", "correct"),
        ComparisonRow("2t", "2*x", "correct"),
        ComparisonRow("2x + y", "2*x + t", "wrong"),
        // No value on either side.
        ComparisonRow("Yes", "True", "unverifiable"),
        ComparisonRow("3", "Hello", "wrong"),
        ComparisonRow("", "5", "correct", expression: "2 + 3 = 5"),
        ComparisonRow("", "6", "wrong", expression: "2 + 3 = 5"),
    ]

    @Test(arguments: rows)
    func verdicts(_ row: ComparisonRow) {
        row.check()
    }

    @Test func evidenceNamesTheRule() {
        let comparator = Comparator()
        #expect(comparator.compare(result: "3.14", expression: "", printed: "3.14159")
            == .equivalent(Evidence(expected: "3.14", printed: "3.14159", rule: "rounds to 3.14 (2 decimals)")))
        #expect(comparator.compare(result: "\\frac{3}{4}", expression: "", printed: "3/4")
            == .equivalent(Evidence(expected: "3/4", printed: "3/4", rule: "exact rational")))
        #expect(comparator.compare(result: "5", expression: "", printed: "Done")
            == .different(Evidence(expected: "5", printed: "Done", rule: "printed output holds no value")))
        guard case .equivalent(let symbolic) = comparator.compare(result: "2x + 2", expression: "", printed: "2*(x + 1)") else {
            Issue.record("symbolic comparison failed")
            return
        }
        #expect(symbolic.rule == "symbolic: equal at 8 random points")
        #expect(symbolic.expected == "2*x + 2")
        guard case .noExpectedValue(let reason) = comparator.compare(result: "A \\subseteq B", expression: "", printed: "True") else {
            Issue.record("a relation must hold no value")
            return
        }
        #expect(reason.contains("subseteq"))
    }

    @Test func agreementRoundsAndTruncates() {
        let reference = BigRational(314, 100)
        #expect(Agreement.agrees(reference: reference, candidate: BigRational(31449, 10000), decimals: 2) == .rounds)
        #expect(Agreement.agrees(reference: reference, candidate: BigRational(3146, 1000), decimals: 2) == .truncates)
        #expect(Agreement.agrees(reference: reference, candidate: BigRational(315, 100), decimals: 2) == nil)
        #expect(Agreement.agrees(reference: reference, candidate: BigRational(3146, 1000), decimals: 2, truncation: false) == nil)
        #expect(Agreement.agrees(reference: -3.14, candidate: -3.1459, decimals: 2) == .truncates)
        #expect(Agreement.agrees(reference: -3.14, candidate: -3.13, decimals: 2) == nil)
    }

    @Test func comparatorIsSendableAcrossTasks() async {
        let comparator = Comparator()
        let verdicts = await withTaskGroup(of: String.self) { group in
            for k in 0..<8 {
                group.addTask { verdict(comparator.compare(result: "\\frac{\(k)}{7}", expression: "", printed: "\(Double(k) / 7)")) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(verdicts == Array(repeating: "correct", count: 8))
    }
}
