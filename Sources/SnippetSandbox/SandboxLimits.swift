// The limits one snippet runs under: time, memory, output, files and threads.

/// What a single snippet may use before it is stopped.
///
/// Each limit is enforced by the kernel or by the fork server, never by the snippet itself:
/// the wall clock by the server killing the child's process group, the others by rlimits set in
/// the child before any snippet code runs.
public struct SandboxLimits: Sendable, Hashable, Codable {
    /// Wall-clock time from fork to exit. Default 10 s, the published pipeline's timeout.
    public var wallTime: Duration
    /// CPU time (user + system, all threads), `RLIMIT_CPU`; rounded up to whole seconds.
    /// Default 10 s.
    public var cpuTime: Duration
    /// Address space, `RLIMIT_AS`. Default 2 GiB: a child starts at the server's virtual size
    /// (about 320 MiB with scipy preloaded), so much less would fail at the first allocation.
    public var memory: ByteCount
    /// Captured standard output, and separately standard error; past it the child is killed.
    /// Default 1 MiB each.
    public var output: ByteCount
    /// Largest file a snippet may write in its private scratch folder, `RLIMIT_FSIZE`.
    /// Default 16 MiB: `tempfile` and scipy probe with small writes.
    public var scratchFileSize: ByteCount
    /// Open descriptors, `RLIMIT_NOFILE`. Default 64.
    public var openFiles: Int
    /// Threads of the sandbox user, `RLIMIT_NPROC`. Default 64; creating processes is denied
    /// outright by seccomp, so this only bounds thread bombs.
    public var threads: Int

    public init(
        wallTime: Duration = .seconds(10),
        cpuTime: Duration = .seconds(10),
        memory: ByteCount = .gibibytes(2),
        output: ByteCount = .mebibytes(1),
        scratchFileSize: ByteCount = .mebibytes(16),
        openFiles: Int = 64,
        threads: Int = 64
    ) {
        self.wallTime = wallTime
        self.cpuTime = cpuTime
        self.memory = memory
        self.output = output
        self.scratchFileSize = scratchFileSize
        self.openFiles = openFiles
        self.threads = threads
    }

    public static let `default` = SandboxLimits()
}
