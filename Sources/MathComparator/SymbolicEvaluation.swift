// Evaluates expression trees: exactly over the rationals where possible, else numerically in complex doubles.
import BigInt
import ComplexModule
import RealModule

typealias ComplexValue = Complex<Double>

/// Values for the free variables; a handful at most, so a linear search beats hashing names.
typealias Bindings = [(name: String, value: ComplexValue)]

enum Evaluation {
    /// The exact rational value, or nil when the expression is irrational, symbolic, or past the digit cap.
    static func exact(_ e: Expr) -> BigRational? {
        switch e {
        case .number(let n):
            return n.value
        case .constant, .variable:
            return nil
        case .sum(let terms):
            var total = BigRational.zero
            for t in terms {
                guard let v = exact(t) else { return nil }
                total = total + v
                guard total.isWithinLimits else { return nil }
            }
            return total
        case .product(let factors):
            var total = BigRational.one
            for f in factors {
                guard let v = exact(f) else { return nil }
                total = total * v
                guard total.isWithinLimits else { return nil }
            }
            return total
        case .power(let base, let exponent):
            guard let b = exact(base), let x = exact(exponent) else { return nil }
            if let k = x.intValue { return b.power(k) }
            if x.isInteger { return b.power(x.numerator) }
            return exactRoot(b, x)
        case .call(let f, let args):
            return exactCall(f, args)
        }
    }

    /// `8^{1/3}`, `\sqrt{9/4}`: rational roots of perfect powers stay exact.
    private static func exactRoot(_ base: BigRational, _ exponent: BigRational) -> BigRational? {
        guard exponent.denominator <= 64, let q = Int(exactly: exponent.denominator), !base.isNegative || q % 2 == 1 else { return nil }
        guard let n = integerRoot(base.numerator.magnitude, q), let d = integerRoot(base.denominator.magnitude, q) else { return nil }
        let root = BigRational(base.isNegative ? -BigInt(n) : BigInt(n), BigInt(d))
        return root.power(exponent.numerator)
    }

    private static func integerRoot(_ value: BigUInt, _ q: Int) -> BigUInt? {
        if value.bitWidth > Limits.maxBits { return nil }
        if q == 2 {
            let r = value.squareRoot()
            return r * r == value ? r : nil
        }
        let guess = Double.pow(Double(value), 1.0 / Double(q)).rounded()
        guard guess.isFinite, guess < 1e15 else { return nil }
        let r = BigUInt(guess)
        return r.power(q) == value ? r : nil
    }

    private static func exactCall(_ f: Function, _ args: [Expr]) -> BigRational? {
        guard let first = args.first, let x = exact(first) else { return nil }
        switch f {
        case .sqrt:
            return exactRoot(x, BigRational(1, 2))
        case .abs:
            return x.magnitude
        case .floor:
            return BigRational(x.floor)
        case .ceiling:
            return BigRational(-((-x).floor))
        case .factorial:
            guard x.isInteger, !x.isNegative, x.numerator <= 3000 else { return nil }
            var product = BigInt(1)
            var k = BigInt(2)
            while k <= x.numerator {
                product *= k
                k += 1
            }
            return BigRational(product)
        case .binomial:
            guard args.count == 2, let k = exact(args[1]), x.isInteger, k.isInteger, !k.isNegative, k <= x, x.numerator <= 100_000,
                  let kk = Int(exactly: min(k.numerator, x.numerator - k.numerator)), kk <= 3000 else { return nil }
            var result = BigInt(1)
            for j in 0..<kk {
                result = result * (x.numerator - BigInt(j)) / BigInt(j + 1)
            }
            return BigRational(result)
        case .log:
            // log_b(x) is rational when x is an integer power of b: `\log_2 8 = 3`.
            guard args.count == 2, let b = exact(args[1]), b.isInteger, b.numerator > 1, x.isInteger, x.numerator > 0 else { return nil }
            var power = BigInt(1)
            var k = 0
            while power < x.numerator && k < Limits.maxBits {
                power *= b.numerator
                k += 1
            }
            return power == x.numerator ? BigRational(k) : nil
        case .mod:
            // Python's and sympy's sign convention: the remainder takes the divisor's sign.
            guard args.count == 2, let n = exact(args[1]), let q = x.divided(by: n) else { return nil }
            return x - n * BigRational(q.floor)
        case .exp, .ln:
            return x.isZero && f == .exp ? .one : (x == .one && f == .ln ? .zero : nil)
        default:
            return nil
        }
    }

    /// +1 or -1 for an expression that is plus or minus infinity (`-\\infty`, `-oo`, `2 + oo`); nil otherwise.
    static func infinitySign(_ e: Expr) -> Int? {
        switch e {
        case .constant(.infinity):
            return 1
        case .sum(let terms):
            let signs = terms.compactMap(infinitySign)
            return signs.count == 1 ? signs[0] : nil
        case .product(let factors):
            var sign = 1
            var infinite = false
            for f in factors {
                if let s = infinitySign(f) {
                    if infinite { return nil }
                    infinite = true
                    sign *= s
                } else if let v = exact(f), !v.isZero {
                    sign *= v.isNegative ? -1 : 1
                } else {
                    return nil
                }
            }
            return infinite ? sign : nil
        default:
            return nil
        }
    }

