// Reads the unit written after a number (`\,\mathrm{kg\,m^{-3}}`, `km/h`, `\si{\kilo\joule}`, `°C`) into a PhysicalUnit.

/// A recursive reader over the lexemes that follow a quantity; it never consumes what is not a unit.
///
/// A lone single-letter word (`m`, `s`, `g`) is a unit only when a space separates it from the
/// number or it sits inside a braced group (`\mathrm{m}`, `\text{ s}`), so that `5m` stays 5 times m.
struct UnitReader {
    private let lexemes: [Lexeme]
    private var index: Int
    private let end: Int
    private var depth = 0

    /// Commands that may begin a unit (besides the words of `UnitTable` and the text commands).
    static let startCommands: Set<String> = ["Omega", "ohm", "mu", "micro", "degree"]

    /// Commands that set their argument upright, as a unit is written: `\mathrm{kg}`, `\text{C}`.
    private static let uprightCommands: Set<String> = ["text", "textrm", "mbox", "textnormal", "textup", "mathrm"]

    /// Whether a unit can start with this lexeme: a cheap test before the reader is set up.
    static func mayStart(_ lexeme: Lexeme) -> Bool {
        switch lexeme.token {
        case .word, .command, .symbol("("), .symbol("°"), .symbol("^"), .symbol("*"): return true
        case .symbol("{"): return lexeme.spaceBefore
        default: return false
        }
    }

    /// The unit after a number that ends at `start`: as `read`, and also sympy.physics.units' `5*meter`,
    /// `9.8*meter/second**2`, where a spelled-out unit name (three letters or more) follows a `*`.
    static func readAfterQuantity(_ lexemes: [Lexeme], from start: Int) -> (PhysicalUnit, Int)? {
        if lexemes[start].token == .symbol("*") {
            guard start + 1 < lexemes.count, case .word(let w) = lexemes[start + 1].token, w.count >= 3,
                  w.allSatisfy(\.isLowercase), UnitTable.lookup(w) != nil else { return nil }
            return read(lexemes, from: start + 1)
        }
        return read(lexemes, from: start)
    }

    /// The unit that starts at `start`, and the index after it; nil when no known unit starts there.
    static func read(_ lexemes: [Lexeme], from start: Int) -> (PhysicalUnit, Int)? {
        var reader = UnitReader(lexemes: lexemes, index: start, end: lexemes.count)
        guard let unit = reader.product(inGroup: false)?.whole else { return nil }
        return (unit, reader.index)
    }

    /// The unit that fills `lexemes[start..<end]` exactly (siunitx's second argument), or nil.
    static func readWhole(_ lexemes: [Lexeme], from start: Int, to end: Int) -> PhysicalUnit? {
        var reader = UnitReader(lexemes: lexemes, index: start, end: end)
        guard let unit = reader.product(inGroup: true)?.whole, reader.index == end else { return nil }
        return unit
    }

    private init(lexemes: [Lexeme], index: Int, end: Int) {
        self.lexemes = lexemes
        self.index = index
        self.end = end
    }

    private func token(_ offset: Int = 0) -> Token? {
        index + offset < end ? lexemes[index + offset].token : nil
    }

    private func spaced(_ offset: Int = 0) -> Bool {
        index + offset < end && lexemes[index + offset].spaceBefore
    }

    /// A product kept as everything but its last factor and that factor, so that an exponent after a
    /// group (`\text{m/s}^2`) applies to the last unit written, as a reader takes it.
    private struct Parts {
        var head: PhysicalUnit?
        var last: PhysicalUnit
        var lastDivides = false

        var whole: PhysicalUnit? {
            guard let head else { return lastDivides ? PhysicalUnit.one.dividedBy(last) : last }
            return lastDivides ? head.dividedBy(last) : head.times(last)
        }

        mutating func append(_ unit: PhysicalUnit, divides: Bool) -> Bool {
            guard let combined = whole else { return false }
            head = combined
            last = unit
            lastDivides = divides
            return true
        }
    }

    // MARK: Products

