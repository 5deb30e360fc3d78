// Reads sympy's printed conditions on one variable (`&`, `|`, `Ne`, `Eq` over relations) into a set of reals.

/// `(5 < x) & (x < oo)`, `((-oo < x) & (x < 2)) | ((3 < x) & (x < oo))`, `(x > 0) & (x < 36) & Ne(x, 9)`:
/// what `solve_univariate_inequality` and `reduce_inequalities` print. `&` intersects, `|` unites,
/// `Ne(x, a)` removes a point and `Eq(x, a)` is one; every condition must be on the same variable.
struct RelationReader {
    private let tokens: ArraySlice<Lexeme>
    private var index: Int
    private var depth = 0
    private var variable: String?

    /// Whether a token can only belong to such a condition, which is when this reader is tried.
    static func isLogic(_ lexeme: Lexeme) -> Bool {
        lexeme.token == .symbol("&") || lexeme.token == .symbol("|") || lexeme.token == .word("Ne")
    }

    static func read(_ tokens: ArraySlice<Lexeme>) -> MathValue? {
        var reader = RelationReader(tokens: tokens, index: tokens.startIndex)
        guard let set = reader.parseOr(), reader.index == tokens.endIndex else { return nil }
        return set.value
    }

    private init(tokens: ArraySlice<Lexeme>, index: Int) {
        self.tokens = tokens
        self.index = index
    }

    private func token(at i: Int) -> Token? { i < tokens.endIndex ? tokens[i].token : nil }

    private mutating func accept(_ symbol: Symbol) -> Bool {
        guard token(at: index) == .symbol(symbol) else { return false }
        index += 1
        return true
    }

    private mutating func parseOr() -> RealSet? {
        parseJoined(by: "|", each: { $0.parseAnd() }, combine: RealSet.union)
    }

    private mutating func parseAnd() -> RealSet? {
        parseJoined(by: "&", each: { $0.parseAtom() }, combine: RealSet.intersection)
    }

    /// Operands joined by one symbol, combined once: a union of hundreds sorts once.
    private mutating func parseJoined(by symbol: Symbol, each: (inout RelationReader) -> RealSet?, combine: ([RealSet]) -> RealSet) -> RealSet? {
        guard let first = each(&self) else { return nil }
        var sets = [first]
        while accept(symbol) {
            guard let next = each(&self) else { return nil }
            sets.append(next)
        }
        return sets.count == 1 ? first : combine(sets)
    }

    private mutating func parseAtom() -> RealSet? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Limits.maxDepth, let first = token(at: index) else { return nil }
        if case .word(let name) = first, name == "Ne" || name == "Eq", token(at: index + 1) == .symbol("(") {
            return parseCall(excluding: name == "Ne")
        }
        let end = conditionEnd(from: index)
        if first == .symbol("("), let close = matchingClose(index), end == close + 1, holdsCondition(index + 1..<close) {
            index += 1
            guard let inner = parseOr(), accept(")") else { return nil }
            return inner
        }
        return parseChain(index..<end)
    }

    /// `Ne(x, 9)` or `Eq(x, 3)`.
    private mutating func parseCall(excluding: Bool) -> RealSet? {
        guard let close = matchingClose(index + 1) else { return nil }
        let inside = (index + 2)..<close
        guard let comma = topLevel(inside, where: { $0 == .symbol(",") }) else { return nil }
        let sides = [tokens[(index + 2)..<comma], tokens[(comma + 1)..<close]]
        index = close + 1
        let clause = ClauseReader.Clause(sides: sides, relations: [.equal])
        guard case .success(let items) = ClauseReader.interpret(clause, dialect: .python), items.count == 1,
              let name = items[0].name, use(name), case .scalar(let point) = items[0].value else { return nil }
        return excluding ? RealSet.excluding([point]) : RealSet([Interval.point(point)])
    }

    /// `5 < x`, `-2 <= x <= 7`: a chain of relations on the variable.
    private mutating func parseChain(_ range: Range<Int>) -> RealSet? {
        guard !range.isEmpty else { return nil }
        var sides: [ArraySlice<Lexeme>] = []
        var relations: [Relation] = []
        var start = range.lowerBound
        while let i = topLevel(start..<range.upperBound, where: { ClauseReader.relation($0) != nil }) {
            guard let t = token(at: i), let relation = ClauseReader.relation(t) else { return nil }
            sides.append(tokens[start..<i])
            relations.append(relation)
            start = i + 1
        }
        sides.append(tokens[start..<range.upperBound])
        index = range.upperBound
        guard !relations.isEmpty, !relations.contains(.equal), !relations.contains(.approx), !relations.contains(.member) else { return nil }
        let clause = ClauseReader.Clause(sides: sides, relations: relations)
        guard case .success(let items) = ClauseReader.interpretInequality(clause, dialect: .python), items.count == 1,
              let name = items[0].name, use(name), case .interval(let interval) = items[0].value else { return nil }
        return RealSet([interval])
    }

    /// Every condition must constrain the same variable.
    private mutating func use(_ name: String) -> Bool {
        if let variable { return variable == name }
        variable = name
        return true
    }

    // MARK: Brackets

    /// The first index in `range` whose token, at the bracket level it stands at (a closing bracket
    /// counts at the level inside it), satisfies `stop`.
    private func scan(_ range: Range<Int>, until stop: (Token, Int) -> Bool) -> Int? {
        var level = 0
        for k in range {
            guard let t = token(at: k) else { return nil }
            switch t {
            case .symbol("("), .symbol("["), .symbol("{"):
                if stop(t, level) { return k }
                level += 1
            case .symbol(")"), .symbol("]"), .symbol("}"):
                if stop(t, level) { return k }
                level -= 1
            default:
                if stop(t, level) { return k }
            }
        }
        return nil
    }

    private static func isBracket(_ t: Token) -> Bool {
        [.symbol("("), .symbol("["), .symbol("{"), .symbol(")"), .symbol("]"), .symbol("}")].contains(t)
    }

    private static func isClosing(_ t: Token) -> Bool {
        t == .symbol(")") || t == .symbol("]") || t == .symbol("}")
    }

    /// The first index in `range`, outside the brackets opened there, whose token matches.
    private func topLevel(_ range: Range<Int>, where matches: (Token) -> Bool) -> Int? {
        scan(range) { t, level in level == 0 && !Self.isBracket(t) && matches(t) }
    }

    private func matchingClose(_ open: Int) -> Int? {
        scan(open..<tokens.endIndex) { t, level in level == 1 && Self.isClosing(t) }
    }

    /// Where a condition that starts at `start` ends: at `&`, `|` or an unmatched closing bracket.
    private func conditionEnd(from start: Int) -> Int {
        scan(start..<tokens.endIndex) { t, level in
            level == 0 && (Self.isClosing(t) || t == .symbol("&") || t == .symbol("|"))
        } ?? tokens.endIndex
    }

    /// Whether a bracketed range holds a condition at its own top level, not only an expression (`(x + 1) < 3`).
    private func holdsCondition(_ range: Range<Int>) -> Bool {
        topLevel(range) { t in Self.isLogic(Lexeme(token: t, spaceBefore: false)) || t == .word("Eq") || ClauseReader.relation(t) != nil } != nil
    }
}
