// Every native system call number, invoked from a confined child with harmless arguments:
// exactly the documented allowlist executes, everything else is denied and named. The numbers,
// the calls only one architecture has and its foreign ABIs' sweeps are in
// SyscallSweep+<arch>.swift.

import Foundation
import Glibc
import SnippetSandbox
import Testing

#if !arch(x86_64) && !arch(arm64)
#error("no syscall sweep table for this architecture: write SyscallSweep+<arch>.swift")
#endif

/// Number to name for this architecture, from libseccomp's table (`snippet-server --syscall-names`).
/// Spawned and reaped directly, its output in a file: Foundation's `Process` can miss the exit
/// of a child while other tests spawn servers (its wait then never returns), and a server spawned
/// meanwhile would inherit a pipe's write end, so that its end never came.
func syscallNames() throws -> [Int: String] {
    let server = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("snippet-server").path
    let listing = FileManager.default.temporaryDirectory.appendingPathComponent("syscall-names-\(UUID().uuidString)").path
    defer { unlink(listing) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, listing, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup(server), strdup("--syscall-names"), nil]
    defer { argv.forEach { free($0) } }
    let spawned = posix_spawn(&pid, server, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    var names: [Int: String] = [:]
    for line in try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let nr = Int(parts[0]) { names[nr] = String(parts[1]) }
    }
    return names
}

/// The allowlist as seccomp_policy.c documents it (with seccomp_arch_<arch>.c's, in
/// `SweepArchitecture.allowedOnlyHere`), one reason a line there. A call listed here
/// executes with the zero arguments the sweep passes; one with a condition on its arguments
/// (clone, ioctl, socketpair, kill, tgkill, futex without FUTEX_PRIVATE_FLAG, getsockopt and
/// setsockopt at level 0, prctl option 0) is denied with zeros, and is tested with real
/// arguments by `ArgumentFilterSweepTests`, the confinement and the attack tests instead.
let allowedWithZeroArguments: Set<String> = Set<String>([
    "read", "write", "readv", "writev", "pread64", "pwrite64", "close", "openat", "newfstatat",
    "fstat", "statx", "lseek", "mmap", "munmap", "mprotect", "brk",
    "getdents64", "getrandom", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
    "set_robust_list", "rseq", "gettid", "getpid", "getppid", "exit", "exit_group", "getcwd",
    "chdir", "unlinkat", "mkdirat", "renameat", "renameat2",
    "readlinkat", "faccessat", "faccessat2", "ftruncate", "fsync",
    "fdatasync", "pipe2", "dup", "dup3",
    "nanosleep", "gettimeofday", "sched_yield", "uname", "getuid", "geteuid", "getgid", "getegid",
    "getrusage", "times", "ppoll", "pselect6", "epoll_create1",
    "epoll_ctl", "epoll_pwait", "sendfile", "sendmsg",
    "recvmsg", "sendto", "recvfrom", "rt_sigaction", "getsockname", "getpeername", "shutdown",
    // Conditional rules that zero arguments satisfy: pid 0, no new limit, F_DUPFD, MADV_NORMAL,
    // mremap without flags, CLOCK_REALTIME, getpriority(PRIO_PROCESS, 0), MEMBARRIER_CMD_QUERY,
    // a shared FUTEX_WAIT (pthread_join's; on a null address it fails with EFAULT).
    "sched_getaffinity", "prlimit64", "fcntl", "madvise", "mremap", "clock_gettime", "clock_getres",
    "clock_nanosleep", "getpriority", "membarrier", "futex",
]).union(SweepArchitecture.allowedOnlyHere)

/// Calls answered ENOSYS without a record: clone3 (glibc falls back to clone, whose flags the
/// filter reads) and sysinfo (the host's memory, load and process count; glibc asks for it
/// incidentally).
let answeredENOSYS: Set<String> = ["clone3", "sysinfo"]

extension SecurityTests {
@Suite("System-call sweep")
struct SyscallSweepTests {
    /// What happened to one probe.
    enum Result: Equatable {
        case executed, denied(String), answeredENOSYS, killedForeignABI
    }

    static func classify(_ run: SnippetRun) -> Result {
        switch run.outcome {
        case .violation(let name) where name == "a system call of another ABI": return .killedForeignABI
        case .violation(let name): return .denied(name)
        default: return run.stdout.contains("errno 38") ? .answeredENOSYS : .executed
        }
    }

    static func native(_ nr: Int) -> String {
        """
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        r = libc.syscall(\(nr), 0, 0, 0, 0, 0, 0)
        print('returned', r, 'errno', ctypes.get_errno())
        """
    }

    static let sweepLimits = SandboxLimits(wallTime: .seconds(1), cpuTime: .seconds(1), memory: .gibibytes(1))

    @Test func nativeCallsOutsideTheAllowlistAreDeniedAndNamed() async throws {
        let pool = try await SecurityPool.lightPool()
        let numbers = Array(SweepArchitecture.nativeNumbers)
        let runs = await pool.run(numbers.map(Self.native), limits: Self.sweepLimits)
        let names = try syscallNames()
        var executedNames: Set<String> = []
        var unexpected: [String] = []
        for (nr, run) in zip(numbers, runs) {
            switch Self.classify(run) {
            case .executed where SweepArchitecture.numbersThisKernelAnswersUnfiltered.keys.contains(nr):
                if let name = names[nr], name != SweepArchitecture.numbersThisKernelAnswersUnfiltered[nr] ?? nil {
                    unexpected.append("\(nr) is \(name) now, and it executed")
                }
            case .executed:
                executedNames.insert(names[nr] ?? "syscall \(nr)")
            case .denied(let name):
                if allowedWithZeroArguments.contains(name) { unexpected.append("\(nr) \(name) denied but allowed") }
            case .answeredENOSYS:
                if !answeredENOSYS.contains(names[nr] ?? "") { unexpected.append("\(nr) answered ENOSYS: \(run.stdout)") }
            case .killedForeignABI:
                unexpected.append("\(nr) killed as a foreign ABI")
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
        #expect(executedNames == allowedWithZeroArguments,
                "executed but not allowed: \(executedNames.subtracting(allowedWithZeroArguments).sorted()); allowed but not executed: \(allowedWithZeroArguments.subtracting(executedNames).sorted())")
    }
}
}
