// Decides whether two values are the same: exactly, to the written precision, structurally, or symbolically.
import BigInt
import ComplexModule

/// The outcome of comparing two values, with the rule that decided it.
struct Judgement: Hashable, Sendable {
    var equal: Bool
    var rule: String
}

enum Equivalence {
    /// Relative agreement for an exact value against a float: what double arithmetic keeps.
    static let floatTolerance = 1e-9
    /// A printed float coarser than the expected value is accepted only from this many significant
    /// digits on: `0.333` confirms 1/3, `0.33` could as well be a different computation.
    static let minimumPrintedDigits = 3

    // MARK: Whole values

    static func compare(_ expected: MathValue, _ printed: MathValue) -> Judgement {
        switch (expected, printed) {
        case (.scalar(let x), .scalar(let y)):
            return scalars(x, y)
        case (.measure(let x, let unit), _):
            return Quantities.compare(x, unit, printed)
        case (.assignments(let xs), _):
            // Before a printed quantity is read as unitless: `F = 5\,\mathrm{N}` names a quantity.
            return assignments(xs, printed)
        case (_, .measure(let y, let unit)):
            return Quantities.compareUnitless(expected, y, unit)
        case (.quantity(let x, let unit), _):
            return quantity(x, unit, printed)
        case (.scalar(let x), .quantity(let y, .percent)):
            // `0.25` written, `25%` printed.
            return best([scalars(x, y), scalars(x, .quotient(y, .integer(100))), ])
        case (.scalar, .quantity(let y, .degree)):
            return compare(expected, .scalar(y))
        case (.equation(let l, let r), _):
            return equation(l, r, printed)
        case (.interval, .interval), (.interval, .union), (.union, .interval), (.union, .union):
            return realSets(expected, printed)
        case (.inequality(let a, let strict), .inequality(let b, let printedStrict)):
            guard strict == printedStrict else { return Judgement(equal: false, rule: "strict against non-strict inequality") }
            return Symbolic.proportional(a, b, positive: true)
        case (_, .assignments(let ys)) where ys.count == 1:
            return compare(expected, ys[0].value)
        case (.tuple(let xs), .assignments(let ys)), (.list(let xs), .assignments(let ys)):
            // `{x: 2, y: -1}` printed for the point (2, -1): in order.
            return ordered(xs, ys.map(\.value))
        case (_, .equation(let l, let r)):
            // `Eq(x, 5)` printed: the value is the side that is not the unknown.
            if case .variable = l { return compare(expected, .scalar(r)) }
            if case .variable = r { return compare(expected, .scalar(l)) }
            return Judgement(equal: false, rule: "printed an equation, expected a value")
        case (.interval(let a), _):
            return interval(a, printed)
        case (.matrix(let a), _):
            return matrix(a, printed)
        case (_, .matrix(let b)) where b.count == 1 || b.allSatisfy({ $0.count == 1 }):
            // A sympy column or row vector against a tuple or list.
            return compare(expected, .tuple(b.flatMap { $0 }.map { .scalar($0) }))
        case (.scalar, .list(let ys)) where ys.count == 1, (.scalar, .set(let ys)) where ys.count == 1,
             (.scalar, .tuple(let ys)) where ys.count == 1, (.scalar, .solutions(let ys)) where ys.count == 1:
            let inner = compare(expected, ys[0])
            return Judgement(equal: inner.equal, rule: inner.rule + " (the one element printed)")
        case (.tuple(let xs), .tuple(let ys)), (.tuple(let xs), .list(let ys)), (.list(let xs), .tuple(let ys)),
             (.tuple(let xs), .solutions(let ys)):
            return ordered(xs, ys)
        case (.list(let xs), .list(let ys)):
            let inOrder = ordered(xs, ys)
            return inOrder.equal ? inOrder : unordered(xs, ys, what: "elements")
        case (.set(let xs), .set(let ys)), (.set(let xs), .list(let ys)), (.set(let xs), .tuple(let ys)),
             (.set(let xs), .solutions(let ys)), (.solutions(let xs), .set(let ys)), (.solutions(let xs), .list(let ys)),
             (.solutions(let xs), .tuple(let ys)), (.solutions(let xs), .solutions(let ys)), (.list(let xs), .set(let ys)),
             (.list(let xs), .solutions(let ys)):
            return unordered(xs, ys.map(unwrapSingleAssignment), what: "solutions")
        case (.solutions(let xs), .assignments(let ys)):
            // `x_1 = 2, x_2 = 3` written, `x1 = 3`, `x2 = 2` printed: numbered roots are interchangeable labels.
            return unordered(xs, ys.map(\.value), what: "solutions")
        case (.tuple(let xs), .interval(let b)) where xs.count == 2:
            return interval(Interval(lower: scalarOf(xs[0]), upper: scalarOf(xs[1]), lowerClosed: false, upperClosed: false), .interval(b))
        case (.list(let xs), .interval(let b)) where xs.count == 2:
            return interval(Interval(lower: scalarOf(xs[0]), upper: scalarOf(xs[1]), lowerClosed: true, upperClosed: true), .interval(b))
        default:
            return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected \(shapeName(expected))")
        }
    }

