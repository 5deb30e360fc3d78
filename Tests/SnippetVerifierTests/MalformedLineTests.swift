// Malformed lines: each kind gets `{"line", "error"}` with the fields that could be read; none stops a run.

import Foundation
@testable import SnippetVerifier
import Testing

@Suite struct MalformedLineTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var bytes: [UInt8]
        var reason: String
        var limits = RecordLimits()
        var sourceLocation: SourceLocation
        var testDescription: String { reason }
    }

    static func row(_ line: String, _ reason: String, limits: RecordLimits = RecordLimits(), sourceLocation: SourceLocation = #_sourceLocation) -> Case {
        Case(bytes: Array(line.utf8), reason: reason, limits: limits, sourceLocation: sourceLocation)
    }

    static let cases: [Case] = [
        row(#"{"code": "print(1)", "result": "$1$""#, "not JSON: the object is not closed"),
        row("print(1)", "not JSON: unexpected character 'p'"),
        row("[1, 2, 3]", "not a JSON object but an array"),
        row("\"text\"", "not a JSON object but a string"),
        row("{}", "missing \"code\""),
        row(#"{"id": 1, "result": "$4$"}"#, "missing \"code\""),
        row(#"{"code": "print(1)"}"#, "missing \"result\""),
        row(#"{"code": 42, "result": "$42$"}"#, "\"code\" is a number, not a string"),
        row(#"{"code": "print(1)", "result": null}"#, "\"result\" is null, not a string"),
        row(#"{"code": "print(1)\u0000", "result": "1"}"#, "\"code\" contains a NUL character"),
        row(#"{"computations": {"code": "print(1)"}}"#, "\"computations\" is an object, not an array"),
        row(#"{"computations": [{"code": "print(1)", "result": "1"}, []]}"#, "\"computations[1]\" is an array, not an object"),
        row(#"{"computations": [{"result": "1"}]}"#, "missing \"computations[0].code\""),
        row(#"{"code": "print(1)", "result": "1", "x": 01}"#, "not JSON: expected ',' or '}' in an object"),
        row(#"{"code": "print(1)", "result": "1", "x": NaN}"#, "not JSON: unexpected character 'N'"),
        row(#"{"code": "print(1)", "result": "1",}"#, "not JSON: an object key must be a string"),
        row("{\"code\": \"a\tb\", \"result\": \"1\"}", "not JSON: an unescaped control character inside a string"),
        row(#"{"code": "print(1)", "result": "1"} x"#, "not JSON: unexpected text after the JSON value"),
        row(String(repeating: "[", count: 300), "not JSON: nested deeper than 256 levels"),
        row(#"{"code": "print(1)", "result": "1", "pad": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#,
            "the line is 95 bytes long, more than the limit of 60", limits: RecordLimits(maxLineBytes: 60)),
        row(#"{"computations": [{"code": "print(1)", "result": "1"}, {"code": "print(2)", "result": "2"}]}"#,
            "\"computations\" has 2 elements, more than the limit of 1", limits: RecordLimits(maxComputations: 1)),
    ]

    @Test(arguments: cases)
    func reasonNamesTheProblem(_ row: Case) {
        guard case .malformed(let malformed) = ParsedLine(bytes: row.bytes, line: 9, limits: row.limits) else {
            Issue.record("not malformed", sourceLocation: row.sourceLocation)
            return
        }
        #expect(malformed.line == 9, sourceLocation: row.sourceLocation)
        #expect(malformed.reason.hasPrefix(row.reason), "got: \(malformed.reason)", sourceLocation: row.sourceLocation)
    }

    @Test func invalidUTF8IsNamedWithItsOffset() {
        let bytes = Array(#"{"code": "print(4)", "result": "$4"#.utf8) + [0xFF, 0xFE] + Array("$\"}".utf8)
        guard case .malformed(let malformed) = ParsedLine(bytes: bytes, line: 3) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(malformed.reason == "invalid UTF-8 at byte 34")
        let output = VerifiedRecord(malformed: malformed).output
        #expect(String(decoding: output, as: UTF8.self) == #"{"line":3,"error":"invalid UTF-8 at byte 34","code": "print(4)"}"#,
                "the members without invalid bytes are kept")
    }

    @Test func outputNamesTheLineAndKeepsTheReadableFields() throws {
        let line = #"{"id": "no-code", "line": "theirs", "result": "$4$", "n": 1.50}"#
        guard case .malformed(let malformed) = ParsedLine(bytes: Array(line.utf8), line: 12) else {
            Issue.record("accepted a record without code")
            return
        }
        let text = String(decoding: VerifiedRecord(malformed: malformed).output, as: UTF8.self)
        #expect(text == #"{"line":12,"error":"missing \"code\"","id": "no-code","result": "$4$","n": 1.50}"#)
    }

    @Test func blankLinesAreNotRecords() {
        for blank in ["", "   ", "\t\r"] {
            guard case .blank = ParsedLine(bytes: Array(blank.utf8), line: 1) else {
                Issue.record("\(blank.debugDescription) is not blank")
                continue
            }
        }
    }
}
