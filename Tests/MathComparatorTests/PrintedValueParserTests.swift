// What the printed-output reader makes of Python, sympy, numpy and sentence forms, row by row.
import Testing
@testable import MathComparator

@Suite struct PrintedValueParserTests {
    typealias Row = RenderingRow

    static let lineRows: [Row] = [
        Row("42", "42"),
        Row("-3.5", "-3.5"),
        Row("1e-05", "0.00001"),
        Row("6.02e+23", "6.02e+23"),
        Row("0.500000000000000", "0.500000000000000"),
        Row("inf", "oo"),
        Row("-oo", "-oo"),
        Row("(1+2j)", "1 + 2*I"),
        Row("1 + 2*I", "1 + 2*I"),
        Row("3/4", "3/4"),
        Row("Fraction(1, 6)", "1/6"),
        Row("Rational(1, 3)", "1/3"),
        Row("Decimal('0.1')", "0.1"),
        Row("np.float64(0.5)", "0.5"),
        Row("sqrt(3)/2", "sqrt(3)/2"),
        Row("2*x + 2", "2*x + 2"),
        Row("x**2", "x**2"),
        Row("[-2, 2]", "[-2, 2]"),
        Row("(1, 2)", "(1, 2)"),
        Row("(3,)", "(3)"),
        Row("{1, 2}", "{1, 2}"),
        Row("{x: 1, y: -2}", "x = 1, y = -2"),
        Row("[{x: 1}]", "[x = 1]"),
        Row("Matrix([[1, 2], [3, 4]])", "[[1, 2], [3, 4]]"),
        Row("Matrix([[1], [2]])", "[[1], [2]]"),
        Row("[1 2 3]", "[1, 2, 3]"),
        Row("[1.  2.5]", "[1, 2.5]"),
        Row("[ 1 -2]", "[1, -2]"),
        Row("array([1, 2])", "[1, 2]"),
        Row("Interval(0, 1)", "[0, 1]"),
        Row("Interval.open(3, oo)", "(3, oo)"),
        Row("Interval.Lopen(0, 1)", "(0, 1]"),
        Row("FiniteSet(1, 2)", "{1, 2}"),
        Row("EmptySet", "{}"),
        Row("set()", "{}"),
        Row("Eq(x, 2)", "x = 2"),
        Row("log(2)", "log(2)"),
        Row("exp(1)", "exp(1)"),
        Row("zoo", "oo"),
        Row("\\frac{3}{4}", "3/4"),
        Row("$x \\in (3, \\infty)$", "x = (3, oo)"),
        Row("x > 3", "x = (3, oo)"),
        Row("The area is 12.5", "12.5"),
        Row("c = 5.0", "c = 5.0"),
        Row("Distance: 15 km", "15 km"),
        Row("1600 kg/m^3", "1600 kg/m^3"),
        Row("9.8 m/s**2", "9.8 m/s^2"),
        Row("25°C", "25 °C"),
        Row("1.5 x 10^3", "1.5e+3"),
        Row("Sum(k**2, (k, 1, 10))", "385"),
        Row("Mod(128, 3)", "mod(128, 3)"),
        Row("Result: 1,234", "1234"),
        Row("There are 7 apples.", "7"),
        Row("Done", nil),
        Row("True", nil),
        Row("nan", nil),
    ]

    @Test(arguments: lineRows)
    func readsLine(_ row: Row) {
        let value = PrintedValueParser.readLine(Substring(row.text))
        #expect(value?.description == row.rendering, "\(row.text)", sourceLocation: row.sourceLocation)
    }

    static let outputRows: [Row] = [
        Row("[[ 7 10]\n [15 22]]", "[[7, 10], [15, 22]]"),
        Row("[[-2.   1. ]\n [ 1.5 -0.5]]", "[[-2, 1], [1.5, -0.5]]"),
        Row("array([[1, 2],\n       [3, 4]])", "[[1, 2], [3, 4]]"),
    ]

    /// Whole outputs that span lines, read against a matrix expected value.
    @Test(arguments: outputRows)
    func readsMultiLineOutput(_ row: Row) {
        let expected = MathValue.matrix([[.integer(0), .integer(0)], [.integer(0), .integer(0)]])
        let values = PrintedValueParser.candidates(row.text, expected: expected).compactMap { $0() }
        #expect(values.first?.description == row.rendering, sourceLocation: row.sourceLocation)
    }

    @Test func lastLineIsTheAnswerForAScalar() {
        let values = PrintedValueParser.candidates("Step 1: 3\nStep 2: 5\nFinal answer: 7", expected: .scalar(.integer(7))).compactMap { $0() }
        #expect(values.first == .scalar(.integer(7)))
    }

    @Test func emptyOutputHasNoCandidates() {
        #expect(PrintedValueParser.candidates("  \n \n", expected: .scalar(.integer(1))).isEmpty)
    }
}
