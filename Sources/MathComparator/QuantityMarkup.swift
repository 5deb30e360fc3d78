// Rewrites the markup of numbers and quantities into plain tokens: siunitx (`\SI`, `\qty`, `\num`, `\si`) and a printed `x` as a times sign.

enum QuantityMarkup {
    static let commands: Set<String> = ["SI", "qty", "num", "si", "unit"]

    /// Appends the rewritten tokens for the markup at `i` to `out` and returns the index after it;
    /// nil when no markup starts at `i`.
    static func expand(_ lexemes: [Lexeme], at i: Int, into out: inout [Lexeme]) -> Int? {
        switch lexemes[i].token {
        case .command("SI"), .command("qty"):
            // `\SI{4.2}{\kilo\joule}`: the number, then its unit (dropped when it is none we know).
            guard let (valueStart, valueEnd) = group(lexemes, at: i + 1),
                  let (unitStart, unitEnd) = group(lexemes, at: valueEnd + 1) else { return nil }
            out.append(contentsOf: lexemes[valueStart..<valueEnd])
            if let unit = UnitReader.readWhole(lexemes, from: unitStart, to: unitEnd) {
                out.append(Lexeme(token: .unit(unit), spaceBefore: true))
            }
            return unitEnd + 1
        case .command("num"):
            guard let (start, end) = group(lexemes, at: i + 1) else { return nil }
            out.append(contentsOf: lexemes[start..<end])
            return end + 1
        case .command("si"), .command("unit"):
            // A unit after no number is text: dropped, as `\text{…}` is.
            guard let (_, end) = group(lexemes, at: i + 1) else { return nil }
            return end + 1
        case .word where isTimesSign(lexemes, at: i):
            // `1.5 x 10^3` printed: the letter is a times sign, and `x10` is one Python identifier.
            out.append(Lexeme(token: .symbol("*"), spaceBefore: true))
            if lexemes[i].token == .word("x10") {
                out.append(Lexeme(token: .number(.exact(BigRational(10)), imaginary: false), spaceBefore: false))
            }
            return i + 1
        default:
            return nil
        }
    }

    /// `x` between a number and `10^`, or `x10` between a number and `^`.
    static func isTimesSign(_ lexemes: [Lexeme], at i: Int) -> Bool {
        guard i > 0, case .number = lexemes[i - 1].token, i + 1 < lexemes.count else { return false }
        switch lexemes[i].token {
        case .word("x"):
            guard i + 2 < lexemes.count, case .number(let ten, false) = lexemes[i + 1].token,
                  ten.precision == nil, ten.value == BigRational(10) else { return false }
            return lexemes[i + 2].token == .symbol("^")
        case .word("x10"):
            return lexemes[i + 1].token == .symbol("^")
        default:
            return false
        }
    }

    /// The inside of the braced group that opens at `i`: its first index and the index of its `}`.
    private static func group(_ lexemes: [Lexeme], at i: Int) -> (Int, Int)? {
        guard i < lexemes.count, lexemes[i].token == .symbol("{") else { return nil }
        var level = 0
        for k in i..<lexemes.count {
            switch lexemes[k].token {
            case .symbol("{"): level += 1
            case .symbol("}"):
                level -= 1
                if level == 0 { return (i + 1, k) }
            default: break
            }
        }
        return nil
    }
}
