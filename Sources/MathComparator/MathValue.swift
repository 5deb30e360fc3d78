// The values both sides are read into: scalar expression trees and the shapes built from them.
import BigInt

/// A number as it was written: its exact value and, for a decimal, how precisely it was written.
struct Number: Hashable, Sendable {
    var value: BigRational
    /// Nil for an exact number (an integer, a fraction); set for a written decimal such as `3.14`.
    var precision: Precision?

    static func exact(_ value: BigRational) -> Number {
        Number(value: value, precision: nil)
    }
}

enum Constant: String, Hashable, Sendable {
    case pi, e, i, infinity
}

/// The functions both readers know; anything else makes the text unreadable rather than guessed at.
enum Function: String, Hashable, Sendable, CaseIterable {
    case sin, cos, tan, cot, sec, csc
    case asin, acos, atan, acot
    case sinh, cosh, tanh
    case exp, ln, log, sqrt, abs, factorial, floor, ceiling, binomial, gamma, mod
}

/// A scalar: a number, a constant, a variable, or arithmetic on them.
///
/// Subtraction is a sum with a `-1` factor and division a product with a `-1` power, so that the
/// evaluator and the renderer each handle four operations only.
indirect enum Expr: Hashable, Sendable {
    case number(Number)
    case constant(Constant)
    case variable(String)
    case sum([Expr])
    case product([Expr])
    case power(Expr, Expr)
    case call(Function, [Expr])

    static func integer(_ value: Int) -> Expr {
        .number(.exact(BigRational(value)))
    }

    static let minusOne = Expr.integer(-1)

    static func negated(_ e: Expr) -> Expr {
        switch e {
        case .number(var n):
            n.value = -n.value
            return .number(n)
        case .product(let factors):
            return .product([.minusOne] + factors)
        default:
            return .product([.minusOne, e])
        }
    }

    static func quotient(_ a: Expr, _ b: Expr) -> Expr {
        .product([a, .power(b, .minusOne)])
    }

    /// The free variables, in order of first appearance.
    var variables: [String] {
        var found: [String] = []
        collectVariables(into: &found)
        return found
    }

    private func collectVariables(into found: inout [String]) {
        switch self {
        case .number, .constant:
            return
        case .variable(let name):
            if !found.contains(name) { found.append(name) }
        case .sum(let terms), .product(let terms), .call(_, let terms):
            for t in terms { t.collectVariables(into: &found) }
        case .power(let b, let x):
            b.collectVariables(into: &found)
            x.collectVariables(into: &found)
        }
    }

    var containsInfinity: Bool {
        switch self {
        case .constant(let c): return c == .infinity
        case .number, .variable: return false
        case .sum(let terms), .product(let terms), .call(_, let terms): return terms.contains { $0.containsInfinity }
        case .power(let b, let x): return b.containsInfinity || x.containsInfinity
        }
    }
}

struct Interval: Hashable, Sendable {
    var lower: Expr
    var upper: Expr
    var lowerClosed: Bool
    var upperClosed: Bool

    /// The one point of a set of reals, `{a}` as `[a, a]`.
    static func point(_ e: Expr) -> Interval {
        Interval(lower: e, upper: e, lowerClosed: true, upperClosed: true)
    }

    static func point(_ element: MathValue) throws(ParseFailure) -> Interval {
        guard case .scalar(let e) = element else { throw .unreadable }
        return point(e)
    }
}

enum QuantityUnit: String, Hashable, Sendable {
    case percent, degree
}

/// A whole value read from either side.
indirect enum MathValue: Hashable, Sendable {
    case scalar(Expr)
    /// `25\%`, `30^\circ`: compared against the bare number and its converted form.
    case quantity(Expr, QuantityUnit)
    /// `500\,\mathrm{m}`, `9.8 m/s**2`: a number in a physical unit, converted through SI to compare.
    case measure(Expr, PhysicalUnit)
    /// Ordered and fixed: `(1, 2)`, a Python tuple, a vector.
    case tuple([MathValue])
    /// Ordered, but what sympy's `solve` prints for a set of solutions, and what `[a, b]` may mean in LaTeX.
    case list([MathValue])
    case set([MathValue])
    case interval(Interval)
    case union([Interval])
    case matrix([[Expr]])
    /// A relation kept whole because neither side is a lone value: `x^2 + y^2 = 25`.
    case equation(Expr, Expr)
    /// Alternatives for one unknown: `x = 2` or `x = 3`, `x = \pm 2`.
    case solutions([MathValue])
    /// Named values: `x = 1, y = -2`, `{x: 1, y: -2}`.
    case assignments([Assignment])
    /// A relation between expressions that is no set of one variable: `x < y` is `y - x > 0`.
    case inequality(Expr, strict: Bool)
}

