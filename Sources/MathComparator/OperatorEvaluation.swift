// Evaluates unevaluated operators written as results: finite sums and products, definite integrals of
// polynomials, derivatives and limits of simple forms; exactly, within fixed bounds.
import BigInt

enum Operators {
    /// Terms of one sum or product; `\sum_{k=1}^{10^9}` is refused rather than run.
    static let maxSeriesTerms = 10_000
    /// Nodes a sum may build in all (terms times the size of the summand), and a derivative may start from.
    static let maxNodes = 100_000
    /// Size of one exactly evaluated term of a sum or product (about 1,200 digits).
    static let maxTermBits = 4_096
    /// Degree of a polynomial integrated or taken to a limit.
    static let maxDegree = 200

    enum Series {
        case sum, product
    }

    // MARK: Sums and products

    /// `\sum_{k=a}^{b} body`: each term with the index replaced; exact terms are added up as they come.
    static func series(_ kind: Series, _ body: Expr, index: String, from lower: Expr, to upper: Expr) throws(ParseFailure) -> Expr {
        guard let a = Evaluation.exact(lower), let b = Evaluation.exact(upper), a.isInteger, b.isInteger else { throw .unreadable }
        let identity: BigRational = kind == .sum ? .zero : .one
        if b < a { return .number(.exact(identity)) }
        guard let count = (b - a + .one).intValue, count <= maxSeriesTerms, count * nodeCount(body) <= maxNodes,
              let first = a.intValue, let last = b.intValue else {
            throw .tooLarge("a \(kind == .sum ? "sum" : "product") of more than \(maxSeriesTerms) terms")
        }
        // A written decimal keeps its precision only when the terms stay apart.
        let foldable = !hasWrittenDecimal(body)
        var folded = identity
        var rest: [Expr] = []
        for k in first...last {
            let term = substitute(body, index, with: .integer(k))
            if foldable, let v = Evaluation.exact(term) {
                // One huge term (`k!` for large k) stops the sum before the next, larger one is computed.
                guard v.numerator.bitWidth + v.denominator.bitWidth <= maxTermBits else {
                    throw .tooLarge("a term past \(maxTermBits) bits")
                }
                folded = kind == .sum ? folded + v : folded * v
                guard folded.isWithinLimits else { throw .tooLarge("a product past \(Limits.maxBits) bits") }
            } else {
                rest.append(term)
            }
        }
        if rest.isEmpty { return .number(.exact(folded)) }
        let terms = folded == identity ? rest : [.number(.exact(folded))] + rest
        if terms.count == 1 { return terms[0] }
        return kind == .sum ? .sum(terms) : .product(terms)
    }

    /// `e` with the variable `name` replaced; LaTeX reads a lone `i` or `e` as a constant, so an index
    /// named so replaces that constant.
    static func substitute(_ e: Expr, _ name: String, with value: Expr) -> Expr {
        switch e {
        case .variable(let v): return v == name ? value : e
        case .constant(.i) where name == "i", .constant(.e) where name == "e": return value
        case .number, .constant: return e
        case .sum(let terms): return .sum(terms.map { substitute($0, name, with: value) })
        case .product(let factors): return .product(factors.map { substitute($0, name, with: value) })
        case .power(let b, let x): return .power(substitute(b, name, with: value), substitute(x, name, with: value))
        case .call(let f, let args): return .call(f, args.map { substitute($0, name, with: value) })
        }
    }

    static func nodeCount(_ e: Expr) -> Int {
        switch e {
        case .number, .constant, .variable: return 1
        case .sum(let items), .product(let items), .call(_, let items): return items.reduce(1) { $0 + nodeCount($1) }
        case .power(let b, let x): return 1 + nodeCount(b) + nodeCount(x)
        }
    }

    private static func hasWrittenDecimal(_ e: Expr) -> Bool {
        switch e {
        case .number(let n): return n.precision != nil
        case .constant, .variable: return false
        case .sum(let items), .product(let items), .call(_, let items): return items.contains(where: hasWrittenDecimal)
        case .power(let b, let x): return hasWrittenDecimal(b) || hasWrittenDecimal(x)
        }
    }

    // MARK: Integrals

    /// `\int_a^b p(x)\,dx` for a polynomial p with rational coefficients and rational bounds: exact.
    static func definiteIntegral(_ body: Expr, variable: String, from lower: Expr, to upper: Expr) throws(ParseFailure) -> Expr {
        guard let p = Polynomial(body, in: variable), let a = Evaluation.exact(lower), let b = Evaluation.exact(upper) else {
            throw .unreadable
        }
        guard let total = p.integral(from: a, to: b) else { throw .tooLarge("an integral past \(Limits.maxBits) bits") }
        return .number(.exact(total))
    }

    // MARK: Limits

