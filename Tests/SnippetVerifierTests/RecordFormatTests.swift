// The three record formats: what is read from each, and how the output is spliced from the input text.

import Foundation
import SnippetSandbox
@testable import SnippetVerifier
import Testing

private func parse(_ line: String, number: Int = 1) -> ParsedLine {
    ParsedLine(bytes: Array(line.utf8), line: number)
}

private func record(_ line: String) throws -> InputRecord {
    guard case .record(let record) = parse(line) else {
        Issue.record("not a record: \(line)")
        throw CancellationError()
    }
    return record
}

private let fence = "```"

@Suite struct FlatAndBlocksTests {
    @Test func flatRecordIsOneComputation() throws {
        let r = try record(#"{"id": 7, "code": "print(2 + 2)", "result": "$4$", "expression": "$2 + 2$", "conditions": "none"}"#)
        #expect(r.format == .flat)
        #expect(r.computations == [Computation(conditions: "none", expression: "$2 + 2$", result: "$4$", code: "print(2 + 2)")])
    }

    @Test func blocksRecordReadsEachComputation() throws {
        let r = try record(
            #"{"idx": 1, "computations": [{"title": "**Computation 1**", "code": "print(1)", "result": "$1$"}, {"code": "print(\"a\\nb\")", "result": "$2$", "expression": 5}]}"#)
        #expect(r.format == .blocks)
        #expect(r.computations.map(\.code) == ["print(1)", "print(\"a\\nb\")"])
        #expect(r.computations[0].title == "**Computation 1**")
        #expect(r.computations[1].expression == "", "a mistyped optional field reads as empty")
    }

    @Test func computationsWinOverTextAndTextOverCode() throws {
        #expect(try record(#"{"computations": [], "text": "x", "code": "print(1)", "result": "1"}"#).format == .blocks)
        #expect(try record(#"{"text": "no code here", "code": "print(1)", "result": "1"}"#).format == .rawModelOutput)
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let r = try record(#"{"code": "print('\u00e9\ud83d\ude00\t\"\\')", "result": "\u0024x\u0024"}"#)
        #expect(r.computations[0].code == "print('é😀\t\"\\')")
        #expect(r.computations[0].result == "$x$")
    }

    @Test func windowsLineEndingIsIgnored() throws {
        #expect(try record("{\"code\": \"print(1)\", \"result\": \"1\"}\r").format == .flat)
    }
}

@Suite struct RawModelOutputTests {
    @Test func twoTitledBlocksWithProseAround() {
        let text = """
            Here is my analysis.

            **Computation 1**
            Conditions Needed:
            1. A rectangle is 3 by 4.
            Computation Expression:
            $A = 3 \\times 4$
            Computation Result:
            $A = 12$
            Python Code Snippet:
            \(fence)python
            print(3 * 4)
            \(fence)

            **Computation 2:**
            Conditions Needed:
            1. The side is 5.
            Computation Expression:
            $5^2$
            Computation Result:
            $25$
            Python Code Snippet:
            \(fence)python
            print(5 ** 2)
            \(fence)
            I hope this helps!
            """
        let found = RawModelOutput.computations(in: text)
        #expect(found.count == 2)
        #expect(found[0] == Computation(
            title: "**Computation 1**", conditions: "1. A rectangle is 3 by 4.", expression: "$A = 3 \\times 4$",
            result: "$A = 12$", code: "print(3 * 4)"))
        #expect(found[1].title == "**Computation 2:**")
        #expect(found[1].code == "print(5 ** 2)")
        #expect(found[1].result == "$25$", "prose after the closing fence is not part of any section that counts")
    }

    @Test func singleBlockWithoutTitle() {
        let text = "Conditions Needed:\nHalf of one.\nComputation Expression:\n$\\frac{1}{2}$\nComputation Result:\n$0.5$\nPython Code Snippet:\n\(fence)python\nprint(1 / 2)\n\(fence)"
        let found = RawModelOutput.computations(in: text)
        #expect(found == [Computation(conditions: "Half of one.", expression: "$\\frac{1}{2}$", result: "$0.5$", code: "print(1 / 2)")])
    }

    @Test func missingSectionsAreEmpty() {
        let text = "**Computation 1**\nComputation Expression:\n$60 / 6 = 10$\nPython Code Snippet:\n\(fence)python\nprint(60 // 6)\n\(fence)"
        let found = RawModelOutput.computations(in: text)
        #expect(found.count == 1)
        #expect(found[0].conditions == "")
        #expect(found[0].result == "", "a missing result stays empty; the comparator reads the expression's right-hand side")
        #expect(found[0].expression == "$60 / 6 = 10$")
    }

    @Test func twoCodeFencesRunAsOneProgramAndOutputFencesAreLeftOut() {
        let text = """
            **Computation 1**
            Computation Result:
            $12$
            Python Code Snippet:
            \(fence)python
            import math
            \(fence)
            then
            \(fence)py
            print(math.gcd(84, 36))
            \(fence)
            Output:
            \(fence)
            12
            \(fence)
            """
        #expect(RawModelOutput.computations(in: text).map(\.code) == ["import math\nprint(math.gcd(84, 36))"])
    }

    @Test func untaggedFenceIsCodeWhenNoFenceIsTaggedPython() {
        let text = "Python Code Snippet:\n\(fence)\nprint(7)\n\(fence)"
        #expect(RawModelOutput.computations(in: text).map(\.code) == ["print(7)"])
    }

    @Test func unclosedFenceRunsToTheEndOfTheBlock() {
        let text = """
            **Computation 1**
            Python Code Snippet:
            \(fence)python
            print(1)

            **Computation 2**
            Computation Result: $2$
            Python Code Snippet: \(fence)python
            print(2)
            """
        let found = RawModelOutput.computations(in: text)
        #expect(found.map(\.code) == ["print(1)\n", "print(2)"])
        #expect(found[1].result == "$2$", "text after a marker on the same line belongs to the section")
    }

    @Test func boldMarkersAndMarkersInsideCodeAreTellApart() {
        let text = """
            **Computation 1**
            **Computation Result:** $9$
            **Python Code Snippet:**
            \(fence)python
            # Computation Result: not a marker inside code
            print(9)
            \(fence)
            """
        let found = RawModelOutput.computations(in: text)
        #expect(found.map(\.result) == ["$9$"])
        #expect(found.map(\.code) == ["# Computation Result: not a marker inside code\nprint(9)"])
    }

    @Test func blocksWithoutCodeAndPreambleCodeDoNotCount() {
        #expect(RawModelOutput.computations(in: "The text holds no computation.").isEmpty)
        let text = "Preamble:\n\(fence)python\nprint(0)\n\(fence)\n**Computation 1**\nComputation Result:\n$1$\n(no code given)"
        #expect(RawModelOutput.computations(in: text).isEmpty)
    }

    @Test func titleNeedsANumber() {
        #expect(RawModelOutput.title("**Computation 3**") == "**Computation 3**")
        #expect(RawModelOutput.title("### Computation 2: Area") == "### Computation 2: Area")
        #expect(RawModelOutput.title("Computation Expression:") == nil)
        #expect(RawModelOutput.title("Computation 2 gives the area") == nil)
    }
}

@Suite struct SplicingTests {
    private let run = SnippetRun.completed(stdout: "4\n")

