// Progress on standard error: a live line on a terminal, a line a minute otherwise, the summary last.

import Glibc
import SnippetVerifier
import Synchronization

/// Shows a batch's progress without ever writing to standard output.
final class ProgressReporter: Sendable {
    private let live = isatty(STDERR_FILENO) == 1
    private let lastShown = Mutex<ContinuousClock.Instant?>(nil)
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
        standardError(live ? "\r\u{1B}[K" + summary.oneLine : summary.oneLine + "\n")
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
