// Parses one side of a relation (a token slice) into a MathValue, in either dialect, without eval.
import BigInt

/// Why a piece of text could not be read as a value.
enum ParseFailure: Error, Hashable {
    /// Not math: words that are not variables, units or function names.
    case prose
    /// Math this reader does not handle (an integral, a limit, unbalanced brackets).
    case unreadable
    /// Past a cap of `Limits`; the associated text names it.
    case tooLarge(String)
}

/// A recursive-descent reader over lexemes.
///
/// `plusMinusSign` picks the branch of every `\pm` (and the opposite for `\mp`): the caller parses
/// twice when `usedPlusMinus` comes back true, which is how `\frac{-1 \pm \sqrt 5}{2}` gives two
/// solutions without a special node in the tree.
struct ExpressionParser {
    let tokens: ArraySlice<Lexeme>
    let dialect: Dialect
    private let plusMinusSign: Int
    var index: Int
    var depth = 0
    /// Inside `|…|` a bar closes rather than starts a factor.
    private var absoluteDepth = 0
    /// Inside a function's argument a degree sign converts to radians instead of marking the whole value.
    private var argumentDepth = 0
    private(set) var usedPlusMinus = false
    /// A group already read by `parseItem`, handed to the next `parsePrimary`.
    private var pendingPrimary: Expr?
    /// Set by a trailing `%` or `^\circ`.
    private(set) var unit: QuantityUnit?
    /// Set by a physical unit after a number; a second one (`2 h 30 min`) makes the text unreadable.
    private(set) var physicalUnit: PhysicalUnit?

    /// `depth` carries the nesting of an enclosing parser into one that reads a part of its tokens (an integrand).
    init(_ tokens: ArraySlice<Lexeme>, dialect: Dialect, plusMinusSign: Int = 1, depth: Int = 0) {
        self.tokens = tokens
        self.dialect = dialect
        self.plusMinusSign = plusMinusSign
        self.index = tokens.startIndex
        self.depth = depth
    }

    /// Reads the whole slice as one value, or fails.
    mutating func parseWhole() throws(ParseFailure) -> MathValue {
        let value = try parseItem()
        guard atEnd else { throw .unreadable }
        return withUnit(value)
    }

    private func withUnit(_ value: MathValue) -> MathValue {
        guard case .scalar(let e) = value else { return value }
        if let unit { return .quantity(e, unit) }
        if let physicalUnit { return .measure(e, physicalUnit) }
        return value
    }

    /// Reads as much of the slice as forms a value; returns where it stopped.
    mutating func parsePrefix() throws(ParseFailure) -> (MathValue, Int) {
        let value = try parseItem()
        return (withUnit(value), index)
    }

    // MARK: Cursor

    private var atEnd: Bool { index >= tokens.endIndex }
    var current: Token? { atEnd ? nil : tokens[index].token }
    private var currentHasSpaceBefore: Bool { atEnd ? false : tokens[index].spaceBefore }

    /// The current symbol, matched in place: cheaper than copying the token out through `current`.
    private var currentSymbol: Symbol? {
        guard index < tokens.endIndex, case .symbol(let s) = tokens[index].token else { return nil }
        return s
    }

    private func atCommand(_ name: String) -> Bool {
        guard index < tokens.endIndex, case .command(let c) = tokens[index].token else { return false }
        return c == name
    }

    private func peekToken(_ offset: Int) -> Token? {
        let i = index + offset
        return i < tokens.endIndex ? tokens[i].token : nil
    }

    mutating func advance() { index += 1 }