    private static func scalarOf(_ v: MathValue) -> Expr {
        if case .scalar(let e) = v { return e }
        return .variable("?")
    }

    /// sympy's `solve(..., dict=True)` prints `[{x: 2}, {x: 3}]`: each dict holds one solution.
    private static func unwrapSingleAssignment(_ v: MathValue) -> MathValue {
        if case .assignments(let a) = v, a.count == 1 { return a[0].value }
        return v
    }

    static func shapeName(_ v: MathValue) -> String {
        switch v {
        case .scalar(let e): return e.variables.isEmpty ? "a number" : "an expression"
        case .quantity(_, let unit): return unit == .percent ? "a percentage" : "an angle"
        case .measure(_, let unit): return "a quantity in \(unit.symbol)"
        case .tuple(let xs): return "a tuple of \(xs.count)"
        case .list(let xs): return "a list of \(xs.count)"
        case .set(let xs): return "a set of \(xs.count)"
        case .interval: return "an interval"
        case .union: return "a union of intervals"
        case .matrix(let rows): return "a \(rows.count)x\(rows.first?.count ?? 0) matrix"
        case .equation: return "an equation"
        case .solutions(let xs): return "\(xs.count) solutions"
        case .assignments(let xs): return "\(xs.count) named values"
        case .inequality: return "an inequality"
        }
    }

    /// The first judgement that holds, else the first one.
    static func best(_ judgements: [Judgement]) -> Judgement {
        judgements.first(where: \.equal) ?? judgements[0]
    }

    private static func quantity(_ x: Expr, _ unit: QuantityUnit, _ printed: MathValue) -> Judgement {
        var y: Expr
        switch printed {
        case .scalar(let e): y = e
        case .quantity(let e, let u) where u == unit: return scalars(x, e)
        case .list(let items) where items.count == 1, .tuple(let items) where items.count == 1:
            return quantity(x, unit, items[0])
        case .assignments(let items) where items.count == 1:
            return quantity(x, unit, items[0].value)
        default: return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected \(unit == .percent ? "a percentage" : "an angle")")
        }
        let direct = scalars(x, y)
        if direct.equal { return direct }
        if unit == .percent {
            let fraction = scalars(scaled(x, by: BigRational(1, 100)), y)
            return fraction.equal ? Judgement(equal: true, rule: fraction.rule + " (as a fraction of 1)") : direct
        }
        y = .product([y, .integer(180), .power(.constant(.pi), .minusOne)])
        let radians = scalars(x, y)
        return radians.equal ? Judgement(equal: true, rule: radians.rule + " (printed in radians)") : direct
    }

    /// `x` times a rational factor, keeping a written precision in step (25.5% -> 0.255 at 3 decimals).
    static func scaled(_ x: Expr, by factor: BigRational) -> Expr {
        if case .number(let n) = x {
            var m = Number(value: n.value * factor, precision: n.precision)
            if let p = n.precision {
                let shift = Precision.leadingPlace(of: n.value) - Precision.leadingPlace(of: m.value)
                m.precision = Precision(fractionDigits: p.decimals + shift, exponent: 0, value: m.value)
            }
            return .number(m)
        }
        return .product([x, .number(.exact(factor))])
    }

    // MARK: Collections

    private static func ordered(_ xs: [MathValue], _ ys: [MathValue]) -> Judgement {
        guard xs.count == ys.count else {
            return Judgement(equal: false, rule: "printed \(ys.count) elements, expected \(xs.count)")
        }
        for (k, (x, y)) in zip(xs, ys).enumerated() {
            let j = compare(x, y)
            if !j.equal { return Judgement(equal: false, rule: "element \(k + 1) differs: \(j.rule)") }
        }
        return Judgement(equal: true, rule: "elementwise, in order")
    }

