// The exit statuses of the contract, and the custom main() that maps errors to them.

import ArgumentParser
import Glibc
import SnippetSandbox
import SnippetVerifier

/// 0: every input record got its output record. 1: a fatal error (unreadable input, unwritable
/// output, no working sandbox). 2: bad usage.
enum ExitStatus: Int32 {
    case success = 0
    case fatal = 1
    case usage = 2
}

extension VerifySnippets {
    /// Parses, runs, and exits with the contract's status; replaces argument-parser's `main()`,
    /// whose usage errors exit with 64 (`EX_USAGE`).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if let verify = command as? VerifySnippets {
                try await verify.run()
            } else {
                try command.run()
            }
        } catch {
            exit(for: error)
        }
    }

    /// Prints the message that fits the error and exits with its status.
    static func exit(for error: any Error) -> Never {
        switch error {
        case let error as VerifierError:
            fail("\(error)")
        case let error as SandboxError:
            fail("the sandbox cannot start: \(error)")
        default:
            break
        }
        if exitCode(for: error) == .validationFailure {
            standardError(fullMessage(for: error) + "\n")
            Glibc.exit(ExitStatus.usage.rawValue)
        }
        exit(withError: error)
    }

    private static func fail(_ message: String) -> Never {
        standardError("verify-snippets: error: \(message)\n")
        Glibc.exit(ExitStatus.fatal.rawValue)
    }
}

/// Writes to standard error unbuffered (the `stderr` FILE pointer is not concurrency-safe).
func standardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let count = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if count > 0 {
            offset += count
        } else if count < 0 && errno == EINTR {
            continue
        } else {
            return
        }
    }
}
