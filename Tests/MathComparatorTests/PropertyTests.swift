// Seeded random values printed the way Python, sympy and numpy print them: equivalent to their LaTeX, different when perturbed.
import BigInt
import Testing
@testable import MathComparator

@Suite struct PropertyTests {
    let comparator = Comparator()
    static let iterations = 300

    private func expectVerdict(_ result: String, _ printed: String, _ expected: String, _ note: String = "") {
        let outcome = comparator.compare(result: result, expression: "", printed: printed)
        #expect(verdict(outcome) == expected, "\(note) \(result) vs \(printed): \(outcome)")
    }

    @Test func randomRationals() {
        var g = SplitMix64(seed: 1)
        for _ in 0..<Self.iterations {
            let p = Int(g.next() % 2000) - 1000
            let q = Int(g.next() % 999) + 1
            let latex = p < 0 ? "-\\frac{\(-p)}{\(q)}" : "\\frac{\(p)}{\(q)}"
            let reduced = BigRational(p, q)
            let sympy = reduced.description
            let float = (Double(p) / Double(q)).description
            expectVerdict(latex, sympy, "correct", "sympy")
            expectVerdict(latex, "Fraction(\(p), \(q))", "correct", "Fraction")
            expectVerdict(latex, float, "correct", "float")
            expectVerdict(latex, "np.float64(\(float))", "correct", "numpy")
            expectVerdict(latex, BigRational(p + 1, q).description, "wrong", "sympy + 1/q")
            // Off by a millionth; nudged until its shortest repr is long, since a short one would
            // be read as a deliberate rounding (and -1.7316 is indeed -400/231 rounded).
            var perturbed = Double(p) / Double(q) + 1e-6 * max(1, abs(Double(p) / Double(q)))
            while perturbed.description.count < 12 { perturbed = perturbed.nextUp }
            expectVerdict(latex, perturbed.description, "wrong", "float perturbed")
        }
    }

    @Test func randomBigIntegers() {
        var g = SplitMix64(seed: 2)
        for _ in 0..<Self.iterations {
            let length = 20 + Int(g.next() % 60)
            var digits = String(Int(g.next() % 9) + 1)
            for _ in 1..<length { digits += String(Int(g.next() % 10)) }
            let value = BigInt(digits)!
            // LaTeX writes thousands with `{,}`: group from the right.
            var groups: [Substring] = []
            var rest = Substring(digits)
            while rest.count > 3 {
                groups.insert(rest.suffix(3), at: 0)
                rest = rest.dropLast(3)
            }
            groups.insert(rest, at: 0)
            let latex = groups.joined(separator: "{,}")
            expectVerdict(latex, digits, "correct", "plain")
            expectVerdict(digits, "Integer(\(digits))", "correct", "sympy Integer")
            expectVerdict(latex, (value + 1).description, "wrong", "plus one")
            expectVerdict(latex, (value - 1).description, "wrong", "minus one")
            expectVerdict("-" + latex, "-" + digits, "correct", "negative")
            expectVerdict("-" + latex, digits, "wrong", "sign")
        }
    }

    @Test func randomWrittenDecimals() {
        var g = SplitMix64(seed: 3)
        for _ in 0..<Self.iterations {
            let decimals = 1 + Int(g.next() % 4)
            let scale = Double.pow(10, Double(decimals))
            let mantissa = Int(g.next() % 200_000) - 100_000
            let written = Double(mantissa) / scale
            let latex = Precision.fixed(BigRational(mantissa, Int(scale)), decimals: decimals)
            let noise = (g.nextUnit() - 0.5) * 0.8 / scale
            expectVerdict(latex, (written + noise).description, "correct", "within rounding")
            expectVerdict(latex, written.description, "correct", "exact float")
            expectVerdict(latex, (written + 1.5 / scale).description, "wrong", "1.5 units above")
            expectVerdict(latex, (written - 1.5 / scale).description, "wrong", "1.5 units below")
            expectVerdict(latex, (written * 10).description, "wrong", "factor 10")
        }
    }

    @Test func randomScientific() {
        var g = SplitMix64(seed: 4)
        for _ in 0..<Self.iterations {
            let mantissa = 100 + Int(g.next() % 900)
            let exponent = Int(g.next() % 40) - 20
            let latex = "\(mantissa / 100).\(String(format2(mantissa % 100))) \\times 10^{\(exponent)}"
            let value = Double(mantissa) / 100 * Double.pow(10, Double(exponent))
            expectVerdict(latex, value.description, "correct", "same")
            expectVerdict(latex, (value * 1.001).description, "correct", "rounds at 3 digits")
            expectVerdict(latex, (value * 10).description, "wrong", "exponent off")
            expectVerdict(latex, (value * 1.02).description, "wrong", "third digit off")
        }
    }

    private func format2(_ n: Int) -> String {
        n < 10 ? "0\(n)" : "\(n)"
    }

    @Test func randomSets() {
        var g = SplitMix64(seed: 5)
        for _ in 0..<Self.iterations {
            let count = 1 + Int(g.next() % 6)
            var elements: [Int] = []
            while elements.count < count {
                let e = Int(g.next() % 100) - 50
                if !elements.contains(e) { elements.append(e) }
            }
            let latex = "\\{" + elements.map(String.init).joined(separator: ", ") + "\\}"
            let shuffled = elements.shuffled(using: &g)
            expectVerdict(latex, "{" + shuffled.map(String.init).joined(separator: ", ") + "}", "correct", "python set")
            expectVerdict(latex, "[" + shuffled.map(String.init).joined(separator: ", ") + "]", "correct", "solve list")
            expectVerdict(latex, "FiniteSet(" + shuffled.map(String.init).joined(separator: ", ") + ")", "correct", "sympy")
            expectVerdict(latex, "[" + (shuffled.dropLast() + [999]).map(String.init).joined(separator: ", ") + "]", "wrong", "one replaced")
            if count > 1 {
                expectVerdict(latex, "[" + shuffled.dropLast().map(String.init).joined(separator: ", ") + "]", "wrong", "one missing")
            }
        }
    }

    @Test func randomPolynomials() {
        var g = SplitMix64(seed: 6)
        for _ in 0..<100 {
            let a = Int(g.next() % 9) + 1
            let b = Int(g.next() % 19) - 9
            let c = Int(g.next() % 19) - 9
            let latex = "\(a)x^2 \(b < 0 ? "-" : "+") \(abs(b))x \(c < 0 ? "-" : "+") \(abs(c))"
            let python = "\(a)*x**2 + \(b)*x + \(c)"
            expectVerdict(latex, python, "correct", "same polynomial")
            expectVerdict(latex, "\(a)*x**2 + \(b)*x + \(c + 1)", "wrong", "constant off")
            expectVerdict(latex, "\(a)*x**2 + \(-b == b ? b + 1 : -b)*x + \(c)", "wrong", "linear term off")
        }
    }
}
