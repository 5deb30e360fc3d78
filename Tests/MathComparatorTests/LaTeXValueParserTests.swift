// What the LaTeX reader makes of each supported result form, row by row.
import Testing
@testable import MathComparator

@Suite struct LaTeXValueParserTests {
    typealias Row = RenderingRow

    static let rows: [Row] = [
        Row("42", "42"),
        Row("-7", "-7"),
        Row("18446744073709551616", "18446744073709551616"),
        Row("3.14", "3.14"),
        Row("\\frac{3}{4}", "3/4"),
        Row("\\dfrac{3}{4}", "3/4"),
        Row("\\frac12", "1/2"),
        Row("2\\frac{1}{2}", "5/2"),
        Row("-2\\frac{1}{2}", "-5/2"),
        Row("\\sqrt{2}", "sqrt(2)"),
        Row("\\sqrt[3]{27}", "27**(1/3)"),
        Row("\\pi", "pi"),
        Row("2\\pi", "2*pi"),
        Row("e", "E"),
        Row("3 + 4i", "3 + 4*I"),
        Row("2.5 \\times 10^{3}", "2.5e+3"),
        Row("3 \\cdot 10^8", "3e+8"),
        Row("1.2e-5", "0.000012"),
        Row("6.02 \\times 10^{23}", "6.02e+23"),
        Row("1{,}234", "1234"),
        Row("1,234,567", "1234567"),
        Row("1\\,234", "1234"),
        Row("25\\%", "25%"),
        Row("30^\\circ", "30°"),
        Row("30°", "30°"),
        Row("\\$5.00", "5.00"),
        Row("€12.50", "12.50"),
        Row("12 \\text{ cm}^2", "12 cm^2"),
        Row("5 km", "5 km"),
        Row("9.8\\,\\mathrm{m/s^2}", "9.8 m/s^2"),
        Row("1.5 \\times 10^{3}\\,\\mathrm{kg\\,m^{-3}}", "1.5e+3 kg*m^-3"),
        Row("5\\ \\mu\\mathrm{m}", "5 μm"),
        Row("\\SI{4.2}{\\kilo\\joule}", "4.2 kJ"),
        Row("\\num{1.23e4}", "1.23e+4"),
        Row("25\\,^{\\circ}\\mathrm{C}", "25 °C"),
        Row("72^{\\circ}\\textrm{F}", "72 °F"),
        Row("\\text{12 cm}", "12 cm"),
        Row("\\mathrm{12\\ cm}", "12 cm"),
        Row("5m", "5*m"),
        Row("\\sum_{k=1}^{10} k^2", "385"),
        Row("\\prod_{k=1}^{5} k", "120"),
        Row("\\int_0^1 x^2\\,dx", "1/3"),
        Row("\\lim_{x \\to 2} \\frac{x^2-4}{x-2}", "4"),
        Row("128 \\bmod 3", "mod(128, 3)"),
        Row("{5 \\choose 2}", "binomial(5, 2)"),
        Row("\\approx 3", "3"),
        Row("\\boxed{17}", "17"),
        Row("\\left(\\frac{1}{2}\\right)", "1/2"),
        Row("x = 5", "x = 5"),
        Row("\\log_2 8 = 3", "3"),
        Row("x = 2 \\text{ or } x = 3", "2 or 3"),
        Row("x = 2, 3", "2 or 3"),
        Row("x = \\pm 2", "2 or -2"),
        Row("x = 1, y = -2", "x = 1, y = -2"),
        Row("(1, 2)", "(1, 2)"),
        Row("\\{1, 2\\}", "{1, 2}"),
        Row("\\emptyset", "{}"),
        Row("[0, 1)", "[0, 1)"),
        Row("(3, \\infty)", "(3, oo)"),
        Row("x > 3", "x = (3, oo)"),
        Row("-2 < x \\le 3", "x = (-2, 3]"),
        Row("(-\\infty, -2) \\cup (2, \\infty)", "(-oo, -2) U (2, oo)"),
        Row("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "[[1, 2], [3, 4]]"),
        Row("\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}", "[[1], [2]]"),
        Row("\\begin{array}{cc} 1 & 0 \\\\ 0 & 1 \\end{array}", "[[1, 0], [0, 1]]"),
        Row("2x + 2", "2*x + 2"),
        Row("xy^2", "x*y**2"),
        Row("6x\\cos(3x^2)", "6*x*cos(3*x**2)"),
        Row("\\frac{x^3}{3} + C", "x**3/3 + C"),
        Row("e^{x}", "exp(x)"),
        Row("\\ln|x|", "ln(abs(x))"),
        Row("\\sin^2 x", "sin(x)**2"),
        Row("\\sin^{-1} x", "asin(x)"),
        Row("\\log_{10} 1000", "log(1000, 10)"),
        Row("x^2 + y^2 = 25", "x**2 + y**2 = 25"),
        Row("y = 2x + 1", "y = 2*x + 1"),
        Row("f'(x) = 3x^2", "3*x**2"),
        Row("\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1", "1"),
        Row("\\sin(30^\\circ)", "sin(30*pi/180)"),
        Row("Yes", nil),
        Row("\\text{The function is increasing}", nil),
        Row("A \\subseteq B", nil),
        Row("x \\neq 3", nil),
        Row("", nil),
        Row("\\int x\\,dx", nil),
    ]

    @Test(arguments: rows)
    func reads(_ row: Row) {
        let reading = LaTeXValueParser.read(Substring(row.text))
        switch (reading, row.rendering) {
        case (.value(let v), let expected?):
            #expect(v.description == expected, sourceLocation: row.sourceLocation)
        case (.noValue, nil):
            break
        default:
            Issue.record("\(row.text) read as \(reading), expected \(row.rendering ?? "no value")", sourceLocation: row.sourceLocation)
        }
    }

    @Test func expressionRightHandSide() {
        #expect(LaTeXValueParser.readExpression("2 + 3 = 5").value == .scalar(.integer(5)))
        #expect(LaTeXValueParser.readExpression("2 + 3").value?.description == "2 + 3")
        #expect(LaTeXValueParser.readExpression("2x + 3").value == nil)
        #expect(LaTeXValueParser.readExpression("").value == nil)
    }
}
