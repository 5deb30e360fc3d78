// Reads a whole statement of values: reads units, drops prose, splits clauses and relations, interprets them.
import BigInt

/// What a piece of text holds: a value, or the reason it holds none.
enum Reading: Hashable, Sendable {
    case value(MathValue)
    case noValue(String)

    var value: MathValue? {
        if case .value(let v) = self { return v }
        return nil
    }
}

enum Relation: Hashable {
    case equal, approx, less, lessEqual, greater, greaterEqual, member, other(String)
}

/// Turns text like `x = 2 \text{ or } x = 3`, `-2 < x \le 3`, `c = 5.0 cm` into a value.
enum ClauseReader {
    static func read(_ text: Substring, dialect: Dialect) -> Reading {
        if text.utf8.count > Limits.maxInputLength {
            return .noValue("longer than \(Limits.maxInputLength) characters")
        }
        if dialect == .latex, let focused = AnswerFocus.focus(text) {
            return read(Substring(focused), dialect: dialect)
        }
        guard let lexemes = Lexer.tokens(text, dialect: dialect) else { return .noValue("unreadable text") }
        let (cleaned, droppedText) = clean(lexemes)
        if cleaned.isEmpty {
            return .noValue(droppedText ? "text, not a value" : "empty")
        }
        if dialect == .python, cleaned.contains(where: RelationReader.isLogic), let set = RelationReader.read(cleaned[...]) {
            return .value(set)
        }
        if !cleaned.contains(where: { isConnective($0.token) || relation($0.token) != nil }) {
            // One side, no relation: the common case, read without building clauses.
            switch parseSide(cleaned[...], dialect: dialect, name: nil) {
            case .success(let items): return .value(items.count == 1 ? items[0].value : .solutions(items.map(\.value)))
            case .failure(let reason): return .noValue(reason)
            }
        }
        return interpretClauses(split(cleaned), dialect: dialect)
    }

    // MARK: Cleaning

