// The attack corpus (fixtures/attacks/<family>/<name>.py) against real fork servers: no attack
// reaches its goal, each gets the outcome its first line states, the host is unchanged, and
// poisoning snippets leave nothing for the next one.

import Foundation
import Glibc
import SnippetSandbox
import TestSupport
import Testing

/// One attack file: what it expects and, for a poisoning snippet, the control that follows it
/// (which must print after the poison what it prints before it).
struct Attack: CustomTestStringConvertible, Sendable {
    var family: String
    var name: String
    var code: String
    /// The outcomes that keep the promise: one, or several where the machine decides which
    /// (`sysenter` in 64-bit mode is SIGILL on AMD, SIGSEGV on Intel).
    var expected: [Expectation]
    var control: String?

    var testDescription: String { "\(family)/\(name)" }

    static let marker = "SANDBOX-ESCAPED"

    struct Expectation: Sendable, CustomStringConvertible {
        var kind: String
        var detail: String?

        var description: String { detail.map { "\(kind) \($0)" } ?? kind }
    }

    var expectsCompletion: Bool { expected.allSatisfy { $0.kind == "completed" } }

    static func all() throws -> [Attack] {
        let root = SecurityPool.fixtures.appendingPathComponent("attacks")
        let fm = FileManager.default
        var attacks: [Attack] = []
        for family in try fm.contentsOfDirectory(atPath: root.path).sorted() {
            let dir = root.appendingPathComponent(family)
            guard (try? dir.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { continue }
            for file in try fm.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".py") {
                let code = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                attacks.append(try parse(family: family, name: String(file.dropLast(3)), code: code))
            }
        }
        return attacks
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(family: String, name: String, code: String) throws -> Attack {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.hasPrefix("# expect: ") else {
            throw FormatError(description: "\(family)/\(name): line 1 must be `# expect: <outcome>[ <detail>]`")
        }
        // `a | b`: any of the alternatives, each an outcome and an optional detail.
        let expected = first.dropFirst("# expect: ".count).split(separator: "|").map { alternative in
            let words = alternative.split(separator: " ", maxSplits: 1).map(String.init)
            return Expectation(kind: words.first ?? "", detail: words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : nil)
        }
        let control = lines.first { $0.hasPrefix("# control: ") }.map { String($0.dropFirst("# control: ".count)) }
        return Attack(family: family, name: name, code: code, expected: expected, control: control)
    }

    /// Whether a run's outcome is one that line 1 states (a memory bomb on a loaded machine may
    /// meet the wall clock before the memory limit; an undefined instruction is SIGILL or SIGSEGV
    /// depending on the CPU's vendor).
    func matches(_ outcome: SnippetOutcome) -> Bool {
        expected.contains { Self.matches(outcome, $0) }
    }

    private static func matches(_ outcome: SnippetOutcome, _ expectation: Expectation) -> Bool {
        let detail = expectation.detail
        switch (expectation.kind, outcome) {
        case ("violation", .violation(let name)): return detail == nil || detail == name
        case ("exception", .exception(let type, _)): return detail == nil || detail == type
        case ("crashed", .crashed(let signal)): return detail == nil || detail == "\(signal)"
        case ("timeout", .timeout): return true
        case ("memory_limit", .memoryLimit): return true
        case ("output_limit", .outputLimit): return true
        case ("exited", .exited(let status)): return detail == nil || detail == "\(status)"
        case ("completed", .completed): return true
        case ("syntax_error", .syntaxError): return true
        default: return false
        }
    }
}

/// What the test plants and watches on the host while the corpus runs.
struct HostWatch {
    static let canaryPath = "/var/tmp/verify-snippets-canary"
    static let listenerPort: UInt16 = 47613
    let secret = "canary-secret-\(UInt64.random(in: 0...UInt64.max))"
    let listener: Int32
    let watchedFolders = ["/tmp", "/var/tmp", "/dev/shm", "/root"]

    init() throws {
        let fd = open(Self.canaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Attack.FormatError(description: "cannot plant \(Self.canaryPath)") }
        _ = secret.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        listener = Self.listen(on: Self.listenerPort)
    }