    /// Multiset matching: every expected element pairs with a distinct printed one.
    private static func unordered(_ xs: [MathValue], _ ys: [MathValue], what: String) -> Judgement {
        guard xs.count == ys.count else {
            let missing = ys.count < xs.count ? "missing" : "extra"
            return Judgement(equal: false, rule: "printed \(ys.count) \(what), expected \(xs.count) (\(missing))")
        }
        var used = [Bool](repeating: false, count: ys.count)
        // Plain exact numbers pair by hashing first, so that a long list of numbers matches in
        // linear time; only what remains is searched pairwise.
        var byValue: [BigRational: [Int]] = [:]
        for (k, y) in ys.enumerated() {
            if let v = plainExact(y) { byValue[v, default: []].append(k) }
        }
        var remaining: [MathValue] = []
        for x in xs {
            if let v = plainExact(x), var slots = byValue[v], let k = slots.popLast() {
                byValue[v] = slots
                used[k] = true
            } else {
                remaining.append(x)
            }
        }
        for x in remaining {
            var found = false
            for (k, y) in ys.enumerated() where !used[k] && compare(x, y).equal {
                used[k] = true
                found = true
                break
            }
            if !found { return Judgement(equal: false, rule: "no printed match for \(x)") }
        }
        return Judgement(equal: true, rule: "same \(what), in any order")
    }

    /// The exact value of a scalar that `scalars` would compare exactly (no written decimal at its top).
    private static func plainExact(_ v: MathValue) -> BigRational? {
        guard case .scalar(let e) = v, writtenPrecision(e) == nil, !e.containsInfinity else { return nil }
        return Evaluation.exact(e)
    }

    private static func assignments(_ xs: [Assignment], _ printed: MathValue) -> Judgement {
        if xs.count == 1 {
            let x = xs[0]
            if case .assignments(let ys) = printed, let y = ys.first(where: { $0.key == x.key }) {
                return compare(x.value, y.value)
            }
            if case .equation(.variable(let name), let r) = printed, name == x.name {
                return compare(x.value, .scalar(r))
            }
            if case .scalar(let v) = x.value, !v.variables.isEmpty {
                // `y = -\frac12 x + \frac34` is a line: printed as `Eq(2*x + 4*y, 3)`, or as
                // `2*x + 4*y - 3`, an expression in y itself that cannot be y's value.
                switch printed {
                case .equation: return equation(.variable(x.name), v, printed)
                case .scalar(let e) where e.variables.contains(x.name): return equation(.variable(x.name), v, printed)
                default: break
                }
            }
            return compare(x.value, printed)
        }
        switch printed {
        case .assignments(let ys):
            let names = Set(xs.map(\.key))
            if names == Set(ys.map(\.key)) {
                for x in xs {
                    let j = compare(x.value, ys.first { $0.key == x.key }!.value)
                    if !j.equal { return Judgement(equal: false, rule: "\(x.name) differs: \(j.rule)") }
                }
                return Judgement(equal: true, rule: "same named values")
            }
            return ordered(xs.map(\.value), ys.map(\.value))
        case .tuple(let ys), .list(let ys), .solutions(let ys):
            // `[(1, -2)]`, `[{x: 1, y: -2}]`: sympy's list of the one solution.
            if ys.count == 1 { return assignments(xs, ys[0]) }
            return ordered(xs.map(\.value), ys)
        default:
            return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected \(xs.count) named values")
        }
    }

    private static func interval(_ a: Interval, _ printed: MathValue) -> Judgement {
        let b: Interval
        switch printed {
        case .interval(let i): b = i
        case .tuple(let ys) where ys.count == 2:
            b = Interval(lower: scalarOf(ys[0]), upper: scalarOf(ys[1]), lowerClosed: false, upperClosed: false)
        case .list(let ys) where ys.count == 2:
            b = Interval(lower: scalarOf(ys[0]), upper: scalarOf(ys[1]), lowerClosed: true, upperClosed: true)
        case .assignments(let ys) where ys.count == 1:
            return interval(a, ys[0].value)
        case .union(let parts) where parts.count == 1:
            b = parts[0]
        default:
            return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected an interval")
        }
        let lower = scalars(a.lower, b.lower)
        let upper = scalars(a.upper, b.upper)
        guard lower.equal, upper.equal else { return Judgement(equal: false, rule: "interval ends differ") }
        // An infinite end is open whatever was written.
        let lowerInfinite = Evaluation.infinitySign(a.lower) != nil
        let upperInfinite = Evaluation.infinitySign(a.upper) != nil
        guard lowerInfinite || a.lowerClosed == b.lowerClosed, upperInfinite || a.upperClosed == b.upperClosed else {
            return Judgement(equal: false, rule: "same ends, different closedness")
        }
        return Judgement(equal: true, rule: "same interval ends and closedness")
    }

