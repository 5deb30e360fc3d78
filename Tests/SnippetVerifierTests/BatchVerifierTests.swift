// Batches against a fake runner: order, window, blank lines, shards, kept/dropped, verdict rules, files.

import Foundation
import SnippetSandbox
@testable import SnippetVerifier
import Testing

@Suite struct BatchVerifierTests {
    /// Runs `lines` through a batch and returns the output file's lines and the summary.
    func verify(
        _ lines: [String], runner: FakeSnippetRunner = FakeSnippetRunner(), options: BatchOptions = BatchOptions(),
        kept: Bool = false, dropped: Bool = false
    ) async throws -> (output: [String], kept: [String], dropped: [String], summary: Summary) {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try TestFiles.write(lines, to: "\(folder)/in.jsonl")
        let job = BatchJob(
            input: "\(folder)/in.jsonl", output: "\(folder)/out.jsonl",
            kept: kept ? "\(folder)/kept.jsonl" : nil, dropped: dropped ? "\(folder)/dropped.jsonl" : nil)
        let summary = try await BatchVerifier(runner: runner, options: options).run(job)
        return (
            try TestFiles.lines("\(folder)/out.jsonl"),
            kept ? try TestFiles.lines("\(folder)/kept.jsonl") : [],
            dropped ? try TestFiles.lines("\(folder)/dropped.jsonl") : [],
            summary
        )
    }

    static func flat(_ id: Int, _ code: String, _ result: String) -> String {
        #"{"id": \#(id), "code": "\#(code)", "result": "\#(result)"}"#
    }

    @Test func outputIsInInputOrderWhateverOrderRunsFinishIn() async throws {
        let count = 40
        let lines = (0..<count).map { Self.flat($0, "print(\($0))", "$\($0)$") }
        // Earlier records take longer, so they finish last.
        let runner = FakeSnippetRunner { code in .milliseconds(Int(code.dropFirst(6).dropLast())! % 7 * 3) }
        let result = try await verify(lines, runner: runner, options: BatchOptions(window: 6))
        let ids = try result.output.map { try TestFiles.object($0)["id"] as? Int }
        #expect(ids == Array(0..<count))
        #expect(runner.mostRunning <= 6, "the window bounds what is in flight")
        #expect(runner.mostRunning >= 2, "records run concurrently")
        #expect(result.summary.verdicts[.correct] == count)
    }

    @Test func blankLinesGiveNoRecordButCountForLineNumbers() async throws {
        let lines = [Self.flat(1, "print(1)", "1"), "", "   ", "not json", "", Self.flat(2, "print(2)", "2")]
        let result = try await verify(lines)
        #expect(result.output.count == 3)
        let malformed = try TestFiles.object(result.output[1])
        #expect(malformed["line"] as? Int == 4)
        #expect((malformed["error"] as? String)?.hasPrefix("not JSON") == true)
        #expect(result.summary.records == 3 && result.summary.malformed == 1 && result.summary.computations == 2)
    }

    @Test func shardsTakeLineIndexModuloNBlankLinesIncluded() async throws {
        let lines = (0..<10).map { $0 == 4 ? "" : Self.flat($0, "print(\($0))", "\($0)") }
        var seen: [Int] = []
        for k in 0..<3 {
            let result = try await verify(lines, options: BatchOptions(shard: Shard(index: k, count: 3)!))
            let ids = try result.output.map { try TestFiles.object($0)["id"] as! Int }
            #expect(ids == (0..<10).filter { $0 % 3 == k && $0 != 4 })
            seen += ids
        }
        #expect(seen.sorted() == [0, 1, 2, 3, 5, 6, 7, 8, 9])
    }