    /// A non-blocking TCP listener on 127.0.0.1; -1 if the port is taken (then the check of
    /// connections is skipped and the attacks still must be violations).
    static func listen(on port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    /// Connections the listener received (accepting them); 0 is the only right answer.
    func connectionsReceived() -> Int {
        guard listener >= 0 else { return 0 }
        var count = 0
        while case let fd = accept(listener, nil, nil), fd >= 0 {
            count += 1
            close(fd)
        }
        return count
    }

    func canaryUnchanged() -> Bool {
        guard let f = fopen(Self.canaryPath, "r") else { return false }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 256)
        let n = fread(&buffer, 1, 255, f)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) == secret
    }

    /// Anything an attack managed to create in the shared folders (they name their files
    /// `verify-snippets-attack*`).
    func attackLeftovers() -> [String] {
        watchedFolders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.contains("verify-snippets-attack") || $0.contains("SANDBOX") }
                .map { "\(folder)/\($0)" }
        }
    }

    func tearDown() {
        if listener >= 0 { close(listener) }
        unlink(Self.canaryPath)
    }
}

extension SecurityTests {
@Suite("Attack corpus")
struct AttackCorpusTests {
    @Test func theCorpusCoversEveryFamily() throws {
        let attacks = try Attack.all()
        let families = Set(attacks.map(\.family))
        #expect(attacks.count >= 100, "\(attacks.count) attacks")
        #expect(families.isSuperset(of: ["secrets", "write", "network", "process", "exec"]), "\(families.sorted())")
    }

    @Test func noAttackReachesItsGoalAndTheHostIsUnchanged() async throws {
        let attacks = try Attack.all()
        let host = try HostWatch()
        defer { host.tearDown() }
        let pool = try await SecurityPool.fullPool()
        let runs = await pool.run(attacks.map(\.code), limits: SecurityPool.attackLimits)
        var escaped: [String] = []
        var surprising: [String] = []
        for (attack, run) in zip(attacks, runs) {
            if run.stdout.contains(Attack.marker) || run.stderr.contains(Attack.marker) {
                escaped.append("\(attack.testDescription): \(run.outcome.summary): \(run.stdout.prefix(300))")
            }
            if run.stdout.contains(host.secret) || run.stderr.contains(host.secret) {
                escaped.append("\(attack.testDescription) read the canary")
            }
            if attack.expected.count > 1, attack.matches(run.outcome) {
                // Which of the accepted outcomes this machine gave, for the record.
                print("\(attack.testDescription): contained as \(run.outcome.summary) (accepted: \(attack.expected.map(\.description).joined(separator: " | ")))")
            }
            if !attack.matches(run.outcome) {
                surprising.append("\(attack.testDescription): expected \(attack.expected.map(\.description).joined(separator: " | ")), got \(run.outcome.summary)")
            }
        }
        #expect(escaped.isEmpty, "escapes:\n\(escaped.joined(separator: "\n"))")
        #expect(surprising.isEmpty, "outcomes that differ from the corpus:\n\(surprising.joined(separator: "\n"))")
        #expect(host.canaryUnchanged(), "the canary file was changed")
        #expect(host.connectionsReceived() == 0, "the loopback listener was reached")
        #expect(host.attackLeftovers().isEmpty, "files written outside: \(host.attackLeftovers())")
        #expect(strayProcesses().isEmpty, "processes left behind")
        let after = await pool.run("print('still serving')")
        #expect(after.stdout == "still serving\n", "\(after.outcome.summary)")
    }

    @Test func poisoningLeavesNothingForTheNextSnippet() async throws {
        let poisons = try Attack.all().filter { $0.control != nil }
        let pool = try await SecurityPool.fullPool()
        for poison in poisons {
            // What the control prints in a clean child of this interpreter (gc thresholds, say,
            // differ between 3.11 and 3.13), then after the poison.
            let clean = await pool.run(poison.control!)
            #expect(clean.outcome == .completed, "\(poison.testDescription)'s control: \(clean.outcome.summary) \(clean.stderr.suffix(300))")
            _ = await pool.run(poison.code, limits: SecurityPool.attackLimits)
            // Twice: the control lands on the poisoned server at least once per tier it routes to.
            for _ in 0..<2 {
                let control = await pool.run(poison.control!)
                #expect(control.stdout == clean.stdout, "after \(poison.testDescription): \(control.outcome.summary) \(control.stdout)")
            }
        }
    }
}
}
