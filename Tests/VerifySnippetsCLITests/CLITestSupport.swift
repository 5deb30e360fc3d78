// Running the built `verify-snippets` (beside the test bundle) the way a user does, with the real sandbox.

import Foundation
import TestSupport
import Testing

/// What one run of the binary left: exit status, standard output and standard error.
struct Execution {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The folder of the test bundle; on Linux the products of the same build sit beside it.
    static let productsFolder: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()

    static var binary: String { productsFolder.appendingPathComponent("verify-snippets").path }

    static func fixture(_ name: String) -> String {
        FixturePaths.root.appendingPathComponent("inputs/\(name)").path
    }

    /// Runs the binary; `stdin` is fed to it (nothing: /dev/null). Scheduler variables are
    /// removed unless `environment` sets them, so a test run inside a job array is not sharded.
    /// `launcher` (a program and its arguments, then the binary to run) starts it instead.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    launcher: [String] = []) throws -> Execution {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP",
                     "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX", "VERIFY_SNIPPETS_SHARDS"] {
            env[name] = nil
        }
        env.merge(environment) { $1 }
        process.environment = env
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Files, not pipes: a run that prints more than a pipe holds must not block on us.
        let outPath = "\(folder)/stdout", errPath = "\(folder)/stderr", inPath = "\(folder)/stdin"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        FileManager.default.createFile(atPath: inPath, contents: stdin ?? Data())
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        try process.run()
        process.waitUntilExit()
        return Execution(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("verify-snippets-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The JSON objects of JSONL text; a line that is not an object fails the test.
    static func objects(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if object == nil { Issue.record("not a JSON object: \(line.prefix(120))", sourceLocation: sourceLocation) }
            return object
        }
    }

    static func objects(file path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        objects(try String(contentsOfFile: path, encoding: .utf8), sourceLocation: sourceLocation)
    }
}

/// The verdicts of an output object: its own, or its computations'.
func verdicts(_ object: [String: Any]) -> [String] {
    if let computations = object["computations"] as? [[String: Any]] {
        return computations.map { (($0["verification"] as? [String: Any])?["verdict"] as? String) ?? "-" }
    }
    return [((object["verification"] as? [String: Any])?["verdict"] as? String) ?? "-"]
}

/// The verdicts the fixture says each computation must get.
func expectedVerdicts(_ object: [String: Any]) -> [String] {
    if let list = object["expected_verdicts"] as? [String] { return list }
    if let computations = object["computations"] as? [[String: Any]] {
        return computations.map { ($0["expected_verdict"] as? String) ?? "?" }
    }
    return [(object["expected_verdict"] as? String) ?? "?"]
}
