// No state carries from one snippet to the next, the same input prints the same output, and a
// server that dies is replaced.

import Glibc
import SnippetSandbox
import TestSupport
import Testing

extension SandboxTests {
@Suite("Isolation and restart")
struct IsolationTests {
    /// Each poisoning snippet changes shared module state; its control must not see it.
    static let poisonings: [(poison: String, control: String, expected: String)] = [
        ("import math\nmath.pi = 3", "import math\nprint(math.pi)", "3.141592653589793\n"),
        ("import builtins\nbuiltins.print = lambda *a, **k: None", "print('visible')", "visible\n"),
        ("import sympy\nsympy.sqrt = lambda x: 42", "import sympy\nprint(sympy.sqrt(4))", "2\n"),
        ("import numpy as np\nnp.pi = 0", "import numpy as np\nprint(np.pi)", "3.141592653589793\n"),
        ("import decimal\ndecimal.getcontext().prec = 3", "from decimal import Decimal\nprint(Decimal(1) / Decimal(7))", "0.1428571428571428571428571429\n"),
        ("import sys\nsys.modules['fractions'] = None", "from fractions import Fraction\nprint(Fraction(1, 3) + Fraction(1, 6))", "1/2\n"),
        ("global_secret = 'left over'", "print('global_secret' in globals())", "False\n"),
        ("import random\nrandom.seed(12345)", "import random\nprint(random.randint(0, 10**9))", "" /* filled by a clean run */),
    ]

    @Test func poisoningDoesNotReachTheNextSnippet() async throws {
        let pool = try await SharedPool.get()
        let cleanRandom = try await pool.run("import random\nprint(random.randint(0, 10**9))").stdout
        for (poison, control, expected) in Self.poisonings {
            let poisoned = try await pool.run(poison)
            #expect(poisoned.outcome == .completed, poisoned.explanation)
            // Both servers: the control runs twice, so it lands on the poisoned one at least once.
            for _ in 0..<2 {
                let run = try await pool.run(control)
                #expect(run.stdout == (expected.isEmpty ? cleanRandom : expected), "after `\(poison)`: \(run.explanation)")
            }
        }
    }

    @Test func sameInputSameOutput() async throws {
        let pool = try await SharedPool.get()
        let code = """
            import random, numpy as np
            print(random.random(), np.random.rand())
            print({'apple', 'banana', 'cherry', 'date'})
            print(hash('verify'))
            """
        let first = try await pool.run(code)
        #expect(first.outcome == .completed, first.explanation)
        for _ in 0..<3 {
            #expect(try await pool.run(code).stdout == first.stdout)
        }
    }

    @Test func aServerKilledMidSnippetIsRestarted() async throws {
        let pool = try await SharedPool.get()
        // Hold both servers with long snippets, then kill server 0 under its snippet.
        async let first = pool.run("import time\ntime.sleep(5)\nprint('slept')")
        async let second = pool.run("import time\ntime.sleep(5)\nprint('slept')")
        try await Task.sleep(for: .milliseconds(400))
        let killed = pool.killServer(slot: 0, tier: 0)
        #expect(killed != nil)
        let runs = await [first, second]
        let lost = runs.filter { $0.outcome.kind == .sandboxError }
        #expect(lost.count == 1, "exactly the killed server's snippet is lost: \(runs.map(\.outcome.summary))")
        #expect(runs.contains { $0.outcome == .completed && $0.stdout == "slept\n" })
        // The pool still serves on both servers.
        let after = await pool.run(["print(1)", "print(2)", "print(3)", "print(4)"])
        #expect(after.map(\.stdout) == ["1\n", "2\n", "3\n", "4\n"], "\(after.map(\.outcome.summary))")
        if let killed { #expect(kill(killed, 0) != 0, "the killed server is reaped, not a zombie") }
    }

    /// A server skips CPython's after-fork hooks (interpreter.c), which would otherwise clear
    /// a signal it caught: the next child must not inherit it as a KeyboardInterrupt.
    @Test func aSignalTheServerCaughtDoesNotReachTheNextChild() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        let servers = pool.serverProcessIDs
        #expect(!servers.isEmpty)
        for pid in servers { kill(pid, SIGINT) }
        let runs = await pool.run(["print(1)", "print(2)"])
        await pool.shutdown()
        #expect(runs.map(\.stdout) == ["1\n", "2\n"], "\(runs.map(\.explanation))")
    }

    @Test func manySnippetsAtOnceAllGetAnswers() async throws {
        let pool = try await SharedPool.get()
        let codes = (0..<200).map { "print(\($0) * \($0))" }
        let runs = await pool.run(codes)
        #expect(runs.map(\.stdout) == (0..<200).map { "\($0 * $0)\n" })
    }
}
}