    /// Reads the unit that follows a number into one unit token and expands siunitx markup; drops
    /// `\text{…}` (keeping `or`/`and`), currency and the count nouns and unknown units after a number.
    static func clean(_ input: [Lexeme]) -> ([Lexeme], Bool) {
        // Most text has nothing to drop: return it without copying a token.
        if !input.indices.contains(where: { needsCleaning(input, at: $0) }) { return (input, false) }
        // Copied only where a `\text{12 cm}` group loses its braces.
        var lexemes = input
        var out: [Lexeme] = []
        out.reserveCapacity(lexemes.count)
        var droppedText = false
        var i = 0
        var lastWasUnit = false
        while i < lexemes.count {
            let lexeme = lexemes[i]
            if UnitReader.mayStart(lexeme), out.last.map({ endsQuantity($0.token) }) ?? false, let (unit, next) = UnitReader.readAfterQuantity(lexemes, from: i),
               !startsFactor(lexemes, at: next) {
                out.append(Lexeme(token: .unit(unit), spaceBefore: lexeme.spaceBefore))
                i = next
                lastWasUnit = true
                continue
            }
            if let next = QuantityMarkup.expand(lexemes, at: i, into: &out) {
                i = next
                continue
            }
            switch lexeme.token {
            case .command(let c) where textCommands.contains(c):
                let (words, next) = groupWords(lexemes, from: i + 1)
                let group = lexemes[(i + 1)..<next]
                if group.contains(where: { if case .number = $0.token { true } else { false } }),
                   c.hasPrefix("math") || group.allSatisfy({ if case .word(let w) = $0.token { unitWords.contains(w) } else { true } }) {
                    // `\mathrm{12\ cm}` is upright math, `\text{12 cm}` a number and its unit: read without the
                    // command, and without its braces, which would keep the unit off the number (and an
                    // exponent after them off the unit: `\text{12 cm}^2`), unless the group is a script
                    // (`2^\mathrm{12}`).
                    let isScript = out.last.map { $0.token == .symbol("^") || $0.token == .symbol("_") } ?? false
                    if !isScript, lexemes[next - 1].token == .symbol("}") {
                        lexemes.remove(at: next - 1)
                        lexemes.remove(at: i + 1)
                    }
                    i += 1
                    continue
                }
                i = next
                if words.count == 1, LaTeXWords.connectives.contains(words[0]) {
                    out.append(Lexeme(token: .word(words[0].lowercased()), spaceBefore: true))
                } else if c.hasPrefix("math"), words.count == 1, words[0].count == 1 {
                    // `\mathrm{e}`, `\mathrm{d}`: a letter set upright is still math.
                    out.append(Lexeme(token: .word(words[0]), spaceBefore: lexeme.spaceBefore))
                } else if !words.isEmpty {
                    droppedText = true
                    lastWasUnit = true
                    i = skipUnitPower(lexemes, from: i)
                }
                continue
            case .command(let c) where skippedCommands.contains(c):
                i += 1
                continue
            case .command("quad"):
                // A wide space is a comma between statements, a space between a number and its unit.
                if !(out.last.map { endsQuantity($0.token) } ?? false) || !unitEndsStatement(lexemes, from: i + 1) {
                    out.append(Lexeme(token: .symbol(","), spaceBefore: lexeme.spaceBefore))
                }
                i += 1
                continue
            case .word(let w):
                let follows = lastWasUnit || out.last.map { endsQuantity($0.token) } ?? false
                if follows && Units.isUnit(w, spaced: lexeme.spaceBefore || lastWasUnit) && !startsFactor(lexemes, at: i + 1) {
                    lastWasUnit = true
                    i = skipUnitPower(lexemes, from: i + 1)
                    continue
                }
            case .symbol("/") where lastWasUnit:
                // `km/h`: the divisor is a unit too.
                if i + 1 < lexemes.count, case .word(let w) = lexemes[i + 1].token, Units.names.contains(w) {
                    i = skipUnitPower(lexemes, from: i + 2)
                    continue
                }
            default:
                break
            }
            lastWasUnit = false
            out.append(lexeme)
            i += 1
        }
        while let last = out.last, last.token == .symbol(".") || last.token == .symbol(",") || last.token == .symbol(";") {
            out.removeLast()
        }
        return (out, droppedText)
    }

    static let textCommands: Set<String> = ["text", "textbf", "textrm", "textit", "mbox", "hbox", "textnormal", "textsf", "mathrm", "mathit"]
    private static let skippedCommands: Set<String> = ["$", "euro", "pounds", "yen", "therefore", "because"]

    // One hash lookup a token: every token of every input is asked about.
    private static let cleanedCommands = textCommands.union(skippedCommands).union(["quad"]).union(QuantityMarkup.commands).union(UnitReader.startCommands)
    /// Count nouns and the names of every unit the table reads (`tonnes`, `joules`, `kPa`).
    private static let unitWords = Units.names.union(UnitTable.names)

    private static func needsCleaning(_ lexemes: [Lexeme], at i: Int) -> Bool {
        switch lexemes[i].token {
        case .command(let c): return cleanedCommands.contains(c)
        case .word(let w): return unitWords.contains(w) || QuantityMarkup.isTimesSign(lexemes, at: i)
        case .symbol("."), .symbol(","), .symbol(";"), .symbol("°"): return true
        default: return false
        }
    }

    /// Whether a factor starts at `i`: then the letter before it is a variable, not a unit
    /// (`\frac{1}{2} m v^2`, `4 h \pi`), since no unit is followed by more of the product.
    private static func startsFactor(_ lexemes: [Lexeme], at i: Int) -> Bool {
        guard i < lexemes.count else { return false }
        switch lexemes[i].token {
        case .number, .symbol("("): return true
        case .word(let w): return !LaTeXWords.connectives.contains(w) && !unitWords.contains(w) && !LaTeXWords.isProse(w)
        case .command(let c):
            return LaTeXWords.greek.contains(c) || LaTeXWords.constants[c] != nil || LaTeXWords.functions[c] != nil
                || ["frac", "dfrac", "sqrt"].contains(c)
        default: return false
        }
    }

