// Which input lines one task of a job array takes: `K/N`, from the flag or from the scheduler.

/// Shard K of N: the lines whose 0-based index is K modulo N (blank lines count).
///
/// Taking lines round-robin rather than in contiguous ranges needs no pass over the input to find
/// the cut points, and spreads slow regions of a file over all tasks.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// K, 0-based.
    public var index: Int
    /// N, at least 1.
    public var count: Int

    /// The whole input.
    public static let all = Shard(uncheckedIndex: 0, count: 1)

    /// Nil unless 0 <= index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads "K/N" ("0/4", " 3 / 4 "); nil for anything else or when K is not below N.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let index = Int(parts[0].trimmingWhitespace()),
            let count = Int(parts[1].trimmingWhitespace())
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the line at this 0-based index belongs to the shard.
    public func contains(lineIndex: Int) -> Bool {
        lineIndex % count == index
    }

    /// The shard a scheduler assigned, or nil when no scheduler variable is set.
    ///
    /// - Slurm job arrays: K = (`SLURM_ARRAY_TASK_ID` - `SLURM_ARRAY_TASK_MIN`) /
    ///   `SLURM_ARRAY_TASK_STEP` (MIN 0 and STEP 1 when unset), N = `SLURM_ARRAY_TASK_COUNT`
    ///   (or, without it, (`SLURM_ARRAY_TASK_MAX` - MIN) / STEP + 1). `--array=1-5:2` gives
    ///   the tasks 1, 3, 5 the shards 0/3, 1/3, 2/3.
    /// - Kubernetes Indexed Jobs: K = `JOB_COMPLETION_INDEX`, N = `VERIFY_SNIPPETS_SHARDS` (set in
    ///   the manifest to the job's `completions`).
    ///
    /// - Throws: `.invalidShardEnvironment` when a variable is set but the set is incomplete,
    ///   not a number, or gives K outside 0..<N: running the whole input in every task of an array
    ///   would repeat every record N times.
    public static func fromEnvironment(_ environment: [String: String]) throws(VerifierError) -> Shard? {
        if let id = environment["SLURM_ARRAY_TASK_ID"] {
            return try slurm(id: id, environment)
        }
        if let index = environment["JOB_COMPLETION_INDEX"] {
            return try kubernetes(index: index, environment)
        }
        return nil
    }

    private static func slurm(id: String, _ environment: [String: String]) throws(VerifierError) -> Shard {
        let id = try number("SLURM_ARRAY_TASK_ID", id)
        let minimum = try environment["SLURM_ARRAY_TASK_MIN"].map { v throws(VerifierError) in try number("SLURM_ARRAY_TASK_MIN", v) } ?? 0
        let step = try environment["SLURM_ARRAY_TASK_STEP"].map { v throws(VerifierError) in try number("SLURM_ARRAY_TASK_STEP", v) } ?? 1
        guard step >= 1 else { throw invalid("SLURM_ARRAY_TASK_STEP=\(step) must be at least 1") }
        let count: Int
        if let text = environment["SLURM_ARRAY_TASK_COUNT"] {
            count = try number("SLURM_ARRAY_TASK_COUNT", text)
        } else if let text = environment["SLURM_ARRAY_TASK_MAX"] {
            count = (try number("SLURM_ARRAY_TASK_MAX", text) - minimum) / step + 1
        } else {
            throw invalid("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is")
        }
        guard (id - minimum) % step == 0, let shard = Shard(index: (id - minimum) / step, count: count) else {
            throw invalid(
                "SLURM_ARRAY_TASK_ID=\(id) with MIN=\(minimum), STEP=\(step), COUNT=\(count) gives no shard K/N with 0 <= K < N; "
                    + "pass --shard K/N to choose one")
        }
        return shard
    }

    private static func kubernetes(index: String, _ environment: [String: String]) throws(VerifierError) -> Shard {
        let index = try number("JOB_COMPLETION_INDEX", index)
        guard let text = environment["VERIFY_SNIPPETS_SHARDS"] else {
            throw invalid("JOB_COMPLETION_INDEX is set but VERIFY_SNIPPETS_SHARDS (the job's completions) is not")
        }
        let count = try number("VERIFY_SNIPPETS_SHARDS", text)
        guard let shard = Shard(index: index, count: count) else {
            throw invalid("JOB_COMPLETION_INDEX=\(index) is not below VERIFY_SNIPPETS_SHARDS=\(count)")
        }
        return shard
    }

    private static func number(_ name: String, _ text: String) throws(VerifierError) -> Int {
        guard let value = Int(text.trimmingWhitespace()) else { throw invalid("\(name)=\(text) is not a whole number") }
        return value
    }

    private static func invalid(_ message: String) -> VerifierError {
        VerifierError(.invalidShardEnvironment, message)
    }
}
