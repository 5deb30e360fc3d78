// Servers of every tier killed (SIGKILL, by pid) while they start and while the run goes on: the
// run finishes with status 0, writes every record, and loses at most one snippet per kill.

import Foundation
import Glibc
import TestSupport
import Testing

@Suite(.serialized) struct StartupFaultTests {
    /// Which tier a server is, from its --preload argument.
    static func tier(_ arguments: [String]) -> Int? {
        guard let i = arguments.firstIndex(of: "--preload"), i + 1 < arguments.count else { return nil }
        let preload = arguments[i + 1]
        return preload.contains("sympy") ? 2 : preload.contains("numpy") ? 1 : 0
    }

    @Test func killsDuringStartUpAndTheRunLoseNoRecord() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let count = 900
        let lines = (0..<count).map { i -> String in
            let code = [#"print(\#(i) * 2)"#, #"import numpy\nprint(numpy.int64(\#(i)) * 2)"#,
                        #"import sympy\nprint(sympy.Integer(\#(i)) * 2)"#][i % 3]
            return #"{"id": \#(i), "code": "\#(code)", "result": "$\#(2 * i)$"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(folder)/in.jsonl", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["\(folder)/in.jsonl", "-o", "\(folder)/out.jsonl", "--jobs", "2"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let cli = process.processIdentifier
        var killed: [(seconds: Double, tier: Int, pid: Int32, recordsWritten: Int)] = []
        let start = Date()
        func written() -> Int {
            (try? String(contentsOfFile: "\(folder)/out.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
        func killOne(tier: Int) {
            let servers = childProcesses(of: cli).filter { Self.tier($0.arguments) == tier }
            guard process.isRunning, let victim = servers.randomElement() else { return }
            kill(victim.pid, SIGKILL)
            killed.append((Date().timeIntervalSince(start), tier, victim.pid, written()))
        }
        // Each tier at 0.1, 0.4 and 0.9 s after launch: its import, its warm-up, its hello.
        for moment in [0.1, 0.4, 0.9] {
            let wait = moment - Date().timeIntervalSince(start)
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            for tier in 0..<3 { killOne(tier: tier) }
        }
        // Then one of each tier again once records are being written: mid-run.
        while process.isRunning && written() < 150 && Date().timeIntervalSince(start) < 120 { usleep(20_000) }
        for tier in 0..<3 {
            killOne(tier: tier)
            usleep(200_000)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the run survives \(killed.count) kills")
        let objects = try CLI.objects(file: "\(folder)/out.jsonl")
        #expect(objects.count == count, "every record written")
        let verdictsSeen = objects.map(verdicts)
        let failed = verdictsSeen.filter { $0 == ["failed"] }.count
        let other = verdictsSeen.filter { $0 != ["correct"] && $0 != ["failed"] }
        #expect(other.isEmpty, "only correct, or failed with a killed server: \(other.prefix(3))")
        #expect(failed <= killed.count, "at most one snippet lost per kill: \(failed) failed, \(killed.count) kills")
        print("start-up faults: \(killed.count) servers killed (time after launch, tier, records written then): "
              + killed.map { "\(Int($0.seconds * 1000)) ms/\($0.tier)/\($0.recordsWritten)" }.joined(separator: " ")
              + "; exit \(process.terminationStatus), \(objects.count) of \(count) records, \(failed) failed")
    }
}
