// Exact rational arithmetic on BigInt, so that integers and fractions of any size compare exactly.
import BigInt
import RealModule

/// A fraction in lowest terms with a positive denominator.
///
/// Most numbers in math text fit a machine word, and BigInt's generic paths (and the reference
/// counting of its storage) dominate a comparison's cost, so a fraction whose parts both fit in
/// 62 bits is kept as two Ints and computed with overflow checks; only past that does it move to
/// BigInt. The representation is canonical (small whenever it fits), so synthesized equality holds.
/// No operation grows a number past `Limits.maxBits`: `power` refuses, and sums and products
/// report through `isWithinLimits`.
struct BigRational: Hashable, Sendable, Comparable {
    private enum Storage: Hashable, Sendable {
        case small(Int, Int)
        case big(BigInt, BigInt)
    }

    private var storage: Storage

    init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(denominator != 0, "a zero denominator is rejected by every caller")
        storage = BigRational.reduced(numerator, denominator)
    }

    /// n/d reduced.
    init(_ n: Int, _ d: Int) {
        precondition(d != 0, "a zero denominator is rejected by every caller")
        storage = BigRational.reduced(n, d)
    }

    private static func reduced(_ numerator: BigInt, _ denominator: BigInt) -> Storage {
        if let sn = small(numerator), let sd = small(denominator) {
            return reduced(sn, sd)
        }
        var n = numerator
        var d = denominator
        if d.sign == .minus {
            n.negate()
            d.negate()
        }
        if d == 1 { return .big(n, d) }
        // One Euclid step first: BigInt's binary gcd shifts the larger operand bit by bit.
        let g = d.magnitude.greatestCommonDivisor(with: n.magnitude % d.magnitude)
        if g > 1 {
            n /= BigInt(g)
            d /= BigInt(g)
        }
        if let sn = small(n), let sd = small(d) { return .small(sn, sd) }
        return .big(n, d)
    }

    private static func reduced(_ n: Int, _ d: Int) -> Storage {
        if n == .min || d == .min { return reduced(BigInt(n), BigInt(d)) }
        var a = n.magnitude
        var b = d.magnitude
        while b != 0 { (a, b) = (b, a % b) }
        let sign = d < 0 ? -1 : 1
        return .small(sign * n / Int(a), sign * d / Int(a))
    }

    init(_ value: Int) {
        self.init(value, 1)
    }

    private static func small(_ value: BigInt) -> Int? {
        value.magnitude.bitWidth <= 63 ? Int(truncatingIfNeeded: value) : nil
    }

    static let zero = BigRational(0)
    static let one = BigRational(1)

    var numerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let n, _): return n
        }
    }

    var denominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(_, let d): return d
        }
    }

    /// Numerator and denominator as Ints, when both fit.
    var wordParts: (numerator: Int, denominator: Int)? {
        if case .small(let n, let d) = storage { return (n, d) }
        return nil
    }

    /// The value as an Int, when it is an integer that fits.
    var intValue: Int? {
        if case .small(let n, 1) = storage { return n }
        return nil
    }

    var isInteger: Bool {
        switch storage {
        case .small(_, let d): return d == 1
        case .big(_, let d): return d == 1
        }
    }

    var isZero: Bool {
        if case .small(0, _) = storage { return true }
        return false
    }

    var isNegative: Bool {
        switch storage {
        case .small(let n, _): return n < 0
        case .big(let n, _): return n.sign == .minus && !n.isZero
        }
    }

    /// Whether the number still fits the digit budget that keeps every operation fast.
    var isWithinLimits: Bool {
        switch storage {
        case .small: return true
        case .big(let n, let d): return n.bitWidth <= Limits.maxBits && d.bitWidth <= Limits.maxBits
        }
    }

    static func + (a: BigRational, b: BigRational) -> BigRational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            let (x, o1) = an.multipliedReportingOverflow(by: bd)
            let (y, o2) = bn.multipliedReportingOverflow(by: ad)
            let (n, o3) = x.addingReportingOverflow(y)
            let (d, o4) = ad.multipliedReportingOverflow(by: bd)
            if !(o1 || o2 || o3 || o4) { return BigRational(n, d) }
        }
        return BigRational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    static func - (a: BigRational, b: BigRational) -> BigRational {
        a + (-b)
    }

    private init(canonical storage: Storage) {
        self.storage = storage
    }

    /// Negation keeps lowest terms: no gcd needed.
    static prefix func - (a: BigRational) -> BigRational {
        switch a.storage {
        case .small(let n, let d): return BigRational(canonical: .small(-n, d))
        case .big(let n, let d): return BigRational(-n, d)
        }
    }

    static func * (a: BigRational, b: BigRational) -> BigRational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            let (n, o1) = an.multipliedReportingOverflow(by: bn)
            let (d, o2) = ad.multipliedReportingOverflow(by: bd)
            if !(o1 || o2) { return BigRational(n, d) }
        }
        return BigRational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// Nil when dividing by zero.
    func divided(by b: BigRational) -> BigRational? {
        if b.isZero { return nil }
        return self * BigRational(b.denominator, b.numerator)
    }

    var magnitude: BigRational {
        isNegative ? -self : self
    }

    /// A small integer power; repeated multiplication stays on machine words while it can.
    func power(_ exponent: Int) -> BigRational? {
        guard case .small(let n, let d) = storage, abs(exponent) <= 64 else { return power(BigInt(exponent)) }
        // 0^0 is 1, as Python and sympy print it (found by fuzz-latex: the reciprocal of 0 below).
        if exponent == 0 { return .one }
        if exponent < 0 && n == 0 { return nil }
        var result = BigRational.one
        let base = exponent > 0 ? self : BigRational(d, n)
        for _ in 0..<abs(exponent) { result = result * base }
        return result
    }

    /// An integer power, or nil when the result would exceed the digit budget (or is 0^negative).
    func power(_ exponent: BigInt) -> BigRational? {
        if exponent.isZero { return .one }
        if isZero { return exponent.sign == .minus ? nil : .zero }
        if case .small = storage, let e = BigRational.small(exponent), abs(e) <= 64 { return power(e) }
        let n = numerator
        let d = denominator
        if n.magnitude == 1 && d == 1 {
            let odd = exponent.magnitude % 2 == 1
            return n.sign == .minus && odd ? BigRational(-1) : .one
        }
        let bits = max(n.bitWidth, d.bitWidth)
        guard exponent.magnitude <= BigUInt(Limits.maxBits), Int(exponent.magnitude) * max(bits - 1, 1) <= Limits.maxBits else {
            return nil
        }
        let e = Int(exponent.magnitude)
        let pn = n.power(e)
        let pd = d.power(e)
        return exponent.sign == .minus ? BigRational(pd, pn) : BigRational(pn, pd)
    }

    static func < (a: BigRational, b: BigRational) -> Bool {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            let (x, o1) = an.multipliedReportingOverflow(by: bd)
            let (y, o2) = bn.multipliedReportingOverflow(by: ad)
            if !(o1 || o2) { return x < y }
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    private static let smallTenPowers: [Int] = (0...18).map { k in (0..<k).reduce(1) { r, _ in r * 10 } }

    /// 10^k as a rational, for decimal scaling; k is small (bounded by the input length).
    static func tenPower(_ k: Int) -> BigRational {
        if abs(k) <= 18 {
            let p = smallTenPowers[abs(k)]
            return k >= 0 ? BigRational(p, 1) : BigRational(1, p)
        }
        let p = BigInt(10).power(abs(k))
        return k >= 0 ? BigRational(p) : BigRational(1, p)
    }

    /// The nearest integer below.
    var floor: BigInt {
        if case .small(let n, let d) = storage {
            let q = n / d
            return BigInt(n % d < 0 ? q - 1 : q)
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r.sign == .minus && !r.isZero ? q - 1 : q
    }

    var doubleValue: Double {
        let n: BigInt
        let d: BigInt
        switch storage {
        case .small(let sn, let sd): return Double(sn) / Double(sd)
        case .big(let bn, let bd): (n, d) = (bn, bd)
        }
        let nb = n.bitWidth
        let db = d.bitWidth
        if nb < 1000 && db < 1000 {
            return Double(n) / Double(d)
        }
        // Shift both sides down so that neither overflows to infinity and the ratio survives.
        let shift = max(nb, db) - 1000
        let sn = Double(n >> shift)
        let sd = Double(d >> shift)
        if sd == 0 { return n.sign == .minus ? -.infinity : .infinity }
        return sn / sd
    }
}

extension BigRational: CustomStringConvertible {
    /// Exact digits up to about 600 of them; past that an approximation, since printing a BigInt
    /// in decimal costs time quadratic in its length and the evidence only needs to show the number.
    var description: String {
        switch storage {
        case .small(let n, let d): return d == 1 ? String(n) : "\(n)/\(d)"
        case .big(let n, let d):
            if n.bitWidth > 2_000 || d.bitWidth > 2_000 { return "≈" + BigRational.scientific(n) + (d == 1 ? "" : "/" + BigRational.scientific(d)) }
            return d == 1 ? n.description : "\(n)/\(d)"
        }
    }

    /// `≈1.2345678e+9998` from the top bits, without converting the whole number.
    private static func scientific(_ n: BigInt) -> String {
        let shift = max(0, n.magnitude.bitWidth - 60)
        let top = Double(n.magnitude >> shift)
        let log = top.isZero ? 0 : Double.log10(top) + Double(shift) * Double.log10(2)
        let exponent = Int(log.rounded(.down))
        let mantissa = Double.pow(10, log - Double(exponent))
        let digits = (mantissa * 1e7).rounded() / 1e7
        return (n.sign == .minus ? "-" : "") + "\(digits)e+\(exponent)"
    }
}