    /// Whether a unit starts at `start` and nothing but another statement follows it: `\text{cm}` in
    /// `12 \quad \text{cm}`, not the `t` of `s = 1 \quad t = 2`.
    private static func unitEndsStatement(_ lexemes: [Lexeme], from start: Int) -> Bool {
        guard start < lexemes.count, UnitReader.mayStart(lexemes[start]), let (_, next) = UnitReader.readAfterQuantity(lexemes, from: start) else {
            return false
        }
        return next == lexemes.count || isConnective(lexemes[next].token) || lexemes[next].token == .command("quad")
            || lexemes[next].token == .symbol(".")
    }

    private static func endsQuantity(_ token: Token) -> Bool {
        switch token {
        case .number, .symbol(")"), .symbol("}"), .symbol("%"), .command("%"), .symbol("°"), .command("circ"), .command("pi"): return true
        default: return false
        }
    }

    /// The words inside a braced group, and the index after it.
    private static func groupWords(_ lexemes: [Lexeme], from start: Int) -> ([String], Int) {
        guard start < lexemes.count, lexemes[start].token == .symbol("{") else { return ([], start) }
        var level = 0
        var words: [String] = []
        var i = start
        while i < lexemes.count {
            switch lexemes[i].token {
            case .symbol("{"): level += 1
            case .symbol("}"): level -= 1
            case .word(let w): words.append(w)
            case .number(let n, _): words.append(n.value.description)
            default: break
            }
            i += 1
            if level == 0 { break }
        }
        return (words, i)
    }

    /// Skips the `^2`, `^{3}` of `\text{cm}^2`.
    private static func skipUnitPower(_ lexemes: [Lexeme], from start: Int) -> Int {
        guard start + 1 < lexemes.count, lexemes[start].token == .symbol("^") else { return start }
        if case .number = lexemes[start + 1].token { return start + 2 }
        if lexemes[start + 1].token == .symbol("{"), start + 3 < lexemes.count, case .number = lexemes[start + 2].token,
           lexemes[start + 3].token == .symbol("}") {
            return start + 4
        }
        return start
    }

    // MARK: Splitting

    struct Clause {
        var sides: [ArraySlice<Lexeme>]
        var relations: [Relation]
        /// After `or`: an alternative rather than a further condition.
        var joinedByOr = false
        /// After `\wedge`: a condition in the logical sense, even when nothing satisfies them all.
        var joinedByWedge = false
        /// After `;`: the first clause of another solution (`p=5,q=2;p=7,q=2`).
        var startsGroup = false
    }

    /// Splits at connectives (`,` `;` `or` `and`) and then at relations, both outside brackets only.
    static func split(_ lexemes: [Lexeme]) -> [Clause] {
        var clauses: [Clause] = []
        var current = Clause(sides: [], relations: [])
        var sideStart = 0
        var level = 0
        func closeSide(_ end: Int) {
            current.sides.append(lexemes[sideStart..<end])
        }
        var i = 0
        while i < lexemes.count {
            let token = lexemes[i].token
            switch token {
            case .symbol("("), .symbol("["), .symbol("{"), .command("{"):
                level += 1
            case .symbol(")"), .symbol("]"), .symbol("}"), .command("}"):
                level -= 1
            case .command(let c) where c.hasPrefix("begin:"):
                level += 1
            case .command(let c) where c.hasPrefix("end:"):
                level -= 1
            default:
                if level <= 0 {
                    if isConnective(token) {
                        closeSide(i)
                        clauses.append(current)
                        current = Clause(sides: [], relations: [])
                        // `or`, and sympy's `latex()` of `|`: `\vee`.
                        if case .word(let w) = token, w.lowercased() == "or" { current.joinedByOr = true }
                        if token == .command("vee") || token == .command("lor") { current.joinedByOr = true }
                        current.joinedByWedge = token == .command("wedge") || token == .command("land")
                        current.startsGroup = token == .symbol(";")
                        sideStart = i + 1
                    } else if let relation = relation(token) {
                        closeSide(i)
                        current.relations.append(relation)
                        sideStart = i + 1
                    }
                }
            }
            i += 1
        }
        closeSide(lexemes.count)
        clauses.append(current)
        return clauses.filter { clause in !(clause.sides.count == 1 && clause.sides[0].isEmpty) }
    }

