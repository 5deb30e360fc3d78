// Raw model output: the translating model's answer as text, cut into computation blocks.
//
// The model writes, per computation:
//
//     **Computation 1**
//     Conditions Needed:
//     1. ...
//     Computation Expression:
//     $A = 3 \times 4$
//     Computation Result:
//     $A = 12$
//     Python Code Snippet:
//     ```python
//     print(3 * 4)
//     ```
//
// Rules, in the order they apply:
// - A line `**Computation N**` (also `**Computation N:**`, `### Computation N`, or with a name
//   after the number when the line is bold or a heading) starts a block. Text before the first
//   title is preamble and ignored. A text with no title at all is one untitled block.
// - Section markers (`Conditions Needed:`, `Computation Expression:`, `Computation Result:`,
//   `Python Code Snippet:`, bold or not, text may follow on the same line) start a section. A
//   missing section is empty; a missing result stays empty in the output, and the comparator
//   takes the expected value from the expression's right-hand side when it judges.
// - Code is what sits between ``` fences in the code section (in the whole block when the block
//   has no code marker). A fence that is never closed runs to the end of the block: a title line
//   closes it.
// - Two or more code fences in one block: all of them run, joined in order, as one program. A
//   model splits a snippet into parts ("first define..., then print...") more often than it
//   repeats it, and when it does repeat a corrected version, the last value printed is the one
//   compared. Fences tagged as another language (```output, ```text) are left out when any
//   fence is tagged python; untagged fences are used only when none is.
// - A block counts when it has a code fence; the others (prose, "no computation here") add nothing.
// - Lines inside a fence are never taken for markers.

extension InputRecord {
    /// Finds the computations in `text`; the record's output gains them as a `computations` array.
    static func rawModelOutput(
        line: Int, fields: FieldReader, text member: JSONMember, limits: RecordLimits
    ) throws(RecordProblem) -> InputRecord {
        let text = JSONScanner.decodeString(fields.bytes, member.value.range)
        let computations = RawModelOutput.computations(in: text)
        guard computations.count <= limits.maxComputations else {
            throw RecordProblem(
                reason: "\"text\" holds \(computations.count) computations, more than the limit of \(limits.maxComputations)")
        }
        return InputRecord(
            line: line, format: .rawModelOutput, computations: computations,
            text: fields.bytes, members: fields.members, computationMembers: [])
    }
}

/// The block parser for raw model output; see the rules at the top of this file.
public enum RawModelOutput {
    /// The computations that `text` holds, in order; blocks without code are left out.
    public static func computations(in text: String) -> [Computation] {
        var parser = Parser()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            parser.feed(line.last == "\r" ? line.dropLast() : line)
        }
        parser.finishBlock()
        let blocks = parser.sawTitle ? parser.blocks.filter { $0.titled } : parser.blocks
        return blocks.compactMap { $0.computation }
    }

    enum Section {
        case preamble, conditions, expression, result, code
    }

    struct Fence {
        var language: String
        var lines: [Substring] = []
        var inCodeSection: Bool
    }

    struct Block {
        var title = ""
        var titled = false
        var sections: [Section: [Substring]] = [:]
        var fences: [Fence] = []
        var hasCodeMarker = false

        var computation: Computation? {
            let candidates = hasCodeMarker ? fences.filter { $0.inCodeSection } : fences
            let python = candidates.filter { RawModelOutput.isPython($0.language) }
            let chosen = python.isEmpty ? candidates.filter { $0.language.isEmpty } : python
            guard !chosen.isEmpty else { return nil }
            let code = chosen.map { $0.lines.joined(separator: "\n") }.joined(separator: "\n")
            return Computation(
                title: title,
                conditions: text(.conditions),
                expression: text(.expression),
                result: text(.result),
                code: code)
        }

        func text(_ section: Section) -> String {
            (sections[section] ?? []).joined(separator: "\n").trimmingWhitespace()
        }
    }

    struct Parser {
        var blocks: [Block] = []
        var block = Block()
        var section = Section.preamble
        var fence: Fence?
        var sawTitle = false

        mutating func feed(_ line: Substring) {
            if let title = RawModelOutput.title(line) {
                finishBlock()
                block = Block(title: title, titled: true)
                section = .preamble
                sawTitle = true
                return
            }
            if fence != nil {
                if line.trimmingWhitespace().hasPrefix("```") {
                    closeFence()
                } else {
                    fence!.lines.append(line)
                }
                return
            }
            take(line)
        }

        /// A line outside any fence: a fence opening, a section marker, or section text.
        private mutating func take(_ line: Substring) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingWhitespace().lowercased()
                fence = Fence(language: String(language.prefix { !$0.isWhitespace }), inCodeSection: section == .code)
                return
            }
            if let (marker, rest) = RawModelOutput.marker(line) {
                section = marker
                if marker == .code { block.hasCodeMarker = true }
                if !rest.isEmpty { take(rest) }
                return
            }
            block.sections[section, default: []].append(line)
        }

        private mutating func closeFence() {
            guard let finished = fence else { return }
            fence = nil
            if finished.inCodeSection || section == .preamble || RawModelOutput.isPython(finished.language) {
                block.fences.append(finished)
            } else {
                // A fence inside the expression or result section holds that section's text.
                block.sections[section, default: []].append(contentsOf: finished.lines)
            }
        }

        mutating func finishBlock() {
            closeFence()
            blocks.append(block)
            block = Block()
        }
    }

    static func isPython(_ language: String) -> Bool {
        ["python", "py", "python3", "sympy"].contains(language)
    }

    /// The title of a block-starting line ("**Computation 2**"), or nil.
    static func title(_ line: Substring) -> String? {
        let trimmed = line.trimmingWhitespace()
        let decorated = trimmed.hasPrefix("**") || trimmed.hasPrefix("#")
        var rest = Substring(trimmed).drop { $0 == "*" || $0 == "#" || $0 == " " }
        guard rest.lowercased().hasPrefix("computation") else { return nil }
        rest = rest.dropFirst("computation".count)
        let spaces = rest.prefix { $0 == " " }
        rest = rest.dropFirst(spaces.count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        rest = rest.dropFirst(digits.count)
        let tail = rest.drop { "*:.) ".contains($0) }
        guard tail.isEmpty || decorated else { return nil }
        return trimmed
    }

    /// The section a marker line starts, and the text after the marker on the same line.
    static func marker(_ line: Substring) -> (Section, Substring)? {
        let rest = line.drop { $0 == "*" || $0 == "#" || $0 == " " || $0 == "-" || $0 == "\t" }
        let lower = rest.lowercased()
        let names: [(String, Section)] = [
            ("conditions needed", .conditions), ("condition needed", .conditions),
            ("computation expression", .expression), ("computation result", .result),
            ("python code snippet", .code), ("python code", .code), ("code snippet", .code),
        ]
        for (name, section) in names where lower.hasPrefix(name) {
            var after = rest.dropFirst(name.count).drop { $0 == "*" || $0 == " " }
            if after.first == ":" {
                after = after.dropFirst().drop { $0 == "*" || $0 == " " }
                return (section, after)
            }
            if after.isEmpty { return (section, after) }
            return nil
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (newlines included), as Python's `strip()`.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