    @Test func keptAndDroppedSplitEachRecord() async throws {
        let blocks = #"{"idx": 1, "model": "m", "computations": [{"code": "print(12)", "result": "$12$"}, {"code": "print(41)", "result": "$42$"}, {"code": "print('x')", "result": "A statement."}]}"#
        let lines = [blocks, Self.flat(2, "print(5)", "$4$"), Self.flat(3, "print(4)", "$4$"), #"{"idx": 4, "computations": []}"#]
        let result = try await verify(lines, kept: true, dropped: true)
        let kept = try result.kept.map(TestFiles.object)
        let dropped = try result.dropped.map(TestFiles.object)
        #expect(kept.map(verdicts) == [["correct", "unverifiable"], ["correct"]])
        #expect(kept.map { ($0["idx"] ?? $0["id"]) as? Int } == [1, 3])
        #expect(kept[0]["model"] as? String == "m")
        #expect(dropped.map(verdicts) == [["wrong"], ["wrong"]])
        #expect(dropped.map { ($0["idx"] ?? $0["id"]) as? Int } == [1, 2])
        #expect(result.output.count == 4, "a record without computations still gets its output record")
    }

    @Test func verdictRules() async throws {
        let runner = FakeSnippetRunner(canned: [
            "boom": .ended(.exception(type: "ZeroDivisionError", message: "division by zero"),
                           stderr: "Traceback (most recent call last):\n  File \"<snippet>\", line 1\nZeroDivisionError: division by zero\n"),
            "slow": .ended(.timeout(.wall), stderr: "partial\n"),
            "quiet": .completed(stdout: " \n\n"),
        ])
        let lines = [
            Self.flat(1, "boom", "$4$"), Self.flat(2, "slow", "$4$"), Self.flat(3, "quiet", "$4$"),
            Self.flat(4, "print(4.0)", "$4$"), Self.flat(5, "print(5)", "$4$"), Self.flat(6, "print('yes')", "The claim holds."),
        ]
        let result = try await verify(lines, runner: runner)
        let objects = try result.output.map(TestFiles.object)
        #expect(objects.map { verdicts($0)[0] } == ["failed", "failed", "failed", "correct", "wrong", "unverifiable"])
        let details = objects.map { $0["verification"] as! [String: Any] }
        #expect(details[0]["reason"] as? String == "ZeroDivisionError: division by zero")
        #expect(details[0]["outcome"] as? String == "exception")
        #expect(objects[0]["execution_error"] as? String == "ZeroDivisionError: division by zero")
        #expect(details[1]["reason"] as? String == "timeout (wall)")
        #expect(objects[1]["execution_error"] as? String == "timeout (wall)")
        #expect(details[2]["reason"] as? String == "printed nothing")
        #expect(objects[2]["execution_error"] as? String == "")
        #expect(objects[3]["execution_output"] as? String == "4.0")
        #expect(details[4]["expected"] != nil && details[4]["printed"] != nil && details[4]["rule"] != nil)
        #expect(details[5]["reason"] != nil)
        #expect(details[3]["wall_ms"] as? Double == 5 && details[3]["peak_memory_bytes"] as? Int == 60 << 20)
        #expect(result.summary.outcomes[.exception] == 1 && result.summary.outcomes[.timeout] == 1)
    }

    @Test func overLongLinesAreMalformedAndSkippedWithoutStoppingTheRun() async throws {
        let long = Self.flat(2, "print(1)", String(repeating: "9", count: 5000))
        let lines = [Self.flat(1, "print(1)", "1"), long, Self.flat(3, "print(3)", "3")]
        let result = try await verify(lines, options: BatchOptions(limits: RecordLimits(maxLineBytes: 1000)))
        #expect(result.output.count == 3)
        let malformed = try TestFiles.object(result.output[1])
        #expect(malformed["line"] as? Int == 2)
        #expect((malformed["error"] as? String)?.contains("more than the limit of 1000") == true)
        #expect(try TestFiles.object(result.output[2])["id"] as? Int == 3)
    }

    @Test func lastLineWithoutNewlineCounts() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data((Self.flat(1, "print(1)", "1") + "\n" + Self.flat(2, "print(2)", "2")).utf8).write(to: URL(fileURLWithPath: "\(folder)/in.jsonl"))
        let summary = try await BatchVerifier(runner: FakeSnippetRunner()).run(BatchJob(input: "\(folder)/in.jsonl", output: "\(folder)/out.jsonl"))
        #expect(summary.records == 2)
        #expect(try TestFiles.lines("\(folder)/out.jsonl").count == 2)
    }

    @Test func missingInputAndUnwritableOutputAreErrorsThatNameThePath() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let verifier = BatchVerifier(runner: FakeSnippetRunner())
        await #expect {
            try await verifier.run(BatchJob(input: "\(folder)/missing.jsonl", output: "\(folder)/out.jsonl"))
        } throws: { error in
            let error = error as! VerifierError
            return error.code == .unreadableInput && error.description.contains("missing.jsonl") && error.description.contains("No such file")
        }
        try TestFiles.write([Self.flat(1, "print(1)", "1")], to: "\(folder)/in.jsonl")
        let job = BatchJob(input: "\(folder)/in.jsonl", output: "\(folder)/in.jsonl/out.jsonl")
        #expect(throws: VerifierError.self) { try job.checkFiles() }
        await #expect(throws: VerifierError.self) { try await verifier.run(job) }
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/created.jsonl"))
        try BatchJob(input: "\(folder)/in.jsonl", output: "\(folder)/created.jsonl").checkFiles()
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/created.jsonl"), "checking leaves nothing behind")
        #expect(throws: VerifierError.self, "the input under another name is refused before it is emptied") {
            try BatchJob(input: "\(folder)/in.jsonl", output: "\(folder)/./in.jsonl").checkFiles()
        }
        #expect(try TestFiles.lines("\(folder)/in.jsonl").count == 1)
    }

    @Test func fixtureFilesReadAsTheirFormats() async throws {
        let expected: [(String, Int, Int, Int)] = [  // file, records, malformed, computations
            ("flat.jsonl", 16, 0, 16), ("blocks.jsonl", 4, 0, 7), ("raw.jsonl", 5, 0, 8), ("malformed.jsonl", 12, 9, 3),
        ]
        for (name, records, malformed, computations) in expected {
            let folder = try TestFiles.scratch()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let summary = try await BatchVerifier(runner: FakeSnippetRunner())
                .run(BatchJob(input: TestFiles.fixture(name), output: "\(folder)/out.jsonl"))
            #expect(summary.records == records, "\(name)")
            #expect(summary.malformed == malformed, "\(name)")
            #expect(summary.computations == computations, "\(name)")
        }
    }
}
