// Compares expressions in variables by evaluating both at seeded pseudo-random points.
import ComplexModule

/// Identity testing by evaluation: two different expressions agree at eight random points only by
/// an accident of measure zero, and the points are seeded so that every run gives the same verdict.
///
/// Points are real in [0.35, 2.85), away from the integers where denominators and logarithms
/// tend to vanish; where either side is undefined there (a logarithm or root of a negative), the
/// point moves off the real line to a complex one, and both sides are compared there. Four more
/// points in (-2.85, -0.35] follow when either side has a kink or a branch cut, where `|x|` differs
/// from `x`; they count only where both sides are real.
/// Tolerance: 1e-8 relative (to the larger magnitude, at least 1); when the expected expression
/// holds written decimals, the relative half-unit of its least precise literal (at most 0.1).
enum Symbolic {
    static let pointCount = 8
    /// Points with negative coordinates, checked after the positive ones.
    static let negativePointCount = 4

    static func compare(_ expected: Expr, _ printed: Expr) -> Judgement {
        let x = withoutIntegrationConstant(expected)
        let y0 = withoutIntegrationConstant(printed)
        let vx = x.variables
        let vy = y0.variables
        var y = y0
        var note = ""
        if Set(vx) != Set(vy) {
            // One free variable on each side: the name is a notation choice (x or t), the function is the same.
            // A side without variables is a constant function: `\sin^2 x + \cos^2 x` is 1.
            if vx.count == 1, vy.count == 1 {
                y = substitute(y0, vy[0], with: .variable(vx[0]))
                note = " (\(vy[0]) read as \(vx[0]))"
            } else if !vx.isEmpty && !vy.isEmpty {
                return Judgement(equal: false, rule: "variables differ: \(vx.joined(separator: ", ")) against \(vy.joined(separator: ", "))")
            }
        }
        let tolerance = toleranceFor(expected)
        var generator = SplitMix64(seed: 0x5EED_CAFE)
        var agreed = 0
        for _ in 0..<pointCount {
            guard let (a, b, point) = evaluatePair(x, y, variables: vx.isEmpty ? vy : vx, generator: &generator) else { continue }
            let scale = max(1, a.length, b.length)
            if (a - b).length > tolerance * scale {
                return Judgement(equal: false, rule: "symbolic: differs at \(describe(point))\(note)")
            }
            agreed += 1
        }
        guard agreed >= 3 else { return Judgement(equal: false, rule: "symbolic: undefined at the sample points") }
        let variables = vx.isEmpty ? vy : vx
        let negativePoints = branchesOrKinks(x) || branchesOrKinks(y) ? negativePointCount : 0
        for k in 0..<negativePoints {
            // Negative values, where `|x|` and `x` part: compared only where both sides are real there,
            // so that `\ln|x|` against `log(x)` (complex for x < 0) is judged at the positive points alone.
            let env: Bindings = variables.enumerated().map { i, name in
                let magnitude = 0.35 + 2.5 * generator.nextUnit()
                return (name, ComplexValue(k < 2 || (i + k) % 2 == 0 ? -magnitude : magnitude))
            }
            let a = Evaluation.numeric(x, env)
            let b = Evaluation.numeric(y, env)
            let scale = max(1, a.length, b.length)
            guard a.isFinite, b.isFinite, abs(a.imaginary) <= 1e-12 * scale, abs(b.imaginary) <= 1e-12 * scale else { continue }
            if (a - b).length > tolerance * scale {
                return Judgement(equal: false, rule: "symbolic: differs at \(describe(env))\(note)")
            }
        }
        return Judgement(equal: true, rule: "symbolic: equal at \(agreed) random points\(note)")
    }

    /// Whether `a` is a nonzero constant multiple of `b`: the same equation written `l = r` or `l - r`.
    /// With `positive`, the multiple must be a positive real: `y - x > 0` and `2y - 2x > 0` are one
    /// inequality, `x - y > 0` is its reverse.
    static func proportional(_ a: Expr, _ b: Expr, positive: Bool = false) -> Judgement {
        let variables = a.variables
        guard Set(variables) == Set(b.variables), !variables.isEmpty else {
            return Judgement(equal: false, rule: "equations in different variables")
        }
        var generator = SplitMix64(seed: 0x5EED_CAFE)
        var ratio: ComplexValue?
        var agreed = 0
        for _ in 0..<pointCount {
            guard let (va, vb, point) = evaluatePair(a, b, variables: variables, generator: &generator) else { continue }
            if va.length < 1e-12 && vb.length < 1e-12 { continue }
            let r = va / vb
            guard r.isFinite, r.length > 1e-12 else { return Judgement(equal: false, rule: "equations differ at \(describe(point))") }
            if let ratio, (r - ratio).length > 1e-8 * max(1, ratio.length) {
                return Judgement(equal: false, rule: "equations differ at \(describe(point))")
            }
            if positive, r.real <= 0 || abs(r.imaginary) > 1e-8 * r.length {
                return Judgement(equal: false, rule: "inequality reversed or different at \(describe(point))")
            }
            ratio = ratio ?? r
            agreed += 1
        }
        guard agreed >= 3 else { return Judgement(equal: false, rule: "\(positive ? "inequalities" : "equations") undefined at the sample points") }
        if positive { return Judgement(equal: true, rule: "same inequality: sides a positive multiple at \(agreed) random points") }
        return Judgement(equal: true, rule: "same equation: sides proportional at \(agreed) random points")
    }

