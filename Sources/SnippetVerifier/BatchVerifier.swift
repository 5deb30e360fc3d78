// Verifying a stream of records: a bounded window in flight, results written strictly in input order.

import MathComparator
import SnippetSandbox

/// How a batch reads and schedules its input.
public struct BatchOptions: Sendable, Hashable {
    /// Computations in flight or finished but not yet written (a record counts its computations,
    /// at least one). Bounds memory and what a kill can lose; default 4 per sandbox server, so the
    /// servers stay busy while one slow record holds back the writer.
    public var window: Int
    public var limits: RecordLimits
    /// The lines this task takes.
    public var shard: Shard

    public init(window: Int = 16, limits: RecordLimits = RecordLimits(), shard: Shard = .all) {
        self.window = max(1, window)
        self.limits = limits
        self.shard = shard
    }
}

/// Where a batch reads and writes. Paths; "-" is standard input or output.
public struct BatchJob: Sendable, Hashable {
    public var input: String
    public var output: String
    /// Per record with any correct or unverifiable computation, the record with only those.
    public var kept: String?
    /// Per record with any wrong or failed computation, the record with only those.
    public var dropped: String?
    /// Continue an interrupted run into `output` (see `Resume`).
    public var resume: Bool

    public init(input: String, output: String = "-", kept: String? = nil, dropped: String? = nil, resume: Bool = false) {
        self.input = input
        self.output = output
        self.kept = kept
        self.dropped = dropped
        self.resume = resume
    }
}

/// Runs every computation of a stream of records through a `SnippetRunning` and judges it.
public struct BatchVerifier: Sendable {
    public let runner: any SnippetRunning
    public let comparator: Comparator
    public let options: BatchOptions

    public init(runner: any SnippetRunning, comparator: Comparator = Comparator(), options: BatchOptions = BatchOptions()) {
        self.runner = runner
        self.comparator = comparator
        self.options = options
    }

    /// Verifies one input line; nil for a blank line. For pipelines that bring their own I/O.
    public func verify(line bytes: [UInt8], number: Int) async -> VerifiedRecord? {
        await verify(ParsedLine(bytes: bytes, line: number, limits: options.limits))
    }

    /// Verifies one parsed line; nil for a blank line. The record's computations run concurrently.
    public func verify(_ parsed: ParsedLine) async -> VerifiedRecord? {
        switch parsed {
        case .blank:
            return nil
        case .malformed(let malformed):
            return VerifiedRecord(malformed: malformed)
        case .record(let record):
            let runs = await run(record.computations)
            let verifications = zip(runs, record.computations).map { run, computation in
                Verification(verdict: Verdict.judge(run, against: computation, using: comparator), run: run)
            }
            return VerifiedRecord(record: record, runs: runs, verifications: verifications)
        }
    }

    private func run(_ computations: [Computation]) async -> [SnippetRun] {
        if computations.count == 1 { return [await runner.run(computations[0].code)] }
        return await withTaskGroup(of: (Int, SnippetRun).self) { group in
            for (index, computation) in computations.enumerated() {
                group.addTask { (index, await runner.run(computation.code)) }
            }
            var runs = [SnippetRun?](repeating: nil, count: computations.count)
            for await (index, run) in group { runs[index] = run }
            return runs.map { $0! }
        }
    }

    /// Verifies a whole input into the job's files and returns the counts.
    ///
    /// Memory stays bounded whatever the input's size: one read buffer, one line at a time, and
    /// the window. Records are written in input order and flushed whenever the writer has to wait,
    /// so a kill loses at most the window. `progress` is called after each write (the caller
    /// throttles what it shows).
    ///
    /// - Throws: `.unreadableInput`, `.unwritableOutput`, `.resumeMismatch`. Records written
    ///   before the error stay in the output, complete, for `--resume`.
    public func run(_ job: BatchJob, progress: (@Sendable (Summary) -> Void)? = nil) async throws(VerifierError) -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        let reader = try LineReader(path: job.input)
        let resumePoint = job.resume ? try Resume.prepare(output: job.output, kept: job.kept, dropped: job.dropped) : .fresh
        let mode: OutputFile.Mode = job.resume ? .append : .truncate
        var writer = RecordWriter(
            output: try OutputFile(path: job.output, mode: mode),
            kept: try job.kept.map { path throws(VerifierError) in try OutputFile(path: path, mode: mode) },
            dropped: try job.dropped.map { path throws(VerifierError) in try OutputFile(path: path, mode: mode) })
        writer.summary.resumedRecords = resumePoint.completeRecords
        writer.summary.protections = runner.protections

