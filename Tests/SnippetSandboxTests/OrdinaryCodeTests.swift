// Ordinary code keeps working in the sandbox: every program in fixtures/programs completes and
// prints exactly what Debian's python3 printed for it unconfined.

import Foundation
import SnippetSandbox
import TestSupport
import Testing

enum Fixtures {
    static let folder = FixturePaths.root

    /// (name, source, expected stdout) for every fixtures/programs/NNN_name.py with its .out.
    static func programs() throws -> [(name: String, code: String, expected: String)] {
        let dir = folder.appendingPathComponent("programs")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".py") }.sorted()
        return try names.map { name in
            let code = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let out = dir.appendingPathComponent(String(name.dropLast(3)) + ".out")
            return (name, code, try String(contentsOf: out, encoding: .utf8))
        }
    }
}

extension SandboxTests {
@Suite("Ordinary code")
struct OrdinaryCodeTests {
    @Test func everyProgramCompletesWithItsExpectedOutput() async throws {
        let programs = try Fixtures.programs()
        #expect(programs.count >= 150, "the fixture holds at least 150 programs")
        let pool = try await SharedPool.get()
        let runs = await pool.run(programs.map(\.code), limits: SandboxLimits(wallTime: .seconds(20), cpuTime: .seconds(20)))
        var failures: [String] = []
        for (program, run) in zip(programs, runs) where run.outcome != .completed || run.stdout != program.expected {
            failures.append("\(program.name): \(run.outcome.summary)\n  expected: \(program.expected.prefix(200))\n  got: \(run.stdout.prefix(200))\n  stderr: \(run.stderr.suffix(300))")
        }
        #expect(failures.isEmpty, "\(failures.count) of \(programs.count) programs differ:\n\(failures.joined(separator: "\n"))")
    }
}
}
