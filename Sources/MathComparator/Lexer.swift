// Splits LaTeX or Python-printed text into tokens, reading numbers (thousands separators, exponents) exactly.
import BigInt

enum Dialect: Sendable {
    /// LaTeX: single-letter variables, `\commands`, braces group.
    case latex
    /// What Python, sympy and numpy print: identifiers, `**`, braces make sets and dicts.
    case python
}

enum Token: Hashable, Sendable {
    /// A number; `imaginary` for Python's `2j`.
    case number(Number, imaginary: Bool)
    /// A run of letters (LaTeX) or an identifier (Python, may hold digits, `_` and inner dots).
    case word(String)
    /// A LaTeX command without its backslash: `frac`, or the escaped character: `{`.
    case command(String)
    /// A quoted Python string's content.
    case string(String)
    /// Punctuation and operators: `+ - * / ^ ( ) [ ] { } , = < > | ! % _ : ; ' °`, and `≤ ≥ ≠ ≡` for
    /// `<= >= != ==`; Python's `**` is `^`.
    case symbol(Symbol)
    /// A physical unit read after a number (`\,\mathrm{km}`, `m/s**2`), put in place of its tokens by
    /// `ClauseReader.clean`; boxed, so that every other token stays as small as before.
    indirect case unit(PhysicalUnit)
}

/// One character of punctuation, compared as a number: tokens are compared on every parser step.
struct Symbol: Hashable, Sendable, ExpressibleByUnicodeScalarLiteral {
    let code: UInt32

    init(unicodeScalarLiteral scalar: Unicode.Scalar) {
        code = scalar.value
    }

    init(_ byte: UInt8) {
        code = UInt32(byte)
    }
}

struct Lexeme: Hashable, Sendable {
    var token: Token
    /// Whitespace came right before: numpy separates elements by spaces, and `2 -1` differs from `2-1` there.
    var spaceBefore: Bool
}

/// Reads tokens from UTF-8 bytes in one pass; returns nil for text it cannot tokenize safely.
struct Lexer {
    private let bytes: [UInt8]
    private let dialect: Dialect
    private var position = 0
    private var depth = 0
    private var lexemes: [Lexeme] = []
    private var sawSpace = false

    static func tokens(_ text: Substring, dialect: Dialect) -> [Lexeme]? {
        var lexer = Lexer(bytes: Array(text.utf8), dialect: dialect)
        return lexer.run() ? lexer.lexemes : nil
    }

    private init(bytes: [UInt8], dialect: Dialect) {
        self.bytes = bytes
        self.dialect = dialect
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        let i = position + offset
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func emit(_ token: Token) {
        lexemes.append(Lexeme(token: token, spaceBefore: sawSpace))
        sawSpace = false
    }

    private mutating func run() -> Bool {
        while position < bytes.count {
            let c = peek()
            if c == 0x0A && dialect == .python && depth == 0 && !lexemes.isEmpty && lexemes.last?.token != .symbol(";") {
                // Printed lines are separate statements; inside brackets (numpy rows) a newline is space.
                emit(.symbol(";"))
                position += 1
            } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                position += 1
                sawSpace = true
            } else if isDigit(c) || (c == 0x2E && isDigit(peek(1))) {
                guard lexNumber() else { return false }
            } else if isLetter(c) || c == 0x5F && dialect == .python {
                lexWord()
            } else if c == 0x5C && dialect == .latex {
                lexCommand()
            } else if c >= 0x80 {
                guard lexUnicode() else { return false }
            } else if (c == 0x27 || c == 0x22) && dialect == .python {
                lexString(quote: c)
            } else {
                lexSymbol(c)
            }
        }
        return true
    }

    // MARK: Numbers

