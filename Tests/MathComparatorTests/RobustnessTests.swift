// Hostile inputs: every one returns, without crashing, with a verdict, inside the suite's time limit.
import Foundation
import Testing
@testable import MathComparator

@Suite(.timeLimit(.minutes(1)))
struct RobustnessTests {
    let comparator = Comparator()

    /// Compares. A hang or a blow-up past linear time meets the suite's time limit; how fast a
    /// call is belongs to comparator-benchmark, not to a test a loaded machine could fail.
    @discardableResult
    private func answered(_ result: String, _ printed: String) -> Comparison {
        comparator.compare(result: result, expression: result, printed: printed)
    }

    @Test func deepNesting() {
        for depth in [150, 250, 4_000, 60_000] {
            let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
            let braces = String(repeating: "\\frac{1}{", count: depth) + "2" + String(repeating: "}", count: depth)
            let brackets = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            answered(parens, parens)
            answered(braces, "0.5")
            answered("1", brackets)
            answered(String(repeating: "-", count: depth) + "1", String(repeating: "-", count: depth) + "1")
            answered(String(repeating: "\\sqrt{", count: depth) + "2" + String(repeating: "}", count: depth), "1.0")
        }
        // Within the depth cap the value is still read.
        #expect(verdict(answered(String(repeating: "(", count: 50) + "7" + String(repeating: ")", count: 50), "7")) == "correct")
        // Past it, the reason names the cap.
        let deep = String(repeating: "(", count: 300) + "7" + String(repeating: ")", count: 300)
        guard case .noExpectedValue(let reason) = answered(deep, "7") else {
            Issue.record("nesting past the cap must be refused")
            return
        }
        #expect(reason.contains("nesting"))
    }

    @Test func hugeExponents() {
        #expect(verdict(answered("10^{10^{10}}", "1")) == "wrong")
        answered("2^{2^{2^{2^{2^{2}}}}}", "2")
        answered("9^{9^{9^{9}}}", "inf")
        answered("(10^{100000})!", "1")
        answered("1", "10**10**10")
        answered("1e999999", "1e999999")
        answered("\\binom{10^{9}}{10^{8}}", "1")
        answered("2^{33000}", "1")
        #expect(verdict(answered("2^{100}", "1267650600228229401496703205376")) == "correct")
        answered(String(repeating: "9", count: 9_999), String(repeating: "9", count: 9_999))
        answered("x^{10^{10}}", "x**10000000000")
        answered("\\frac{1}{3}", "0." + String(repeating: "3", count: 9_000))
    }

    /// Found by fuzz-latex: 0^0 reached a reciprocal of zero and stopped the process.
    @Test func zeroToTheZero() {
        #expect(verdict(answered("0^{0}", "1")) == "correct")
        answered("0^0 \\== 0-2", "1")
        answered("x^{0}", "1")
        answered("0^{-2}", "1")
    }

    @Test func garbage() {
        var g = SplitMix64(seed: 99)
        let printable = Array(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\n".utf8)
        for _ in 0..<5 {
            let text = String(decoding: (0..<100_000).map { _ in printable[Int(g.next() % UInt64(printable.count))] }, as: UTF8.self)
            answered(text, text)
            answered("5", text)
            answered(String(text.prefix(9_000)), "5")
        }
    }

    @Test func randomBytes() {
        var g = SplitMix64(seed: 7)
        for length in [1, 10, 100, 1_000, 10_000, 100_000] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            answered(text, text)
            answered("\\frac{1}{2}", text)
        }
    }

    @Test func hugePrintedOutput() {
        let lines = String(repeating: "1\n", count: 500_000) + "42\n"
        #expect(verdict(answered("42", lines)) == "correct")
        let oneLine = "[" + Array(repeating: "1", count: 200_000).joined(separator: ", ") + "]"
        answered("\\{1\\}", oneLine)
    }

