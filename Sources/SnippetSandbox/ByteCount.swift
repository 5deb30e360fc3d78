// A size in bytes, as the command line writes it ("512M", "2GiB", "1048576").

/// A number of bytes.
///
/// Parses the suffixes people type for limits: `K`, `M`, `G` (and `KB`, `KiB`, ... which mean the
/// same here: limits are powers of 1024, as `ulimit` and `free -h` count them).
public struct ByteCount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        precondition(bytes >= 0, "a byte count cannot be negative")
        self.bytes = bytes
    }

    public static func kibibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 10) }
    public static func mebibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 20) }
    public static func gibibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 30) }

    /// Reads "1048576", "64K", "512M", "512MB", "512MiB", "2G", "1.5G" (case-insensitive).
    /// Returns nil for anything else, for a negative size, and for one that overflows 63 bits.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace().lowercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        var unit = trimmed.dropFirst(digits.count).trimmingWhitespace()
        for suffix in ["ib", "b"] where unit.hasSuffix(suffix) && unit.count > suffix.count - 1 {
            unit = String(unit.dropLast(suffix.count))
            break
        }
        let shift: Int
        switch unit {
        case "": shift = 0
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        default: return nil
        }
        guard let value = Double(digits), value >= 0, value.isFinite else { return nil }
        let scaled = (value * Double(Int64(1) << shift)).rounded()
        guard scaled < 9.2e18 else { return nil }
        self.init(bytes: Int64(scaled))
    }

    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    /// The shortest exact spelling: "512M" rather than "536870912".
    public var description: String {
        for (shift, suffix) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")]
        where bytes != 0 && bytes % (Int64(1) << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return "\(bytes)"
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