    @Test func everyInputMemberComesBackByteForByteInOrder() throws {
        let line = #"{"z": 1.0, "id": "a", "big": 9007199254740993, "exp": 1E+5, "s": "\u00e9\n", "nested": {"b": [1, {"c": null}], "a": true}, "code": "print(4)", "result": "$4$"}"#
        let r = try record(line)
        let verification = Verification(verdict: .correct(.init(expected: "4", printed: "4", rule: "exact rational")), run: run)
        let out = VerifiedRecord(record: r, runs: [run], verifications: [verification])
        let text = String(decoding: out.output, as: UTF8.self)
        let members = #"{"z": 1.0,"id": "a","big": 9007199254740993,"exp": 1E+5,"s": "\u00e9\n","nested": {"b": [1, {"c": null}], "a": true},"code": "print(4)","result": "$4$","#
        #expect(text.hasPrefix(members), "members keep their text; only the separators between them lose spaces")
        #expect(text.contains(#""execution_output":"4","execution_error":"","verification":{"verdict":"correct""#))
        #expect(out.kept == out.output && out.dropped == nil)
    }

    @Test func existingExecutionFieldsAreReplacedInPlace() throws {
        let line = #"{"idx": 3, "computations": [{"code": "print(4)", "execution_output": "old", "result": "$4$", "execution_error": "x"}], "tail": 1}"#
        let r = try record(line)
        let verification = Verification(verdict: .wrong(.init(expected: "5", printed: "4", rule: "exact")), run: run)
        let out = VerifiedRecord(record: r, runs: [run], verifications: [verification])
        let text = String(decoding: out.output, as: UTF8.self)
        #expect(text.hasPrefix(#"{"idx": 3,"computations":[{"code": "print(4)","execution_output":"4","result": "$4$","execution_error":"","verification":{"verdict":"wrong""#))
        #expect(text.hasSuffix(#"}}],"tail": 1}"#))
        #expect(text.components(separatedBy: "execution_output").count == 2, "no duplicate key")
        #expect(out.kept == nil)
        #expect(out.dropped == out.output)
    }

    @Test func rawRecordGainsAComputationsArray() throws {
        let text = "Python Code Snippet:\n```python\nprint(4)\n```"
        let line = String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        let r = try record(line)
        let verification = Verification(verdict: .unverifiable(reason: "no value"), run: run)
        let out = VerifiedRecord(record: r, runs: [run], verifications: [verification])
        let object = try TestFiles.object(String(decoding: out.output, as: UTF8.self))
        let computations = try #require(object["computations"] as? [[String: Any]])
        #expect(object["text"] as? String == text)
        #expect(computations.count == 1)
        #expect(computations[0]["code"] as? String == "print(4)")
        #expect(computations[0]["result"] as? String == "")
        #expect(verdicts(object) == ["unverifiable"])
    }
}
