// The README's library example is the source of `library-example`: the same text, and it runs.

import Foundation
import TestSupport
import Testing

@Suite struct LibraryExampleTests {
    static let repository = FixturePaths.root.deletingLastPathComponent()

    @Test func readmeShowsTheExampleWordForWord() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(
            contentsOf: Self.repository.appendingPathComponent("Sources/library-example/main.swift"), encoding: .utf8)
        let section = try #require(readme.range(of: "### As a library")).upperBound
        let rest = readme[section...]
        let blocks = rest.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let shown = try #require(blocks.first { $0.contains("import SnippetVerifier") })
        let code = try #require(source.range(of: "import SnippetSandbox"))
        #expect(shown == String(source[code.lowerBound...]))
    }

    @Test func theExampleVerifiesAFileAndALine() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = "\(folder)/in.jsonl", output = "\(folder)/out.jsonl"
        let lines = [
            #"{"id": 1, "code": "print(2 ** 10)", "result": "$1024$"}"#,
            #"{"id": 2, "code": "print(1 / 4)", "result": "$\\frac{1}{3}$"}"#,
            #"{"id": 3, "code": "raise ValueError('no')", "result": "$1$"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CLI.productsFolder.appendingPathComponent("library-example")
        process.arguments = [input, output]
        process.environment = [:]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try CLI.objects(file: output).map(verdicts) == [["correct"], ["wrong"], ["failed"]])
        #expect(text.contains(#"["correct"]"#))
        #expect(text.contains("completed 1/2"))
    }
}
