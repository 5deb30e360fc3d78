// The blocks format, the pipeline's extracted form: `{"idx", "computations": [{...}, ...]}`.

extension InputRecord {
    /// Each element of `computations` must be an object with `code` and `result` strings, as in
    /// the flat format; a record with more elements than the limit is malformed as a whole.
    static func blocks(
        line: Int, fields: FieldReader, computations member: JSONMember, limits: RecordLimits
    ) throws(RecordProblem) -> InputRecord {
        guard member.value.kind == .array else {
            throw RecordProblem(reason: "\"computations\" is \(member.value.kind.withArticle), not an array")
        }
        let elements = JSONScanner.elements(of: member.value, in: fields.bytes)
        guard elements.count <= limits.maxComputations else {
            throw RecordProblem(
                reason: "\"computations\" has \(elements.count) elements, more than the limit of \(limits.maxComputations)")
        }
        var computations: [Computation] = []
        var computationMembers: [[JSONMember]] = []
        computations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard element.kind == .object else {
                throw RecordProblem(reason: "\"computations[\(index)]\" is \(element.kind.withArticle), not an object")
            }
            let members = JSONScanner.members(of: element, in: fields.bytes)
            let reader = FieldReader(bytes: fields.bytes, members: members, path: "computations[\(index)].")
            computations.append(
                Computation(
                    title: reader.optionalString("title"),
                    conditions: reader.optionalString("conditions"),
                    expression: reader.optionalString("expression"),
                    result: try reader.requiredString("result"),
                    code: try reader.code()
                ))
            computationMembers.append(members)
        }
        return InputRecord(
            line: line, format: .blocks, computations: computations,
            text: fields.bytes, members: fields.members, computationMembers: computationMembers)
    }
}