    /// The numeric value with variables bound by `env`; NaN where undefined.
    static func numeric(_ e: Expr, _ env: Bindings = []) -> ComplexValue {
        switch e {
        case .number(let n):
            return ComplexValue(n.value.doubleValue)
        case .constant(let c):
            switch c {
            case .pi: return ComplexValue(Double.pi)
            case .e: return ComplexValue(Double.exp(1))
            case .i: return ComplexValue.i
            // Complex infinities have no sign: callers compare infinite values with `infinitySign`.
            case .infinity: return ComplexValue(Double.infinity)
            }
        case .variable(let name):
            for binding in env where binding.name == name { return binding.value }
            return ComplexValue(Double.nan)
        case .sum(let terms):
            var total = ComplexValue.zero
            for t in terms { total += numeric(t, env) }
            return total
        case .product(let factors):
            var total = ComplexValue.one
            for f in factors { total *= numeric(f, env) }
            return total
        case .power(let base, let exponent):
            return power(base, exponent, env)
        case .call(let f, let args):
            return call(f, args.map { numeric($0, env) })
        }
    }

    private static func power(_ base: Expr, _ exponent: Expr, _ env: Bindings) -> ComplexValue {
        let b = numeric(base, env)
        if case .number(let n) = exponent, let k = n.value.intValue, abs(k) <= 1 << 20 {
            if k == -1 { return b.reciprocal ?? ComplexValue(Double.infinity) }
            if b.imaginary == 0 { return ComplexValue(Double.pow(b.real, k)) }
            return ComplexValue.pow(b, k)
        }
        // Odd roots of negative reals are real, as in `\sqrt[3]{-8} = -2`.
        if b.imaginary == 0, b.real < 0, let x = exact(exponent), let (p, q) = x.wordParts, q % 2 == 1 {
            let magnitude = Double.pow(-b.real, x.doubleValue)
            return ComplexValue(p % 2 != 0 ? -magnitude : magnitude)
        }
        let x = numeric(exponent, env)
        if b.imaginary == 0, x.imaginary == 0, b.real >= 0 { return ComplexValue(Double.pow(b.real, x.real)) }
        if b == .zero { return x.real > 0 ? .zero : ComplexValue(Double.nan) }
        return ComplexValue.exp(x * ComplexValue.log(b))
    }

    private static func call(_ f: Function, _ args: [ComplexValue]) -> ComplexValue {
        let z = args[0]
        let real = z.imaginary == 0 ? z.real : nil
        switch f {
        case .sin: return real.map { ComplexValue(Double.sin($0)) } ?? ComplexValue.sin(z)
        case .cos: return real.map { ComplexValue(Double.cos($0)) } ?? ComplexValue.cos(z)
        case .tan: return real.map { ComplexValue(Double.tan($0)) } ?? ComplexValue.tan(z)
        case .cot: return ComplexValue.tan(z).reciprocal ?? ComplexValue(Double.nan)
        case .sec: return ComplexValue.cos(z).reciprocal ?? ComplexValue(Double.nan)
        case .csc: return ComplexValue.sin(z).reciprocal ?? ComplexValue(Double.nan)
        case .asin: return real.flatMap { abs($0) <= 1 ? ComplexValue(Double.asin($0)) : nil } ?? ComplexValue.asin(z)
        case .acos: return real.flatMap { abs($0) <= 1 ? ComplexValue(Double.acos($0)) : nil } ?? ComplexValue.acos(z)
        case .atan: return real.map { ComplexValue(Double.atan($0)) } ?? ComplexValue.atan(z)
        case .acot: return (z.reciprocal).map { call(.atan, [$0]) } ?? ComplexValue(Double.pi / 2)
        case .sinh: return ComplexValue.sinh(z)
        case .cosh: return ComplexValue.cosh(z)
        case .tanh: return ComplexValue.tanh(z)
        case .exp: return real.map { ComplexValue(Double.exp($0)) } ?? ComplexValue.exp(z)
        case .ln, .log:
            let value = real.flatMap { $0 > 0 ? ComplexValue(Double.log($0)) : nil } ?? ComplexValue.log(z)
            guard args.count == 2 else { return value }
            let base = call(.ln, [args[1]])
            return base == .zero ? ComplexValue(Double.nan) : value / base
        case .sqrt: return real.flatMap { $0 >= 0 ? ComplexValue(Double.sqrt($0)) : nil } ?? ComplexValue.sqrt(z)
        case .abs: return ComplexValue(z.length)
        case .floor: return real.map { ComplexValue($0.rounded(.down)) } ?? ComplexValue(Double.nan)
        case .ceiling: return real.map { ComplexValue($0.rounded(.up)) } ?? ComplexValue(Double.nan)
        case .factorial: return real.map { ComplexValue(Double.gamma($0 + 1)) } ?? ComplexValue(Double.nan)
        case .gamma: return real.map { ComplexValue(Double.gamma($0)) } ?? ComplexValue(Double.nan)
        case .mod:
            guard args.count == 2, let a = real, args[1].imaginary == 0, args[1].real != 0 else { return ComplexValue(Double.nan) }
            let n = args[1].real
            return ComplexValue(a - n * (a / n).rounded(.down))
        case .binomial:
            guard args.count == 2, let n = real, args[1].imaginary == 0 else { return ComplexValue(Double.nan) }
            let k = args[1].real
            guard n == n.rounded(), k == k.rounded() else {
                // A symbolic binomial at a sample point: the gamma form, signed (`n(n-1)/2` at any n).
                return ComplexValue(Double.gamma(n + 1) / (Double.gamma(k + 1) * Double.gamma(n - k + 1)))
            }
            return ComplexValue(Double.exp(Double.logGamma(n + 1) - Double.logGamma(k + 1) - Double.logGamma(n - k + 1)).rounded())
        }
    }
}
