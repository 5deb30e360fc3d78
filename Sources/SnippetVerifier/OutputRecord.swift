// Output records spliced from the input text: every input member kept byte for byte, new ones added.
//
// Decision: the output is the original text of each input member (key and value exactly as the
// input wrote them: number spellings, escapes, nesting), joined with "," and no other whitespace,
// with `execution_output`, `execution_error` and `verification` spliced in. A member that the
// input already had under one of these keys (the pipeline writes empty `execution_output` before
// execution) gets the new value in its own place; missing ones are appended in that order. Raw
// model output gains a `computations` array at the end. Nothing is ever parsed into Foundation
// objects and serialised again.

import SnippetSandbox

/// What one non-blank input line became: the output record, and its kept and dropped parts.
public struct VerifiedRecord: Sendable {
    /// 1-based input line.
    public var line: Int
    /// The output record's JSON text, without the newline.
    public var output: [UInt8]
    /// The record with only its correct and unverifiable computations; nil when it has none.
    public var kept: [UInt8]?
    /// The record with only its wrong and failed computations; nil when it has none.
    public var dropped: [UInt8]?
    /// One per computation, in order; empty for a malformed line.
    public var verifications: [Verification]
    /// Why the line was malformed; nil for a record.
    public var malformedReason: String?

    /// The output of a malformed line: `{"line": N, "error": "...", <the members that could be read>}`.
    public init(malformed: MalformedLine) {
        var json = JSONWriter()
        json.raw("{\"line\":")
        json.integer(malformed.line)
        json.raw(",\"error\":")
        json.string(malformed.reason)
        for member in malformed.members where member.key != "line" && member.key != "error" {
            json.raw(",")
            json.raw(malformed.text[member.range])
        }
        json.raw("}")
        self.init(line: malformed.line, output: json.bytes, kept: nil, dropped: nil, verifications: [], malformedReason: malformed.reason)
    }

    /// The output of a verified record; `runs` holds one run per computation, in order.
    init(record: InputRecord, runs: [SnippetRun], verifications: [Verification]) {
        precondition(runs.count == record.computations.count && verifications.count == runs.count)
        let verdicts = verifications.map { $0.verdict.name }
        switch record.format {
        case .flat:
            let text = Splice.computation(
                record.text, record.members, run: runs[0], verification: verifications[0])
            let kept = verdicts[0].isKept
            self.init(
                line: record.line, output: text, kept: kept ? text : nil, dropped: kept ? nil : text,
                verifications: verifications, malformedReason: nil)
        case .blocks, .rawModelOutput:
            let elements: [[UInt8]] = runs.indices.map { index in
                if record.format == .blocks {
                    return Splice.computation(
                        record.text, record.computationMembers[index], run: runs[index], verification: verifications[index])
                }
                return Splice.newComputation(record.computations[index], run: runs[index], verification: verifications[index])
            }
            let whole = Splice.record(record.text, record.members, computations: elements[...])
            let (kept, dropped) = Splice.split(record.text, record.members, elements: elements, verdicts: verdicts)
            self.init(
                line: record.line, output: whole, kept: kept, dropped: dropped,
                verifications: verifications, malformedReason: nil)
        }
    }

    init(line: Int, output: [UInt8], kept: [UInt8]?, dropped: [UInt8]?, verifications: [Verification], malformedReason: String?) {
        self.line = line
        self.output = output
        self.kept = kept
        self.dropped = dropped
        self.verifications = verifications
        self.malformedReason = malformedReason
    }
}

/// Building objects from original member text plus new members.
enum Splice {
    /// Keys each computation gains, in the order they are appended when missing.
    static let addedKeys = ["execution_output", "execution_error", "verification"]

    /// An existing computation (or flat record) with the three added members.
    static func computation(_ text: [UInt8], _ members: [JSONMember], run: SnippetRun, verification: Verification) -> [UInt8] {
        let values = addedValues(run: run, verification: verification)
        var json = JSONWriter()
        json.raw("{")
        var first = true
        var written = Set<String>()
        for member in members {
            if !first { json.raw(",") }
            first = false
            if let index = addedKeys.firstIndex(of: member.key) {
                json.key(member.key)
                json.raw(values[index])
                written.insert(member.key)
            } else {
                json.raw(text[member.range])
            }
        }
        for (key, value) in zip(addedKeys, values) where !written.contains(key) {
            if !first { json.raw(",") }
            first = false
            json.key(key)
            json.raw(value)
        }
        json.raw("}")
        return json.bytes
    }

    /// A computation found in raw model output, as a new object.
    static func newComputation(_ computation: Computation, run: SnippetRun, verification: Verification) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        for (key, value) in [
            ("title", computation.title), ("conditions", computation.conditions),
            ("expression", computation.expression), ("result", computation.result), ("code", computation.code),
        ] {
            json.key(key)
            json.string(value)
            json.raw(",")
        }
        for (index, (key, value)) in zip(addedKeys, addedValues(run: run, verification: verification)).enumerated() {
            if index > 0 { json.raw(",") }
            json.key(key)
            json.raw(value)
        }
        json.raw("}")
        return json.bytes
    }

    /// The record with its `computations` member holding exactly `computations` (in place when
    /// the record has the member, appended when it has not).
    static func record(_ text: [UInt8], _ members: [JSONMember], computations: ArraySlice<[UInt8]>) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        var replaced = false
        for (index, member) in members.enumerated() {
            if index > 0 { json.raw(",") }
            if member.key == "computations" {
                json.key(member.key)
                array(computations, into: &json)
                replaced = true
            } else {
                json.raw(text[member.range])
            }
        }
        if !replaced {
            if !members.isEmpty { json.raw(",") }
            json.key("computations")
            array(computations, into: &json)
        }
        json.raw("}")
        return json.bytes
    }

    /// The kept and dropped records: the record with only the elements of each side, nil when a
    /// side has none.
    static func split(
        _ text: [UInt8], _ members: [JSONMember], elements: [[UInt8]], verdicts: [Verdict.Name?]
    ) -> (kept: [UInt8]?, dropped: [UInt8]?) {
        let kept = zip(elements, verdicts).filter { $0.1?.isKept == true }.map(\.0)
        let dropped = zip(elements, verdicts).filter { $0.1.map { !$0.isKept } ?? false }.map(\.0)
        return (
            kept.isEmpty ? nil : record(text, members, computations: kept[...]),
            dropped.isEmpty ? nil : record(text, members, computations: dropped[...])
        )
    }

    private static func array(_ elements: ArraySlice<[UInt8]>, into json: inout JSONWriter) {
        json.raw("[")
        for (index, element) in elements.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw(element)
        }
        json.raw("]")
    }

    /// The JSON values of `execution_output`, `execution_error` and `verification`.
    private static func addedValues(run: SnippetRun, verification: Verification) -> [[UInt8]] {
        let fields = ExecutionFields(run: run)
        var output = JSONWriter()
        output.string(fields.output)
        var error = JSONWriter()
        error.string(fields.error)
        var object = JSONWriter()
        verification.write(to: &object)
        return [output.bytes, error.bytes, object.bytes]
    }
}
