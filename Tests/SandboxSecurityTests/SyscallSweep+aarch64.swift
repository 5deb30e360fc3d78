// aarch64's part of the system-call sweep: the generic table's numbers; no call is allowed only
// here (seccomp_arch_aarch64.c). AArch32 compat calls cannot be made from a 64-bit process
// without a 32-bit executable, so there is no foreign-ABI sweep. Written for the table, not run
// on the x86_64 machines of this project.

#if arch(arm64)
enum SweepArchitecture {
    /// The generic table, 0-469 in Linux 6.18 (244-259 are reserved for architecture-specific calls).
    static let nativeNumbers = 0..<470

    static let allowedOnlyHere: Set<String> = []

    static let numbersThisKernelAnswersUnfiltered: [Int: String?] = [:]

    /// Calls the generative fuzzer aims at (no fork or vfork here: clone): socket, clone, execve,
    /// kill, ptrace, setuid, pivot_root, chroot, mount, reboot, init_module, kexec_load, keyctl,
    /// unshare, perf_event_open, setns, process_vm_readv/writev, bpf, userfaultfd, io_uring_setup.
    static let dangerousNumbers = [198, 220, 221, 129, 117, 146, 41, 51, 40, 142, 105, 104, 219, 97, 241, 268, 270, 271, 280, 282, 425]
}
#endif