    private static func isConnective(_ token: Token) -> Bool {
        switch token {
        case .symbol(","), .symbol(";"), .command("wedge"), .command("land"), .command("vee"), .command("lor"): return true
        case .word(let w): return LaTeXWords.connectives.contains(w)
        default: return false
        }
    }

    static func relation(_ token: Token) -> Relation? {
        switch token {
        case .symbol("="), .symbol("≡"), .command("coloneqq"): return .equal
        case .command("approx"), .command("simeq"), .command("thickapprox"), .command("doteq"), .command("sim"): return .approx
        case .symbol("<"), .command("lt"): return .less
        case .symbol(">"), .command("gt"): return .greater
        case .symbol("≤"), .command("le"), .command("leq"), .command("leqslant"): return .lessEqual
        case .symbol("≥"), .command("ge"), .command("geq"), .command("geqslant"): return .greaterEqual
        case .command("in"): return .member
        case .symbol("≠"), .command("neq"), .command("ne"), .command("subseteq"), .command("subset"), .command("supset"),
             .command("supseteq"), .command("to"), .command("rightarrow"), .command("Rightarrow"), .command("implies"),
             .command("iff"), .command("Leftrightarrow"), .command("cong"), .command("perp"),
             .command("parallel"), .command("equiv"), .command("notin"), .command("mid"), .command("nmid"),
             .command("propto"), .command("longrightarrow"), .command("mapsto"), .command("ll"), .command("gg"):
            if case .command(let c) = token { return .other(c) }
            return .other("≠")
        default: return nil
        }
    }

    // MARK: Interpreting

    private static func interpretClauses(_ clauses: [Clause], dialect: Dialect) -> Reading {
        if let groups = solutionGroups(clauses, dialect: dialect) { return .value(groups) }
        var values: [(name: String?, value: MathValue)] = []
        var excluded: [(name: String, point: Expr)] = []
        var alternatives = false
        var strict = false
        var firstFailure: String?
        for clause in clauses {
            strict = strict || clause.joinedByWedge
            if let point = exclusion(clause, dialect: dialect) {
                excluded.append(point)
                continue
            }
            alternatives = alternatives || clause.joinedByOr
            switch interpret(clause, dialect: dialect) {
            case .success(let items): values.append(contentsOf: items)
            case .failure(let reason): firstFailure = firstFailure ?? reason
            }
        }
        // A relation or prose clause next to values ("x = 5, which is odd") does not hide the values;
        // alone it means the text holds none. A lone `x \neq 3` states no value either: only next to
        // an interval does it remove a point.
        if values.isEmpty {
            return .noValue(firstFailure ?? (excluded.isEmpty ? "no value" : "a relation (≠), not a value"))
        }
        if let set = combinedSet(values, excluded: excluded, alternatives: alternatives, strictConjunction: strict) {
            return .value(set)
        }
        if values.count == 1 {
            let (name, value) = values[0]
            return .value(name.map { .assignments([Assignment(name: $0, value: value)]) } ?? value)
        }
        return .value(combine(values))
    }

