// One fork-server process seen from Swift: spawn it, read its hello, send requests, read
// responses, and notice when it is gone. Blocking I/O on a queue of its own.

import Dispatch
import Glibc
import Synchronization

/// A running `snippet-server` process and its two pipes.
///
/// Every method except `init` must run on `queue`, the only place its descriptors are touched:
/// that is what makes the class safe to share (`@unchecked Sendable`). It blocks there, never on
/// the cooperative pool, so N busy servers cannot starve Swift concurrency.
final class ForkServer: @unchecked Sendable {
    let queue: DispatchQueue
    private let launch: Launch
    private var process: Process?
    /// The running server's pid, readable off the queue (0: none), for killing it from outside.
    private let runningPID = Atomic<Int32>(0)

    /// How to start a server; the same for every restart.
    struct Launch: Sendable {
        var executable: String
        var arguments: [String]
        /// What the server is, for messages: "the fork server of tier 2 (scipy, sympy, preload ...)".
        var name: String
        /// How long a server may take to import its preload set and say hello.
        var startTimeout: Duration = .seconds(120)
        /// Pauses before each new attempt after a failure that may pass (a server killed while
        /// starting, a set-up step that failed): attempts are one more than the pauses.
        var restartPauses: [Duration] = [.milliseconds(250), .seconds(1), .seconds(2), .seconds(4)]
    }

    private struct Process {
        var pid: pid_t
        var requests: Int32   // we write requests here
        var responses: Int32  // and read responses here
        var hello: WireFormat.Hello
    }

    init(launch: Launch, label: String) {
        self.launch = launch
        self.queue = DispatchQueue(label: label)
    }

    /// Starts the server if it is not running, again after each failure that may pass, and
    /// returns what it said in its hello. A failure that a retry cannot change (a missing
    /// protection, a preload module that does not import, a bad option) is thrown at once; when
    /// every attempt failed, the error says what happened each time and what to do.
    func start() throws(SandboxError) -> WireFormat.Hello {
        dispatchPrecondition(condition: .onQueue(queue))
        var failures: [String] = []
        for attempt in 0...launch.restartPauses.count {
            if attempt > 0 {
                let pause = launch.restartPauses[attempt - 1]
                usleep(UInt32(clamping: pause.milliseconds * 1000))
            }
            do {
                return try startOnce()
            } catch where error.isTransient {
                failures.append("attempt \(attempt + 1): \(error.description)")
            }
        }
        throw SandboxError(
            .serverStartInterrupted,
            "\(launch.name) could not start in \(failures.count) attempts (\(failures.joined(separator: "; "))). "
                + "Something killed it or it ran out of memory while importing its preload: check the node's free "
                + "memory and the kernel log (dmesg) for the OOM killer, or run fewer --jobs or a smaller --preload")
    }

    private func startOnce() throws(SandboxError) -> WireFormat.Hello {
        if let process { return process.hello }
        let spawned = try spawn()
        let hello: WireFormat.Hello?
        do throws(SandboxError) {
            hello = try handshake(spawned.responses)
        } catch {
            terminate(spawned.pid, spawned.requests, spawned.responses)
            throw error
        }
        guard let hello else {
            // End of file before any hello: the process is gone or going; say how it ended.
            let end = Self.reap(spawned.pid)
            close(spawned.requests)
            close(spawned.responses)
            throw SandboxError(.serverStartInterrupted, "\(launch.name) \(end) while starting")
        }
        process = Process(pid: spawned.pid, requests: spawned.requests, responses: spawned.responses, hello: hello)
        runningPID.store(spawned.pid, ordering: .releasing)
        return hello
    }

    /// The hello of a server that is ready; nil at end of file before it; thrown: what it said
    /// when it cannot serve, or a frame that is not a hello.
    private func handshake(_ responses: Int32) throws(SandboxError) -> WireFormat.Hello? {
        let deadline = ContinuousClock.now + launch.startTimeout
        guard let header = try readExactly(responses, WireFormat.helloSize, until: deadline) else { return nil }
        guard let hello = WireFormat.hello(header) else {
            throw SandboxError(.protocolViolation, "\(launch.name) did not send a valid hello frame")
        }
        let note = try readExactly(responses, hello.noteLength, until: deadline) ?? []
        guard hello.ok else {
            let message = "\(launch.name) could not start: \(String(decoding: note, as: UTF8.self))"
            switch hello.failure {
            case .protectionMissing: throw SandboxError(.protectionMissing(hello.missing.sorted()), message)
            case .setupFailed: throw SandboxError(.serverStartInterrupted, message)
            case .none, .badOption, .interpreterFailed: throw SandboxError(.serverStartFailed, message)
            }
        }
        return hello
    }