    /// Reads digits in chunks of 18 into machine words, so that ordinary numbers never touch BigInt.
    /// Fails on an exponent past ±1000, which no float has and which would only cost time.
    private mutating func lexNumber() -> Bool {
        var chunk = 0
        var chunkDigits = 0
        var big: BigInt?
        var fractionDigits = 0
        var significant = 0
        var digitCount = 0
        var sawPoint = false
        var digitsBeforeGroup = 0
        while true {
            let c = peek()
            if isDigit(c) {
                let d = Int(c - 0x30)
                chunk = chunk * 10 + d
                chunkDigits += 1
                digitCount += 1
                if significant > 0 || d != 0 { significant += 1 }
                if chunkDigits == 18 {
                    big = (big ?? 0) * BigInt(1_000_000_000_000_000_000) + BigInt(chunk)
                    chunk = 0
                    chunkDigits = 0
                }
                if sawPoint { fractionDigits += 1 }
                position += 1
            } else if c == 0x2E && !sawPoint && !(dialect == .latex && !isDigit(peek(1))) && !isLetterOrUnderscore(peek(1)) {
                // `1.` is a numpy float; in LaTeX a final dot ends a sentence.
                sawPoint = true
                position += 1
            } else if !sawPoint, let skip = thousandsSeparator(groupDigits: digitCount - digitsBeforeGroup) {
                position += skip
                digitsBeforeGroup = digitCount
            } else {
                break
            }
        }
        var exponent = 0
        if let (value, length) = scientificExponent() {
            exponent = value
            position += length
        }
        guard abs(exponent - fractionDigits) <= 1000 else { return false }
        var mantissa = BigRational(chunk)
        if let big {
            mantissa = BigRational(big * BigInt(10).power(chunkDigits) + BigInt(chunk))
        }
        let value = mantissa * BigRational.tenPower(exponent - fractionDigits)
        let written = sawPoint || exponent < 0 || (dialect == .python && exponent != 0)
        let precision = written ? Precision(fractionDigits: fractionDigits, exponent: exponent, significantDigits: significant) : nil
        var imaginary = false
        if dialect == .python && (peek() == 0x6A || peek() == 0x4A) && !isLetterOrUnderscore(peek(1)) && !isDigit(peek(1)) {
            imaginary = true
            position += 1
        }
        emit(.number(Number(value: value, precision: precision), imaginary: imaginary))
        return true
    }

    /// The length of a thousands separator followed by exactly three digits, when one is here.
    ///
    /// `10,080` is one number and `10, 80` two: a separator follows a group of one to three digits
    /// (the first) or of exactly three, and three digits follow it, then no digit. Bare commas and
    /// spaces count only outside brackets, where `(1,234)` and numpy's `[1 234]` would otherwise
    /// lose an element.
    private func thousandsSeparator(groupDigits: Int) -> Int? {
        guard groupDigits >= 1 && groupDigits <= 3 else { return nil }
        var length: Int
        let c = peek()
        if c == 0x7B && peek(1) == 0x2C && peek(2) == 0x7D {
            length = 3  // {,}
        } else if c == 0x2C && peek(1) == 0x5C && peek(2) == 0x21 {
            length = 3  // ,\!
            while peek(length) == 0x20 { length += 1 }
        } else if c == 0x5C && (peek(1) == 0x2C || peek(1) == 0x20 || peek(1) == 0x3B) {
            length = 2  // \, \  \;
        } else if (c == 0x2C || c == 0x20) && depth == 0 {
            length = 1
        } else {
            return nil
        }
        for k in 0..<3 where !isDigit(peek(length + k)) { return nil }
        let after = peek(length + 3)
        if isDigit(after) { return nil }
        if length == 1 && c == 0x20 && (after == 0x2E || after == 0x2C) { return nil }
        return length
    }