struct Assignment: Hashable, Sendable {
    var name: String
    var value: MathValue

    /// The name as compared: `a_{37}` is printed `a37` as often as `a_37`.
    var key: String { name.contains("_") ? String(name.filter { $0 != "_" }) : name }
}

// MARK: - Canonical rendering, used in Evidence

extension Expr: CustomStringConvertible {
    var description: String { rendered(context: 0) }

    /// Python/sympy-like text; `context` is the binding strength of the surrounding operator.
    private func rendered(context: Int) -> String {
        switch self {
        case .number(let n):
            let text = n.precision.map { $0.render(n.value) } ?? n.value.description
            let isCompound = n.value.isNegative || !n.value.isInteger
            return isCompound && context > 1 ? "(\(text))" : text
        case .constant(let c):
            switch c {
            case .pi: return "pi"
            case .e: return "E"
            case .i: return "I"
            case .infinity: return "oo"
            }
        case .variable(let name):
            return name
        case .sum(let terms):
            var text = ""
            for (index, term) in terms.enumerated() {
                let piece = term.rendered(context: 1)
                if index == 0 {
                    text = piece
                } else if piece.hasPrefix("-") {
                    text += " - " + piece.dropFirst()
                } else {
                    text += " + " + piece
                }
            }
            return context > 0 ? "(\(text))" : text
        case .product(let factors):
            var numerator: [String] = []
            var denominator: [String] = []
            var negative = false
            for f in factors {
                if f == .minusOne {
                    negative.toggle()
                } else if case .power(let base, let exponent) = f, exponent == .minusOne {
                    denominator.append(base.rendered(context: 3))
                } else {
                    numerator.append(f.rendered(context: 2))
                }
            }
            var text = numerator.isEmpty ? "1" : numerator.joined(separator: "*")
            if !denominator.isEmpty { text += "/" + denominator.joined(separator: "/") }
            if negative { text = "-" + text }
            return context > 1 ? "(\(text))" : text
        case .power(let base, let exponent):
            let text = base.rendered(context: 4) + "**" + exponent.rendered(context: 4)
            return context > 3 ? "(\(text))" : text
        case .call(let f, let args):
            return f.rawValue + "(" + args.map { $0.rendered(context: 0) }.joined(separator: ", ") + ")"
        }
    }
}

extension Interval: CustomStringConvertible {
    var description: String {
        (lowerClosed ? "[" : "(") + "\(lower), \(upper)" + (upperClosed ? "]" : ")")
    }
}

extension MathValue: CustomStringConvertible {
    var description: String {
        func join(_ items: [MathValue]) -> String { items.map(\.description).joined(separator: ", ") }
        switch self {
        case .scalar(let e): return e.description
        case .quantity(let e, let unit): return unit == .percent ? "\(e)%" : "\(e)°"
        case .measure(let e, let unit): return "\(e) \(unit.symbol)"
        case .tuple(let items): return "(\(join(items)))"
        case .list(let items): return "[\(join(items))]"
        case .set(let items): return "{\(join(items))}"
        case .interval(let i): return i.description
        case .union(let parts): return parts.map(\.description).joined(separator: " U ")
        case .matrix(let rows): return "[" + rows.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        case .equation(let l, let r): return "\(l) = \(r)"
        case .solutions(let items): return items.map(\.description).joined(separator: " or ")
        case .assignments(let items): return items.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
        case .inequality(let e, let strict): return "\(e) \(strict ? ">" : ">=") 0"
        }
    }
}
