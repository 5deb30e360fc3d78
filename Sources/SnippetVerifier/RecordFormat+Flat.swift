// The flat format: the record itself is one computation, `{"id", "code", "result", ...}`.

extension InputRecord {
    /// A flat record needs `code` and `result` as strings; `expression`, `conditions` and `title`
    /// are read when they are strings and empty otherwise.
    static func flat(line: Int, fields: FieldReader) throws(RecordProblem) -> InputRecord {
        let code = try fields.code()  // first: a record without code is the likelier mistake
        let computation = Computation(
            title: fields.optionalString("title"),
            conditions: fields.optionalString("conditions"),
            expression: fields.optionalString("expression"),
            result: try fields.requiredString("result"),
            code: code
        )
        return InputRecord(
            line: line, format: .flat, computations: [computation],
            text: fields.bytes, members: fields.members, computationMembers: [])
    }
}
