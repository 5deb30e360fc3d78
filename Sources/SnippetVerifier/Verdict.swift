// What a computation's run means: correct, wrong, unverifiable or failed, with the evidence.

import MathComparator
import SnippetSandbox

/// The judgement on one computation.
public enum Verdict: Sendable, Hashable {
    /// It ran, and what it printed matches the expected value.
    case correct(Evidence)
    /// It ran, and what it printed does not match.
    case wrong(Evidence)
    /// It ran, but the result holds no value to compare (a statement, a word).
    case unverifiable(reason: String)
    /// It produced no answer: the reason names the outcome ("ZeroDivisionError: division by
    /// zero", "timeout (wall)") or says "printed nothing".
    case failed(reason: String)

    /// The verdict's name in the output and the summary: the single source of these spellings.
    public enum Name: String, Sendable, Hashable, CaseIterable, Codable {
        case correct, wrong, unverifiable, failed

        /// Kept computations go to `--kept`, the others to `--dropped`.
        public var isKept: Bool { self == .correct || self == .unverifiable }
    }

    public var name: Name {
        switch self {
        case .correct: .correct
        case .wrong: .wrong
        case .unverifiable: .unverifiable
        case .failed: .failed
        }
    }

    /// The rules, in order: a run that did not complete failed (which outcome, says the reason);
    /// a run that printed only whitespace failed ("printed nothing"); otherwise the comparator
    /// decides: equivalent is correct, different is wrong, no expected value is unverifiable.
    public static func judge(_ run: SnippetRun, against computation: Computation, using comparator: Comparator) -> Verdict {
        guard run.outcome == .completed else { return .failed(reason: run.outcome.summary) }
        guard run.stdout.contains(where: { !$0.isWhitespace }) else { return .failed(reason: "printed nothing") }
        switch comparator.compare(result: computation.result, expression: computation.expression, printed: run.stdout) {
        case .equivalent(let evidence): return .correct(evidence)
        case .different(let evidence): return .wrong(evidence)
        case .noExpectedValue(let reason): return .unverifiable(reason: reason)
        }
    }
}

/// The `verification` object each computation gains: the verdict and how the run went.
///
/// JSON keys, in this order: `verdict`; `expected`, `printed`, `rule` (correct and wrong) or
/// `reason` (unverifiable and failed); `outcome` (a `SnippetOutcome.Kind` name), `outcome_detail`
/// (its one-line summary), `wall_ms`, `cpu_ms`, `peak_memory_bytes`.
public struct Verification: Sendable, Hashable {
    public var verdict: Verdict
    public var outcome: SnippetOutcome.Kind
    public var outcomeDetail: String
    public var wallMilliseconds: Double
    public var cpuMilliseconds: Double
    public var peakMemoryBytes: Int64

    public init(verdict: Verdict, run: SnippetRun) {
        self.verdict = verdict
        self.outcome = run.outcome.kind
        self.outcomeDetail = run.outcome.summary
        self.wallMilliseconds = run.usage.wallTime.milliseconds
        self.cpuMilliseconds = run.usage.cpuTime.milliseconds
        self.peakMemoryBytes = run.usage.peakMemory.bytes
    }

    enum CodingKeys: String, CodingKey {
        case verdict, expected, printed, rule, reason, outcome
        case outcomeDetail = "outcome_detail"
        case wallMilliseconds = "wall_ms"
        case cpuMilliseconds = "cpu_ms"
        case peakMemoryBytes = "peak_memory_bytes"
    }

    /// The object's JSON text, written directly (the hot path); `Codable` gives the same object.
    func write(to json: inout JSONWriter) {
        json.raw("{")
        json.member(CodingKeys.verdict.rawValue, string: verdict.name.rawValue, first: true)
        switch verdict {
        case .correct(let evidence), .wrong(let evidence):
            json.member(CodingKeys.expected.rawValue, string: evidence.expected)
            json.member(CodingKeys.printed.rawValue, string: evidence.printed)
            json.member(CodingKeys.rule.rawValue, string: evidence.rule)
        case .unverifiable(let reason), .failed(let reason):
            json.member(CodingKeys.reason.rawValue, string: reason)
        }
        json.member(CodingKeys.outcome.rawValue, string: outcome.rawValue)
        json.member(CodingKeys.outcomeDetail.rawValue, string: outcomeDetail)
        json.member(CodingKeys.wallMilliseconds.rawValue) { $0.milliseconds(wallMilliseconds) }
        json.member(CodingKeys.cpuMilliseconds.rawValue) { $0.milliseconds(cpuMilliseconds) }
        json.member(CodingKeys.peakMemoryBytes.rawValue) { $0.integer(peakMemoryBytes) }
        json.raw("}")
    }
}

extension Verification: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(Verdict.Name.self, forKey: .verdict)
        switch name {
        case .correct, .wrong:
            let evidence = Evidence(
                expected: try container.decode(String.self, forKey: .expected),
                printed: try container.decode(String.self, forKey: .printed),
                rule: try container.decode(String.self, forKey: .rule))
            verdict = name == .correct ? .correct(evidence) : .wrong(evidence)
        case .unverifiable:
            verdict = .unverifiable(reason: try container.decode(String.self, forKey: .reason))
        case .failed:
            verdict = .failed(reason: try container.decode(String.self, forKey: .reason))
        }
        outcome = try container.decode(SnippetOutcome.Kind.self, forKey: .outcome)
        outcomeDetail = try container.decode(String.self, forKey: .outcomeDetail)
        wallMilliseconds = try container.decode(Double.self, forKey: .wallMilliseconds)
        cpuMilliseconds = try container.decode(Double.self, forKey: .cpuMilliseconds)
        peakMemoryBytes = try container.decode(Int64.self, forKey: .peakMemoryBytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verdict.name, forKey: .verdict)
        switch verdict {
        case .correct(let evidence), .wrong(let evidence):
            try container.encode(evidence.expected, forKey: .expected)
            try container.encode(evidence.printed, forKey: .printed)
            try container.encode(evidence.rule, forKey: .rule)
        case .unverifiable(let reason), .failed(let reason):
            try container.encode(reason, forKey: .reason)
        }
        try container.encode(outcome, forKey: .outcome)
        try container.encode(outcomeDetail, forKey: .outcomeDetail)
        try container.encode(wallMilliseconds, forKey: .wallMilliseconds)
        try container.encode(cpuMilliseconds, forKey: .cpuMilliseconds)
        try container.encode(peakMemoryBytes, forKey: .peakMemoryBytes)
    }
}

/// The published pipeline's own two fields, so that its downstream scripts read our output.
public struct ExecutionFields: Sendable, Hashable {
    /// Standard output with leading and trailing whitespace removed (Python's `strip()`).
    public var output: String
    /// Empty when the run completed; otherwise the last line of the error: the traceback's last
    /// line for an exception or a syntax error, the outcome's summary for the others (a timeout
    /// leaves no traceback, and what it printed to stderr before is not the error).
    public var error: String

    public init(run: SnippetRun) {
        output = run.stdout.trimmingWhitespace()
        switch run.outcome {
        case .completed:
            error = ""
        case .exception, .syntaxError:
            let lastLine = run.stderr.split(whereSeparator: \.isNewline).last { !$0.trimmingWhitespace().isEmpty }
            error = lastLine.map { $0.trimmingWhitespace() } ?? run.outcome.summary
        default:
            error = run.outcome.summary
        }
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