    /// Intervals and unions as sets of reals: `(0, 9) \cup (9, 36)` is `(0, 36)` without 9, however written.
    private static func realSets(_ expected: MathValue, _ printed: MathValue) -> Judgement {
        func pieces(_ v: MathValue) -> [Interval] {
            switch v {
            case .interval(let i): return [i]
            case .union(let parts): return parts
            default: return []
            }
        }
        let a = RealSet(pieces(expected))?.pieces ?? pieces(expected)
        let b = RealSet(pieces(printed))?.pieces ?? pieces(printed)
        guard a.count == b.count else {
            return Judgement(equal: false, rule: "printed \(b.count) disjoint intervals, expected \(a.count)")
        }
        if a.count == 1 { return interval(a[0], .interval(b[0])) }
        for (k, (x, y)) in zip(a, b).enumerated() {
            let j = interval(x, .interval(y))
            if !j.equal { return Judgement(equal: false, rule: "interval \(k + 1) differs: \(j.rule)") }
        }
        return Judgement(equal: true, rule: "same set of reals: every interval's ends and closedness")
    }

    private static func matrix(_ a: [[Expr]], _ printed: MathValue) -> Judgement {
        var b: [[Expr]]
        switch printed {
        case .matrix(let rows): b = rows
        case .assignments(let named) where a.count == 1 || a.allSatisfy({ $0.count == 1 }):
            // `x = 2, y = -1, z = 3` printed for the solution vector of a linear system.
            return ordered(a.flatMap { $0 }.map { .scalar($0) }, named.map(\.value))
        case .list(let items), .tuple(let items):
            // A vector printed flat against a written column or row.
            guard a.count == 1 || a.allSatisfy({ $0.count == 1 }) else {
                return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected a matrix")
            }
            return ordered(a.flatMap { $0 }.map { .scalar($0) }, items)
        default:
            return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected a matrix")
        }
        if a.count != b.count || a.first?.count != b.first?.count {
            // A column written as a row or the reverse is still the same vector.
            if a.flatMap({ $0 }).count == b.flatMap({ $0 }).count && (a.count == 1 || a[0].count == 1) && (b.count == 1 || b[0].count == 1) {
                b = a.count == 1 ? [b.flatMap { $0 }] : b.flatMap { $0 }.map { [$0] }
            } else {
                return Judgement(equal: false, rule: "printed a \(b.count)x\(b.first?.count ?? 0) matrix, expected \(a.count)x\(a.first?.count ?? 0)")
            }
        }
        for (i, (ra, rb)) in zip(a, b).enumerated() {
            for (j, (x, y)) in zip(ra, rb).enumerated() {
                let e = scalars(x, y)
                if !e.equal { return Judgement(equal: false, rule: "entry (\(i + 1), \(j + 1)) differs: \(e.rule)") }
            }
        }
        return Judgement(equal: true, rule: "matrices equal entry by entry")
    }

    private static func equation(_ l: Expr, _ r: Expr, _ printed: MathValue) -> Judgement {
        let expectedZero = Expr.sum([l, .negated(r)])
        switch printed {
        case .equation(let pl, let pr):
            let sides = Symbolic.compare(l, pl)
            if sides.equal, scalars(r, pr).equal { return Judgement(equal: true, rule: "same equation, side by side") }
            return Symbolic.proportional(expectedZero, .sum([pl, .negated(pr)]))
        case .scalar(let e):
            // `x**2 + y**2 - 25` printed for `x^2 + y^2 = 25`.
            return Symbolic.proportional(expectedZero, e)
        case .assignments(let ys) where ys.count == 1:
            // `y = -x/2 + 3/4` printed for `2x + 4y - 3 = 0`.
            if case .scalar(let v) = ys[0].value { return equation(l, r, .equation(.variable(ys[0].name), v)) }
        default:
            break
        }
        return Judgement(equal: false, rule: "printed \(shapeName(printed)), expected an equation")
    }

    // MARK: Scalars

    static func scalars(_ x: Expr, _ y: Expr) -> Judgement {
        if !x.variables.isEmpty || !y.variables.isEmpty {
            return Symbolic.compare(x, y)
        }
        if x.containsInfinity || y.containsInfinity {
            let sx = Evaluation.infinitySign(x)
            let sy = Evaluation.infinitySign(y)
            let equal = sx != nil && sx == sy
            return Judgement(equal: equal, rule: equal ? "both infinite, same sign" : "infinite against finite or opposite sign")
        }
        let writtenX = writtenPrecision(x)
        let writtenY = writtenPrecision(y)
        let exactX = Evaluation.exact(x)
        let exactY = Evaluation.exact(y)
        if let ex = exactX, let ey = exactY, writtenX == nil && writtenY == nil || ex == ey {
            return Judgement(equal: ex == ey, rule: ex == ey ? "exact rational" : "exact rationals differ")
        }
        if let (reference, precision) = writtenX {
            return written(reference: reference, precision: precision, candidate: y, candidateExact: exactY, candidatePrecision: writtenY?.1)
        }
        return exactAgainstFloat(x, exactX: exactX, y, exactY: exactY, printedPrecision: writtenY?.1)
    }

