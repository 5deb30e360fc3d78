// The warmed template of one preload tier: a `snippet-server --template` process that imports and
// warms the tier's modules once, then forks every server of that tier when asked.

import Glibc
import Synchronization

/// One template process, started on first need and again if it dies.
///
/// The servers it forks are children of this process (the template clones them with
/// CLONE_PARENT), so `ForkServer` waits for them, kills them and reaps them as its own; each
/// starts from the template's heap, shared copy-on-write, instead of importing and warming the
/// tier again. Safe to call from any thread: one caller at a time talks to the process, and a
/// caller that finds it not yet started waits while it starts.
final class ServerTemplate: Sendable {
    /// How to start the template; the same for every restart.
    struct Launch: Sendable {
        var executable: String
        /// The server's options (preload, scratch root, ...), without `--template`.
        var arguments: [String]
        /// What the template is, for messages: "the template of tier 2 (scipy, sympy, preload ...)".
        var name: String
        /// How long it may take to import and warm its preload set and say hello.
        var startTimeout: Duration = .seconds(120)
    }

    private struct Running: Sendable {
        var pid: pid_t
        var control: Int32 // both directions: hello and fork replies in, fork requests out
    }

    /// The running template, and a refusal no restart can change (a missing protection, a
    /// module that does not import, a bad option): kept, so that each later request fails at
    /// once instead of starting the template again for every snippet of its tier.
    private struct State: Sendable {
        var running: Running?
        var refusal: SandboxError?
    }

    let launch: Launch
    private let state = Mutex(State())
    /// The running template's pid, readable without waiting for the lock (0: none).
    private let runningPID = Atomic<Int32>(0)

    init(launch: Launch) {
        self.launch = launch
    }

    /// Forks a new server of this tier that reads its requests from `requests` and writes its
    /// hello and responses to `responses` (the caller then closes its copies), and returns its
    /// pid: a child of this process from then on, which the caller must reap.
    func forkServer(requests: Int32, responses: Int32) throws(SandboxError) -> pid_t {
        try state.withLock { (state: inout State) throws(SandboxError) -> pid_t in
            let template = try ensure(&state)
            switch sendAll(template.control, WireFormat.forkRequest(), attaching: [requests, responses]) {
            case 0: break
            case EPIPE, ECONNRESET: throw lose(&state.running, "stopped taking fork requests")
            case let code:
                // The template is fine; the kernel refused the descriptors for now (ETOOMANYREFS:
                // this user's descriptors in flight, README's Notes): a retry may pass.
                throw SandboxError(.serverStartInterrupted, "could not pass a new server's descriptors to \(launch.name)", errno: code)
            }
            let reply: WireFormat.ForkReply?
            do throws(SandboxError) {
                reply = try readExactly(template.control, WireFormat.forkReplySize, until: .now + .seconds(30))
                    .flatMap(WireFormat.forkReply)
            } catch {
                throw lose(&state.running, "did not answer a fork request in time")
            }
            switch reply {
            case .forked(let pid)?: return pid
            case .failed(let code)?:
                throw SandboxError(.spawnFailed, "\(launch.name) could not fork a server", errno: code)
            case nil:
                throw lose(&state.running, "did not answer a fork request")
            }
        }
    }

    /// Closes the template's socket (it exits at end of input) and reaps it.
    func stop() {
        let stopped = state.withLock { (state: inout State) -> Running? in
            defer { state.running = nil }
            return state.running
        }
        guard let stopped else { return }
        runningPID.store(0, ordering: .releasing)
        close(stopped.control)
        reapLeaving(stopped.pid)
    }

    /// The running template's pid, from any thread.
    var processID: pid_t? {
        let pid = runningPID.load(ordering: .acquiring)
        return pid > 0 ? pid : nil
    }

    /// The running template, started now if it is not running or has died since.
    private func ensure(_ state: inout State) throws(SandboxError) -> Running {
        if let refusal = state.refusal { throw refusal }
        if let idle = state.running, hungUp(idle.control) {
            _ = lose(&state.running, "died while idle")
        }
        if let running = state.running { return running }
        let spawned = try spawn()
        let hello: WireFormat.Hello?
        do throws(SandboxError) {
            // What it enforces is what its servers say in their own hellos: this one only says it is ready.
            hello = try readHello(spawned.control, from: launch.name, until: .now + launch.startTimeout)
        } catch {
            terminate(spawned.pid, closing: [spawned.control])
            if !error.isTransient { state.refusal = error }
            throw error
        }
        guard hello != nil else {
            let end = reapExiting(spawned.pid)
            close(spawned.control)
            throw SandboxError(.serverStartInterrupted, "\(launch.name) \(end) while starting")
        }
        let started = Running(pid: spawned.pid, control: spawned.control)
        state.running = started
        runningPID.store(spawned.pid, ordering: .releasing)
        return started
    }

    /// Ends a template that failed us (it is killed if it has not exited) and returns the error
    /// to throw: transient, as the next call starts a new one.
    private func lose(_ running: inout Running?, _ what: String) -> SandboxError {
        if let lost = running {
            runningPID.store(0, ordering: .releasing)
            terminate(lost.pid, closing: [lost.control])
            running = nil
        }
        return SandboxError(.serverStartInterrupted, "\(launch.name) \(what)")
    }

    private func spawn() throws(SandboxError) -> (pid: pid_t, control: Int32) {
        // One socket both ways: descriptors can only travel over a Unix socket, and a request to
        // a template that died is an EPIPE, not a SIGPIPE the host process would have to ignore.
        guard let (ours, theirs) = makeSocketPair() else {
            throw SandboxError(.spawnFailed, "socketpair for \(launch.name) failed", errno: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, theirs, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, theirs, STDOUT_FILENO)
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
        // servers and templates in order, rather than every one at once.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = [launch.executable, "--template"] + launch.arguments
        var pid: pid_t = 0
        // Nothing of the caller's environment (tokens, keys) may reach a template's memory, not
        // even its initial stack, from where a child could read it. The one variable set makes
        // the dynamic loader resolve every symbol once, in the template: with lazy binding each
        // child resolved again each function the server had not called yet, writing (and so
        // copying) the GOT pages (measured: 15 page faults a child, about 0.15 ms).
        let rc = withCStrings(argv) { cArgv in
            withCStrings(["LD_BIND_NOW=1"]) { envp in
                posix_spawn(&pid, launch.executable, &actions, &attributes, cArgv, envp)
            }
        }
        close(theirs)
        guard rc == 0 else {
            close(ours)
            throw SandboxError(.spawnFailed, "posix_spawn of \(launch.executable) failed", errno: rc)
        }
        return (pid, ours)
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
