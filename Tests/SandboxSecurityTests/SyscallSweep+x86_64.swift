// x86_64's part of the system-call sweep: its numbers, the legacy calls only it allows
// (seccomp_arch_x86_64.c), and its two foreign ABIs: every i386 number kills the child, every
// x32 number is refused.

#if arch(x86_64)
import SnippetSandbox
import Testing

enum SweepArchitecture {
    /// 0-334 and 424-547 are assigned (x32's own range included); the sweep covers the gap too.
    static let nativeNumbers = 0..<548

    /// The calls seccomp_arch_x86_64.c allows, which the generic table (aarch64) does not have.
    static let allowedOnlyHere: Set<String> = [
        "access", "mkdir", "rmdir", "unlink", "rename", "readlink", "pipe", "dup2", "poll", "select", "epoll_wait",
    ]

    /// Numbers this machine's kernel (6.18.44-fc, a Firecracker guest build) answers without ever
    /// consulting seccomp: they return ENXIO (336) or raise SIGILL (335) with any arguments, and no
    /// filter sees them. 335 is `uretprobe` (Linux 6.11), which the kernel passes through seccomp on
    /// purpose and which kills any caller but its own trampoline; libseccomp 2.6 (Debian 13) names
    /// it, 2.5 (Debian 12) does not. Kept as an explicit, checked exception: the sweep fails if any
    /// other number executes, and if either gets another name in libseccomp's table.
    static let numbersThisKernelAnswersUnfiltered: [Int: String?] = [335: "uretprobe", 336: nil]

    /// Calls the generative fuzzer aims at: socket, fork, vfork, execve, kill, ptrace, setuid,
    /// pivot_root, chroot, mount, reboot, init_module, kexec_load, keyctl, unshare,
    /// perf_event_open, setns, process_vm_readv/writev, bpf, userfaultfd, io_uring_setup.
    static let dangerousNumbers = [41, 57, 58, 59, 62, 101, 105, 155, 161, 165, 169, 175, 246, 250, 272, 298, 308, 310, 311, 321, 323, 425]

    /// i386's numbers (`int 0x80`), 0-449.
    static let i386Numbers = 0..<450

    /// x32's numbers are the native ones with bit 30 set.
    static let x32Bit = 0x4000_0000
}

extension SecurityTests.SyscallSweepTests {
    /// `mov eax, nr; xor ebx, ebx; xor ecx, ecx; xor edx, edx; int 0x80; ret` in executable memory.
    static func i386(_ nr: Int) -> String {
        """
        import ctypes, mmap
        code = bytes([0xB8]) + (\(nr)).to_bytes(4, 'little') + bytes([0x31, 0xDB, 0x31, 0xC9, 0x31, 0xD2, 0xCD, 0x80, 0xC3])
        m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        m.write(code)
        f = ctypes.CFUNCTYPE(ctypes.c_long)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
        print('returned', f())
        """
    }

    @Test func theI386ABIKillsTheChild() async throws {
        let pool = try await SecurityPool.lightPool()
        let numbers = Array(SweepArchitecture.i386Numbers)
        let runs = await pool.run(numbers.map(Self.i386), limits: Self.sweepLimits)
        let escaped = zip(numbers, runs).filter { Self.classify($0.1) != .killedForeignABI }
        #expect(escaped.isEmpty, "i386 calls not killed: \(escaped.prefix(10).map { "\($0.0): \($0.1.outcome.summary) \($0.1.stdout)" })")
    }

    @Test func theX32ABIIsDenied() async throws {
        let pool = try await SecurityPool.lightPool()
        let numbers = Array(SweepArchitecture.nativeNumbers)
        let runs = await pool.run(numbers.map { Self.native(SweepArchitecture.x32Bit | $0) }, limits: Self.sweepLimits)
        let executed = zip(numbers, runs).filter {
            if case .executed = Self.classify($0.1) { return true }
            return false
        }
        #expect(executed.isEmpty, "x32 calls that executed: \(executed.prefix(10).map { "\($0.0): \($0.1.outcome.summary) \($0.1.stdout)" })")
    }
}
#endif