    @Test func longCollections() {
        let expected = "\\{" + (1...1500).map(String.init).joined(separator: ", ") + "\\}"
        let printed = "[" + (1...1500).reversed().map(String.init).joined(separator: ", ") + "]"
        #expect(verdict(answered(expected, printed)) == "correct")
        let fractions = "[" + (1...500).map { "\($0)/7" }.joined(separator: ", ") + "]"
        #expect(verdict(answered("\\{" + (1...500).reversed().map { "\\frac{\($0)}{7}" }.joined(separator: ", ") + "\\}", fractions)) == "correct")
    }

    /// Sums, products, derivatives and units past their caps are refused with a reason, not computed.
    @Test func operatorsAndUnitsStayBounded() {
        let refused = [
            "\\sum_{k=1}^{100000} k", "\\prod_{k=1}^{5000} k!", "\\sum_{k=1}^{3000} k!",
            "\\sum_{i=1}^{2000} \\sum_{j=1}^{2000} i j", "\\sum_{k=-9223372036854775808}^{9223372036854775807} k",
        ]
        for text in refused {
            guard case .noExpectedValue(let reason) = comparator.compare(result: text, expression: "", printed: "1") else {
                Issue.record("\(text) must be refused")
                continue
            }
            #expect(reason.contains("refused"), "\(text): \(reason)")
        }
        let product = (0..<600).map { _ in "x" }.joined(separator: " \\cdot ")
        #expect(verdict(comparator.compare(result: "\\frac{d}{dx}(" + product + ")", expression: "", printed: "1")) == "unverifiable")
        let manyUnits = "5\\,\\mathrm{" + String(repeating: "m^{9}\\,", count: 400) + "}"
        _ = comparator.compare(result: manyUnits, expression: "", printed: "5 m")
        _ = comparator.compare(result: "5", expression: "", printed: "5 " + String(repeating: "km*", count: 3_000) + "s")
        #expect(verdict(comparator.compare(result: "\\prod_{k=1}^{100} k", expression: "", printed: "93326215443944152681699238856266700490715968264381621468592963895217599993229915608941463976156518286253697920827223758251185210916864000000000000000000000000")) == "correct")
    }

    /// Hundreds of sympy conditions joined by `|` or `&` are read as one set (no timing: the suite's limit catches a hang).
    @Test func longConditions() {
        let points = (0..<700).map { "Eq(x, \($0))" }.joined(separator: " | ")
        let expected = "\\{" + (0..<700).reversed().map(String.init).joined(separator: ", ") + "\\}"
        #expect(verdict(comparator.compare(result: expected, expression: "", printed: points)) == "correct")
        let excluded = (0..<700).map { "Ne(x, \($0))" }.joined(separator: " & ")
        #expect(verdict(comparator.compare(result: "(-\\infty, 0)", expression: "", printed: excluded)) == "wrong")
        let pieces = (0..<300).map { "((\($0) < x) & (x < \($0).5))" }.joined(separator: " | ")
        #expect(verdict(comparator.compare(result: "(0, 0.5)", expression: "", printed: pieces)) == "wrong")
    }

    /// Text groups that lose their braces (`\text{1 cm}`), hundreds in a row or nested, stay linear enough.
    @Test func manyUnitGroups() {
        let sequential = (0..<650).map { _ in "\\text{1 cm}" }.joined(separator: " + ")
        answered(sequential, "6.5 m")
        let nested = String(repeating: "\\text{1 ", count: 150) + "cm" + String(repeating: "}", count: 150)
        answered(nested, "1")
        #expect(verdict(answered("\\text{\\text{\\text{12 cm}}}", "0.12 m")) == "correct")
    }

    @Test func pathologicalSymbolic() {
        let long = (0..<400).map { "x^{\($0)}" }.joined(separator: " + ")
        answered(long, "x")
        answered("\\sin(\\sin(\\sin(\\sin(\\sin(x)))))", "sin(sin(sin(sin(sin(x)))))")
        answered("\\frac{1}{x - x}", "zoo")
        answered("\\log_{1} 5", "1")
        answered("0^{-1}", "zoo")
        answered("\\sqrt[0]{2}", "1")
        answered("5!", "120")
        answered("(-3)!", "1")
        answered("3.5!", "11.63")
    }
}
