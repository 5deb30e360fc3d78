// A SnippetRunning with canned outcomes, so the verifier's logic is tested without processes.

import Foundation
import SnippetSandbox
import SnippetVerifier
import Synchronization
import TestSupport

/// Answers each snippet from a table, or, for `print(<literal>)`, with what Python would print.
///
/// It records every code it ran and the most snippets it ever ran at once, and can delay
/// snippets so that they finish out of input order.
final class FakeSnippetRunner: SnippetRunning {
    let protections: [Protection] = [.seccomp, .landlockFilesystem]
    private let canned: [String: SnippetRun]
    private let delay: @Sendable (String) -> Duration
    private let state = Mutex(State())

    private struct State {
        var calls: [String] = []
        var running = 0
        var mostRunning = 0
    }

    init(canned: [String: SnippetRun] = [:], delay: @escaping @Sendable (String) -> Duration = { _ in .zero }) {
        self.canned = canned
        self.delay = delay
    }

    /// Every code run so far, in the order the calls started.
    var calls: [String] { state.withLock { $0.calls } }
    /// The most snippets that were running at the same moment.
    var mostRunning: Int { state.withLock { $0.mostRunning } }

    func run(_ code: String) async -> SnippetRun {
        state.withLock {
            $0.calls.append(code)
            $0.running += 1
            $0.mostRunning = max($0.mostRunning, $0.running)
        }
        let pause = delay(code)
        if pause > .zero { try? await Task.sleep(for: pause) }
        state.withLock { $0.running -= 1 }
        if let run = canned[code] { return run }
        return .completed(stdout: Self.printed(by: code))
    }

    /// What `print(x)` prints for a literal x (quotes removed); "" for anything else.
    static func printed(by code: String) -> String {
        guard code.hasPrefix("print("), code.hasSuffix(")") else { return "" }
        var inner = code.dropFirst(6).dropLast()
        if inner.first == "'" || inner.first == "\"" { inner = inner.dropFirst().dropLast() }
        return inner + "\n"
    }
}

extension SnippetRun {
    static func completed(stdout: String, wall: Duration = .milliseconds(5)) -> SnippetRun {
        SnippetRun(outcome: .completed, stdout: stdout, stderr: "",
                   usage: ResourceUsage(wallTime: wall, cpuTime: .milliseconds(4), peakMemory: .mebibytes(60)))
    }

    static func ended(_ outcome: SnippetOutcome, stderr: String = "") -> SnippetRun {
        SnippetRun(outcome: outcome, stdout: "", stderr: stderr,
                   usage: ResourceUsage(wallTime: .milliseconds(7), cpuTime: .milliseconds(6), peakMemory: .mebibytes(61)))
    }
}

/// Fixture paths and scratch folders.
enum TestFiles {
    static func fixture(_ name: String) -> String {
        FixturePaths.root.appendingPathComponent("inputs/\(name)").path
    }

    /// A fresh empty folder under the system's temporary folder.
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snippet-verifier-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ lines: [String], to path: String) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    }

    static func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The JSON objects of a JSONL file.
    static func objects(_ path: String) throws -> [[String: Any]] {
        try lines(path).map { try object($0) }
    }

    static func object(_ line: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as! [String: Any]
    }
}

/// The verdict names of an output object: its own, or its computations'.
func verdicts(_ object: [String: Any]) -> [String] {
    if let computations = object["computations"] as? [[String: Any]] {
        return computations.map { (($0["verification"] as? [String: Any])?["verdict"] as? String) ?? "-" }
    }
    return [((object["verification"] as? [String: Any])?["verdict"] as? String) ?? "-"]
}
