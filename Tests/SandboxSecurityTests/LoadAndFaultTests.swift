// Many mixed snippets (attack primitives and benign math) through two slots while servers are
// killed at random: every snippet gets exactly one answer, no escape, nothing left behind.
// VERIFY_SNIPPETS_LOAD_COUNT lengthens the run (the release check uses 10,000).

import Foundation
import Glibc
import SnippetSandbox
import TestSupport
import Testing

extension SecurityTests {
@Suite("Load and faults")
struct LoadAndFaultTests {
    @Test func everySnippetIsAnsweredWhileServersAreKilled() async throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["VERIFY_SNIPPETS_LOAD_COUNT"].flatMap(Int.init) ?? 2000
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(state: seed)
        let snippets = (0..<count).map { _ in SnippetGenerator.make(using: &rng) }
        // A pool of its own: the kills must not disturb the other suites' servers.
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 2))
        let limits = SandboxLimits(wallTime: .seconds(2), cpuTime: .seconds(1), memory: .gibibytes(1), output: .kibibytes(64))
        let killer = Task {
            var killed: [Int32] = []
            var killRng = SeededGenerator(state: seed ^ 0x5EED)
            while !Task.isCancelled && killed.count < 8 {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 300...1500, using: &killRng)))
                if Task.isCancelled { break }  // the run is over: a kill now would hit the checks below
                let slot = Int.random(in: 0..<2, using: &killRng)
                let tier = Int.random(in: 0..<pool.preloadTiers.count, using: &killRng)
                if let pid = pool.killServer(slot: slot, tier: tier) { killed.append(pid) }
            }
            return killed
        }
        let runs = await pool.run(snippets, limits: limits)
        killer.cancel()
        let killed = await killer.value
        // A server killed in the run's last moments must be gone (and so be replaced) before the
        // checks below, not die under one of them.
        try await Task.sleep(for: .milliseconds(300))
        let after = await pool.run(["print('alive')", "import sympy\nprint(sympy.Rational(1, 2))", "import numpy\nprint(numpy.int64(3))"])
        await pool.shutdown()

        #expect(runs.count == count, "one answer per snippet")
        let escaped = zip(snippets, runs).filter { $0.1.stdout.contains(Attack.marker) || $0.1.stderr.contains(Attack.marker) }
        #expect(escaped.isEmpty, "seed \(seed): \(escaped.prefix(3).map { $0.0 })")
        let lost = runs.filter { $0.outcome.kind == .sandboxError }.count
        #expect(lost <= killed.count, "only snippets whose server was killed are lost: \(lost) lost, \(killed.count) kills")
        #expect(after.map(\.stdout) == ["alive\n", "1/2\n", "3\n"], "the pool serves on every tier after the kills")
        for pid in killed { #expect(kill(pid, 0) != 0, "killed server \(pid) was reaped") }
        #expect(strayProcesses().isEmpty, "no process left behind")
        var kinds: [String: Int] = [:]
        for run in runs { kinds[run.outcome.kind.rawValue, default: 0] += 1 }
        print("load and faults: \(count) snippets, \(killed.count) servers killed, \(lost) snippets lost with them, seed \(seed), outcomes \(kinds.sorted { $0.key < $1.key })")
    }

    /// A failure of the server's own machinery is never charged to the snippet: with the server
    /// held to its present address space, growing a capture buffer fails (mmap), and the run is
    /// a sandbox error, not the snippet's output limit.
    @Test func aCaptureBufferTheServerCannotGrowIsASandboxError() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        _ = await pool.run("print(1)")
        let pid = try #require(pool.serverProcessIDs.first)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let vmKiB = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmSize:") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
            .flatMap { UInt($0.trimmingCharacters(in: .whitespaces)) })
        #expect(try Self.limitAddressSpace(of: pid, to: "\(vmKiB * 1024 + (4 << 20))") == 0)
        let flood = await pool.run("import sys\nsys.stdout.write('x' * (32 << 20))", limits: SandboxLimits(output: .mebibytes(64)))
        #expect(try Self.limitAddressSpace(of: pid, to: "unlimited") == 0)
        let after = await pool.run("print('still serving')")
        await pool.shutdown()
        #expect(flood.outcome.kind == .sandboxError, "\(flood.outcome.summary)")
        #expect(after.stdout == "still serving\n", "\(after.outcome.summary)")
    }

    /// util-linux's prlimit: Swift's Glibc does not import prlimit(2). Hard limit unlimited, so
    /// each child may still set its own.
    private static func limitAddressSpace(of pid: Int32, to soft: String) throws -> Int32 {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        tool.arguments = ["--pid", "\(pid)", "--as=\(soft):unlimited"]
        try tool.run()
        tool.waitUntilExit()
        return tool.terminationStatus
    }
}
}
