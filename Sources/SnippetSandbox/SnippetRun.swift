// One finished run: its outcome, what it printed and what it used.

/// Time and memory a run used, measured by the fork server.
public struct ResourceUsage: Sendable, Hashable, Codable {
    /// From fork to reap.
    public var wallTime: Duration
    /// User plus system time of the child and all its threads.
    public var cpuTime: Duration
    /// Peak resident set size of the child (it starts at the server's size: pages it shares
    /// copy-on-write with the server count).
    public var peakMemory: ByteCount

    public init(wallTime: Duration, cpuTime: Duration, peakMemory: ByteCount) {
        self.wallTime = wallTime
        self.cpuTime = cpuTime
        self.peakMemory = peakMemory
    }

    public static let zero = ResourceUsage(wallTime: .zero, cpuTime: .zero, peakMemory: ByteCount(bytes: 0))
}

/// The result of running one snippet in the sandbox.
public struct SnippetRun: Sendable, Hashable {
    public var outcome: SnippetOutcome
    /// Standard output, decoded as UTF-8 (invalid bytes replaced), at most the output limit.
    public var stdout: String
    /// Standard error, the same way.
    public var stderr: String
    public var usage: ResourceUsage

    public init(outcome: SnippetOutcome, stdout: String, stderr: String, usage: ResourceUsage) {
        self.outcome = outcome
        self.stdout = stdout
        self.stderr = stderr
        self.usage = usage
    }
}
