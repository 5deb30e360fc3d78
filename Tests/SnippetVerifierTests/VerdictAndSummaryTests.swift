// The verification object (hand-written JSON equals Codable), the execution fields, the summary's shape, JSON text helpers.

import Foundation
import MathComparator
import SnippetSandbox
@testable import SnippetVerifier
import Testing

@Suite struct VerdictAndSummaryTests {
    static let run = SnippetRun(
        outcome: .completed, stdout: "  3/4\n", stderr: "",
        usage: ResourceUsage(wallTime: .microseconds(12_345), cpuTime: .milliseconds(2), peakMemory: .mebibytes(50)))

    static let verdicts: [Verdict] = [
        .correct(Evidence(expected: "3/4", printed: "3/4", rule: "exact rational")),
        .wrong(Evidence(expected: "1/2", printed: "3/4", rule: "exact rationals differ")),
        .unverifiable(reason: "the result is text, not a value"),
        .failed(reason: "printed nothing"),
    ]

    @Test(arguments: verdicts)
    func handWrittenJSONEqualsCodable(_ verdict: Verdict) throws {
        let verification = Verification(verdict: verdict, run: Self.run)
        var json = JSONWriter()
        verification.write(to: &json)
        let fast = try JSONSerialization.jsonObject(with: Data(json.bytes)) as! NSDictionary
        let coded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(verification)) as! NSDictionary
        #expect(fast == coded)
        #expect(try JSONDecoder().decode(Verification.self, from: Data(json.bytes)) == verification)
        #expect(fast["verdict"] as? String == verdict.name.rawValue)
        #expect(fast["wall_ms"] as? Double == 12.345)
    }

    @Test func judgeAppliesTheRulesInOrder() {
        let computation = Computation(result: "$\\frac{3}{4}$", code: "")
        let comparator = Comparator()
        #expect(Verdict.judge(Self.run, against: computation, using: comparator).name == .correct)
        var timedOut = Self.run
        timedOut.outcome = .timeout(.cpu)
        #expect(Verdict.judge(timedOut, against: computation, using: comparator) == .failed(reason: "timeout (cpu)"))
        var silent = Self.run
        silent.stdout = "\n \t"
        #expect(Verdict.judge(silent, against: computation, using: comparator) == .failed(reason: "printed nothing"))
        #expect(Verdict.judge(Self.run, against: Computation(result: "$0.5$", code: ""), using: comparator).name == .wrong)
        #expect(Verdict.judge(Self.run, against: Computation(result: "It is positive.", code: ""), using: comparator).name == .unverifiable)
    }

    @Test func executionErrorIsTheTracebacksLastLine() {
        let run = SnippetRun(
            outcome: .exception(type: "NameError", message: "name 'x' is not defined"), stdout: "partial\n",
            stderr: "Traceback (most recent call last):\n  File \"<snippet>\", line 1, in <module>\nNameError: name 'x' is not defined\n\n",
            usage: .zero)
        let fields = ExecutionFields(run: run)
        #expect(fields.error == "NameError: name 'x' is not defined")
        #expect(fields.output == "partial")
        #expect(ExecutionFields(run: SnippetRun(outcome: .memoryLimit, stdout: "", stderr: "noise\n", usage: .zero)).error == "memory limit")
        #expect(ExecutionFields(run: SnippetRun(outcome: .syntaxError(message: "bad"), stdout: "", stderr: "", usage: .zero)).error == "SyntaxError: bad")
    }

    @Test func summaryJSONHasTheDocumentedShape() throws {
        var summary = Summary()
        summary.protections = [.resourceLimits, .seccomp]
        for (index, verdict) in Self.verdicts.enumerated() {
            var run = Self.run
            run.usage.wallTime = .milliseconds(index == 3 ? 100 : 10)
            summary.add(VerifiedRecord(
                line: index + 1, output: [], kept: nil, dropped: nil,
                verifications: [Verification(verdict: verdict, run: run)], malformedReason: nil))
        }
        summary.add(VerifiedRecord(line: 9, output: [], kept: nil, dropped: nil, verifications: [], malformedReason: "bad"))
        summary.seconds = 2
        let object = try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as! [String: Any]
        #expect(Set(object.keys) == ["records", "malformed", "computations", "verdicts", "outcomes", "seconds",
                                     "snippets_per_second", "snippet_ms", "protections"])
        #expect(object["records"] as? Int == 5 && object["malformed"] as? Int == 1 && object["computations"] as? Int == 4)
        #expect(object["verdicts"] as? [String: Int] == ["correct": 1, "wrong": 1, "unverifiable": 1, "failed": 1])
        let outcomes = try #require(object["outcomes"] as? [String: Int])
        #expect(Set(outcomes.keys) == Set(SnippetOutcome.Kind.allCases.map(\.rawValue)) && outcomes["completed"] == 4)
        #expect(object["snippets_per_second"] as? Double == 2)
        let latency = try #require(object["snippet_ms"] as? [String: Double])
        #expect(abs(latency["p50"]! - 10) < 0.2 && abs(latency["p99"]! - 100) < 1.5)
        #expect(object["protections"] as? [String] == ["seccomp", "rlimits"])
        #expect(summary.oneLine.hasPrefix("5 records (1 malformed), 4 computations: 1 correct, 1 wrong, 1 unverifiable, 1 failed; 2.0 s"))
    }

    @Test func histogramPercentilesStayWithinTwoPercent() {
        var histogram = LatencyHistogram()
        for value in 1...10_000 { histogram.record(microseconds: Double(value)) }
        for (fraction, exact) in [(0.5, 5_000.0), (0.99, 9_900.0), (0.01, 100.0)] {
            #expect(abs(histogram.percentile(fraction) - exact) / exact < 0.02, "p\(fraction): \(histogram.percentile(fraction))")
        }
    }

    @Test func jsonWriterEscapesAndFormatsMilliseconds() {
        var json = JSONWriter()
        json.string("a\"b\\c\n\u{1}é")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é""#)
        for (value, text) in [(12.5, "12.5"), (0.125, "0.125"), (3, "3"), (0.0004, "0"), (1.0005, "1.001")] {
            var writer = JSONWriter()
            writer.milliseconds(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
        }
    }
}