    /// `\lim_{x \to a} p(x)/q(x)` for polynomials: the value where q(a) is not 0, the ratio of leading
    /// coefficients at infinity; anything else (0/0, a pole, other functions) is left unread.
    static func limit(_ body: Expr, variable: String, to point: Expr) throws(ParseFailure) -> Expr {
        guard let (p, q) = Polynomial.ratio(body, in: variable) else { throw .unreadable }
        if let side = Evaluation.infinitySign(point) {
            if p.degree < q.degree { return .integer(0) }
            guard p.degree == q.degree, let ratio = p.leading.divided(by: q.leading) else {
                let negative = (p.leading.isNegative != q.leading.isNegative) != (side < 0 && (p.degree - q.degree) % 2 != 0)
                return negative ? .negated(.constant(.infinity)) : .constant(.infinity)
            }
            return .number(.exact(ratio))
        }
        guard let a = Evaluation.exact(point) else { throw .unreadable }
        var (num, den) = (p, q)
        // 0/0: the common factor (x - a) cancels, as many times as it divides both.
        while let n = num.value(at: a), let m = den.value(at: a), n.isZero, m.isZero, den.degree > 0 {
            num = num.dividedByRoot(a)
            den = den.dividedByRoot(a)
        }
        guard let n = num.value(at: a), let m = den.value(at: a), let value = n.divided(by: m) else { throw .unreadable }
        return .number(.exact(value))
    }

    // MARK: Derivatives

    /// `\frac{d}{dx} f`: symbolic, by the sum, product, power and chain rules; unread where a function
    /// has no derivative rule here (floor, factorial…).
    static func derivative(_ e: Expr, _ x: String) throws(ParseFailure) -> Expr {
        guard nodeCount(e) <= 500 else { throw .tooLarge("a derivative of more than 500 nodes") }
        return try d(e, x) ?? .integer(0)
    }

    /// The derivative, or nil where it is identically zero (so that products stay small).
    private static func d(_ e: Expr, _ x: String) throws(ParseFailure) -> Expr? {
        switch e {
        case .number, .constant: return nil
        case .variable(let v): return v == x ? .integer(1) : nil
        case .sum(let terms):
            var parts: [Expr] = []
            for t in terms { if let dt = try d(t, x) { parts.append(dt) } }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .sum(parts)
        case .product(let factors):
            var parts: [Expr] = []
            for (k, f) in factors.enumerated() {
                guard let df = try d(f, x) else { continue }
                var others = factors
                others[k] = df
                parts.append(.product(others))
            }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .sum(parts)
        case .power(let base, let exponent):
            let db = try d(base, x)
            let dx = try d(exponent, x)
            if db == nil && dx == nil { return nil }
            if dx == nil, let db {
                var lowered = Expr.sum([exponent, .minusOne])
                if case .number(let n) = exponent, n.precision == nil { lowered = .number(.exact(n.value - .one)) }
                let outer = Expr.product([exponent, .power(base, lowered)])
                return db == .integer(1) ? outer : .product([outer, db])
            }
            // b^x (x' ln b + x b'/b)
            var inner: [Expr] = []
            if let dx { inner.append(.product([dx, .call(.ln, [base])])) }
            if let db { inner.append(.product([exponent, db, .power(base, .minusOne)])) }
            return .product([e, inner.count == 1 ? inner[0] : .sum(inner)])
        case .call(let f, let args):
            guard let u = args.first else { return nil }
            if args.count == 2, try d(args[1], x) != nil { throw .unreadable }
            guard let du = try d(u, x) else { return nil }
            guard let outer = outerDerivative(f, u, args) else { throw .unreadable }
            return du == .integer(1) ? outer : .product([outer, du])
        }
    }

    /// f'(u) for the functions with a rule.
    private static func outerDerivative(_ f: Function, _ u: Expr, _ args: [Expr]) -> Expr? {
        let one = Expr.integer(1)
        func reciprocal(_ e: Expr) -> Expr { .power(e, .minusOne) }
        func squared(_ e: Expr) -> Expr { .power(e, .integer(2)) }
        switch f {
        case .sin: return .call(.cos, [u])
        case .cos: return .negated(.call(.sin, [u]))
        case .tan: return reciprocal(squared(.call(.cos, [u])))
        case .cot: return .negated(reciprocal(squared(.call(.sin, [u]))))
        case .sec: return .product([.call(.sec, [u]), .call(.tan, [u])])
        case .csc: return .negated(.product([.call(.csc, [u]), .call(.cot, [u])]))
        case .asin: return reciprocal(.call(.sqrt, [.sum([one, .negated(squared(u))])]))
        case .acos: return .negated(reciprocal(.call(.sqrt, [.sum([one, .negated(squared(u))])])))
        case .atan: return reciprocal(.sum([one, squared(u)]))
        case .acot: return .negated(reciprocal(.sum([one, squared(u)])))
        case .sinh: return .call(.cosh, [u])
        case .cosh: return .call(.sinh, [u])
        case .tanh: return reciprocal(squared(.call(.cosh, [u])))
        case .exp: return .call(.exp, [u])
        case .ln, .log:
            if args.count == 2 { return reciprocal(.product([u, .call(.ln, [args[1]])])) }
            return reciprocal(u)
        case .sqrt: return reciprocal(.product([.integer(2), .call(.sqrt, [u])]))
        case .abs: return .product([u, reciprocal(.call(.abs, [u]))])
        case .floor, .ceiling, .factorial, .binomial, .gamma, .mod: return nil
        }
    }
}

