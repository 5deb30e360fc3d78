// How precisely a decimal was written, and what "agrees to that precision" means.
import BigInt
import RealModule

/// The place of the last written digit of a decimal.
///
/// `decimals` counts digits after the point, shifted by a scientific exponent, so that one rule
/// serves `3.14` (2), `6.02 \times 10^{22}` (-20) and `1.2e-5` (6). Tiny values are therefore
/// compared on their significant digits, never on an absolute 0.01.
struct Precision: Hashable, Sendable {
    var decimals: Int
    var significantDigits: Int
    /// False for an integer made approximate by `\approx`: `\approx 3` means "rounds to 3", and 3.6 does not.
    var allowsTruncation = true

    /// The precision of a literal with `fractionDigits` after the point and a `×10^exponent`.
    init(fractionDigits: Int, exponent: Int, value: BigRational) {
        decimals = fractionDigits - exponent
        significantDigits = max(1, Precision.leadingPlace(of: value) + decimals + 1)
    }

    /// The precision of a literal whose digits the lexer counted itself (leading zeros excluded).
    init(fractionDigits: Int, exponent: Int, significantDigits: Int) {
        decimals = fractionDigits - exponent
        self.significantDigits = max(1, significantDigits)
    }

    /// The power of ten of the first significant digit (0 for 3.14, -2 for 0.012).
    static func leadingPlace(of value: BigRational) -> Int {
        if value.isZero { return 0 }
        let m = value.magnitude
        var place: Int
        let estimate = m.doubleValue
        if estimate.isNormal && estimate > 1e-300 && estimate < 1e300 {
            place = Int(Double.log10(estimate).rounded(.down))
        } else {
            place = Int((Double(m.numerator.bitWidth) - Double(m.denominator.bitWidth)) * Double.log10(2))
        }
        // Either estimate can be a place or two off near a power of ten.
        while m < BigRational.tenPower(place) { place -= 1 }
        while !(m < BigRational.tenPower(place + 1)) { place += 1 }
        return place
    }

    /// The value written out to this precision, in scientific notation where fixed would mislead.
    func render(_ value: BigRational) -> String {
        if decimals >= 0 && decimals <= 30 && (value.isZero || abs(value.doubleValue) >= 1e-6) {
            return Precision.fixed(value, decimals: decimals)
        }
        let lead = Precision.leadingPlace(of: value)
        let mantissa = value * BigRational.tenPower(-lead)
        return Precision.fixed(mantissa, decimals: max(0, significantDigits - 1)) + "e" + (lead >= 0 ? "+" : "") + String(lead)
    }

    static func fixed(_ value: BigRational, decimals: Int) -> String {
        var digits = roundedDigits(value.magnitude, decimals: decimals)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value.isNegative ? "-" : "") + digits
    }

    /// The digits of `magnitude × 10^decimals` rounded half up, in machine arithmetic when nothing overflows.
    private static func roundedDigits(_ magnitude: BigRational, decimals: Int) -> String {
        if decimals >= 0 && decimals <= 15, let (n, d) = magnitude.wordParts {
            var scale = 1
            for _ in 0..<decimals { scale *= 10 }
            let (scaled, o1) = n.multipliedReportingOverflow(by: scale * 2)
            let (sum, o2) = scaled.addingReportingOverflow(d)
            if !o1 && !o2 { return String(sum / (2 * d)) }
        }
        return (magnitude * BigRational.tenPower(decimals) + BigRational(1, 2)).floor.description
    }
}

/// The ways a candidate can reproduce a reference written to a given number of decimals.
enum Agreement {
    /// Room for binary floating-point noise in what Python printed (0.15000000000000002).
    static let noise = 1e-12

    /// Whether `candidate` rounds (either way at a tie) or truncates to `reference` at `decimals`.
    ///
    /// Truncation is accepted because snippets often cut digits (`int(x*100)/100`) where the text
    /// rounded, and the reverse; both still show the same digits.
    static func agrees(reference: BigRational, candidate: BigRational, decimals: Int, truncation: Bool = true) -> Agreement.Kind? {
        let unit = BigRational.tenPower(-decimals)
        let half = unit * BigRational(1, 2)
        let diff = candidate - reference
        // Exact tests first; the noise allowance is only a near miss measured in doubles.
        let fudge = (reference.magnitude.doubleValue + candidate.magnitude.doubleValue) * noise
        if diff.magnitude <= half || (diff.magnitude - half).doubleValue <= fudge { return .rounds }
        guard truncation else { return nil }
        // The upper end stays strict: 3.15 does not truncate to 3.14.
        let directed = reference.isNegative || (reference.isZero && candidate.isNegative) ? -diff : diff
        if (!directed.isNegative || -directed.doubleValue <= fudge) && directed < unit { return .truncates }
        return nil
    }

    static func agrees(reference: Double, candidate: Double, decimals: Int, truncation: Bool = true) -> Agreement.Kind? {
        guard reference.isFinite, candidate.isFinite else {
            return reference == candidate ? .rounds : nil
        }
        let unit = pow10(-decimals)
        let diff = candidate - reference
        let fudge = (abs(reference) + abs(candidate)) * noise
        if abs(diff) <= unit / 2 + fudge { return .rounds }
        guard truncation else { return nil }
        let directed = reference < 0 || (reference == 0 && candidate < 0) ? -diff : diff
        if directed >= -fudge && directed < unit { return .truncates }
        return nil
    }

    enum Kind {
        case rounds, truncates
    }

    static func pow10(_ k: Int) -> Double {
        Double.pow(10, max(-400, min(400, k)))
    }
}