    private mutating func product(inGroup: Bool) -> Parts? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 20, let first = factor(singleLetterAllowed: inGroup || spaced()) else { return nil }
        var parts = first
        var factors = 1
        // No unit is written with more than a handful of factors; the cap keeps factors and dimensions small.
        while index < end && factors < 10 {
            factors += 1
            let saved = index
            var divides = false
            switch token() {
            case .symbol("/"), .command("per"), .word("per"):
                divides = true
                index += 1
            case .symbol("*"), .command("cdot"):
                index += 1
            case .symbol(".") where inGroup:
                index += 1
            default:
                break
            }
            // After an operator, or inside a group, any unit may follow; outside, a spaced one.
            let allowSingle = inGroup || index != saved || spaced()
            guard let next = factor(singleLetterAllowed: allowSingle), let whole = next.whole,
                  parts.append(whole, divides: divides) else {
                index = saved
                break
            }
        }
        return parts
    }

    /// One unit with its exponent: `km`, `s^{-2}`, `\text{cm}^2`, `(m*s)`, `\square\metre`, `°C`.
    private mutating func factor(singleLetterAllowed: Bool) -> Parts? {
        let start = index
        var prefixPower = 1
        if case .word(let w)? = token(), w == "square" || w == "sq" || w == "cubic" {
            prefixPower = w == "cubic" ? 3 : 2
            index += 1
        } else if case .command(let c)? = token(), c == "square" || c == "cubic" {
            prefixPower = c == "cubic" ? 3 : 2
            index += 1
        }
        guard var parts = atom(singleLetterAllowed: singleLetterAllowed || prefixPower != 1) else {
            index = start
            return nil
        }
        var exponent = prefixPower
        if let k = power() { exponent *= k }
        if exponent != 1 {
            guard let raised = parts.last.power(exponent) else {
                index = start
                return nil
            }
            parts.last = raised
        }
        return parts
    }

    /// `^2`, `^{-3}`, `**-2`, `**(-1)`, `\squared`, `\cubed`, `\tothe{4}`; nil (and nothing read) when absent.
    private mutating func power() -> Int? {
        switch token() {
        case .command("squared"): index += 1; return 2
        case .command("cubed"): index += 1; return 3
        case .command("tothe"), .command("raiseto"), .symbol("^"):
            // `^\circ` is a degree sign, read by `temperature`.
            return attempt { r in
                r.index += 1
                return r.token() == .command("circ") ? nil : r.bracedInteger()
            }
        default:
            return nil
        }
    }

    /// `2`, `-3`, `{-3}`, `(-1)`: a small integer, braced or bracketed or bare.
    private mutating func bracedInteger() -> Int? {
        var close: Token?
        switch token() {
        case .symbol("{"): close = .symbol("}")
        case .symbol("("): close = .symbol(")")
        default: break
        }
        if close != nil { index += 1 }
        var negative = false
        if token() == .symbol("-") {
            negative = true
            index += 1
        }
        guard case .number(let n, false)? = token(), n.precision == nil, let k = n.value.intValue, k <= 99 else { return nil }
        index += 1
        if let close {
            guard token() == close else { return nil }
            index += 1
        }
        return negative ? -k : k
    }

    // MARK: Atoms

    private mutating func atom(singleLetterAllowed: Bool) -> Parts? {
        guard let first = token() else { return nil }
        switch first {
        case .word:
            return name(singleLetterAllowed: singleLetterAllowed).map { Parts(last: $0) }
        case .command("Omega"), .command("ohm"):
            index += 1
            return Parts(last: UnitTable.prefixable["Ω"]!)
        case .command(let c) where c == "mu" || UnitTable.siunitxPrefixes[c] != nil:
            // `\mu\mathrm{m}`, `\mu m`, `\kilo\metre`: the prefix on the unit that follows.
            let (prefix, power) = UnitTable.siunitxPrefixes[c] ?? ("μ", -6)
            return attempt { r in
                r.index += 1
                return r.prefixableName().map { Parts(last: $0.prefixed(prefix, power)) }
            }
        case .command(let c) where UnitTable.siunitxUnits[c] != nil:
            index += 1
            return UnitTable.lookup(UnitTable.siunitxUnits[c]!).map { Parts(last: $0) }
        case .command(let c) where Self.uprightCommands.contains(c) || c == "si" || c == "unit":
            return attempt { r in
                r.index += 1
                return r.enclosed(.symbol("{"), .symbol("}"))
            }
        case .symbol("{") where lexemes[index].spaceBefore || depth > 1:
            // `\mathbf{kg}` reaches here as a bare group (the lexer drops `\mathbf`, leaving a space);
            // `\frac{a}{m}` has none, and its `{m}` stays a denominator.
            return enclosed(.symbol("{"), .symbol("}"))
        case .symbol("("):
            // `(m/s)^2`: an exponent after parentheses applies to all of them.
            return enclosed(.symbol("("), .symbol(")")).flatMap(\.whole).map { Parts(last: $0) }
        case .symbol("°"), .command("degree"), .symbol("^"):
            return temperature()
        default:
            return nil
        }
    }

    /// A group that holds a whole unit: `{kg\,m^{-3}}`, `{ cm}`, `(m*s)`.
    private mutating func enclosed(_ open: Token, _ close: Token) -> Parts? {
        guard token() == open else { return nil }
        return attempt { r in
            r.index += 1
            guard let inner = r.product(inGroup: true), r.token() == close else { return nil }
            r.index += 1
            return inner
        }
    }

    /// Runs `read`, and puts the cursor back where it was when it finds nothing.
    private mutating func attempt<T>(_ read: (inout UnitReader) -> T?) -> T? {
        let saved = index
        if let found = read(&self) { return found }
        index = saved
        return nil
    }

    /// A unit name from adjacent words (`m` `A` is mA; `μ` `m` is μm), the longest run that is a unit.
    private mutating func name(singleLetterAllowed: Bool) -> PhysicalUnit? {
        var run: [String] = []
        while case .word(let w)? = token(run.count), run.count < 6, run.isEmpty || !spaced(run.count) {
            run.append(w)
        }
        // `Ω` after a prefix: `k\Omega`.
        if run.count == 1, UnitTable.prefixes[run[0]] != nil, token(1) == .command("Omega") {
            index += 2
            return UnitTable.prefixable["Ω"]!.prefixed(run[0], UnitTable.prefixes[run[0]]!)
        }
        for count in stride(from: run.count, through: 1, by: -1) {
            let text = run[0..<count].joined()
            if text.count == 1 && !singleLetterAllowed { continue }
            if let unit = UnitTable.lookup(text) {
                index += count
                return unit
            }
        }
        return nil
    }

    /// The name after a written-out prefix (`\mu`, `\kilo`): a word, a group or a siunitx unit.
    private mutating func prefixableName() -> PhysicalUnit? {
        switch token() {
        case .word(let w):
            guard let base = UnitTable.prefixable[w] else { return nil }
            index += 1
            return base
        case .command(let c):
            if c == "Omega" || c == "ohm" {
                index += 1
                return UnitTable.prefixable["Ω"]
            }
            if Self.uprightCommands.contains(c) {
                // `\mu\text{m}`
                return attempt { r in
                    r.index += 1
                    return r.bracedName()
                }
            }
            guard let symbol = UnitTable.siunitxUnits[c], let base = UnitTable.prefixable[symbol] else { return nil }
            index += 1
            return base
        case .symbol("{"):
            return bracedName()
        default:
            return nil
        }
    }

    /// `{m}`: one prefixable unit name in braces.
    private mutating func bracedName() -> PhysicalUnit? {
        guard token() == .symbol("{"), case .word(let w)? = token(1), let base = UnitTable.prefixable[w], token(2) == .symbol("}") else {
            return nil
        }
        index += 3
        return base
    }

    /// `°C`, `^{\circ}\mathrm{F}`, `\degree C`: a temperature scale; a lone degree sign is an angle, read elsewhere.
    private mutating func temperature() -> Parts? {
        attempt { r in
            switch r.token() {
            case .symbol("°"), .command("degree"):
                r.index += 1
            case .symbol("^"):
                r.index += 1
                if r.token() == .command("circ") {
                    r.index += 1
                } else if r.token() == .symbol("{"), r.token(1) == .command("circ"), r.token(2) == .symbol("}") {
                    r.index += 3
                } else {
                    return nil
                }
            default:
                return nil
            }
            // `C`, `\text{C}`, `\mathrm{F}`, `{F}`.
            if case .command(let c)? = r.token(), Self.uprightCommands.contains(c) { r.index += 1 }
            let braced = r.token() == .symbol("{")
            if braced { r.index += 1 }
            guard case .word(let w)? = r.token(), w == "C" || w == "F", let unit = UnitTable.plain["°" + w] else { return nil }
            r.index += 1
            if braced {
                guard r.token() == .symbol("}") else { return nil }
                r.index += 1
            }
            return Parts(last: unit)
        }
    }
}

extension PhysicalUnit {
    /// The unit of a pure number, the start of `1/s`.
    static let one = PhysicalUnit(symbol: "1", dimension: .none, factor: .one)
}
