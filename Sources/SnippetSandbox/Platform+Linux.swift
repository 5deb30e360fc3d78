// The few facts about the running system that the Swift side reads from Glibc.

internal import CSystemShims
import Glibc

/// Cores this process may run on (its affinity mask), not the machine's total.
func availableCores() -> Int {
    let cores = Int(vs_affinity_cores())
    return cores > 0 ? cores : Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// "No such file or directory" for ENOENT.
func errnoName(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// pipe2(O_CLOEXEC); returns (read end, write end).
func makePipe() -> (read: Int32, write: Int32)? {
    var fds: [Int32] = [-1, -1]
    guard vs_pipe_cloexec(&fds) == 0 else { return nil }
    return (fds[0], fds[1])
}

/// A connected pair of Unix stream sockets, close-on-exec.
func makeSocketPair() -> (Int32, Int32)? {
    var fds: [Int32] = [-1, -1]
    guard vs_socketpair_cloexec(&fds) == 0 else { return nil }
    return (fds[0], fds[1])
}

/// Writes all of `bytes` to a socket; false when the peer is gone (EPIPE, without a SIGPIPE).
func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
        let n = bytes.withUnsafeBytes { vs_send_nosignal(fd, $0.baseAddress! + sent, UInt(bytes.count - sent)) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        sent += n
    }
    return true
}

/// Writes all of `bytes` to a socket with `descriptors` attached to the first byte (SCM_RIGHTS):
/// 0, or the errno of the failure (EPIPE when the peer is gone).
func sendAll(_ fd: Int32, _ bytes: [UInt8], attaching descriptors: [Int32]) -> Int32 {
    let n = bytes.withUnsafeBytes { raw in
        descriptors.withUnsafeBufferPointer { fds in
            vs_send_with_fds(fd, raw.baseAddress!, UInt(bytes.count), fds.baseAddress!, Int32(fds.count))
        }
    }
    if n < 0 && errno == EINTR { return sendAll(fd, bytes, attaching: descriptors) }
    if n < 0 { return errno }
    return n == bytes.count || sendAll(fd, Array(bytes[n...])) ? 0 : EPIPE
}
