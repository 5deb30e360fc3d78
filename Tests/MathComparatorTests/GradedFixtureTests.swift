// Every hand-graded case in fixtures/graded must get its graded verdict.
import Foundation
import Testing
@testable import MathComparator

@Suite struct GradedFixtureTests {
    @Test func fixturesAreThere() throws {
        let files = try Fixtures.gradedFiles()
        #expect(files.count >= 10)
        let total = try files.reduce(0) { $0 + (try Fixtures.cases(in: $1).count) }
        #expect(total >= 300)
    }

    @Test(arguments: try Fixtures.gradedFiles().map(\.lastPathComponent))
    func everyCaseAgrees(file: String) throws {
        let comparator = Comparator()
        let url = Fixtures.gradedDirectory.appendingPathComponent(file)
        let cases = try Fixtures.cases(in: url)
        #expect(!cases.isEmpty)
        for (line, graded) in cases {
            let outcome = comparator.compare(result: graded.result, expression: graded.expression, printed: graded.printed)
            #expect(verdict(outcome) == graded.verdict, "\(file):\(line) (\(graded.why)): \(outcome)")
        }
    }

    @Test func verdictsCoverAllThree() throws {
        var seen: Set<String> = []
        for file in try Fixtures.gradedFiles() {
            for (_, graded) in try Fixtures.cases(in: file) { seen.insert(graded.verdict) }
        }
        #expect(seen == ["correct", "wrong", "unverifiable"])
    }
}