    private static func evaluatePair(_ x: Expr, _ y: Expr, variables: [String], generator: inout SplitMix64) -> (ComplexValue, ComplexValue, Bindings)? {
        var env: Bindings = variables.map { ($0, ComplexValue(0.35 + 2.5 * generator.nextUnit())) }
        var a = Evaluation.numeric(x, env)
        var b = Evaluation.numeric(y, env)
        if !a.isFinite || !b.isFinite {
            env = variables.map { ($0, ComplexValue(0.3 + 2 * generator.nextUnit(), 0.3 + generator.nextUnit())) }
            a = Evaluation.numeric(x, env)
            b = Evaluation.numeric(y, env)
            guard a.isFinite, b.isFinite else { return nil }
        }
        return (a, b, env)
    }

    /// `x = 1.006, y = 2.071`: where two sides differed, for the evidence.
    private static func describe(_ point: Bindings) -> String {
        func format(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }
        return point.map { binding in
            let z = binding.value
            return "\(binding.name) = " + (z.imaginary == 0 ? format(z.real) : "\(format(z.real))+\(format(z.imaginary))i")
        }.joined(separator: ", ")
    }

    /// Whether `e` may part from another expression only at negative values: it holds a function
    /// with a kink or a branch cut there (`|x|`, `\sqrt{x^2}`, `\ln`, `x^{1/3}`). Expressions built
    /// from the others (polynomials, exp, trigonometry) are analytic: equal at the positive points,
    /// they are equal everywhere, and the negative points would cost time for nothing.
    private static func branchesOrKinks(_ e: Expr) -> Bool {
        switch e {
        case .number, .constant, .variable:
            return false
        case .sum(let items), .product(let items):
            return items.contains(where: branchesOrKinks)
        case .power(let base, let exponent):
            if case .number(let n) = exponent, n.value.isInteger { return branchesOrKinks(base) }
            return true
        case .call(let f, let args):
            switch f {
            case .abs, .floor, .ceiling, .mod, .sqrt, .ln, .log, .asin, .acos, .acot, .factorial, .binomial, .gamma:
                return true
            default:
                return args.contains(where: branchesOrKinks)
            }
        }
    }

    /// Drops a `+ C` term: an antiderivative is right with or without its constant.
    private static func withoutIntegrationConstant(_ e: Expr) -> Expr {
        guard case .sum(let terms) = e else { return e }
        let kept = terms.filter { $0 != .variable("C") && $0 != .variable("C_1") && $0 != .variable("c") }
        if kept.count == terms.count || kept.isEmpty { return e }
        return kept.count == 1 ? kept[0] : .sum(kept)
    }

    /// `e` with every occurrence of the variable `name` replaced.
    static func substitute(_ e: Expr, _ name: String, with value: Expr) -> Expr {
        switch e {
        case .variable(let v): return v == name ? value : e
        case .number, .constant: return e
        case .sum(let terms): return .sum(terms.map { substitute($0, name, with: value) })
        case .product(let factors): return .product(factors.map { substitute($0, name, with: value) })
        case .power(let b, let x): return .power(substitute(b, name, with: value), substitute(x, name, with: value))
        case .call(let f, let args): return .call(f, args.map { substitute($0, name, with: value) })
        }
    }

    private static func toleranceFor(_ e: Expr) -> Double {
        min(0.1, max(1e-8, writtenUncertainty(e)))
    }

    /// The largest relative half-unit of a written decimal in `e` (0.05/0.33 for `0.33x`), 0 if none.
    private static func writtenUncertainty(_ e: Expr) -> Double {
        switch e {
        case .number(let n):
            guard let p = n.precision, !n.value.isZero else { return 0 }
            return 0.5 * Agreement.pow10(-p.decimals) / abs(n.value.doubleValue)
        case .constant, .variable: return 0
        case .sum(let items), .product(let items), .call(_, let items): return items.map(writtenUncertainty).max() ?? 0
        case .power(let b, let x): return max(writtenUncertainty(b), writtenUncertainty(x))
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
