// The README's "As a library" example, word for word (a test checks that they are the same and
// runs this program): what a pipeline that depends on this package writes.
import SnippetSandbox
import SnippetVerifier

// Two slots of fork servers; `snippet-server` is found beside this program (see Package.swift).
let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 2))
let verifier = BatchVerifier(runner: pool, options: BatchOptions(window: 8, shard: .all))

// A whole file, as the command line does it: `library-example in.jsonl out.jsonl`.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 2 {
    let summary = try await verifier.run(BatchJob(input: arguments[0], output: arguments[1], resume: true))
    print(summary.oneLine)
}

// One line at a time, with your own I/O: nil for a blank line, else the output record.
let line = #"{"id": "q1", "code": "print(6 * 7)", "result": "$42$"}"#
if let record = await verifier.verify(line: Array(line.utf8), number: 1) {
    print(String(decoding: record.output, as: UTF8.self))
    print(record.verifications.map(\.verdict.name.rawValue))   // ["correct"]
}

// The sandbox alone: any code, a structured outcome.
let run = await pool.run("import sympy\nprint(sympy.Rational(1, 3) + sympy.Rational(1, 6))")
print(run.outcome, run.stdout)   // completed 1/2
await pool.shutdown()
