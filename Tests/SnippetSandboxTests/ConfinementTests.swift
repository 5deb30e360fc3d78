// Each confinement promise as its own test, attacked for real inside the sandbox.

import Glibc
import SnippetSandbox
import TestSupport
import Testing

extension SandboxTests {
@Suite("Confinement")
struct ConfinementTests {
    /// A file outside the interpreter's, readable by everyone as far as permissions go.
    static func plantCanary(_ secret: String) -> String {
        let path = "/var/tmp/verify-snippets-canary-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = secret.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        return path
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    @Test func readingAFileOutsideTheInterpreterIsDenied() async throws {
        let secret = "canary-\(UInt64.random(in: 0...UInt64.max))"
        let path = Self.plantCanary(secret)
        defer { unlink(path) }
        let run = try await SharedPool.get().run("print(open('\(path)').read())")
        // As root the child does not even see /var/tmp (its own file-system view); elsewhere
        // Landlock refuses the open. Either way: an exception, and no secret.
        #expect(run.outcome.kind == .exception, run.explanation)
        #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
        for secretFile in ["/etc/shadow", "/etc/passwd", "/proc/1/environ", "/root/.bash_history"] {
            let probe = try await SharedPool.get().run("print(open('\(secretFile)').read())")
            #expect(probe.outcome.kind == .exception, "\(secretFile): \(probe.explanation)")
            #expect(probe.stdout.isEmpty)
        }
    }

    @Test(arguments: ["/tmp", "/dev/shm", "/var/tmp", "/root", ReferencePython.standardLibrary])
    func writingOutsideTheScratchFolderIsDenied(folder: String) async throws {
        let target = "\(folder)/verify-snippets-write-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let run = try await SharedPool.get().run("open('\(target)', 'w').write('x')\nprint('wrote')")
        #expect(run.outcome.kind == .exception, run.explanation)
        #expect(!run.stdout.contains("wrote"))
        #expect(!Self.exists(target), "\(target) must not exist")
    }

    @Test func theScratchFolderIsPrivateAndEmptiedAfterEachSnippet() async throws {
        let pool = try await SharedPool.get()
        let write = try await pool.run("""
            import os, tempfile
            with open('left-behind.txt', 'w') as f:
                f.write('data')
            with tempfile.NamedTemporaryFile(delete=False) as t:
                t.write(b'x')
            print(sorted(os.listdir('.')) != [])
            """)
        #expect(write.outcome == .completed, write.explanation)
        #expect(write.stdout == "True\n")
        // Whichever server runs it, the folder is empty again.
        for _ in 0..<4 {
            let look = try await pool.run("import os\nprint(os.listdir('.'))")
            #expect(look.stdout == "[]\n", look.explanation)
        }
    }

    @Test(arguments: [
        ("tcp", "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=1)"),
        ("udp", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b'x', ('127.0.0.1', 53))"),
        ("unix", "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect('/run/systemd/private')"),
        ("http", "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:1/')"),
    ])
    func socketsAreDenied(kind: String, code: String) async throws {
        let run = try await SharedPool.get().run(code + "\nprint('connected')")
        #expect(run.outcome == .violation(syscall: "socket"), "\(kind): \(run.explanation)")
        #expect(!run.stdout.contains("connected"))
    }

    @Test(arguments: [
        ("fork", "import os\nos.fork()", ["clone"]),
        // CPython 3.11 spawns with vfork, 3.13 with clone(CLONE_VM | CLONE_VFORK).
        ("subprocess", "import subprocess\nsubprocess.run(['/bin/true'])", ["vfork", "clone"]),
        ("system", "import os\nif os.system('/bin/true') != 0:\n    raise SystemExit(0)", ["clone"]),
        ("exec", "import os\nos.execv('/bin/true', ['true'])", ["execve"]),
        ("posix_spawn", "import os\nos.posix_spawn('/bin/true', ['true'], {})", ["clone"]),
    ] as [(String, String, [String])])
    func creatingProcessesIsDenied(kind: String, code: String, syscalls: [String]) async throws {
        let run = try await SharedPool.get().run(code + "\nprint('spawned')")
        guard case .violation(let name) = run.outcome else {
            Issue.record("\(kind) must be a violation; \(run.explanation)")
            return
        }
        #expect(syscalls.contains(name), "\(kind): \(name)")
        #expect(!run.stdout.contains("spawned"))
    }

    @Test func signallingOrTracingTheServerIsDeniedAndItKeepsServing() async throws {
        let pool = try await SharedPool.get()
        let kill = try await pool.run("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('sent')")
        #expect(kill.outcome == .violation(syscall: "kill"), kill.explanation)
        let group = try await pool.run("import os, signal\nos.killpg(0, signal.SIGKILL)")
        #expect(group.outcome == .violation(syscall: "kill"), group.explanation)
        let trace = try await pool.run("""
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            print(libc.ptrace(16, os.getppid(), 0, 0))
            """)
        #expect(trace.outcome == .violation(syscall: "ptrace"), trace.explanation)
        let readMemory = try await pool.run("print(open(f'/proc/{__import__(\"os\").getppid()}/mem', 'rb').read(1))")
        #expect(readMemory.outcome.kind == .exception, readMemory.explanation)
        for _ in 0..<2 {
            let after = try await pool.run("print('alive')")
            #expect(after.outcome == .completed && after.stdout == "alive\n", after.explanation)
        }
    }

    @Test func raisingALimitThenAllocatingIsDenied() async throws {
        let run = try await SharedPool.get().run("""
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            x = bytearray(3 * 2**30)
            print('allocated')
            """, limits: SandboxLimits(memory: .gibibytes(1)))
        #expect(run.outcome == .violation(syscall: "prlimit64"), run.explanation)
        #expect(!run.stdout.contains("allocated"))
    }

    @Test func busyLoopIgnoringSignalsIsKilled() async throws {
        // A generous wall clock: on a loaded machine the loop may get its two CPU seconds slowly.
        let limits = SandboxLimits(wallTime: .seconds(30), cpuTime: .seconds(1))
        let run = try await SharedPool.get().run("""
            import signal
            for s in (signal.SIGXCPU, signal.SIGTERM, signal.SIGINT):
                signal.signal(s, signal.SIG_IGN)
            while True:
                pass
            """, limits: limits)
        #expect(run.outcome == .timeout(.cpu), run.explanation)
        #expect(run.usage.wallTime < .seconds(30), "killed by the CPU limit, before the wall clock")
    }

    @Test func sleepingThreadsDoNotOutliveTheWallClock() async throws {
        let limits = SandboxLimits(wallTime: .seconds(1))
        let run = try await SharedPool.get().run("""
            import threading, time
            threading.Thread(target=time.sleep, args=(60,)).start()
            print('main done', flush=True)
            """, limits: limits)
        #expect(run.outcome == .timeout(.wall), run.explanation)
    }

    @Test func noDescriptorIsInherited() async throws {
        let run = try await SharedPool.get().run("""
            import os
            open_fds = []
            for fd in range(3, 1024):
                try:
                    os.fstat(fd)
                    open_fds.append(fd)
                except OSError:
                    pass
            print(open_fds)
            """)
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == "[]\n")
    }

    @Test func noGrandchildOutlivesTheSnippet() async throws {
        let pool = try await SharedPool.get()
        let run = try await pool.run("""
            import os, threading
            try:
                if os.fork() == 0:
                    os.setsid()
                    import time
                    time.sleep(600)
            except OSError as e:
                print('fork refused:', e)
            """)
        #expect(run.outcome == .violation(syscall: "clone"), run.explanation)
        #expect(strayProcesses().isEmpty, "no process of the sandbox user may live outside a server")
    }
}
}

