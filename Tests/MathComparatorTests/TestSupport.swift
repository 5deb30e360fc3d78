// Shared helpers for the comparator tests: verdict names, fixture loading and table rows that carry their own line.
import Foundation
import Testing
@testable import MathComparator

/// Foundation also declares a `Comparator`; the tests mean this module's.
typealias Comparator = MathComparator.Comparator

/// The verdict name a comparison maps to, as written in the graded fixtures.
func verdict(_ comparison: Comparison) -> String {
    switch comparison {
    case .equivalent: return "correct"
    case .different: return "wrong"
    case .noExpectedValue: return "unverifiable"
    }
}

/// One comparison row of a table; the default `sourceLocation` is the row's own line, so that a
/// failing row is reported where it is written (as swift-system's FilePathSyntaxTest does).
struct ComparisonRow: Sendable, CustomTestStringConvertible {
    var input: GradedCase
    var sourceLocation: SourceLocation

    init(_ result: String, _ printed: String, _ verdict: String, expression: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        input = GradedCase(result: result, expression: expression, printed: printed, verdict: verdict, why: "")
        self.sourceLocation = sourceLocation
    }

    var testDescription: String { "\(input.result) vs \(input.printed)" }

    func check(_ comparator: Comparator = Comparator()) {
        let outcome = comparator.compare(result: input.result, expression: input.expression, printed: input.printed)
        #expect(verdict(outcome) == input.verdict, "\(testDescription): \(outcome)", sourceLocation: sourceLocation)
    }
}

/// One reader row: the text, and the canonical rendering of what it must read as (nil: no value).
struct RenderingRow: Sendable, CustomTestStringConvertible {
    var text: String
    var rendering: String?
    var sourceLocation: SourceLocation

    init(_ text: String, _ rendering: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        self.text = text
        self.rendering = rendering
        self.sourceLocation = sourceLocation
    }

    var testDescription: String { text }
}

struct GradedCase: Decodable, Sendable {
    var result: String
    var expression: String
    var printed: String
    var verdict: String
    var why: String
}

enum Fixtures {
    /// fixtures/graded, found from this file's path: Tests/MathComparatorTests/ -> repository root.
    static var gradedDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/graded")
    }

    static func gradedFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: gradedDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jsonl" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every case of one file with its 1-based line number.
    static func cases(in file: URL) throws -> [(line: Int, graded: GradedCase)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var cases: [(Int, GradedCase)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            cases.append((index + 1, try JSONDecoder().decode(GradedCase.self, from: Data(line.utf8))))
        }
        return cases
    }
}
