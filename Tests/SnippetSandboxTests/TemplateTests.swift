// Servers come from one warmed template per preload tier: templates start on first need, servers
// are children of this process that share their template's heap, and a killed server or template
// is replaced (a server from the same template, a template by a new one).

import Foundation
import Glibc
import SnippetSandbox
import Testing

extension SandboxTests {
@Suite("Templates")
struct TemplateTests {
    /// Field 4 of /proc/PID/stat.
    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").dropFirst().first.flatMap { Int32($0) }
    }

    /// Waits (up to 5 s) until a process we killed is a zombie or gone: SIGKILL lands a moment
    /// after kill() returns, and a run sent before it lands is lost with the server.
    static func waitUntilDead(_ pid: Int32?) async {
        guard let pid else { return }
        for _ in 0..<500 {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.isEmpty || stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// KiB of a smaps_rollup field ("Rss", "Private_Dirty", ...) of `pid`.
    static func rollup(_ pid: Int32, _ field: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } ?? 0
    }

    @Test func tiersStartOnFirstNeedAndServersAreOurChildren() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 2))
        let atStart = (templates: pool.templateProcessIDs, servers: pool.serverProcessIDs)
        let numpy = await pool.run("import numpy\nprint(numpy.int64(6) * 7)")
        let afterNumpy = pool.templateProcessIDs.count
        let sympy = await pool.run("import sympy\nprint(sympy.Rational(1, 2))")
        let templates = pool.templateProcessIDs, servers = pool.serverProcessIDs
        let parents = servers.map(Self.parent(of:))
        await pool.shutdown()
        #expect(pool.preloadTiers.count == 3)
        #expect(atStart.templates.count == 1 && atStart.servers.count == 1,
                "only the lightest tier's template and one server start with the pool: \(atStart)")
        #expect(numpy.stdout == "42\n" && afterNumpy == 2, "the numpy tier starts with its first snippet")
        #expect(sympy.stdout == "1/2\n" && templates.count == 3, "\(sympy.explanation)")
        #expect(parents.allSatisfy { $0 == getpid() }, "every server is a child of this process: \(parents)")
        #expect(Set(servers).isDisjoint(with: templates))
    }

    /// A server forked from the sympy tier's template holds that tier's heap without a copy of
    /// its own: most of what it has resident is shared (with the template, copy-on-write).
    @Test func aServerSharesItsTemplatesHeap() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1))
        let run = await pool.run("import sympy\nprint(sympy.factorial(5))")
        // Tier 0's server started with the pool; the last server is the sympy tier's.
        let server = try #require(pool.serverProcessIDs.last)
        let rss = Self.rollup(server, "Rss"), own = Self.rollup(server, "Private_Clean") + Self.rollup(server, "Private_Dirty")
        await pool.shutdown()
        #expect(run.stdout == "120\n", "\(run.explanation)")
        #expect(rss > 20 * 1024, "the sympy tier's server has its heap resident: \(rss) KiB")
        #expect(own * 4 < rss, "at most a quarter of it is the server's own: \(own) of \(rss) KiB")
        print("a sympy-tier server: \(rss) KiB resident, \(own) KiB of it private")
    }

    @Test func aKilledServerIsForkedAgainFromTheSameTemplate() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        let template = pool.templateProcessIDs
        let killed = pool.killServer(slot: 0, tier: 0)
        await Self.waitUntilDead(killed)
        let after = await pool.run("print(2)")
        let replacement = pool.serverProcessIDs
        let templateAfter = pool.templateProcessIDs
        await pool.shutdown()
        #expect(killed != nil)
        #expect(after.stdout == "2\n", "\(after.explanation)")
        #expect(replacement.count == 1 && replacement.first != killed, "a new server: \(replacement), killed \(String(describing: killed))")
        #expect(templateAfter == template && template.count == 1, "from the same template: \(template) then \(templateAfter)")
    }

    @Test func aKilledTemplateIsStartedAgain() async throws {
        let pool = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"]))
        let template = try #require(pool.templateProcessIDs.first)
        kill(template, SIGKILL) // a process this pool started, by its pid
        await Self.waitUntilDead(template)
        let servedMeanwhile = await pool.run("print(1)")
        await Self.waitUntilDead(pool.killServer(slot: 0, tier: 0))
        let afterBoth = await pool.run("print(2)")
        let newTemplate = pool.templateProcessIDs
        await pool.shutdown()
        #expect(servedMeanwhile.stdout == "1\n", "the running server does not need its template: \(servedMeanwhile.explanation)")
        #expect(afterBoth.stdout == "2\n", "\(afterBoth.explanation)")
        #expect(newTemplate.count == 1 && newTemplate.first != template, "a new template: \(newTemplate)")
        #expect(kill(template, 0) != 0, "the killed template is reaped, not a zombie")
    }

    /// A heavier tier whose preload is installed but does not import (a broken numpy first on
    /// the path) fails its own snippets with the import error, and the other tiers serve on.
    @Test func aTierThatCannotStartFailsOnlyItsOwnSnippets() async throws {
        let fm = FileManager.default
        let site = fm.temporaryDirectory.appendingPathComponent("verify-snippets-broken-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: site) }
        try fm.createDirectory(at: site.appendingPathComponent("numpy"), withIntermediateDirectories: true)
        try "raise ImportError('this numpy is broken on purpose')\n"
            .write(to: site.appendingPathComponent("numpy/__init__.py"), atomically: true, encoding: .utf8)
        for folder in [site, site.appendingPathComponent("numpy")] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
        let pool = try await ServerPool(configuration: SandboxConfiguration(
            servers: 1, preload: ["math", "numpy"], packageFolders: [site.path]))
        let first = await pool.run("import numpy\nprint(1)")
        let light = await pool.run("print(2)")
        let again = await pool.run("import numpy\nprint(3)")
        await pool.shutdown()
        for run in [first, again] {
            #expect(run.outcome.kind == .sandboxError && run.outcome.summary.contains("this numpy is broken on purpose"),
                    "\(run.explanation)")
        }
        #expect(light.stdout == "2\n", "\(light.explanation)")
    }

    /// The modules a heavier tier preloads are looked for (not imported) by the lightest tier's
    /// template, so that a missing one stops the pool before its first snippet. Asked of the
    /// server executable directly: every module the pool could name here is installed.
    @Test func aMissingModuleOfALaterTierIsFoundAtStart() throws {
        let server = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("snippet-server")
        let process = Process()
        process.executableURL = server
        process.arguments = ["--template", "--preload", "math", "--find-modules", "no_module_named_like_this_anywhere"]
        process.environment = [:]
        let stdout = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile().dropFirst(40), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(said.contains("No module named 'no_module_named_like_this_anywhere'"), "hello note: \(said)")
    }
}
}
