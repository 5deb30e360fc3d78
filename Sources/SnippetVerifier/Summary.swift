// Counts of a batch: records, verdicts, outcomes, speed, latency percentiles, active protections.

import SnippetSandbox

/// What a batch did. Counts cover the records this run wrote (not those a resumed run found).
///
/// `json` has the shape DESIGN.md fixes for `--summary-json`:
/// `{"records", "malformed", "computations", "verdicts": {"correct", "wrong", "unverifiable",
/// "failed"}, "outcomes": {kind: n}, "seconds", "snippets_per_second", "snippet_ms": {"p50",
/// "p99"}, "protections": [...]}`.
public struct Summary: Sendable {
    /// Output records written by this run, malformed ones included.
    public var records = 0
    /// Of those, malformed lines.
    public var malformed = 0
    /// Computations run (snippets).
    public var computations = 0
    public var verdicts: [Verdict.Name: Int] = [:]
    public var outcomes: [SnippetOutcome.Kind: Int] = [:]
    /// Wall-clock seconds of the batch so far.
    public var seconds: Double = 0
    public var protections: [Protection] = []
    /// Records that `--resume` found complete in the output and did not run again.
    public var resumedRecords = 0
    private var latency = LatencyHistogram()

    public init() {}

    /// Snippets per second of wall time.
    public var snippetsPerSecond: Double {
        seconds > 0 ? Double(computations) / seconds : 0
    }

    /// The wall time (ms) under which `fraction` of the snippets ran (0.5 for the median), to
    /// about 1.5%; 0 when none ran.
    public func snippetMilliseconds(percentile fraction: Double) -> Double {
        latency.percentile(fraction) / 1000
    }

    /// Adds a written record's counts.
    public mutating func add(_ record: VerifiedRecord) {
        records += 1
        if record.malformedReason != nil { malformed += 1 }
        for verification in record.verifications {
            computations += 1
            verdicts[verification.verdict.name, default: 0] += 1
            outcomes[verification.outcome, default: 0] += 1
            latency.record(microseconds: verification.wallMilliseconds * 1000)
        }
    }

    /// The `--summary-json` text, keys in the documented order, every verdict and outcome kind
    /// present (zero when none).
    public var json: String {
        var json = JSONWriter()
        json.raw("{\"records\":")
        json.integer(records)
        json.raw(",\"malformed\":")
        json.integer(malformed)
        json.raw(",\"computations\":")
        json.integer(computations)
        json.raw(",\"verdicts\":{")
        for (index, name) in Verdict.Name.allCases.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(name.rawValue)
            json.integer(verdicts[name, default: 0])
        }
        json.raw("},\"outcomes\":{")
        for (index, kind) in SnippetOutcome.Kind.allCases.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(kind.rawValue)
            json.integer(outcomes[kind, default: 0])
        }
        json.raw("},\"seconds\":")
        json.milliseconds(seconds)
        json.raw(",\"snippets_per_second\":")
        json.milliseconds(snippetsPerSecond)
        json.raw(",\"snippet_ms\":{\"p50\":")
        json.milliseconds(snippetMilliseconds(percentile: 0.5))
        json.raw(",\"p99\":")
        json.milliseconds(snippetMilliseconds(percentile: 0.99))
        json.raw("},\"protections\":[")
        for (index, protection) in protections.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.string(protection.rawValue)
        }
        json.raw("]}")
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// One line for standard error: "1200 records (3 malformed), 1500 computations: 1100 correct,
    /// 200 wrong, 50 unverifiable, 150 failed; 12.3 s, 121.9 snippets/s, p50 7.1 ms, p99 40.2 ms".
    public var oneLine: String {
        var text = "\(records) records"
        if malformed > 0 { text += " (\(malformed) malformed)" }
        if resumedRecords > 0 { text += ", \(resumedRecords) already done" }
        text += ", \(computations) computations: "
        text += Verdict.Name.allCases.map { "\(verdicts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        text += "; \(fixed(seconds, 1)) s, \(fixed(snippetsPerSecond, 1)) snippets/s"
        if computations > 0 {
            text += ", p50 \(fixed(snippetMilliseconds(percentile: 0.5), 1)) ms, p99 \(fixed(snippetMilliseconds(percentile: 0.99), 1)) ms"
        }
        return text
    }
}

/// "12.3" for (12.345, 1).
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    guard decimals > 0 else { return String(scaled) }
    let whole = scaled / Int64(scale)
    let fraction = String(abs(scaled % Int64(scale)))
    return "\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
}

/// Latencies in log-linear buckets (64 per power of two): fixed memory for any number of
/// snippets, percentiles to about 1.5%.
struct LatencyHistogram: Sendable {
    private var counts: [Int] = []
    private var total = 0
    private static let subBuckets = 64

    mutating func record(microseconds: Double) {
        let index = Self.bucket(UInt64(max(0, microseconds.rounded())))
        if index >= counts.count { counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count)) }
        counts[index] += 1
        total += 1
    }

    /// The midpoint of the bucket holding the value at `fraction` of the sorted values.
    func percentile(_ fraction: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.midpoint(index) }
        }
        return Self.midpoint(counts.count - 1)
    }

    static func bucket(_ value: UInt64) -> Int {
        guard value >= UInt64(subBuckets) else { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // >= 6
        let sub = Int(value >> UInt64(exponent - 6)) - subBuckets
        return subBuckets + (exponent - 6) * subBuckets + sub
    }

    static func midpoint(_ index: Int) -> Double {
        guard index >= subBuckets else { return Double(index) }
        let exponent = (index - subBuckets) / subBuckets + 6
        let sub = (index - subBuckets) % subBuckets
        let low = Double(UInt64(subBuckets + sub) << UInt64(exponent - 6))
        let width = Double(UInt64(1) << UInt64(exponent - 6))
        return low + width / 2
    }
}
