// One test per outcome kind, through a real pool of fork servers.

import SnippetSandbox
import Testing

extension SandboxTests {
@Suite("Outcomes")
struct OutcomeTests {
    @Test func completedWithOutput() async throws {
        let run = try await SharedPool.get().run("print(6 * 7)")
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "42\n")
        #expect(run.usage.wallTime > .zero)
        #expect(run.usage.peakMemory.bytes > 0)
    }

    @Test func exceptionCarriesTypeAndMessage() async throws {
        let run = try await SharedPool.get().run("print('before')\n1/0")
        #expect(run.outcome == .exception(type: "ZeroDivisionError", message: "division by zero"), run.explanation)
        #expect(run.stdout == "before\n", "output printed before the exception is kept")
        #expect(!run.stderr.contains("<string>"), "the runner's own frame is not in the traceback")
    }

    @Test func syntaxError() async throws {
        let run = try await SharedPool.get().run("def f(:\n  pass")
        guard case .syntaxError(let message) = run.outcome else {
            Issue.record("expected a syntax error; \(run.explanation)")
            return
        }
        #expect(message == "invalid syntax")
    }

    /// The runner compiles through CPython's C call, which would stop at the NUL and run the first
    /// line; compile()'s own refusal of the whole source must stand instead.
    @Test func nulByteInTheSourceIsASyntaxError() async throws {
        let run = try await SharedPool.get().run("print('before')\u{0}print('after')")
        guard case .syntaxError(let message) = run.outcome else {
            Issue.record("expected a syntax error; \(run.explanation)")
            return
        }
        #expect(message.contains("null bytes"), "\(message)")
        #expect(run.stdout.isEmpty)
    }

    @Test func wallClockTimeout() async throws {
        let limits = SandboxLimits(wallTime: .milliseconds(500), cpuTime: .seconds(5))
        let run = try await SharedPool.get().run("import time\nprint('started', flush=True)\ntime.sleep(30)", limits: limits)
        #expect(run.outcome == .timeout(.wall), run.explanation)
        #expect(run.usage.wallTime < .seconds(3))
    }

    @Test func cpuTimeout() async throws {
        let limits = SandboxLimits(wallTime: .seconds(10), cpuTime: .seconds(1))
        let run = try await SharedPool.get().run("while True:\n    pass", limits: limits)
        #expect(run.outcome == .timeout(.cpu), run.explanation)
        // The kernel's rusage samples coarser than RLIMIT_CPU fires; it used most of its second.
        #expect(run.usage.cpuTime >= .milliseconds(500))
    }

    @Test func memoryLimit() async throws {
        let limits = SandboxLimits(memory: .gibibytes(1))
        let run = try await SharedPool.get().run("x = bytearray(4 * 2**30)\nprint('allocated')", limits: limits)
        #expect(run.outcome == .memoryLimit, run.explanation)
        #expect(run.stdout.isEmpty)
    }

    @Test func violationNamesTheSyscall() async throws {
        let run = try await SharedPool.get().run("import socket\ns = socket.socket()\nprint('got a socket')")
        #expect(run.outcome == .violation(syscall: "socket"), run.explanation)
        #expect(!run.stdout.contains("got a socket"))
    }

    @Test func outputLimit() async throws {
        let limits = SandboxLimits(output: .kibibytes(64))
        let run = try await SharedPool.get().run("while True:\n    print('x' * 1000)", limits: limits)
        #expect(run.outcome == .outputLimit, run.explanation)
        #expect(run.stdout.utf8.count <= 64 * 1024)
    }

    @Test func crashBySignal() async throws {
        let run = try await SharedPool.get().run("import ctypes\nprint('about to crash', flush=True)\nctypes.string_at(0)")
        #expect(run.outcome == .crashed(signal: 11), run.explanation)
        #expect(run.stdout == "about to crash\n", "a snippet that prints and then crashes is not completed")
    }

    @Test func exitStatusOfItsOwn() async throws {
        let run = try await SharedPool.get().run("import os\nos._exit(3)")
        #expect(run.outcome == .exited(status: 3), run.explanation)
    }

