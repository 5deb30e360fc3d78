// Reads the operators written as results in LaTeX: `\sum`, `\prod`, `\int`, `\lim`, `\frac{d}{dx}`.

extension ExpressionParser {
    /// `\sum_{k=1}^{10} k^2`, `\prod_{k=1}^{5} k`: bounds in either order, the summand a product.
    mutating func parseSeries(_ kind: Operators.Series) throws(ParseFailure) -> Expr {
        var bound: (String, Expr)?
        var upper: Expr?
        for _ in 0..<2 {
            if accept(.symbol("_")) {
                try expect(.symbol("{"))
                let name = try boundVariable()
                try expect(.symbol("="))
                bound = (name, try parseSum())
                try expect(.symbol("}"))
            } else if accept(.symbol("^")) {
                upper = try parseLaTeXArgument()
            }
        }
        guard let (index, lower) = bound, let upper else { throw .unreadable }
        return try Operators.series(kind, try parseOperand(), index: index, from: lower, to: upper)
    }

    /// `\int_0^1 x^2\,dx`: the integrand runs to the differential.
    mutating func parseIntegral() throws(ParseFailure) -> Expr {
        var lower: Expr?
        var upper: Expr?
        for _ in 0..<2 {
            if accept(.symbol("_")) {
                lower = try parseLaTeXArgument()
            } else if accept(.symbol("^")) {
                upper = try parseLaTeXArgument()
            }
        }
        guard let lower, let upper, let (end, variable, after) = differential() else { throw .unreadable }
        var integrand = Expr.integer(1)
        if end > index {
            var inner = ExpressionParser(tokens[index..<end], dialect: dialect, depth: depth)
            guard case .scalar(let e) = try inner.parseWhole() else { throw .unreadable }
            integrand = e
        }
        index = after
        return try Operators.definiteIntegral(integrand, variable: variable, from: lower, to: upper)
    }

    /// Where `dx` (or `\mathrm{d}x`, `d\theta`) starts outside brackets, its variable, and the index after it.
    func differential() -> (Int, String, Int)? {
        var level = 0
        var k = index
        while k < tokens.endIndex {
            switch tokens[k].token {
            case .symbol("("), .symbol("["), .symbol("{"): level += 1
            case .symbol(")"), .symbol("]"), .symbol("}"): level -= 1
            default: break
            }
            if level == 0 || level == 1 && tokens[k].token == .symbol("{") {
                var after = k
                if tokens[k].token == .word("d") {
                    after = k + 1
                } else if k + 2 < tokens.endIndex, tokens[k].token == .symbol("{"), tokens[k + 1].token == .word("d"),
                          tokens[k + 2].token == .symbol("}") {
                    after = k + 3
                }
                if after > k, after < tokens.endIndex {
                    switch tokens[after].token {
                    case .word(let v) where v.count == 1: return (k, v, after + 1)
                    case .command(let c) where LaTeXWords.greek.contains(c): return (k, c, after + 1)
                    default: break
                    }
                }
            }
            k += 1
        }
        return nil
    }

    /// `\lim_{x \to a} f`: polynomials and their ratios only (see `Operators.limit`).
    mutating func parseLimit() throws(ParseFailure) -> Expr {
        try expect(.symbol("_"))
        try expect(.symbol("{"))
        let variable = try boundVariable()
        guard accept(.command("to")) || accept(.command("rightarrow")) || accept(.command("longrightarrow")) else { throw .unreadable }
        let point = try parseSum()
        try expect(.symbol("}"))
        return try Operators.limit(try parseOperand(), variable: variable, to: point)
    }

    /// The name bound by `\sum_{k=…}`, `\lim_{x \to …}`.
    mutating func boundVariable() throws(ParseFailure) -> String {
        switch current {
        case .word(let w) where w.count == 1:
            advance()
            return w
        case .command(let c) where LaTeXWords.greek.contains(c):
            advance()
            return c
        default:
            throw .unreadable
        }
    }

    /// What an operator applies to: a bracketed group (`[\tan x]`), or the product that follows.
    mutating func parseOperand() throws(ParseFailure) -> Expr {
        if accept(.symbol("[")) {
            let inner = try parseSum()
            try expect(.symbol("]"))
            return inner
        }
        return try parseProduct()
    }

    /// `\frac{d}{dx}` and `\frac{\mathrm{d}}{\mathrm{d}x}` at the cursor (after `\frac`): consumed, giving the
    /// variable; nil, with nothing consumed, for any other fraction.
    mutating func derivativeOperator() -> String? {
        var k = index
        func at(_ token: Token) -> Bool {
            guard k < tokens.endIndex, tokens[k].token == token else { return false }
            k += 1
            return true
        }
        func d() -> Bool {
            at(.word("d")) || (at(.symbol("{")) && at(.word("d")) && at(.symbol("}")))
        }
        guard at(.symbol("{")), d(), at(.symbol("}")), at(.symbol("{")), d(), k < tokens.endIndex else { return nil }
        let name: String
        switch tokens[k].token {
        case .word(let v) where v.count == 1: name = v
        case .command(let c) where LaTeXWords.greek.contains(c): name = c
        default: return nil
        }
        k += 1
        guard at(.symbol("}")) else { return nil }
        index = k
        return name
    }
}
