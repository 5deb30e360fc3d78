// Progress on standard error: a live line on a terminal, a line a minute otherwise, the summary last.

import Glibc
import SnippetVerifier
import Synchronization

/// Shows a batch's progress without ever writing to standard output.
final class ProgressReporter: Sendable {
    private let live = isatty(STDERR_FILENO) == 1
    private let lastShown = Mutex<ContinuousClock.Instant?>(nil)
    /// The records the run will write in all (with those already done), once counted.
    private let total = Mutex<Int?>(nil)
    private let clock = ContinuousClock()

    /// Called after each write; shows at most 5 updates a second on a terminal, one a minute in a log.
    func update(_ summary: Summary) {
        let now = clock.now
        let interval: Duration = live ? .milliseconds(200) : .seconds(60)
        let due = lastShown.withLock { last in
            if let shown = last, now - shown < interval { return false }
            if last == nil && !live {
                last = now  // the first line in a log comes a minute in, not at once
                return false
            }
            last = now
            return true
        }
        guard due else { return }
        let line = progress(summary) + summary.oneLine
        standardError(live ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Sets the total once the input is counted (a regular file only).
    func setTotal(_ records: Int) {
        total.withLock { $0 = records }
    }

    /// "[24.0% of 5000, ETA 3m12s] ", or nothing before the total is known.
    private func progress(_ summary: Summary) -> String {
        guard let total = total.withLock({ $0 }), total > 0 else { return "" }
        let done = summary.records + summary.resumedRecords
        let percent = Double(done) * 100 / Double(total)
        var text = "[\(fixedPoint(percent))% of \(total)"
        if summary.records > 0, summary.seconds > 0, done < total {
            let seconds = Int((Double(total - done) * summary.seconds / Double(summary.records)).rounded())
            text += ", ETA " + (seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m"
                                : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s")
        }
        return text + "] "
    }

    /// "24.0" for 23.96.
    private func fixedPoint(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// On a terminal, says what the first seconds are spent on (each server imports its preload).
    func starting(servers: Int) {
        if live { standardError("verify-snippets: starting \(servers) fork server\(servers == 1 ? "" : "s")...") }
    }

    /// Clears the live line before an error message.
    func clear() {
        if live { standardError("\r\u{1B}[K") }
    }

    /// The final summary and the protections that were active.
    func finish(_ summary: Summary, shard: Shard) {
        clear()
        let shardText = shard == .all ? "" : " (shard \(shard))"
        standardError("verify-snippets: done\(shardText): \(summary.oneLine)\n")
        standardError("verify-snippets: sandbox: \(summary.protections.map(\.rawValue).joined(separator: ", "))\n")
    }
}