    /// `e-5`, `E+10` after a mantissa.
    private func scientificExponent() -> (Int, Int)? {
        guard peek() == 0x65 || peek() == 0x45 else { return nil }
        var k = 1
        var negative = false
        if peek(k) == 0x2B || peek(k) == 0x2D {
            negative = peek(k) == 0x2D
            k += 1
        }
        guard isDigit(peek(k)) else { return nil }
        var value = 0
        while isDigit(peek(k)) {
            value = min(value * 10 + Int(peek(k) - 0x30), 100_000)
            k += 1
        }
        if isLetterOrUnderscore(peek(k)) { return nil }
        return (negative ? -value : value, k)
    }

    // MARK: Words, commands, strings

    private mutating func lexWord() {
        let start = position
        if dialect == .latex {
            while isLetter(peek()) { position += 1 }
            let run = String(decoding: bytes[start..<position], as: UTF8.self)
            if run.count > 1 && !LaTeXWords.isWord(run) {
                // `xy^2` is x times y squared: each letter is its own variable.
                for letter in run { emit(.word(String(letter))) }
                return
            }
            emit(.word(run))
            return
        } else {
            while true {
                let c = peek()
                if isLetterOrUnderscore(c) || isDigit(c) || (c == 0x2E && isLetter(peek(1))) {
                    position += 1
                } else {
                    break
                }
            }
        }
        emit(.word(String(decoding: bytes[start..<position], as: UTF8.self)))
    }

    private mutating func lexCommand() {
        position += 1
        let start = position
        if isLetter(peek()) {
            while isLetter(peek()) { position += 1 }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            if name == "mathbb" && peek() == 0x7B && peek(1) == 0x52 && peek(2) == 0x7D {
                // `\mathbb{R}`: the real line, a value where a set is stated.
                position += 3
                emit(.command("reals"))
                return
            }
            if (name == "quad" || name == "qquad") && depth == 0 && !lexemes.isEmpty {
                // `x = 1 \quad y = 2`: wide space between two statements separates them like a comma,
                // unless a unit follows (`12 \quad \text{cm}`), which `ClauseReader.clean` decides.
                emit(.command("quad"))
                return
            }
            if Lexer.ignoredCommands.contains(name) {
                // `\left.` and `\right.` are invisible delimiters.
                if (name == "left" || name == "right") && peek() == 0x2E { position += 1 }
                sawSpace = true
                return
            }
            if name == "begin" || name == "end" {
                lexEnvironmentName(name)
                return
            }
            if name == "langle" || name == "rangle" {
                // `\langle 1, -2 \rangle` is a vector: a tuple.
                depth = name == "langle" ? depth + 1 : max(0, depth - 1)
                emit(.symbol(name == "langle" ? "(" : ")"))
                return
            }
            emit(.command(name))
            if ["frac", "dfrac", "tfrac", "cfrac"].contains(name) { lexDigitArguments() }
        } else if position < bytes.count {
            let c = peek()
            position += 1
            switch c {
            case 0x2C, 0x3B, 0x3A, 0x21, 0x20: sawSpace = true  // spacing
            case 0x5B, 0x5D, 0x28, 0x29: sawSpace = true  // \[ \] \( \): display delimiters
            case 0x7B: depth += 1; emit(.command("{"))
            case 0x7D: depth = max(0, depth - 1); emit(.command("}"))
            case 0x5C: emit(.symbol(";"))  // \\ ends a matrix row
            default: emit(.command(String(UnicodeScalar(c))))
            }
        }
    }

    /// `\frac12`, `\frac 59`, `\frac 3{4}`: TeX takes a bare argument one digit at a time.
    private mutating func lexDigitArguments() {
        for _ in 0..<2 {
            var k = 0
            while peek(k) == 0x20 { k += 1 }
            guard isDigit(peek(k)) else { return }
            emit(.number(.exact(BigRational(Int(peek(k) - 0x30))), imaginary: false))
            position += k + 1
        }
    }