    mutating func accept(_ token: Token) -> Bool {
        // Symbols are the common case: compare in place, without copying the current token.
        if case .symbol(let wanted) = token {
            guard index < tokens.endIndex, case .symbol(let s) = tokens[index].token, s == wanted else { return false }
            advance()
            return true
        }
        if current == token {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ token: Token) throws(ParseFailure) {
        guard accept(token) else { throw .unreadable }
    }

    private mutating func enter() throws(ParseFailure) {
        depth += 1
        if depth > Limits.maxDepth { throw .tooLarge("nesting deeper than \(Limits.maxDepth) levels") }
    }

    // MARK: Grammar

    /// An element of a collection, or a whole side: a scalar, or a bracketed collection.
    private mutating func parseItem() throws(ParseFailure) -> MathValue {
        try enter()
        defer { depth -= 1 }
        guard let value = try parseLeadingCollection() else { return .scalar(try parseSum()) }
        if case .scalar(let e) = value {
            // `(1+2)*3`: the group is read once and the expression continues from it; reading it
            // again would cost time exponential in the nesting.
            pendingPrimary = e
            return .scalar(try parseSum())
        }
        if current == .command("cup") || current == .command("setminus") { return try parseUnion(first: value) }
        guard atEnd || isItemTerminator(current) else { throw .unreadable }
        return value
    }

    /// A bracketed collection that stands alone (not `(1+2)*3`); nil to read the text as a scalar.
    /// A bracketed group or collection at the cursor, or nil when the item starts otherwise.
    private mutating func parseLeadingCollection() throws(ParseFailure) -> MathValue? {
        guard let token = current else { throw .unreadable }
        let value: MathValue
        switch token {
        case .symbol("("), .symbol("["), .command("{"), .symbol("{"):
            value = try parseBracketed()
        case .command(let name) where name.hasPrefix("begin:"):
            value = try parseEnvironment(String(name.dropFirst(6)))
        case .command("emptyset"), .command("varnothing"):
            advance()
            value = .set([])
        case .command("reals"):
            advance()
            value = RealSet.reals.value
        case .word("Reals") where dialect == .python, .word("S.Reals") where dialect == .python:
            advance()
            value = RealSet.reals.value
        case .word(let name) where dialect == .python && PythonNames.collectionConstructors.contains(name):
            value = try parsePythonCall()
        default:
            return nil
        }
        return value
    }

    /// `(-\infty, -2) \cup (2, \infty)`; a pair in parentheses is an open interval here, in brackets a closed one.
    /// `[-1, 4] \setminus \{2\}` (sympy's `latex()` of a complement) removes what follows it.
    private mutating func parseUnion(first: MathValue) throws(ParseFailure) -> MathValue {
        var pieces = [first]
        var removed: [MathValue] = []
        while current == .command("cup") || current == .command("setminus") {
            let removes = current == .command("setminus")
            advance()
            guard let next = try parseLeadingCollection() else { throw .unreadable }
            if removes { removed.append(next) } else { pieces.append(next) }
        }
        let kept = try Self.setParts(pieces)
        if removed.isEmpty {
            if kept.intervals.isEmpty { return .set(kept.points) }
            // `\{-1\} \cup [0, 7)`: a point is a closed interval of length zero.
            return .union(kept.intervals + (try kept.points.map(Interval.point)))
        }
        let taken = try Self.setParts(removed)
        guard let from = RealSet(kept.intervals + (try kept.points.map(Interval.point))),
              let without = RealSet(taken.intervals + (try taken.points.map(Interval.point))) else { throw .unreadable }
        return from.subtracting(without).value
    }

    /// The intervals and the points of a union's pieces.
    private static func setParts(_ pieces: [MathValue]) throws(ParseFailure) -> (intervals: [Interval], points: [MathValue]) {
        var intervals: [Interval] = []
        var elements: [MathValue] = []
        for piece in pieces {
            switch piece {
            case .interval(let i): intervals.append(i)
            case .tuple(let xs) where xs.count == 2:
                guard case .scalar(let a) = xs[0], case .scalar(let b) = xs[1] else { throw .unreadable }
                intervals.append(Interval(lower: a, upper: b, lowerClosed: false, upperClosed: false))
            case .list(let xs) where xs.count == 2:
                guard case .scalar(let a) = xs[0], case .scalar(let b) = xs[1] else { throw .unreadable }
                intervals.append(Interval(lower: a, upper: b, lowerClosed: true, upperClosed: true))
            case .set(let xs): elements.append(contentsOf: xs)
            default: throw .unreadable
            }
        }
        return (intervals, elements)
    }

    private func isItemTerminator(_ token: Token?) -> Bool {
        switch token {
        case .symbol(","), .symbol(")"), .symbol("]"), .symbol("}"), .command("}"), .symbol(";"), .symbol(":"), .symbol("&"):
            return true
        case .command(let name):
            return name.hasPrefix("end:")
        default:
            return false
        }
    }

    mutating func parseSum() throws(ParseFailure) -> Expr {
        let first = try parseSigned()
        let symbol = currentSymbol
        guard symbol == "+" || symbol == "-" || atCommand("pm") || atCommand("mp") else { return first }
        var terms = [first]
        while let token = current {
            var sign = 0
            switch token {
            case .symbol("+"): sign = 1
            case .symbol("-"): sign = -1
            case .command("pm"): sign = plusMinusSign; usedPlusMinus = true
            case .command("mp"): sign = -plusMinusSign; usedPlusMinus = true
            default: break
            }
            if sign == 0 { break }
            advance()
            let term = try parseProduct()
            terms.append(sign < 0 ? .negated(term) : term)
        }
        return terms.count == 1 ? terms[0] : .sum(terms)
    }

    private mutating func parseSigned() throws(ParseFailure) -> Expr {
        if pendingPrimary != nil { return try parseProduct() }
        switch current {
        case .symbol("-"):
            advance()
            return .negated(try parseProduct())
        case .symbol("+"):
            advance()
            return try parseProduct()
        case .command("pm"), .command("mp"):
            let sign = current == .command("pm") ? plusMinusSign : -plusMinusSign
            usedPlusMinus = true
            advance()
            let e = try parseProduct()
            return sign < 0 ? .negated(e) : e
        default:
            return try parseProduct()
        }
    }

    mutating func parseProduct() throws(ParseFailure) -> Expr {
        let first = try parseUnaryPower()
        if atEnd || (dialect == .python && !isProductOperator) { return first }
        var factors = [first]
        while !atEnd {
            let symbol = currentSymbol
            if symbol == "*" || atCommand("cdot") || atCommand("times") || atCommand("ast") {
                advance()
                factors.append(try parseUnaryPower())
            } else if symbol == "/" || atCommand("div") {
                advance()
                factors.append(.power(try parseUnaryPower(), .minusOne))
            } else if dialect == .latex, symbol == ":", factors.count == 1, case .number = factors[0],
                      case .number(_, false)? = peekToken(1) {
                // A ratio of two numbers, `3:4`, is their quotient.
                advance()
                factors.append(.power(try parsePrimary(), .minusOne))
            } else if dialect == .latex, atCommand("bmod") || atCommand("mod") || atCommand("pmod") {
                // `128 \bmod 3`, `7 \pmod{3}`: the remainder of everything multiplied so far.
                let parenthetical = atCommand("pmod")
                advance()
                let divisor = parenthetical ? try parseLaTeXArgument() : try parseUnaryPower()
                let left = Self.scientific(factors) ?? (factors.count == 1 ? factors[0] : .product(factors))
                factors = [.call(.mod, [left, divisor])]
            } else if dialect == .latex, let token = current, startsImplicitFactor(token) {
                factors.append(try parsePower())
            } else {
                break
            }
        }
        return Self.scientific(factors) ?? (factors.count == 1 ? factors[0] : .product(factors))
    }

    private var isProductOperator: Bool {
        let symbol = currentSymbol
        return symbol == "*" || symbol == "/"
    }

    /// `2.5 \times 10^{3}`: one number whose precision is the mantissa's, not an exact product.
    private static func scientific(_ factors: [Expr]) -> Expr? {
        guard factors.count == 2, case .number(let mantissa) = factors[0],
              case .power(.number(let ten), .number(let k)) = factors[1],
              ten.value == BigRational(10), ten.precision == nil, k.value.isInteger, k.precision == nil,
              let exponent = k.value.intValue, abs(exponent) <= 400
        else { return nil }
        let fractionDigits = mantissa.precision.map { $0.decimals } ?? 0
        let value = mantissa.value * BigRational.tenPower(exponent)
        return .number(Number(value: value, precision: Precision(fractionDigits: fractionDigits, exponent: exponent, value: value)))
    }

    /// Whether a LaTeX token can begin a factor multiplied by juxtaposition (`2x`, `3\sqrt{2}`, `x(x+1)`).
    private func startsImplicitFactor(_ token: Token) -> Bool {
        switch token {
        case .number: return true
        case .word(let w): return !LaTeXWords.connectives.contains(w)
        case .symbol("("): return true
        case .symbol("|"): return absoluteDepth == 0
        case .command("{"): return false
        case .command(let name):
            return LaTeXWords.functions[name] != nil || LaTeXWords.constants[name] != nil
                || LaTeXWords.greek.contains(name) || ["frac", "dfrac", "tfrac", "cfrac", "sqrt", "binom", "dbinom", "lvert", "vert", "lfloor", "lceil", "sum", "prod", "int", "lim"].contains(name)
        default: return false
        }
    }

    /// A signed power: Python's `2**-1` and LaTeX's `2^{-1}` put the sign inside the exponent.
    private mutating func parseUnaryPower() throws(ParseFailure) -> Expr {
        try enter()
        defer { depth -= 1 }
        if pendingPrimary != nil { return try parsePower() }
        if accept(.symbol("-")) { return .negated(try parseUnaryPower()) }
        if accept(.symbol("+")) { return try parseUnaryPower() }
        return try parsePower()
    }

    private mutating func parsePower() throws(ParseFailure) -> Expr {
        var base = try parsePostfix(try parsePrimary())
        while accept(.symbol("^")) {
            if accept(.command("circ")) || isDegreeGroup() {
                base = degrees(base)
                continue
            }
            let exponent = dialect == .python ? try parseUnaryPower() : try parseLaTeXArgument()
            base = Self.power(base, exponent)
            base = try parsePostfix(base)
        }
        return base
    }

    private mutating func isDegreeGroup() -> Bool {
        if current == .command("{") || current == .symbol("{"), peekToken(1) == .command("circ"),
           peekToken(2) == .command("}") || peekToken(2) == .symbol("}") {
            index += 3
            return true
        }
        return false
    }

    /// `30^\circ` is a quantity in degrees; inside `\sin(30^\circ)` it is an angle in radians.
    private mutating func degrees(_ e: Expr) -> Expr {
        if argumentDepth > 0 { return .product([e, .constant(.pi), .power(.integer(180), .minusOne)]) }
        unit = .degree
        return e
    }

    /// `e^{x}` is exp(x), so that both sides agree on one form.
    private static func power(_ base: Expr, _ exponent: Expr) -> Expr {
        if base == .constant(.e) { return .call(.exp, [exponent]) }
        return .power(base, exponent)
    }

    private mutating func parsePostfix(_ base: Expr) throws(ParseFailure) -> Expr {
        var e = base
        while case .unit(let u)? = current {
            guard physicalUnit == nil else { throw .unreadable }
            physicalUnit = u
            advance()
        }
        while let symbol = currentSymbol ?? (atCommand("%") ? "%" : nil) {
            switch symbol {
            case "!":
                advance()
                e = .call(.factorial, [e])
            case "%":
                advance()
                unit = .percent
            case "°":
                advance()
                e = degrees(e)
            default:
                return e
            }
        }
        return e
    }

    // MARK: Primaries

    private mutating func parsePrimary() throws(ParseFailure) -> Expr {
        if let pending = pendingPrimary {
            pendingPrimary = nil
            return pending
        }
        try enter()
        defer { depth -= 1 }
        guard let token = current else { throw .unreadable }
        switch token {
        case .number(let n, let imaginary):
            advance()
            let e = Expr.number(n)
            if imaginary { return .product([e, .constant(.i)]) }
            if dialect == .latex, n.precision == nil, n.value.isInteger, let mixed = parseMixedFraction(whole: n) {
                return mixed
            }
            return e
        case .word(let w):
            return dialect == .latex ? try parseLaTeXWord(w) : try parsePythonWord(w)
        case .command(let name):
            return try parseCommand(name)
        case .symbol("("), .symbol("["), .command("{"), .symbol("{"):
            guard case .scalar(let e) = try parseBracketed() else { throw .unreadable }
            return e
        case .symbol("|"):
            advance()
            absoluteDepth += 1
            let inner = try parseSum()
            absoluteDepth -= 1
            try expect(.symbol("|"))
            return .call(.abs, [inner])
        case .string(let text):
            advance()
            return try Self.numberInString(text)
        default:
            throw .unreadable
        }
    }

    /// `Decimal('0.1')`, `Float('0.5')`: the quoted text is a number.
    private static func numberInString(_ text: String) throws(ParseFailure) -> Expr {
        guard let lexemes = Lexer.tokens(Substring(text), dialect: .python) else { throw .unreadable }
        var inner = ExpressionParser(lexemes[...], dialect: .python)
        guard case .scalar(let e) = try inner.parseWhole() else { throw .unreadable }
        return e
    }

    /// `2\frac{1}{2}` is two and a half, not a product.
    private mutating func parseMixedFraction(whole: Number) -> Expr? {
        // Matched on the tokens, never parsed and undone, so that nested fractions stay linear.
        guard case .command(let name) = current, ["frac", "dfrac", "tfrac"].contains(name) else { return nil }
        var k = index + 1
        func integerArgument() -> BigRational? {
            var braced = false
            if k < tokens.endIndex, tokens[k].token == .symbol("{") {
                braced = true
                k += 1
            }
            guard k < tokens.endIndex, case .number(let n, false) = tokens[k].token, n.precision == nil, n.value.isInteger else { return nil }
            k += 1
            if braced {
                guard k < tokens.endIndex, tokens[k].token == .symbol("}") else { return nil }
                k += 1
            }
            return n.value
        }
        guard let a = integerArgument(), let b = integerArgument(), let fraction = a.divided(by: b) else { return nil }
        index = k
        let sum = whole.value.isNegative ? whole.value - fraction : whole.value + fraction
        return .number(.exact(sum))
    }

    /// A LaTeX macro argument: a braced group, or a single token (`\frac12`, `x^2`).
    mutating func parseLaTeXArgument() throws(ParseFailure) -> Expr {
        guard let token = current else { throw .unreadable }
        switch token {
        case .command("{"), .symbol("{"):
            advance()
            let inner = try parseSum()
            guard accept(.command("}")) || accept(.symbol("}")) else { throw .unreadable }
            return inner
        case .symbol("-"):
            advance()
            return .negated(try parseLaTeXArgument())
        default:
            return try parsePrimary()
        }
    }

    private mutating func parseLaTeXWord(_ w: String) throws(ParseFailure) -> Expr {
        if let f = LaTeXWords.functions[w] {
            advance()
            return try parseFunctionApplication(f)
        }
        if LaTeXWords.connectives.contains(w) || LaTeXWords.isProse(w) { throw .prose }
        advance()
        // A run of letters is a product of single-letter variables (`xy`), with `e` and `i` as constants.
        var factors: [Expr] = []
        for ch in w {
            switch ch {
            case "e": factors.append(.constant(.e))
            case "i": factors.append(.constant(.i))
            default: factors.append(.variable(String(ch)))
            }
        }
        if case .variable(let last) = factors.last, let sub = try parseSubscript() {
            factors[factors.count - 1] = .variable(last + "_" + sub)
        }
        return factors.count == 1 ? factors[0] : .product(factors)
    }

    /// `_1`, `_{12}`, `_n`: part of a variable's name.
    private mutating func parseSubscript() throws(ParseFailure) -> String? {
        guard accept(.symbol("_")) else { return nil }
        var parts: [String] = []
        let braced = accept(.command("{")) || accept(.symbol("{"))
        repeat {
            switch current {
            case .number(let n, _) where n.precision == nil: parts.append(n.value.description)
            case .word(let w): parts.append(w)
            case .command(let c) where LaTeXWords.greek.contains(c): parts.append(c)
            default: throw .unreadable
            }
            advance()
        } while braced && current != .command("}") && current != .symbol("}") && !atEnd
        if braced { guard accept(.command("}")) || accept(.symbol("}")) else { throw .unreadable } }
        return parts.joined()
    }

    private mutating func parseCommand(_ name: String) throws(ParseFailure) -> Expr {
        advance()
        if let c = LaTeXWords.constants[name] { return .constant(c) }
        if LaTeXWords.greek.contains(name) {
            if let sub = try parseSubscript() { return .variable(name + "_" + sub) }
            return .variable(name)
        }
        if let f = LaTeXWords.functions[name] { return try parseFunctionApplication(f) }
        switch name {
        case "frac", "dfrac", "tfrac", "cfrac":
            if let variable = derivativeOperator() {
                return try Operators.derivative(try parseOperand(), variable)
            }
            let numerator = try parseLaTeXArgument()
            let denominator = try parseLaTeXArgument()
            return .quotient(numerator, denominator)
        case "sqrt":
            if accept(.symbol("[")) {
                let index = try parseSum()
                try expect(.symbol("]"))
                return .power(try parseLaTeXArgument(), .quotient(.integer(1), index))
            }
            return .call(.sqrt, [try parseLaTeXArgument()])
        case "binom", "dbinom", "tbinom":
            let n = try parseLaTeXArgument()
            let k = try parseLaTeXArgument()
            return .call(.binomial, [n, k])
        case "lvert", "vert":
            let inner = try parseSum()
            guard accept(.command("rvert")) || accept(.command("vert")) else { throw .unreadable }
            return .call(.abs, [inner])
        case "lfloor":
            let inner = try parseSum()
            try expect(.command("rfloor"))
            return .call(.floor, [inner])
        case "lceil":
            let inner = try parseSum()
            try expect(.command("rceil"))
            return .call(.ceiling, [inner])
        case "$", "euro", "pounds":
            return try parsePower()
        case "sum", "prod":
            return try parseSeries(name == "sum" ? .sum : .product)
        case "int":
            return try parseIntegral()
        case "lim":
            return try parseLimit()
        default:
            throw .unreadable
        }
    }

    /// `\sin x`, `\sin(2x)`, `\sin^2 x`, `\log_2 8`, `\ln|x|`: the argument runs over juxtaposed factors.
    private mutating func parseFunctionApplication(_ f: Function) throws(ParseFailure) -> Expr {
        var base: Expr?
        var exponent: Expr?
        if f == .log, accept(.symbol("_")) {
            base = try parseLaTeXArgument()
        }
        if accept(.symbol("^")) {
            exponent = try parseLaTeXArgument()
        }
        argumentDepth += 1
        defer { argumentDepth -= 1 }
        let argument: Expr
        if current == .symbol("(") || current == .command("{") {
            argument = try parsePrimary()
        } else {
            var factors = [try parsePower()]
            while let token = current, case .number = token {
                factors.append(try parsePower())
            }
            while let token = current, case .word(let w) = token, LaTeXWords.functions[w] == nil, !LaTeXWords.connectives.contains(w) {
                factors.append(try parsePower())
            }
            argument = factors.count == 1 ? factors[0] : .product(factors)
        }
        var result: Expr = base.map { .call(.log, [argument, $0]) } ?? .call(f, [argument])
        if let exponent {
            // `\sin^{-1}` is the inverse function, any other exponent a power.
            if exponent == .minusOne, let inverse = f.inverse {
                result = .call(inverse, [argument])
            } else {
                result = .power(result, exponent)
            }
        }
        return result
    }

    private mutating func parsePythonWord(_ w: String) throws(ParseFailure) -> Expr {
        if let c = PythonNames.constants[w] {
            advance()
            return .constant(c)
        }
        if current == .word(w), peekToken(1) == .symbol("(") {
            guard case .scalar(let e) = try parsePythonCall() else { throw .unreadable }
            return e
        }
        if w == "nan" || w == "NaN" || !PythonNames.isVariableName(w) { throw .prose }
        advance()
        return .variable(w)
    }

    // MARK: Python calls

    /// `sqrt(3)`, `Rational(1, 3)`, `Matrix([[1, 2]])`, `Interval.open(3, oo)`, `np.float64(0.5)`.
    private mutating func parsePythonCall() throws(ParseFailure) -> MathValue {
        guard case .word(let name) = current else { throw .unreadable }
        advance()
        if name == "EmptySet" || name == "S.EmptySet" { return .set([]) }
        try expect(.symbol("("))
        var args: [MathValue] = []
        while !accept(.symbol(")")) {
            if !args.isEmpty { try expect(.symbol(",")) }
            if accept(.symbol(")")) { break }
            if case .word = current, peekToken(1) == .symbol("=") {
                // Keyword arguments (`dtype=int64`, `evaluate=False`) carry no value.
                index += 2
                // `dir='-'` in sympy's `Limit`: a string is skipped as it is.
                if case .string = current { advance() } else { _ = try parseItem() }
                continue
            }
            args.append(try parseItem())
            if args.count > Limits.maxElements { throw .tooLarge("more than \(Limits.maxElements) elements") }
        }
        return try PythonNames.apply(name, args)
    }

    // MARK: Brackets

    /// `( … )`, `[ … ]`, `{ … }` and LaTeX `\{ … \}`: a group, a tuple, a list, a set, a dict or an interval.
    private mutating func parseBracketed() throws(ParseFailure) -> MathValue {
        // Units written on the elements (`(3\,\mathrm{m}, 4\,\mathrm{m})`) are dropped, as before units were read.
        let outerUnit = physicalUnit
        defer { physicalUnit = outerUnit }
        guard let open = current else { throw .unreadable }
        advance()
        var items: [MathValue] = []
        if dialect == .latex && open == .symbol("{") {
            var inner = try parseSum()
            if accept(.command("choose")) {
                // `{n \choose k}`
                inner = .call(.binomial, [inner, try parseSum()])
            }
            if accept(.command("}")) || accept(.symbol("}")) { return .scalar(inner) }
            // `{1, 3}` without backslashes, as models write a set between dollar signs.
            guard currentSymbol == "," else { throw .unreadable }
            items.append(.scalar(inner))
        }
        if dialect == .python && open == .symbol("["), let rows = try parseNumpyRows() {
            return rows
        }
        var keys: [String] = []
        var trailingComma = false
        while true {
            if let close = current, isClosing(close) {
                advance()
                return try Self.assemble(open: open, close: close, items: items, keys: keys, trailingComma: trailingComma)
            }
            if !items.isEmpty {
                try expect(.symbol(","))
                trailingComma = true
                if let close = current, isClosing(close) { continue }
            }
            trailingComma = false
            let start = index
            let outerPlusMinus = usedPlusMinus
            usedPlusMinus = false
            physicalUnit = nil
            let item = try parseItem()
            if usedPlusMinus, dialect == .latex, open == .command("{") || open == .symbol("[") {
                // `\{1 \pm \sqrt{5}, -2\}`: a plus-minus inside a set or list is two of its elements.
                var minus = ExpressionParser(tokens[start..<index], dialect: dialect, plusMinusSign: -plusMinusSign)
                items.append(item)
                items.append(try minus.parseWhole())
                usedPlusMinus = outerPlusMinus
            } else if accept(.symbol(":")) {
                usedPlusMinus = usedPlusMinus || outerPlusMinus
                guard case .scalar(let key) = item else { throw .unreadable }
                keys.append(key.description)
                items.append(try parseItem())
            } else {
                usedPlusMinus = usedPlusMinus || outerPlusMinus
                items.append(item)
            }
            if items.count > Limits.maxElements { throw .tooLarge("more than \(Limits.maxElements) elements") }
        }
    }

    private func isClosing(_ token: Token) -> Bool {
        switch token {
        case .symbol(")"), .symbol("]"), .symbol("}"), .command("}"): return true
        default: return false
        }
    }

    private static func assemble(open: Token, close: Token, items: [MathValue], keys: [String], trailingComma: Bool) throws(ParseFailure) -> MathValue {
        if !keys.isEmpty {
            guard keys.count == items.count else { throw .unreadable }
            return .assignments(zip(keys, items).map { Assignment(name: $0, value: $1) })
        }
        switch (open, close) {
        case (.command("{"), .command("}")), (.symbol("{"), .symbol("}")):
            return .set(items)
        case (.symbol("("), .symbol(")")):
            if items.count == 1 && !trailingComma { return items[0] }
            return .tuple(items)
        case (.symbol("["), .symbol("]")):
            // `\left[\begin{array}{cc} … \end{array}\right]`: the brackets of the matrix itself.
            if items.count == 1, case .matrix = items[0] { return items[0] }
            if let matrix = matrixRows(items) { return .matrix(matrix) }
            return .list(items)
        case (.symbol("("), .symbol("]")), (.symbol("["), .symbol(")")):
            guard items.count == 2, case .scalar(let a) = items[0], case .scalar(let b) = items[1] else { throw .unreadable }
            return .interval(Interval(lower: a, upper: b, lowerClosed: open == .symbol("["), upperClosed: close == .symbol("]")))
        default:
            throw .unreadable
        }
    }

    /// A list of equally long lists of scalars is a matrix (`[[1, 2], [3, 4]]`).
    static func matrixRows(_ items: [MathValue]) -> [[Expr]]? {
        guard items.count >= 1 else { return nil }
        var rows: [[Expr]] = []
        for item in items {
            guard case .list(let cells) = item, !cells.isEmpty else { return nil }
            var row: [Expr] = []
            for cell in cells {
                guard case .scalar(let e) = cell else { return nil }
                row.append(e)
            }
            if let first = rows.first, first.count != row.count { return nil }
            rows.append(row)
        }
        return rows
    }

    /// numpy's `[1 2 3]`, `[[ 7 10]\n [15 22]]`, `[1. 2.5]`: elements separated by spaces, no commas.
    private mutating func parseNumpyRows() throws(ParseFailure) -> MathValue? {
        try enter()
        defer { depth -= 1 }
        // Only when no comma appears before the matching bracket.
        var level = 1
        var i = index
        while i < tokens.endIndex && level > 0 {
            switch tokens[i].token {
            case .symbol("["): level += 1
            case .symbol("]"): level -= 1
            case .symbol(","), .symbol(":"), .symbol("("), .symbol("/"), .symbol("*"), .symbol("^"): return nil
            default: break
            }
            i += 1
        }
        guard level == 0 else { throw .unreadable }
        var items: [MathValue] = []
        while !accept(.symbol("]")) {
            if current == .symbol("[") {
                advance()
                guard let row = try parseNumpyRows() else { throw .unreadable }
                items.append(row)
            } else {
                items.append(.scalar(try parseNumpyElement()))
            }
            if items.count > Limits.maxElements { throw .tooLarge("more than \(Limits.maxElements) elements") }
        }
        if let matrix = Self.matrixRows(items) { return .matrix(matrix) }
        return .list(items)
    }

    /// One numpy element: a signed number, possibly complex (`1.+2.j`), or `inf`/`nan`.
    private mutating func parseNumpyElement() throws(ParseFailure) -> Expr {
        var e = try parseUnaryPower()
        // `1.+2.j`: a complex element has no space around its inner sign.
        while (current == .symbol("+") || current == .symbol("-")) && !currentHasSpaceBefore {
            let negative = current == .symbol("-")
            advance()
            let term = try parsePower()
            e = .sum([e, negative ? .negated(term) : term])
        }
        return e
    }

    // MARK: Environments

    /// `pmatrix`, `bmatrix`, `array`…: rows split by `\\`, cells by `&`.
    private mutating func parseEnvironment(_ name: String) throws(ParseFailure) -> MathValue {
        advance()
        var rows: [[Expr]] = [[]]
        while true {
            guard let token = current else { throw .unreadable }
            if case .command(let c) = token, c.hasPrefix("end:") {
                advance()
                break
            }
            switch token {
            case .symbol("&"):
                advance()
            case .symbol(";"):
                advance()
                rows.append([])
            default:
                rows[rows.count - 1].append(try parseSum())
            }
        }
        rows.removeAll { $0.isEmpty }
        guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else { throw .unreadable }
        if name == "cases" { throw .unreadable }
        return .matrix(rows)
    }
}
