// The built `verify-snippets` with the real sandbox: exit statuses, stdout versus stderr, fixtures' verdicts, --help.

import Foundation
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)))
struct VerifySnippetsCLITests {
    // MARK: Exit status 0 and where things go

    @Test(arguments: ["flat.jsonl", "blocks.jsonl", "raw.jsonl", "malformed.jsonl"])
    func fixturesGetTheirKnownVerdicts(_ name: String) throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run([CLI.fixture(name), "-o", "\(folder)/out.jsonl", "--timeout", "2", "--jobs", "2"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "with -o nothing goes to standard output")
        #expect(result.stderr.contains("verify-snippets: done:"), "the summary goes to standard error")
        let input = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture(name)))
        let records = input.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == UInt8(ascii: " ") } }
        let outputs = try CLI.objects(file: "\(folder)/out.jsonl")
        #expect(outputs.count == records.count, "one output record per input record")
        for (index, output) in outputs.enumerated() {
            if let error = output["error"] as? String {
                #expect(output["line"] is Int && !error.isEmpty)
                continue
            }
            let id = output["id"] ?? output["idx"] ?? "?"
            #expect(verdicts(output) == expectedVerdicts(output), "record \(index + 1) (\(id))")
        }
    }

    @Test func withoutOutputFileResultsGoToStandardOutputAndTheSummaryToStandardError() throws {
        let result = try CLI.run([CLI.fixture("blocks.jsonl"), "--jobs", "1"])
        #expect(result.status == 0)
        let objects = CLI.objects(result.stdout)
        #expect(objects.map { $0["idx"] as? Int } == [101, 102, 103, 104])
        #expect(!result.stderr.contains("\"idx\""), "no record on standard error")
        #expect(result.stderr.contains("4 records, 7 computations: 4 correct, 1 wrong, 1 unverifiable, 1 failed"))
        #expect(result.stderr.contains("sandbox: seccomp"), "the active protections are listed")
    }

    @Test func dashReadsStandardInput() throws {
        let input = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("raw.jsonl")))
        let result = try CLI.run(["-", "--jobs", "1"], stdin: input)
        #expect(result.status == 0)
        #expect(CLI.objects(result.stdout).map(verdicts) == [["correct", "wrong"], ["correct"], ["correct", "correct", "correct"], ["correct", "correct"], []])
    }

    @Test func keptDroppedAndSummaryFiles() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run([
            CLI.fixture("blocks.jsonl"), "-o", "\(folder)/out.jsonl", "--kept", "\(folder)/kept.jsonl",
            "--dropped", "\(folder)/dropped.jsonl", "--summary-json", "\(folder)/summary.json", "--jobs", "2",
        ])
        #expect(result.status == 0)
        let kept = try CLI.objects(file: "\(folder)/kept.jsonl")
        let dropped = try CLI.objects(file: "\(folder)/dropped.jsonl")
        #expect(kept.map { $0["idx"] as? Int } == [101, 102, 103])
        #expect(kept.map(verdicts) == [["correct"], ["correct", "unverifiable"], ["correct", "correct"]])
        #expect(dropped.map { $0["idx"] as? Int } == [101])
        #expect(dropped.map(verdicts) == [["wrong", "failed"]])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/summary.json"))) as! [String: Any]
        #expect(summary["records"] as? Int == 4 && summary["computations"] as? Int == 7)
        #expect(summary["verdicts"] as? [String: Int] == ["correct": 4, "wrong": 1, "unverifiable": 1, "failed": 1])
        #expect((summary["protections"] as? [String])?.contains("seccomp") == true)
        #expect((summary["snippet_ms"] as? [String: Double])?["p50"] ?? 0 > 0)
    }

    @Test func resumeFinishesATornOutputWithoutRepeatingRecords() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/out.jsonl"
        #expect(try CLI.run([CLI.fixture("raw.jsonl"), "-o", output, "--jobs", "2"]).status == 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: output))
        let lines = whole.split(separator: UInt8(ascii: "\n"))
        let torn = Data(lines[0]) + Data("\n".utf8) + Data(lines[1].prefix(lines[1].count / 2))
        try torn.write(to: URL(fileURLWithPath: output))
        let resumed = try CLI.run([CLI.fixture("raw.jsonl"), "-o", output, "--jobs", "2", "--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stderr.contains("1 already done"))
        let records = try CLI.objects(file: output)
        #expect(records.map { $0["idx"] as? Int } == [201, 202, 203, 204, 205])
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)).prefix(lines[0].count) == Data(lines[0]), "complete records are not rewritten")
    }

    @Test func slurmArrayVariablesShardTheInput() throws {
        var ids: [String] = []
        for task in [1, 3] {
            let result = try CLI.run(
                [CLI.fixture("flat.jsonl"), "--jobs", "1", "--timeout", "2"],
                environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "2"])
            #expect(result.status == 0)
            ids += CLI.objects(result.stdout).compactMap { $0["id"] as? String }
            #expect(result.stderr.contains("(shard \(task / 2)/2)"))
        }
        let all = CLI.objects(try String(contentsOfFile: CLI.fixture("flat.jsonl"), encoding: .utf8)).compactMap { $0["id"] as? String }
        let evens = all.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let odds = all.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        #expect(ids == evens + odds)
    }

    // MARK: Exit status 2: bad usage

    @Test(arguments: [
        (["--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--shard", "3/2"], "0 <= K < N"),
        (["--memory", "lots"], "The value 'lots' is invalid for '--memory <size>'"),
        (["--timeout", "0"], "The value '0' is invalid for '--timeout <seconds>'"),
        (["--allow-weaker-sandbox", "seccomp,magic"], "landlock-fs"),
        (["--resume"], "--resume continues an output file: give it with -o FILE"),
        (["-o", "/tmp/same.jsonl", "--kept", "/tmp/same.jsonl"], "both name /tmp/same.jsonl"),
    ])
    func badUsageExitsWithTwoAndSaysWhatIsAccepted(_ arguments: [String], _ message: String) throws {
        let result = try CLI.run([CLI.fixture("flat.jsonl")] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("Usage: verify-snippets"))
        #expect(result.stdout.isEmpty)
    }

    @Test func missingInputArgumentIsBadUsage() throws {
        let result = try CLI.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Missing expected argument '<input>'"))
    }

    @Test func incompleteSchedulerVariablesAreBadUsage() throws {
        let result = try CLI.run([CLI.fixture("flat.jsonl")], environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("VERIFY_SNIPPETS_SHARDS"))
    }

    // MARK: Exit status 1: fatal errors, nothing half-written left behind

    @Test func unreadableInputExitsWithOne() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["\(folder)/missing.jsonl", "-o", "\(folder)/out.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open the input \(folder)/missing.jsonl: No such file or directory"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/out.jsonl"))
    }

    @Test func unwritableOutputExitsWithOne() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: "\(folder)/afile", contents: Data())
        let result = try CLI.run([CLI.fixture("flat.jsonl"), "-o", "\(folder)/afile/out.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(folder)/afile/out.jsonl: Not a directory"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aSandboxThatCannotStartExitsWithOneAndLeavesNoOutput() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run([CLI.fixture("flat.jsonl"), "-o", "\(folder)/out.jsonl", "--jobs", "1", "--preload", "math,no_such_module_xyz"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the sandbox cannot start"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/out.jsonl"), "no output file that looks like a finished run")
    }

    /// An ordinary user whose kernel allows no user namespace cannot have the private root: the
    /// run is refused, saying how to accept less; accepting it runs with every other protection
    /// and gives the same verdicts.
    @Test func withoutUserNamespacesAnOrdinaryUserIsRefusedUnlessItAcceptsLess() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: CLI.fixture("flat.jsonl"), toPath: "\(folder)/in.jsonl")
        try AnotherUser.stage(productsFrom: CLI.productsFolder, into: folder, readable: ["\(folder)/in.jsonl"])
        let launcher = ["/usr/bin/python3", FixturePaths.root.appendingPathComponent("helpers/without_user_namespaces.py").path,
                        "\(folder)/verify-snippets"]

        let refused = try CLI.run(["\(folder)/in.jsonl", "-o", "\(folder)/refused.jsonl", "--jobs", "1"], launcher: launcher)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("private-root") && refused.stderr.contains("--allow-weaker-sandbox private-root"),
                "stderr: \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/refused.jsonl"))

        let weaker = try CLI.run(["\(folder)/in.jsonl", "-o", "\(folder)/weaker.jsonl", "--jobs", "1", "--timeout", "2",
                                  "--allow-weaker-sandbox", "private-root", "--summary-json", "\(folder)/summary.json"],
                                 launcher: launcher)
        #expect(weaker.status == 0, "stderr: \(weaker.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/summary.json"))) as? [String: Any]
        let protections = summary?["protections"] as? [String] ?? []
        #expect(!protections.contains("private-root") && protections.contains("seccomp") && protections.contains("landlock-fs"),
                "protections: \(protections)")
        let asRoot = try CLI.run([CLI.fixture("flat.jsonl"), "--jobs", "1", "--timeout", "2"])
        #expect(try CLI.objects(file: "\(folder)/weaker.jsonl").map(verdicts) == CLI.objects(asRoot.stdout).map(verdicts))

        // Without the view each server's scratch folder is a folder of its own, not its
        // template's: HOME, TMPDIR, tempfile and the working folder all name it, and it is writable.
        let code = """
            import os, tempfile
            here = os.getcwd()
            print(tempfile.gettempdir() == os.environ['HOME'] == os.environ['TMPDIR'] == here, here.startswith('/var/tmp/verify-snippets.'))
            open(tempfile.mktemp(), 'w').write('x')
            print('wrote')
            """
        let record = try JSONSerialization.data(withJSONObject: ["id": 1, "code": code, "result": "True"])
        try (record + Data("\n".utf8)).write(to: URL(fileURLWithPath: "\(folder)/scratch.jsonl"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(folder)/scratch.jsonl")
        let scratch = try CLI.run(["\(folder)/scratch.jsonl", "--jobs", "1", "--allow-weaker-sandbox", "private-root"],
                                  launcher: launcher)
        #expect(scratch.status == 0, "stderr: \(scratch.stderr)")
        let printed = try CLI.objects(scratch.stdout).first?["execution_output"] as? String
        #expect(printed == "True True\nwrote", "\(scratch.stdout)")
    }

    // MARK: --help

    @Test func helpListsEveryOptionWithItsDefaultAndAnExample() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == Self.help, "got:\n\(result.stdout)")
    }

    static let help = """
        OVERVIEW: Run model-written Python math snippets in a sandbox and check what
        they print against the LaTeX result.

        Input: one JSON object per line, in any of three formats (detected per line):
        flat {"id", "code", "result", "expression", "conditions"}; blocks {"idx",
        "computations": [{"title", "conditions", "expression", "result", "code"},
        ...]}; raw model output {"idx", "text": "**Computation 1** ... ```python
        ...```"}. A blank line yields no output.

        Output: one record per input record, in input order, every input field kept.
        Each computation gains "verification": {"verdict": correct | wrong |
        unverifiable | failed, ...details}, "execution_output" and "execution_error". A
        malformed line yields {"line": N, "error": "..."}. Progress and the summary go
        to standard error.

        Exit status: 0 when every input record got its output record; 1 for a fatal
        error (unreadable input, unwritable output, no working sandbox), with a
        message; 2 for bad usage, with a message that says what is accepted.

        Example: verify-snippets snippets.jsonl -o verified.jsonl --kept kept.jsonl
        --dropped dropped.jsonl --summary-json summary.json --timeout 5 --jobs 8

        USAGE: verify-snippets [<options>] <input>

        ARGUMENTS:
          <input>                 The input JSONL file; - reads standard input.
                                  Example: snippets.jsonl

        OUTPUT:
          -o, --output <file>     Where the output records go; - is standard output.
                                  Example: -o verified.jsonl (default: -)
          --kept <file>           Also write, per record with any, the record with only
                                  its correct and unverifiable computations (a flat
                                  record goes whole to one side). Example: --kept
                                  kept.jsonl
          --dropped <file>        Also write, per record with any, the record with only
                                  its wrong and failed computations. Example: --dropped
                                  dropped.jsonl
          --summary-json <file>   Write the run's counts, speed, latency and
                                  protections as JSON. Example: --summary-json
                                  summary.json
          --resume                Continue an interrupted run into the same -o file:
                                  its complete records are kept and not run again, a
                                  torn last line is redone, --kept/--dropped are
                                  rebuilt from it. Example: --resume
          --shard <K/N>           Take only the lines whose 0-based index is K modulo
                                  N, 0 <= K < N (default: from SLURM_ARRAY_TASK_* or
                                  JOB_COMPLETION_INDEX with VERIFY_SNIPPETS_SHARDS,
                                  else the whole input). Example: --shard 0/4

        SANDBOX POOL:
          --jobs <n>              Snippets run at once, each slot with its own fork
                                  servers (default: one per core); the servers are
                                  cloned from one warmed template per preload tier, so
                                  start-up does not grow with it. Example: --jobs 8
          --preload <modules>     Modules imported once per tier, before its first
                                  snippet, comma-separated (numpy, scipy and sympy make
                                  tiers of their own, started only when a snippet names
                                  them). Example: --preload math,fractions,sympy
                                  (default:
                                  math,cmath,fractions,decimal,itertools,functools,statistics,random,re,numpy,sympy,scipy)
          --python-path <folders> Folders of Python packages snippets may import,
                                  searched before the distribution's: colon-separated
                                  or repeated; each is shown read-only in the sandbox,
                                  nothing else is. Example: --python-path
                                  /opt/venvs/math/lib/python3.11/site-packages
          --allow-weaker-sandbox <protections>
                                  Run even when the kernel lacks these protections,
                                  comma-separated, or all: seccomp, landlock-fs,
                                  landlock-net, landlock-scope, unprivileged-user,
                                  no-new-privs, rlimits, private-root; a missing
                                  protection otherwise stops the run. Example:
                                  --allow-weaker-sandbox landlock-net,landlock-scope
                                  (default: none)

        LIMITS PER SNIPPET:
          --timeout <seconds>     Wall-clock seconds a snippet may run (the published
                                  pipeline's 10). Example: --timeout 2.5 (default: 10)
          --cpu <seconds>         CPU seconds a snippet may use, all threads, rounded
                                  up to whole seconds. Example: --cpu 5 (default: 10)
          --memory <size>         Address space a snippet may map (K, M, G suffixes,
                                  powers of 1024). Example: --memory 1G (default: 2G)
          --max-output <size>     Captured output per stream; past it the snippet is
                                  stopped. Example: --max-output 256K (default: 1M)
          --int-max-str-digits <n>
                                  Digits Python may convert between int and str; 0 (the
                                  default) is no limit, the CPU limit bounding the
                                  cost. Python's own guard is 4300. Example:
                                  --int-max-str-digits 4300 (default: 0)

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.


        """
}
