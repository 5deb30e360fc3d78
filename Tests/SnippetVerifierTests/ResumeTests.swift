// --resume: a torn last line is redone, complete records are neither rerun nor rewritten, kept/dropped rebuilt.

import Foundation
@testable import SnippetVerifier
import Testing

@Suite struct ResumeTests {
    let lines: [String] = (0..<30).map { i in
        i % 10 == 4 ? "" : i % 10 == 7 ? "{broken" :
            #"{"id": \#(i), "computations": [{"code": "print(\#(i))", "result": "$\#(i)$"}, {"code": "print(\#(i + 1))", "result": "$\#(i)$"}]}"#
    }

    func files(_ folder: String) -> BatchJob {
        BatchJob(input: "\(folder)/in.jsonl", output: "\(folder)/out.jsonl", kept: "\(folder)/kept.jsonl", dropped: "\(folder)/dropped.jsonl")
    }

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Writes the input into a fresh folder and verifies it once, uninterrupted; returns the job
    /// (with `resume` set, for the next run) and the output it wrote.
    func completedRun(in folder: String) async throws -> (job: BatchJob, output: Data) {
        try TestFiles.write(lines, to: "\(folder)/in.jsonl")
        var job = files(folder)
        _ = try await BatchVerifier(runner: FakeSnippetRunner()).run(job)
        job.resume = true
        return (job, try read(job.output))
    }

    @Test func tornLastLineIsRedoneAndCompleteRecordsAreNotRerun() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (job, whole) = try await completedRun(in: folder)
        let wholeKept = try read(job.kept!)
        let wholeDropped = try read(job.dropped!)

        // Keep 11 complete records and half of the 12th, as a kill in the middle of write leaves them.
        let outputLines = whole.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var torn = Data(outputLines[..<11].joined(separator: [UInt8(ascii: "\n")])) + Data([UInt8(ascii: "\n")])
        let completePrefix = torn
        torn += outputLines[11].prefix(outputLines[11].count / 2)
        try torn.write(to: URL(fileURLWithPath: job.output))
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: job.kept!))
        try Data().write(to: URL(fileURLWithPath: job.dropped!))

        let runner = FakeSnippetRunner()
        let summary = try await BatchVerifier(runner: runner).run(job)
        #expect(try read(job.output) == whole, "the resumed file equals one uninterrupted run")
        #expect(try read(job.output).prefix(completePrefix.count) == completePrefix)
        #expect(try read(job.kept!) == wholeKept, "kept is rebuilt from the output")
        #expect(try read(job.dropped!) == wholeDropped)
        #expect(summary.resumedRecords == 11)
        #expect(summary.records == 27 - 11)
        // Records 0...13 (11 non-blank lines: 0-3, 5, 6, 7 (broken), 8, 9, 10, 11) are not run again.
        #expect(!runner.calls.contains("print(11)"), "a complete record is not run again")
        #expect(runner.calls.contains("print(12)"), "the torn record is run again")
    }

    @Test func resumingACompleteOutputRunsNothing() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (job, whole) = try await completedRun(in: folder)
        let runner = FakeSnippetRunner()
        let summary = try await BatchVerifier(runner: runner).run(job)
        #expect(runner.calls.isEmpty)
        #expect(summary.records == 0 && summary.resumedRecords == 27)
        #expect(try read(job.output) == whole)
    }

    @Test func resumeWithoutAnOutputStartsFresh() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try TestFiles.write(lines, to: "\(folder)/in.jsonl")
        var job = files(folder)
        job.resume = true
        let summary = try await BatchVerifier(runner: FakeSnippetRunner()).run(job)
        #expect(summary.records == 27 && summary.resumedRecords == 0)
    }

    @Test func anOutputWithMoreRecordsThanTheInputIsRefused() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (job, _) = try await completedRun(in: folder)
        try TestFiles.write(Array(lines.prefix(5)), to: job.input)
        await #expect {
            try await BatchVerifier(runner: FakeSnippetRunner()).run(job)
        } throws: { error in
            (error as? VerifierError)?.code == .resumeMismatch
        }
    }

    @Test func anOutputOfAnotherShardIsRefusedAndLeftAsItWas() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try TestFiles.write(lines, to: "\(folder)/in.jsonl")
        var job = files(folder)
        _ = try await BatchVerifier(runner: FakeSnippetRunner(), options: BatchOptions(shard: Shard(index: 0, count: 2)!)).run(job)
        // Cut to 3 records, as a kill would, then resume it as the other shard.
        let written = try read(job.output).split(separator: UInt8(ascii: "\n")).prefix(3)
        let interrupted = Data(written.joined(separator: [UInt8(ascii: "\n")])) + Data([UInt8(ascii: "\n")])
        try interrupted.write(to: URL(fileURLWithPath: job.output))
        job.resume = true
        let runner = FakeSnippetRunner()
        await #expect {
            try await BatchVerifier(runner: runner, options: BatchOptions(shard: Shard(index: 1, count: 2)!)).run(job)
        } throws: { error in
            guard let error = error as? VerifierError, error.code == .resumeMismatch else { return false }
            return error.message.contains(#""id": 0"#) && error.message.contains(#""id": 1"#)
        }
        #expect(runner.calls.isEmpty, "nothing runs")
        #expect(try read(job.output) == interrupted, "nothing is appended")
    }

    @Test func anOutputOfAnotherInputIsRefusedEvenWhenOnlyItsLastRecordDiffers() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (job, whole) = try await completedRun(in: folder)
        // Same length, same first records; record 27 (the last, line 30) now has another id.
        var changed = lines
        changed[29] = changed[29].replacingOccurrences(of: #""id": 29"#, with: #""id": 290"#)
        try TestFiles.write(changed, to: job.input)
        await #expect {
            try await BatchVerifier(runner: FakeSnippetRunner()).run(job)
        } throws: { error in
            (error as? VerifierError)?.code == .resumeMismatch
        }
        #expect(try read(job.output) == whole)
    }

    @Test func aForeignLineInTheOutputIsRefusedWhenKeptMustBeRebuilt() async throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try TestFiles.write(lines, to: "\(folder)/in.jsonl")
        try TestFiles.write(["not a record"], to: "\(folder)/out.jsonl")
        var job = files(folder)
        job.resume = true
        await #expect {
            try await BatchVerifier(runner: FakeSnippetRunner()).run(job)
        } throws: { error in
            (error as? VerifierError)?.code == .resumeMismatch
        }
    }
}
