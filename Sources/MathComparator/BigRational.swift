// Exact rational arithmetic on BigInt, so that integers and fractions of any size compare exactly.
import BigInt

/// A fraction in lowest terms with a positive denominator.
///
/// Operations never grow a number past `Limits.maxDigits`: callers check `isWithinLimits`
/// before powering, and `power` refuses exponents that would make a huge result.
struct BigRational: Hashable, Sendable, Comparable {
    private(set) var numerator: BigInt
    private(set) var denominator: BigInt

    init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(denominator != 0, "a zero denominator is rejected by every caller")
        (self.numerator, self.denominator) = BigRational.reduced(numerator, denominator)
    }

    private static func reduced(_ numerator: BigInt, _ denominator: BigInt) -> (BigInt, BigInt) {
        if let n = small(numerator), let d = small(denominator) {
            return reducedSmall(n, d)
        }
        var n = numerator
        var d = denominator
        if d.sign == .minus {
            n.negate()
            d.negate()
        }
        if d != 1 {
            let g = n.magnitude.greatestCommonDivisor(with: d.magnitude)
            if g > 1 {
                n /= BigInt(g)
                d /= BigInt(g)
            }
        }
        return (n, d)
    }

    /// Most numbers in math text fit a machine word: reduce them without BigInt's slower gcd.
    private static func reducedSmall(_ n: Int, _ d: Int) -> (BigInt, BigInt) {
        var a = n.magnitude
        var b = d.magnitude
        while b != 0 { (a, b) = (b, a % b) }
        let sign = d < 0 ? -1 : 1
        return (big(sign * n / Int(a)), big(sign * d / Int(a)))
    }

    private static let smallIntegers: [BigInt] = (0...4096).map { BigInt($0) }

    /// BigInt's generic integer initializer is slow across modules; small values come from a table.
    static func big(_ v: Int) -> BigInt {
        if v >= 0 && v <= 4096 { return smallIntegers[v] }
        if v < 0 && v >= -4096 { return -smallIntegers[-v] }
        return BigInt(v)
    }

    /// The value as an Int when it has at most 62 bits, so that a sum or product of two checks for overflow only.
    private static func small(_ value: BigInt) -> Int? {
        value.magnitude.bitWidth <= 62 ? Int(truncatingIfNeeded: value) : nil
    }

    private var smallParts: (Int, Int)? {
        guard let n = BigRational.small(numerator), let d = BigRational.small(denominator) else { return nil }
        return (n, d)
    }

    init(_ value: Int) {
        self.numerator = BigRational.big(value)
        self.denominator = BigRational.big(1)
    }

    static let zero = BigRational(0)
    static let one = BigRational(1)

    var isInteger: Bool { denominator == 1 }
    var isZero: Bool { numerator.isZero }
    var isNegative: Bool { numerator.sign == .minus && !numerator.isZero }

    /// Whether the number still fits the digit budget that keeps every operation fast.
    var isWithinLimits: Bool {
        numerator.bitWidth <= Limits.maxBits && denominator.bitWidth <= Limits.maxBits
    }

    static func + (a: BigRational, b: BigRational) -> BigRational {
        if let (an, ad) = a.smallParts, let (bn, bd) = b.smallParts {
            let (x, o1) = an.multipliedReportingOverflow(by: bd)
            let (y, o2) = bn.multipliedReportingOverflow(by: ad)
            let (n, o3) = x.addingReportingOverflow(y)
            let (d, o4) = ad.multipliedReportingOverflow(by: bd)
            if !(o1 || o2 || o3 || o4) { return BigRational(smallFraction: n, d) }
        }
        if a.denominator == b.denominator {
            return BigRational(a.numerator + b.numerator, a.denominator)
        }
        return BigRational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    static func - (a: BigRational, b: BigRational) -> BigRational {
        a + (-b)
    }

    static prefix func - (a: BigRational) -> BigRational {
        var r = a
        r.numerator.negate()
        return r
    }

    static func * (a: BigRational, b: BigRational) -> BigRational {
        if let (an, ad) = a.smallParts, let (bn, bd) = b.smallParts {
            let (n, o1) = an.multipliedReportingOverflow(by: bn)
            let (d, o2) = ad.multipliedReportingOverflow(by: bd)
            if !(o1 || o2) { return BigRational(smallFraction: n, d) }
        }
        return BigRational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// Nil when dividing by zero.
    func divided(by b: BigRational) -> BigRational? {
        if b.isZero { return nil }
        return BigRational(numerator * b.denominator, denominator * b.numerator)
    }

    var magnitude: BigRational {
        isNegative ? -self : self
    }

    /// An integer power, or nil when the result would exceed the digit budget (or is 0^negative).
    func power(_ exponent: BigInt) -> BigRational? {
        if exponent.isZero { return .one }
        if numerator.isZero { return exponent.sign == .minus ? nil : .zero }
        if numerator.magnitude == 1 && denominator == 1 {
            let odd = exponent.magnitude % 2 == 1
            return numerator.sign == .minus && odd ? BigRational(-1) : .one
        }
        let bits = max(numerator.bitWidth, denominator.bitWidth)
        guard exponent.magnitude <= BigUInt(Limits.maxBits), Int(exponent.magnitude) * max(bits - 1, 1) <= Limits.maxBits else {
            return nil
        }
        let e = Int(exponent.magnitude)
        let n = numerator.power(e)
        let d = denominator.power(e)
        return exponent.sign == .minus ? BigRational(d, n) : BigRational(n, d)
    }

    static func < (a: BigRational, b: BigRational) -> Bool {
        if let (an, ad) = a.smallParts, let (bn, bd) = b.smallParts {
            let (x, o1) = an.multipliedReportingOverflow(by: bd)
            let (y, o2) = bn.multipliedReportingOverflow(by: ad)
            if !(o1 || o2) { return x < y }
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    private init(smallFraction n: Int, _ d: Int) {
        (numerator, denominator) = n == Int.min || d == Int.min ? BigRational.reduced(BigInt(n), BigInt(d)) : BigRational.reducedSmall(n, d)
    }

    private static let smallTenPowers: [BigInt] = (0...18).map { BigInt(10).power($0) }

    /// 10^k as a rational, for decimal scaling; k is small (bounded by the input length).
    static func tenPower(_ k: Int) -> BigRational {
        let p = abs(k) <= 18 ? smallTenPowers[abs(k)] : BigInt(10).power(abs(k))
        var r = BigRational.one
        if k >= 0 { r.numerator = p } else { r.denominator = p }
        return r
    }

    /// The nearest integer below.
    var floor: BigInt {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r.sign == .minus && !r.isZero ? q - 1 : q
    }

    /// The integer toward zero.
    var truncated: BigInt {
        numerator / denominator
    }

    var doubleValue: Double {
        if let (n, d) = smallParts { return Double(n) / Double(d) }
        let nb = numerator.bitWidth
        let db = denominator.bitWidth
        if nb < 1000 && db < 1000 {
            return Double(numerator) / Double(denominator)
        }
        // Shift both sides down so that neither overflows to infinity and the ratio survives.
        let shift = max(nb, db) - 1000
        let n = Double(numerator >> max(shift, 0))
        let d = Double(denominator >> max(shift, 0))
        if d == 0 { return numerator.sign == .minus ? -.infinity : .infinity }
        return n / d
    }
}

extension BigRational: CustomStringConvertible {
    var description: String {
        denominator == 1 ? numerator.description : "\(numerator)/\(denominator)"
    }
}