@Suite("Start-up", .timeLimit(.minutes(2)))
struct StartupTests {
    @Test func aMissingPreloadModuleStopsStartWithItsName() async throws {
        let config = SandboxConfiguration(servers: 1, preload: ["math", "no_such_module_xyz"])
        await #expect {
            try await ServerPool(configuration: config)
        } throws: { error in
            guard let error = error as? SandboxError, case .serverStartFailed = error.code else { return false }
            return error.message.contains("no_such_module_xyz")
        }
    }

    /// What a snippet can learn of the scratch folder's past: its times, links, entries and the
    /// inode number the next file gets (the tmpfs's counter).
    static let scratchFingerprint = """
        import os
        st = os.stat('.')
        fd = os.open('probe', os.O_CREAT | os.O_WRONLY, 0o600)
        ino = os.fstat(fd).st_ino
        os.close(fd)
        os.remove('probe')
        print(os.listdir('.'), st.st_nlink, oct(st.st_mode), st.st_mtime_ns == st.st_ctime_ns == st.st_atime_ns, ino)
        """

    @Test func aSnippetFindsTheScratchFolderAsFreshAsTheFirstDid() async throws {
        // One server, so that every run lands on the folder the one before used.
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        let first = await pool.run(Self.scratchFingerprint)
        let traces = [
            "import os\nfor i in range(50):\n    open(f'f{i}', 'w').close()\nfor i in range(50):\n    os.remove(f'f{i}')",
            "import os\nos.listdir('.')",
            "import os\nos.mkdir('d')\nos.rmdir('d')\nst = os.stat('.')\nos.utime('.', ns=(st.st_atime_ns, st.st_atime_ns))",
            "import os\nos.chmod('.', 0o755)",
        ]
        var after: [String] = []
        for trace in traces {
            _ = await pool.run(trace)
            after.append(await pool.run(Self.scratchFingerprint).stdout)
        }
        await pool.shutdown()
        #expect(first.outcome == .completed, first.explanation)
        for (trace, seen) in zip(traces, after) {
            #expect(seen == first.stdout, "after `\(trace)`")
        }
    }

    @Test func descriptorsKeptInFlightDoNotFailANeighboursStart() async throws {
        // Descriptors in flight count against the sandbox user's allowance, shared by every
        // child of every server: the handover of a neighbour's seccomp listener must not need it.
        let pool = try await SharedPool.get()
        let hold = "import array, socket, time\na, b = socket.socketpair()\n"
            + "a.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [a.fileno()] * 250))])\n"
            + "print('holding', flush=True)\ntime.sleep(2)"
        async let holder = pool.run(hold)
        var neighbours: [SnippetRun] = []
        for k in 0..<8 {
            try await Task.sleep(for: .milliseconds(200))
            neighbours.append(await pool.run("print(\(k) * 3)"))
        }
        // The holder's own send may be refused if other children of the machine already hold
        // that many in flight: then there is nothing to prove, and nothing that may fail.
        _ = await holder
        for (k, run) in neighbours.enumerated() {
            #expect(run.outcome == .completed && run.stdout == "\(k * 3)\n", run.explanation)
        }
    }

    @Test func theCallersEnvironmentNeverReachesASnippet() async throws {
        let secret = "vs-secret-\(UInt64.random(in: 0...UInt64.max))"
        setenv("VERIFY_SNIPPETS_TEST_SECRET", secret, 1)
        defer { unsetenv("VERIFY_SNIPPETS_TEST_SECRET") }
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        let run = await pool.run("import os\nprint(sorted(os.environ))\nprint(os.environ.get('VERIFY_SNIPPETS_TEST_SECRET'))")
        await pool.shutdown()
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "['HOME', 'LANG', 'MKL_NUM_THREADS', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'PATH', 'PYTHONHASHSEED', 'TMPDIR']\nNone\n")
        #expect(!run.stdout.contains(secret))
    }

    @Test func protectionsAreReported() async throws {
        let pool = try await SharedPool.get()
        #expect(pool.protections.contains(.seccomp))
        #expect(pool.protections.contains(.landlockFilesystem))
        #expect(pool.protections.contains(.unprivilegedUser))
        if geteuid() == 0 { #expect(pool.protections.contains(.privateRoot), "as root each server pivots into its own view") }
        #expect(pool.landlockABI >= 1)
    }

    /// The heaviest tier's preloaded heap is in transparent huge pages (huge_pages.c), so that
    /// fork copies one page-table entry per 2 MiB of it instead of 512: in its template, which
    /// collapses it, and in the servers forked from it, which share those pages. Needs a kernel
    /// with THP not set to `never` and MADV_COLLAPSE (6.1); without them the servers serve on
    /// 4 KiB pages, which this test then checks instead.
    @Test func theHeaviestServersHeapIsInHugePages() async throws {
        let pool = try await SharedPool.get()
        // Servers start on first need: this one makes sure the heaviest tier runs.
        #expect(await pool.run("import sympy\nprint(sympy.Rational(1, 2))").stdout == "1/2\n")
        func hugeKiB(_ pid: Int32) -> Int {
            let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            let line = rollup.split(separator: "\n").first { $0.hasPrefix("AnonHugePages:") }
            return line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        }
        let servers = pool.serverProcessIDs.map(hugeKiB), templates = pool.templateProcessIDs.map(hugeKiB)
        if KernelFeatures.collapsesHugePages {
            #expect((templates.max() ?? 0) >= 16 * 1024, "AnonHugePages of each template, KiB: \(templates)")
            #expect((servers.max() ?? 0) >= 16 * 1024, "AnonHugePages of each server, KiB: \(servers)")
        } else {
            print("huge pages: this kernel cannot collapse the heap (THP never, or before 6.1); servers serve on 4 KiB pages")
        }
    }
}