    /// Several values: alternatives for one unknown, named values, or a union of intervals.
    private static func combine(_ values: [(name: String?, value: MathValue)]) -> MathValue {
        var intervals: [Interval] = []
        for (_, v) in values {
            if case .interval(let i) = v { intervals.append(i) }
        }
        if intervals.count == values.count { return .union(intervals) }
        let names = values.compactMap(\.name)
        let bases = Set(names.map { $0.split(separator: "_").first.map(String.init) ?? $0 })
        // `x = 1, y = 2` and `a_3 = 2, a_{37} = 19` name different unknowns; `x = 2 or x = 3` and
        // `x_1 = 2, x_2 = 3`, roots numbered from 1 in no particular order, are alternatives.
        if names.count == values.count && Set(names).count == names.count && (bases.count > 1 || !numberedFromOne(names)) {
            return .assignments(values.map { Assignment(name: $0.name!, value: $0.value) })
        }
        return .solutions(values.map(\.value))
    }

    private static func numberedFromOne(_ names: [String]) -> Bool {
        let numbers = names.compactMap { name in name.split(separator: "_").dropFirst().first.flatMap { Int($0) } }
        return numbers.count == names.count && Set(numbers) == Set(1...names.count)
    }

    enum ClauseResult {
        case success([(name: String?, value: MathValue)])
        case failure(String)
    }

    static func interpret(_ clause: Clause, dialect: Dialect) -> ClauseResult {
        let relations = clause.relations
        if relations.isEmpty {
            return parseSide(clause.sides[0], dialect: dialect, name: nil)
        }
        if let other = relations.first(where: { if case .other = $0 { return true } else { return false } }), case .other(let symbol) = other {
            return .failure("a relation (\(symbol)), not a value")
        }
        if relations.allSatisfy({ $0 == .equal || $0 == .approx || $0 == .member }) {
            return interpretEquality(clause, dialect: dialect)
        }
        if relations.contains(.equal) || relations.contains(.approx) || relations.contains(.member) {
            return .failure("a mixed relation, not a value")
        }
        return interpretInequality(clause, dialect: dialect)
    }

    /// `x = 5`, `\log_2 8 = 3`, `x = \frac{6}{2} = 3`, `x^2 + y^2 = 25`, `x \in (3, \infty)`.
    private static func interpretEquality(_ clause: Clause, dialect: Dialect) -> ClauseResult {
        let approx = clause.relations.last == .approx
        var last = clause.sides[clause.sides.count - 1]
        if last.isEmpty { return .failure("nothing after the relation") }
        if approx { last = markApproximate(last) }
        let first = clause.sides[0]
        var name = nameOf(first)
        if let run = name, run.count > 1, run.allSatisfy(\.isUppercase),
           case .success(let items) = parseSide(last, dialect: dialect, name: nil), items.contains(where: { if case .scalar(let e) = $0.value { return !e.variables.isEmpty } else { return false } }) {
            // `AB = 4` names a segment; `PV = nRT` relates products of variables.
            name = nil
        }
        if name != nil || clause.sides.count > 2 || first.isEmpty {
            return parseSide(last, dialect: dialect, name: name)
        }
        if let names = tupleNames(first, dialect: dialect), case .success(let items) = parseSide(last, dialect: dialect, name: nil),
           items.count == 1, case .tuple(let values) = items[0].value, values.count == names.count {
            // `(p, q) = (3, 2)` names each coordinate.
            return .success(zip(names, values).map { ($0, $1) })
        }
        // Two sides: keep the relation whole when the left side is an expression in variables.
        guard case .success(let lhs) = parseSide(first, dialect: dialect, name: nil), lhs.count == 1,
              case .scalar(let l) = lhs[0].value, !l.variables.isEmpty,
              case .success(let rhs) = parseSide(last, dialect: dialect, name: nil), rhs.count == 1,
              case .scalar(let r) = rhs[0].value
        else {
            return parseSide(last, dialect: dialect, name: nil)
        }
        if looksLikeFunctionName(first) { return .success([(nil, .scalar(r))]) }
        return .success([(nil, .equation(l, r))])
    }