        var failure: VerifierError?
        var toSkip = resumePoint.completeRecords
        await withTaskGroup(of: (sequence: Int, record: VerifiedRecord, cost: Int).self) { group in
            var lineIndex = 0
            var sequence = 0
            var inFlight = 0
            /// Takes one finished record; writes whatever is now next in order.
            func collect() async {
                guard let (finished, record, cost) = await group.next() else { return }
                inFlight -= cost
                writer.pending[finished] = record
                do throws(VerifierError) {
                    try writer.drain(elapsed: clock.now - started, progress: progress)
                } catch {
                    failure = error
                }
            }
            while failure == nil {
                let line: InputLine?
                do throws(VerifierError) {
                    line = try reader.next(maxBytes: options.limits.maxLineBytes)
                } catch {
                    failure = error
                    break
                }
                guard let line else { break }
                defer { lineIndex += 1 }
                guard options.shard.contains(lineIndex: lineIndex) else { continue }
                let parsed: ParsedLine
                switch line {
                case .text(let bytes):
                    parsed = ParsedLine(bytes: bytes, line: lineIndex + 1, limits: options.limits)
                case .tooLong(let length):
                    parsed = .malformed(
                        MalformedLine(
                            line: lineIndex + 1,
                            reason: "the line is \(length) bytes long, more than the limit of \(options.limits.maxLineBytes)",
                            text: [], members: []))
                }
                if case .blank = parsed { continue }
                if toSkip > 0 {
                    let index = resumePoint.completeRecords - toSkip
                    if let written = resumePoint.samples[index], let identity = RecordIdentity(parsed), identity != written {
                        failure = VerifierError(
                            .resumeMismatch,
                            "\(job.output) was not written from this input: its record \(index + 1) has \(written), but the "
                                + "record it stands for, line \(lineIndex + 1) of \(job.input), has \(identity). Resume with "
                                + "the same input and --shard, or start afresh without --resume")
                        break
                    }
                    toSkip -= 1
                    continue
                }
                // A malformed line costs one slot too: behind a slow record, a run of them must not
                // pile up in memory without bound.
                var cost = 1
                if case .record(let record) = parsed { cost = max(1, record.computations.count) }
                while inFlight > 0 && inFlight + cost > options.window && failure == nil {
                    await collect()
                }
                inFlight += cost
                let number = sequence
                sequence += 1
                group.addTask { (number, await verify(parsed)!, cost) }
            }
            while inFlight > 0 || !group.isEmpty {
                if failure != nil { group.cancelAll() }
                await collect()
            }
        }
        if let failure { throw failure }
        if toSkip > 0 {
            throw VerifierError(
                .resumeMismatch,
                "\(job.output) holds \(resumePoint.completeRecords) records but the input (this shard) has only "
                    + "\(resumePoint.completeRecords - toSkip); was it written from another input or shard?")
        }
        try writer.flush()
        writer.summary.seconds = (clock.now - started).seconds
        return writer.summary
    }
}

/// The ordered writer: holds finished records until their turn, writes them, counts them.
struct RecordWriter {
    let output: OutputFile
    let kept: OutputFile?
    let dropped: OutputFile?
    var pending: [Int: VerifiedRecord] = [:]
    var next = 0
    var summary = Summary()

    /// Writes every record that is next in order, then flushes so a kill loses at most the window.
    mutating func drain(elapsed: Duration, progress: (@Sendable (Summary) -> Void)?) throws(VerifierError) {
        var wrote = false
        while let record = pending.removeValue(forKey: next) {
            try output.writeLine(record.output)
            if let text = record.kept { try kept?.writeLine(text) }
            if let text = record.dropped { try dropped?.writeLine(text) }
            summary.add(record)
            next += 1
            wrote = true
        }
        guard wrote else { return }
        try flush()
        summary.seconds = elapsed.seconds
        progress?(summary)
    }

    func flush() throws(VerifierError) {
        try output.flush()
        try kept?.flush()
        try dropped?.flush()
    }
}

extension Duration {
    var seconds: Double { milliseconds / 1000 }
}

extension BatchJob {
    /// Checks, before anything starts, that the input can be read and every output created, so a
    /// bad path fails at once and with nothing left behind (an output it had to create to test
    /// is removed again; an existing one is not touched).
    ///
    /// - Throws: `.unreadableInput` or `.unwritableOutput`, naming the path and the call.
    public func checkFiles(summary: String? = nil) throws(VerifierError) {
        if input != "-" { _ = try LineReader(path: input) }
        let inputFile = input == "-" ? nil : fileIdentity(input)
        for path in [output, kept, dropped, summary].compactMap({ $0 }) where path != "-" {
            if let inputFile, fileIdentity(path) == inputFile {
                throw VerifierError(.unwritableOutput, "\(path) is the input \(input) under another name: writing it would destroy the input")
            }
            try checkWritable(path)
        }
    }
}

extension Summary {
    /// Writes `json` to `path` whole or not at all.
    /// - Throws: `.unwritableOutput`.
    public func write(toFile path: String) throws(VerifierError) {
        try writeFileAtomically(Array(json.utf8), to: path)
    }
}
