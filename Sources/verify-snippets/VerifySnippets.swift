// The `verify-snippets` command: parse the options, build the values, run `BatchVerifier`.

import ArgumentParser
import Glibc
import SnippetSandbox
import SnippetVerifier

@main
struct VerifySnippets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-snippets",
        abstract: "Run model-written Python math snippets in a sandbox and check what they print against the LaTeX result.",
        discussion: """
            Input: one JSON object per line, in any of three formats (detected per line): flat \
            {"id", "code", "result", "expression", "conditions"}; blocks {"idx", "computations": \
            [{"title", "conditions", "expression", "result", "code"}, ...]}; raw model output \
            {"idx", "text": "**Computation 1** ... ```python ...```"}. A blank line yields no output.

            Output: one record per input record, in input order, every input field kept. Each \
            computation gains "verification": {"verdict": correct | wrong | unverifiable | failed, \
            ...details}, "execution_output" and "execution_error". A malformed line yields \
            {"line": N, "error": "..."}. Progress and the summary go to standard error.

            Exit status: 0 when every input record got its output record; 1 for a fatal error \
            (unreadable input, unwritable output, no working sandbox), with a message; 2 for bad \
            usage, with a message that says what is accepted.

            Example: verify-snippets snippets.jsonl -o verified.jsonl --kept kept.jsonl \
            --dropped dropped.jsonl --summary-json summary.json --timeout 5 --jobs 8
            """,
        version: verifySnippetsVersion
    )

    @Argument(help: ArgumentHelp("The input JSONL file; - reads standard input. Example: snippets.jsonl", valueName: "input"))
    var input: String

    @OptionGroup(title: "Output")
    var output: OutputOptions

    @OptionGroup(title: "Sandbox pool")
    var pool: PoolOptions

    @OptionGroup(title: "Limits per snippet")
    var limits: LimitOptions

    func validate() throws {
        try output.check(input: input)
    }

    func run() async throws {
        // Output to a closed pipe (`| head`) must be an unwritable-output error with a message
        // and status 1, not a silent death. (The library never touches this disposition: it
        // writes to its servers with MSG_NOSIGNAL.)
        signal(SIGPIPE, SIG_IGN)
        let job = output.job(input: input)
        try job.checkFiles(summary: output.summaryJSON)
        var configuration = pool.configuration(limits: limits.sandboxLimits)
        configuration.intMaxStrDigits = limits.intMaxStrDigits
        let reporter = ProgressReporter()
        reporter.starting(servers: configuration.servers)
        // Counted while the servers start; the progress line shows it when it is ready.
        let counting = Task.detached { [input, shard = output.shard] in
            if let total = RecordCount.records(inFile: input, shard: shard) { reporter.setTotal(total) }
        }
        defer { counting.cancel() }
        let sandbox: ServerPool
        do {
            sandbox = try await ServerPool(configuration: configuration)
        } catch {
            reporter.clear()
            throw error
        }
        let verifier = BatchVerifier(
            runner: sandbox,
            options: BatchOptions(window: pool.window(servers: sandbox.configuration.servers), shard: output.shard))
        let summary: Summary
        do {
            summary = try await verifier.run(job, progress: reporter.update)
        } catch {
            await sandbox.shutdown()
            reporter.clear()
            throw error
        }
        await sandbox.shutdown()
        reporter.finish(summary, shard: output.shard)
        try output.writeSummary(summary)
    }
}