    /// `\begin{pmatrix}` becomes the command `begin:pmatrix`; array column specs are skipped.
    private mutating func lexEnvironmentName(_ kind: String) {
        while peek() == 0x20 { position += 1 }
        guard peek() == 0x7B else { emit(.command(kind)); return }
        let start = position + 1
        var end = start
        while end < bytes.count && bytes[end] != 0x7D { end += 1 }
        let name = String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self)
        position = min(end + 1, bytes.count)
        if kind == "begin" && name.hasPrefix("array") || kind == "begin" && name.hasPrefix("tabular") {
            skipGroup()
        }
        depth += kind == "begin" ? 1 : -1
        depth = max(0, depth)
        emit(.command(kind + ":" + name))
    }

    private mutating func skipGroup() {
        while peek() == 0x20 { position += 1 }
        guard peek() == 0x7B else { return }
        var level = 0
        while position < bytes.count {
            if bytes[position] == 0x7B { level += 1 }
            if bytes[position] == 0x7D { level -= 1 }
            position += 1
            if level == 0 { return }
        }
    }

    private mutating func lexString(quote: UInt8) {
        position += 1
        let start = position
        while position < bytes.count && bytes[position] != quote { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position = min(position + 1, bytes.count)
        emit(.string(text))
    }

    private mutating func lexSymbol(_ c: UInt8) {
        position += 1
        let next = peek()
        switch c {
        case 0x2A where next == 0x2A: position += 1; emit(.symbol("^"))  // **
        case 0x3C where next == 0x3D, 0x3E where next == 0x3D, 0x21 where next == 0x3D, 0x3D where next == 0x3D:
            position += 1
            emit(.symbol(c == 0x3C ? "≤" : c == 0x3E ? "≥" : c == 0x21 ? "≠" : "≡"))
        case 0x24, 0x7E:
            sawSpace = true  // `$` math delimiters and `~` ties
        case 0x28, 0x5B, 0x7B:
            depth += 1
            emit(.symbol(Symbol(c)))
        case 0x29, 0x5D, 0x7D:
            depth = max(0, depth - 1)
            emit(.symbol(Symbol(c)))
        default:
            emit(.symbol(Symbol(c)))
        }
    }

    // MARK: Non-ASCII

    /// Maps the few non-ASCII signs that carry math to their ASCII meaning; other letters become words.
    private mutating func lexUnicode() -> Bool {
        var length = 1
        let c = peek()
        if c >= 0xF0 { length = 4 } else if c >= 0xE0 { length = 3 } else if c >= 0xC0 { length = 2 }
        guard position + length <= bytes.count else { return false }
        let text = String(decoding: bytes[position..<position + length], as: UTF8.self)
        position += length
        switch text {
        case "×", "·", "⋅": emit(.symbol("*"))
        case "−", "–": emit(.symbol("-"))
        case "÷": emit(.symbol("/"))
        case "°": emit(.symbol("°"))
        case "π": emit(.command("pi"))
        case "∞": emit(.command("infty"))
        case "≈": emit(.command("approx"))
        case "≤": emit(.symbol("≤"))
        case "≥": emit(.symbol("≥"))
        case "≠": emit(.symbol("≠"))
        case "√": emit(.command("sqrt"))
        case "±": emit(.command("pm"))
        case "²": emit(.symbol("^")); emit(.number(.exact(BigRational(2)), imaginary: false))
        case "³": emit(.symbol("^")); emit(.number(.exact(BigRational(3)), imaginary: false))
        case "€", "£", "¥", "₹", "\u{a0}", "\u{202f}", "\u{2009}": sawSpace = true
        default: emit(.word(text))
        }
        return true
    }

    static let ignoredCommands: Set<String> = [
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
        "displaystyle", "textstyle", "limits", "quad", "qquad", "mathbf", "boldsymbol",
        "bf", "rm", "it", "mathsf", "operatorname", "hline", "boxed", "fbox", "mathbb", "displaylimits",
        "nonumber", "notag", "cdotp", "ensuremath", "phantom", "strut", "middle",
    ]
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
@inline(__always) func isLetterOrUnderscore(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F }