    /// How a server that closed its end ended: waits for it (it is exiting), up to a second,
    /// then kills it. Only this pid, which we spawned and have not reaped yet.
    private static func reap(_ pid: pid_t) -> String {
        var status: Int32 = 0
        for _ in 0..<100 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return describe(status) }
            if r < 0 && errno != EINTR { return "ended" }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return "closed its pipe and did not exit"
    }

    /// "killed by signal 9", "exited with status 1", from a wait status.
    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
    }

    /// Runs one snippet. Never throws for what the snippet does; a server that dies or stops
    /// answering is killed, and the snippet gets `.sandboxError` (the next call restarts it).
    func run(code: String, limits: SandboxLimits) -> SnippetRun {
        dispatchPrecondition(condition: .onQueue(queue))
        // A server that died while idle is replaced before it can cost this snippet anything.
        if let idle = self.process, Self.hungUp(idle.responses) {
            _ = lost("the fork server died while idle")
        }
        let process: Process
        do {
            process = try self.process ?? { _ = try start(); return self.process! }()
        } catch {
            return Self.failure("the fork server could not be restarted: \(error)")
        }
        // The server enforces the wall clock itself; this bound only catches a server that hangs.
        let deadline = ContinuousClock.now + limits.wallTime + .seconds(30)
        let frame = WireFormat.request(code: code, limits: limits)
        guard sendAll(process.requests, frame) else {
            return lost("the fork server stopped reading requests")
        }
        do throws(SandboxError) {
            guard let headerBytes = try readExactly(process.responses, WireFormat.responseSize, until: deadline),
                  let header = WireFormat.responseHeader(headerBytes, outputLimit: limits.output)
            else { return lost("the fork server died while running this snippet") }
            let total = header.stdoutLength + header.stderrLength + header.noteLength
            guard let body = try readExactly(process.responses, total, until: deadline) else {
                return lost("the fork server died while answering")
            }
            let stdout = String(decoding: body[0..<header.stdoutLength], as: UTF8.self)
            let stderr = String(decoding: body[header.stdoutLength..<(header.stdoutLength + header.stderrLength)], as: UTF8.self)
            let note = String(decoding: body[(header.stdoutLength + header.stderrLength)...], as: UTF8.self)
            let outcome = WireFormat.outcome(code: header.outcome, detail: header.detail, note: note, stderr: stderr)
            return SnippetRun(outcome: outcome, stdout: stdout, stderr: stderr, usage: header.usage)
        } catch {
            return lost("the fork server did not answer in time (\(error.message))")
        }
    }

    /// Closes the request pipe (the server exits on end of input) and reaps the process.
    func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let p = process else { return }
        process = nil
        runningPID.store(0, ordering: .releasing)
        close(p.requests)
        close(p.responses)
        var status: Int32 = 0
        // A server that does not leave within a few seconds of end of input is killed.
        for _ in 0..<300 {
            if waitpid(p.pid, &status, WNOHANG) == p.pid { return }
            usleep(10_000)
        }
        kill(p.pid, SIGKILL)
        waitpid(p.pid, &status, 0)
    }

    /// The running server's pid, from any thread.
    var processID: pid_t? {
        let pid = runningPID.load(ordering: .acquiring)
        return pid > 0 ? pid : nil
    }

    /// Sends SIGKILL to the server process (by its own pid only), even mid-snippet: callable
    /// from any thread, for tests of the restart path.
    func killProcess() -> pid_t? {
        guard let pid = processID else { return nil }
        kill(pid, SIGKILL)
        return pid
    }

    /// True when the server's end of the response pipe is closed: it has exited.
    private static func hungUp(_ fd: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 1 && pfd.revents & Int16(POLLHUP | POLLERR) != 0
    }

    private func lost(_ reason: String) -> SnippetRun {
        if let p = process {
            runningPID.store(0, ordering: .releasing)
            terminate(p.pid, p.requests, p.responses)
            process = nil
        }
        return Self.failure(reason)
    }

    private static func failure(_ reason: String) -> SnippetRun {
        SnippetRun(outcome: .sandboxError(reason), stdout: "", stderr: "", usage: .zero)
    }

    private func terminate(_ pid: pid_t, _ requests: Int32, _ responses: Int32) {
        kill(pid, SIGKILL)
        close(requests)
        close(responses)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    // MARK: Spawning

    private func spawn() throws(SandboxError) -> (pid: pid_t, requests: Int32, responses: Int32) {
        // A socket, not a pipe: a request to a server that died is then an EPIPE (sendAll),
        // without a SIGPIPE that the host process would have to ignore.
        guard let toServer = makeSocketPair().map({ (read: $0.1, write: $0.0) }) else {
            throw SandboxError(.spawnFailed, "socketpair for the fork server's requests failed", errno: errno)
        }
        guard let fromServer = makePipe() else {
            let e = errno
            close(toServer.read)
            close(toServer.write)
            throw SandboxError(.spawnFailed, "pipe2 for the fork server's responses failed", errno: e)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toServer.read, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fromServer.write, STDOUT_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Its own process group: a Ctrl-C at the terminal reaches the CLI, which then stops the
        // servers in order, rather than every server at once.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = [launch.executable] + launch.arguments
        var pid: pid_t = 0
        // Nothing of the caller's environment (tokens, keys) may reach a server's memory, not
        // even its initial stack, from where a child could read it. The one variable set makes
        // the dynamic loader resolve every symbol once, in the server: with lazy binding each
        // child resolved again each function the server had not called yet, writing (and so
        // copying) the server's GOT pages (measured: 15 page faults a child, about 0.15 ms).
        let rc = withCStrings(argv) { cArgv in
            withCStrings(["LD_BIND_NOW=1"]) { envp in
                posix_spawn(&pid, launch.executable, &actions, &attributes, cArgv, envp)
            }
        }
        close(toServer.read)
        close(fromServer.write)
        guard rc == 0 else {
            close(toServer.write)
            close(fromServer.read)
            throw SandboxError(.spawnFailed, "posix_spawn of \(launch.executable) failed", errno: rc)
        }
        return (pid, toServer.write, fromServer.read)
    }
}

// MARK: Blocking I/O with a deadline

/// Reads exactly `count` bytes; nil at end of file (the server is gone).
func readExactly(_ fd: Int32, _ count: Int, until deadline: ContinuousClock.Instant) throws(SandboxError) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else {
            throw SandboxError(.protocolViolation, "no answer within the deadline")
        }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(clamping: remaining.milliseconds + 1))
        if ready < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if ready == 0 { continue }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, count - got) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return nil }
        got += n
    }
    return buffer
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
