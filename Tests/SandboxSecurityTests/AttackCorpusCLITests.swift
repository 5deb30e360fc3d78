// The attack corpus through the built `verify-snippets`, as a pipeline would run it: every
// attack that must fail is `failed` (never `correct`, though each ends by printing the expected
// answer), and no output record carries the escape marker.

import Foundation
import TestSupport
import Testing

extension SecurityTests {
@Suite("Attack corpus through the CLI")
struct AttackCorpusCLITests {
    @Test func attacksNeverEarnACorrectVerdict() async throws {
        try runCorpus(asUser: nil)
    }

    /// The same as an ordinary user, as a pipeline on a cluster runs it: the servers build their
    /// private view in a user namespace of their own, so every protection holds there too.
    @Test func attacksNeverEarnACorrectVerdictAsAnOrdinaryUser() async throws {
        try runCorpus(asUser: AnotherUser.uid)
    }

    private func runCorpus(asUser user: uid_t?) throws {
        let attacks = try Attack.all()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vs-attacks-\(getpid())-\(user ?? 0)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Each attack ends by printing the answer its record expects, the way an attack that
        // caught its own PermissionError would try to pass as a correct snippet.
        var lines: [String] = []
        for (i, attack) in attacks.enumerated() {
            let record: [String: Any] = ["id": i, "name": attack.testDescription,
                                         "code": attack.code + "\nprint(42)", "result": "$42$"]
            let data = try JSONSerialization.data(withJSONObject: record)
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let input = folder.appendingPathComponent("attacks.jsonl")
        let output = folder.appendingPathComponent("out.jsonl")
        let summary = folder.appendingPathComponent("summary.json")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let built = Bundle.main.executableURL!.deletingLastPathComponent()
        var cli = built.appendingPathComponent("verify-snippets")
        let process = Process()
        var arguments = [input.path, "-o", output.path, "--summary-json", summary.path, "--jobs", "2", "--timeout", "3",
                         "--cpu", "2", "--memory", "1G", "--max-output", "64K"]
        if let user {
            try AnotherUser.stage(productsFrom: built, into: folder.path, readable: [input.path])
            cli = folder.appendingPathComponent("verify-snippets")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--", cli.path] + arguments
        } else {
            process.executableURL = cli
        }
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let records = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(records.count == attacks.count, "one output record per attack")
        var wrong: [String] = []
        for (attack, line) in zip(attacks, records) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let verdict = (object["verification"] as? [String: Any])?["verdict"] as? String ?? "?"
            let printed = object["execution_output"] as? String ?? ""
            if printed.contains(Attack.marker) { wrong.append("\(attack.testDescription): marker in the output") }
            if !attack.expectsCompletion && verdict != "failed" {
                wrong.append("\(attack.testDescription): \(verdict), expected failed (\(attack.expected.map(\.description).joined(separator: " | ")))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any] ?? [:]
        let protections = report["protections"] as? [String] ?? []
        #expect(protections.contains("private-root"), "protections: \(protections)")
        #expect(strayProcesses().isEmpty)
        if let user { #expect(processes(ownedBy: user).isEmpty, "nothing of the user outlives the run") }
    }
}
}
