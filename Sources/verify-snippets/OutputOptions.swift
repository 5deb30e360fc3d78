// Where results go and which part of the input this task takes: -o, --kept, --dropped, --resume, --shard.

import ArgumentParser
import Foundation
import SnippetVerifier

struct OutputOptions: ParsableArguments {
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp(
            "Where the output records go; - is standard output. Example: -o verified.jsonl", valueName: "file"))
    var output: String = "-"

    @Option(
        help: ArgumentHelp(
            "Also write, per record with any, the record with only its correct and unverifiable computations "
                + "(a flat record goes whole to one side). Example: --kept kept.jsonl",
            valueName: "file"))
    var kept: String?

    @Option(
        help: ArgumentHelp(
            "Also write, per record with any, the record with only its wrong and failed computations. "
                + "Example: --dropped dropped.jsonl",
            valueName: "file"))
    var dropped: String?

    @Option(
        name: .customLong("summary-json"),
        help: ArgumentHelp(
            "Write the run's counts, speed, latency and protections as JSON. Example: --summary-json summary.json",
            valueName: "file"))
    var summaryJSON: String?

    @Flag(
        help: ArgumentHelp(
            "Continue an interrupted run into the same -o file: its complete records are kept and not run again, "
                + "a torn last line is redone, --kept/--dropped are rebuilt from it. Example: --resume"))
    var resume = false

    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp(
            "Take only the lines whose 0-based index is K modulo N, 0 <= K < N (default: from SLURM_ARRAY_TASK_* "
                + "or JOB_COMPLETION_INDEX with VERIFY_SNIPPETS_SHARDS, else the whole input). Example: --shard 0/4",
            valueName: "K/N"))
    var explicitShard: Shard?

    /// The shard: the flag, else the scheduler's variables (checked in `check`), else all.
    var shard: Shard {
        explicitShard ?? (try? Shard.fromEnvironment(ProcessInfo.processInfo.environment)) ?? .all
    }

    /// Cross-field checks; each message says what would be accepted.
    func check(input: String) throws {
        if resume && output == "-" {
            throw ValidationError("--resume continues an output file: give it with -o FILE (standard output cannot be resumed)")
        }
        let files = [("-o", output), ("--kept", kept), ("--dropped", dropped), ("--summary-json", summaryJSON)]
            .compactMap { name, path in path.map { (name, $0) } }
            .filter { $0.1 != "-" }
        for (index, (name, path)) in files.enumerated() {
            if input != "-" && path == input {
                throw ValidationError("\(name) \(path) is the input file: name another file")
            }
            if let other = files[..<index].first(where: { $0.1 == path }) {
                throw ValidationError("\(name) and \(other.0) both name \(path): give each its own file")
            }
        }
        if explicitShard == nil {
            do {
                _ = try Shard.fromEnvironment(ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationError("\(error.message)")
            }
        }
    }

    func job(input: String) -> BatchJob {
        BatchJob(input: input, output: output, kept: kept, dropped: dropped, resume: resume)
    }

    /// Writes `--summary-json` whole or not at all.
    func writeSummary(_ summary: Summary) throws {
        guard let summaryJSON else { return }
        try summary.write(toFile: summaryJSON)
    }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
