// One fork-server process seen from Swift: have its tier's template fork it, read its hello,
// send requests, read responses, and notice when it is gone. Blocking I/O on a queue of its own.

import Dispatch
import Glibc
import Synchronization

/// A running server, forked from its tier's `ServerTemplate` as a child of this process, and its
/// two pipes.
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
        /// The template that forks it.
        var template: ServerTemplate
        /// What the server is, for messages: "the fork server of tier 2 (scipy, sympy, preload ...)".
        var name: String
        /// How long a server may take to say hello once forked.
        var startTimeout: Duration = .seconds(30)
        /// Pauses before each new attempt after a failure that may pass (a server or its template
        /// killed while starting, a set-up step that failed): attempts are one more than the pauses.
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
            hello = try readHello(spawned.responses, from: launch.name, until: .now + launch.startTimeout)
        } catch {
            terminate(spawned.pid, closing: [spawned.requests, spawned.responses])
            throw error
        }
        guard let hello else {
            // End of file before any hello: the process is gone or going; say how it ended.
            let end = reapExiting(spawned.pid)
            close(spawned.requests)
            close(spawned.responses)
            throw SandboxError(.serverStartInterrupted, "\(launch.name) \(end) while starting")
        }
        process = Process(pid: spawned.pid, requests: spawned.requests, responses: spawned.responses, hello: hello)
        runningPID.store(spawned.pid, ordering: .releasing)
        return hello
    }

    /// Runs one snippet. Never throws for what the snippet does; a server that dies or stops
    /// answering is killed, and the snippet gets `.sandboxError` (the next call restarts it).
    func run(code: String, limits: SandboxLimits) -> SnippetRun {
        dispatchPrecondition(condition: .onQueue(queue))
        // A server that died while idle is replaced before it can cost this snippet anything.
        if let idle = self.process, hungUp(idle.responses) {
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
        reapLeaving(p.pid)
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

    private func lost(_ reason: String) -> SnippetRun {
        if let p = process {
            runningPID.store(0, ordering: .releasing)
            terminate(p.pid, closing: [p.requests, p.responses])
            process = nil
        }
        return Self.failure(reason)
    }

    private static func failure(_ reason: String) -> SnippetRun {
        SnippetRun(outcome: .sandboxError(reason), stdout: "", stderr: "", usage: .zero)
    }

    // MARK: Forking

    /// A new server from the template, with a socket for its requests and a pipe for its answers.
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
        defer {
            close(toServer.read)
            close(fromServer.write)
        }
        do throws(SandboxError) {
            let pid = try launch.template.forkServer(requests: toServer.read, responses: fromServer.write)
            return (pid, toServer.write, fromServer.read)
        } catch {
            close(toServer.write)
            close(fromServer.read)
            throw error
        }
    }
}