    /// `(p, q)`: a tuple of lone variables.
    private static func tupleNames(_ side: ArraySlice<Lexeme>, dialect: Dialect) -> [String]? {
        guard side.first?.token == .symbol("("), case .success(let items) = parseSide(side, dialect: dialect, name: nil), items.count == 1,
              case .tuple(let elements) = items[0].value else { return nil }
        var names: [String] = []
        for element in elements {
            guard case .scalar(.variable(let name)) = element else { return nil }
            names.append(name)
        }
        return Set(names).count == names.count ? names : nil
    }

    /// `\approx 3` makes an integer approximate: it then accepts what rounds to it.
    private static func markApproximate(_ side: ArraySlice<Lexeme>) -> ArraySlice<Lexeme> {
        var copy = Array(side)
        for (k, lexeme) in copy.enumerated() {
            if case .number(var n, let imaginary) = lexeme.token, n.precision == nil, n.value.isInteger {
                var precision = Precision(fractionDigits: 0, exponent: 0, value: n.value)
                precision.allowsTruncation = false
                n.precision = precision
                copy[k].token = .number(n, imaginary: imaginary)
            }
        }
        return copy[...]
    }

    /// The name of a lone variable (`x`, `x_1`, `\theta`), or nil.
    static func nameOf(_ side: ArraySlice<Lexeme>) -> String? {
        guard let first = side.first else { return nil }
        var name: String
        switch first.token {
        case .word(let w) where w.count == 1 || !w.contains(where: { !$0.isLetter && $0 != "_" && !$0.isNumber }) && side.count == 1:
            name = w
        case .command(let c) where LaTeXWords.greek.contains(c):
            name = c
        default:
            return nil
        }
        var rest = side.dropFirst()
        if name.count == 1, name.first?.isUppercase == true {
            // `AB`, `CD`: a segment or an angle is named by its points.
            while let next = rest.first, !next.spaceBefore, case .word(let letter) = next.token, letter.count == 1, letter.first?.isUppercase == true {
                name += letter
                rest = rest.dropFirst()
            }
        }
        if rest.first?.token == .symbol("_") {
            rest = rest.dropFirst()
            var sub = ""
            if rest.first?.token == .symbol("{") { rest = rest.dropFirst() }
            while let t = rest.first?.token, t != .symbol("}") {
                switch t {
                case .number(let n, _): sub += n.value.description
                case .word(let w): sub += w
                default: return nil
                }
                rest = rest.dropFirst()
            }
            if rest.first?.token == .symbol("}") { rest = rest.dropFirst() }
            name += "_" + sub
        }
        return rest.isEmpty ? name : nil
    }

    /// `f(x)`, `P(A)`, `f'(x)`, `y'`, `\frac{d}{dx}(x^2)`: a left side that names what the right side is.
    private static func looksLikeFunctionName(_ side: ArraySlice<Lexeme>) -> Bool {
        let tokens = Array(side.prefix(3)).map(\.token)
        if tokens.count == 3, tokens[0] == .command("frac") || tokens[0] == .command("dfrac"), tokens[1] == .symbol("{"), tokens[2] == .word("d") {
            return true
        }
        guard let first = side.first, case .word(let w) = first.token, w.count == 1 else { return false }
        let next = side.dropFirst().first?.token
        guard next == .symbol("(") || next == .symbol("'") else { return false }
        return side.last?.token == .symbol(")") || side.last?.token == .symbol("'")
    }

    /// Parses one side; a `\pm` gives both of its values.
    static func parseSide(_ side: ArraySlice<Lexeme>, dialect: Dialect, name: String?) -> ClauseResult {
        if side.isEmpty { return .failure("empty") }
        var parser = ExpressionParser(side, dialect: dialect)
        do {
            let value = try parser.parseWhole()
            guard parser.usedPlusMinus else { return .success([(name, value)]) }
            var minus = ExpressionParser(side, dialect: dialect, plusMinusSign: -1)
            return .success([(name, value), (name, try minus.parseWhole())])
        } catch {
            switch error {
            case .prose: return .failure("text, not a value")
            case .unreadable: return .failure("not a value this reader understands")
            case .tooLarge(let what): return .failure("refused: \(what)")
            }
        }
    }
}
