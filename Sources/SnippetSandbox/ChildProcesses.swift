// What the pool does with the processes it starts (templates, and the servers they fork as this
// process's children): read their hello, wait for them, describe how they ended, end them.
// Only ever by the pid of a process this process started and has not reaped yet.

import Glibc

/// The hello of a process that is ready; nil at end of file before it; thrown: what it said
/// when it cannot serve, or a frame that is not a hello. `name` says what it is, for messages.
func readHello(_ fd: Int32, from name: String, until deadline: ContinuousClock.Instant) throws(SandboxError) -> WireFormat.Hello? {
    guard let header = try readExactly(fd, WireFormat.helloSize, until: deadline) else { return nil }
    guard let hello = WireFormat.hello(header) else {
        throw SandboxError(.protocolViolation, "\(name) did not send a valid hello frame")
    }
    let note = try readExactly(fd, hello.noteLength, until: deadline) ?? []
    guard hello.ok else {
        let message = "\(name) could not start: \(String(decoding: note, as: UTF8.self))"
        switch hello.failure {
        case .protectionMissing: throw SandboxError(.protectionMissing(hello.missing.sorted()), message)
        case .setupFailed: throw SandboxError(.serverStartInterrupted, message)
        case .none, .badOption, .interpreterFailed: throw SandboxError(.serverStartFailed, message)
        }
    }
    return hello
}

/// How a process that closed its end ended: waits for it (it is exiting), up to a second, then
/// kills it.
func reapExiting(_ pid: pid_t) -> String {
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

/// Waits up to three seconds for a process told to leave (end of its input), then kills it.
func reapLeaving(_ pid: pid_t) {
    var status: Int32 = 0
    for _ in 0..<300 {
        if waitpid(pid, &status, WNOHANG) == pid { return }
        usleep(10_000)
    }
    kill(pid, SIGKILL)
    waitpid(pid, &status, 0)
}

/// Kills a process, closes our ends of its descriptors and reaps it.
func terminate(_ pid: pid_t, closing descriptors: [Int32]) {
    kill(pid, SIGKILL)
    descriptors.forEach { close($0) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
}

/// "killed by signal 9", "exited with status 1", from a wait status.
private func describe(_ status: Int32) -> String {
    let signal = status & 0x7f
    if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
    return "was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
}

/// True when the other end of `fd` is closed: the process behind it has exited.
func hungUp(_ fd: Int32) -> Bool {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&pfd, 1, 0) == 1 && pfd.revents & Int16(POLLHUP | POLLERR) != 0
}

/// Reads exactly `count` bytes; nil at end of file (the process is gone).
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