    /// A decimal written at the top of the expression (`3.14`, `-6.02 \times 10^{22}`), with its precision.
    static func writtenPrecision(_ e: Expr) -> (BigRational, Precision)? {
        if case .number(let n) = e, let p = n.precision { return (n.value, p) }
        return nil
    }

    /// `3.14` accepts what rounds or truncates to 3.14; a printed float with fewer digits is checked the other way.
    private static func written(reference: BigRational, precision: Precision, candidate: Expr, candidateExact: BigRational?, candidatePrecision: Precision?) -> Judgement {
        let text = precision.render(reference)
        let kind: Agreement.Kind?
        if let c = candidateExact {
            kind = Agreement.agrees(reference: reference, candidate: c, decimals: precision.decimals, truncation: precision.allowsTruncation)
        } else {
            let v = Evaluation.numeric(candidate)
            guard abs(v.imaginary) <= 1e-12 * max(1, abs(v.real)) else {
                return Judgement(equal: false, rule: "printed a complex value, expected \(text)")
            }
            kind = Agreement.agrees(reference: reference.doubleValue, candidate: v.real, decimals: precision.decimals, truncation: precision.allowsTruncation)
        }
        let places = placesDescription(precision)
        if let kind {
            return Judgement(equal: true, rule: "\(kind == .rounds ? "rounds" : "truncates") to \(text) (\(places))")
        }
        if let cp = candidatePrecision, cp.decimals < precision.decimals, cp.significantDigits >= minimumPrintedDigits, let c = candidateExact,
           let back = Agreement.agrees(reference: c, candidate: reference, decimals: cp.decimals) {
            return Judgement(equal: true, rule: "\(text) \(back == .rounds ? "rounds" : "truncates") to the printed \(cp.render(c)) (\(placesDescription(cp)))")
        }
        return Judgement(equal: false, rule: "neither rounds nor truncates to \(text) (\(places))")
    }

    private static func placesDescription(_ p: Precision) -> String {
        if p.decimals >= 0 && p.decimals <= 30 && p.significantDigits <= 30 {
            return p.decimals == 1 ? "1 decimal" : "\(p.decimals) decimals"
        }
        return "\(p.significantDigits) significant digits"
    }

    /// An exact value (`\frac{1}{3}`, `\sqrt{2}`, `\pi`) against a printed float.
    ///
    /// Accepted when they agree to 1e-9 relative (what a double keeps through a computation), or when
    /// the printed float shows at least three significant digits and is the exact value rounded or
    /// truncated to the digits it shows (`0.333` for 1/3, `3.14` for pi).
    private static func exactAgainstFloat(_ x: Expr, exactX: BigRational?, _ y: Expr, exactY: BigRational?, printedPrecision: Precision?) -> Judgement {
        let vx = Evaluation.numeric(x)
        let vy = Evaluation.numeric(y)
        guard vx.isFinite, vy.isFinite else {
            return Judgement(equal: false, rule: "not a finite number")
        }
        let scale = max(vx.length, vy.length)
        let distance = (vx - vy).length
        if distance <= floatTolerance * scale || (scale < 1e-300) || (exactX?.isZero == true && distance <= 1e-12) {
            return Judgement(equal: true, rule: "agrees to 1e-9 relative")
        }
        if let p = printedPrecision, p.significantDigits >= minimumPrintedDigits, abs(vx.imaginary) <= 1e-12 * scale, abs(vy.imaginary) <= 1e-12 * scale {
            let kind: Agreement.Kind?
            if let ex = exactX, let ey = exactY {
                kind = Agreement.agrees(reference: ey, candidate: ex, decimals: p.decimals)
            } else {
                kind = Agreement.agrees(reference: vy.real, candidate: vx.real, decimals: p.decimals)
            }
            if let kind {
                return Judgement(equal: true, rule: "the exact value \(kind == .rounds ? "rounds" : "truncates") to the printed \(p.render(exactY ?? BigRational(0))) (\(placesDescription(p)))")
            }
        }
        return Judgement(equal: false, rule: "differs beyond 1e-9 relative")
    }
}