    @Test func systemExitZeroIsCompleted() async throws {
        let run = try await SharedPool.get().run("import sys\nprint('done')\nsys.exit(0)")
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "done\n")
    }

    @Test func systemExitNonZeroIsAnException() async throws {
        let run = try await SharedPool.get().run("import sys\nsys.exit(4)")
        #expect(run.outcome == .exception(type: "SystemExit", message: "4"), run.explanation)
    }

    @Test func aCaughtOrIgnoredCPULimitIsStillATimeout() async throws {
        // Past the soft limit SIGXCPU comes once a second until the hard one; the snippet stops
        // between them. Only a timeout keeps the promise (of either kind: on a loaded machine
        // the wall clock may come first).
        let limits = SandboxLimits(wallTime: .seconds(30), cpuTime: .seconds(1))
        for handler in ["lambda s, f: None", "signal.SIG_IGN"] {
            let code = "import signal, time\nsignal.signal(signal.SIGXCPU, \(handler))\nwhile time.process_time() < 1.5:\n    pass\nprint('finished')"
            let run = try await SharedPool.get().run(code, limits: limits)
            guard case .timeout = run.outcome else {
                Issue.record("\(handler): \(run.explanation)")
                continue
            }
        }
    }

    @Test func atexitHooksRunAsInPython3() async throws {
        let run = try await SharedPool.get().run("import atexit\natexit.register(lambda: print('bye'))\nprint(1)")
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "1\nbye\n")
    }

    @Test func anAtexitHookThatNeverReturnsIsATimeout() async throws {
        let run = try await SharedPool.get().run("import atexit, time\natexit.register(time.sleep, 60)\nprint(1)", limits: SharedPool.quick)
        #expect(run.outcome == .timeout(.wall), run.explanation)
    }

    @Test func anExceptionInAnAtexitHookIsPrintedAndChangesNothing() async throws {
        let code = "import atexit, sys\natexit.register(print, 'last')\natexit.register(sys.exit, 3)\n"
            + "def broken():\n    raise ValueError('boom')\natexit.register(broken)\nprint('main')"
        let run = try await SharedPool.get().run(code)
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "main\nlast\n")
        // The interpreter's own wording (it differs between versions): only what every version prints.
        #expect(run.stderr.contains("atexit") && run.stderr.contains("ValueError: boom") && run.stderr.contains("SystemExit: 3"), run.explanation)
    }

    @Test func hooksAndThreadsRunAfterAnExceptionWhichStaysTheOutcome() async throws {
        let code = "import atexit, threading, time, weakref\nclass Box: pass\nbox = Box()\n"
            + "weakref.finalize(box, print, 'finalized')\natexit.register(print, 'hook')\n"
            + "threading.Thread(target=lambda: (time.sleep(0.1), print('thread'))).start()\nraise KeyError('k')"
        let run = try await SharedPool.get().run(code)
        #expect(run.outcome == .exception(type: "KeyError", message: "'k'"), run.explanation)
        #expect(run.stdout == "thread\nhook\nfinalized\n")
    }

    @Test func bigIntegersConvertToStringWithoutTheDigitLimit() async throws {
        let run = try await SharedPool.get().run("print(len(str(2**20000)))\nprint(int('9' * 5000) % 7)")
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "6021\n\(Self.nines(5000) % 7)\n")
    }

    @Test func pythonsDigitGuardCanBeRestored() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"], intMaxStrDigits: 4300))
        let run = await pool.run("import sys\nprint(sys.get_int_max_str_digits())\nprint(len(str(2**20000)))")
        await pool.shutdown()
        #expect(run.stdout == "4300\n", run.explanation)
        guard case .exception(let type, let message) = run.outcome else {
            Issue.record("expected ValueError; \(run.explanation)")
            return
        }
        #expect(type == "ValueError" && message.contains("4300"), run.explanation)
    }

    /// int('9' * n) % 7, by the digits: 10 % 7 == 3.
    private static func nines(_ n: Int) -> Int {
        (0..<n).reduce(0) { remainder, _ in (remainder * 10 + 9) % 7 }
    }

    @Test func everyKindHasAName() {
        let names = SnippetOutcome.Kind.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.contains("syntax_error") && names.contains("memory_limit"))
    }
}
}
