// Ordinary code keeps working in the sandbox: every program in fixtures/programs completes and
// prints exactly what this machine's python3 prints for it unconfined.

import Foundation
import SnippetSandbox
import TestSupport
import Testing

enum Fixtures {
    static let folder = FixturePaths.root

    /// (name, source) for every fixtures/programs/NNN_name.py.
    static func programs() throws -> [(name: String, code: String)] {
        let dir = folder.appendingPathComponent("programs")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".py") }.sorted()
        return try names.map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// What `code` prints under the machine's own interpreter, unconfined, as the fixture's README
    /// says (an empty environment but HOME and the hash seed the servers use, isolated mode, a
    /// fresh working folder). These are the project's own benign programs, never an attack.
    static func referenceOutput(of code: String) throws -> (status: Int32, stdout: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-snippets-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("program.py")
        try code.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReferencePython.path)
        process.arguments = ["-I", script.path]
        process.environment = ["HOME": "/tmp", "PYTHONHASHSEED": "0"]
        process.currentDirectoryURL = folder
        let output = folder.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Bounded like the sandbox's own run of it: a program that hangs fails the comparison.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }
}

extension SandboxTests {
@Suite("Ordinary code")
struct OrdinaryCodeTests {
    @Test func theReferenceInterpreterIsTheEmbeddedOne() async throws {
        let probe = "import sys\nprint(sys.version)"
        let run = try await SharedPool.get().run(probe)
        let reference = try Fixtures.referenceOutput(of: probe)
        #expect(run.outcome == .completed, run.explanation)
        #expect(run.stdout == reference.stdout, "the servers embed another Python than \(ReferencePython.path): set VERIFY_SNIPPETS_REFERENCE_PYTHON")
    }

    @Test func everyProgramCompletesWithTheOutputOfUnconfinedPython() async throws {
        let programs = try Fixtures.programs()
        #expect(programs.count >= 150, "the fixture holds at least 150 programs")
        let pool = try await SharedPool.get()
        async let confined = pool.run(programs.map(\.code), limits: SandboxLimits(wallTime: .seconds(20), cpuTime: .seconds(20)))
        let references = try await Task.detached {
            try programs.map { try Fixtures.referenceOutput(of: $0.code) }
        }.value
        let runs = await confined
        var failures: [String] = []
        for ((program, reference), run) in zip(zip(programs, references), runs) {
            guard reference.status == 0 else {
                failures.append("\(program.name): unconfined python3 exited with \(reference.status)")
                continue
            }
            if run.outcome != .completed || run.stdout != reference.stdout {
                failures.append("\(program.name): \(run.outcome.summary)\n  unconfined: \(reference.stdout.prefix(200))\n  sandbox: \(run.stdout.prefix(200))\n  stderr: \(run.stderr.suffix(300))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(programs.count) programs differ:\n\(failures.joined(separator: "\n"))")
    }
}
}