/// A polynomial in one variable with rational coefficients, lowest degree first.
struct Polynomial {
    private(set) var coefficients: [BigRational]

    var degree: Int { coefficients.count - 1 }
    var leading: BigRational { coefficients.last ?? .zero }

    init(constant: BigRational) {
        coefficients = [constant]
        trim()
    }

    /// `e` as a polynomial in `x`, or nil when it is none (another variable, a function of x, 1/x).
    init?(_ e: Expr, in x: String) {
        switch e {
        case .variable(let v):
            guard v == x else { return nil }
            coefficients = [.zero, .one]
        case .sum(let terms):
            var total = Polynomial(constant: .zero)
            for t in terms {
                guard let p = Polynomial(t, in: x) else { return nil }
                total = total.plus(p)
            }
            self = total
        case .product(let factors):
            var total = Polynomial(constant: .one)
            for f in factors {
                guard let p = Polynomial(f, in: x), let q = total.times(p) else { return nil }
                total = q
            }
            self = total
        case .power(let base, let exponent):
            guard let k = Evaluation.exact(exponent)?.intValue, let p = Polynomial(base, in: x) else { return nil }
            if p.degree <= 0 {
                guard let v = p.leading.power(k) else { return nil }
                self = Polynomial(constant: v)
                return
            }
            guard k >= 0, k * p.degree <= Operators.maxDegree else { return nil }
            var total = Polynomial(constant: .one)
            for _ in 0..<k {
                guard let q = total.times(p) else { return nil }
                total = q
            }
            self = total
        default:
            guard !e.variables.contains(x), let v = Evaluation.exact(e) else { return nil }
            self = Polynomial(constant: v)
        }
        trim()
    }

    /// `p/q` with both polynomials (a product whose -1 powers form the denominator).
    static func ratio(_ e: Expr, in x: String) -> (Polynomial, Polynomial)? {
        var numerator: [Expr] = []
        var denominator: [Expr] = []
        let factors: [Expr]
        if case .product(let fs) = e { factors = fs } else { factors = [e] }
        for f in factors {
            if case .power(let b, .number(let k)) = f, k.value == BigRational(-1) { denominator.append(b) } else { numerator.append(f) }
        }
        guard let p = Polynomial(.product(numerator), in: x), let q = Polynomial(.product(denominator), in: x),
              !q.coefficients.allSatisfy(\.isZero) else { return nil }
        return (p, q)
    }

    private mutating func trim() {
        while coefficients.count > 1, coefficients.last?.isZero == true { coefficients.removeLast() }
    }

    func plus(_ other: Polynomial) -> Polynomial {
        var sum = [BigRational](repeating: .zero, count: max(coefficients.count, other.coefficients.count))
        for (k, c) in coefficients.enumerated() { sum[k] = sum[k] + c }
        for (k, c) in other.coefficients.enumerated() { sum[k] = sum[k] + c }
        var p = Polynomial(constant: .zero)
        p.coefficients = sum
        p.trim()
        return p
    }

    func times(_ other: Polynomial) -> Polynomial? {
        guard degree + other.degree <= Operators.maxDegree else { return nil }
        var product = [BigRational](repeating: .zero, count: coefficients.count + other.coefficients.count - 1)
        for (i, a) in coefficients.enumerated() where !a.isZero {
            for (j, b) in other.coefficients.enumerated() {
                product[i + j] = product[i + j] + a * b
                guard product[i + j].isWithinLimits else { return nil }
            }
        }
        var p = Polynomial(constant: .zero)
        p.coefficients = product
        p.trim()
        return p
    }

    /// The quotient by (x - a) where a is a root (synthetic division; the remainder is 0).
    func dividedByRoot(_ a: BigRational) -> Polynomial {
        var quotient = [BigRational](repeating: .zero, count: max(1, coefficients.count - 1))
        var carry = BigRational.zero
        for k in stride(from: coefficients.count - 1, through: 1, by: -1) {
            carry = carry * a + coefficients[k]
            quotient[k - 1] = carry
        }
        var p = Polynomial(constant: .zero)
        p.coefficients = quotient
        p.trim()
        return p
    }

    /// Horner's rule, exactly.
    func value(at a: BigRational) -> BigRational? {
        var total = BigRational.zero
        for c in coefficients.reversed() {
            total = total * a + c
            guard total.isWithinLimits else { return nil }
        }
        return total
    }

    func integral(from a: BigRational, to b: BigRational) -> BigRational? {
        var antiderivative = Polynomial(constant: .zero)
        antiderivative.coefficients = [.zero] + coefficients.enumerated().map { k, c in c * BigRational(1, k + 1) }
        guard let upper = antiderivative.value(at: b), let lower = antiderivative.value(at: a) else { return nil }
        return upper - lower
    }
}
