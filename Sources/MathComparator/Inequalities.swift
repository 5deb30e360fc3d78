// Relations in one variable read as sets of reals: bounds, linear inequalities, `\neq`; in several, a relation.
import BigInt

extension ClauseReader {
    /// `x > 3`, `-2 < x \le 3`, `3 < x`, `-x > -1`: an interval of the one variable; `x < y` a relation.
    static func interpretInequality(_ clause: Clause, dialect: Dialect) -> ClauseResult {
        if let bounded = boundedVariable(clause, dialect: dialect) { return bounded }
        guard clause.sides.count == 2, let relation = clause.relations.first,
              case .success(let left) = parseSide(clause.sides[0], dialect: dialect, name: nil), left.count == 1,
              case .scalar(let a) = left[0].value,
              case .success(let right) = parseSide(clause.sides[1], dialect: dialect, name: nil), right.count == 1,
              case .scalar(let b) = right[0].value
        else {
            return .failure("an inequality, not a value")
        }
        let greaterFirst = relation == .greater || relation == .greaterEqual
        let strict = relation == .less || relation == .greater
        // The relation as `difference > 0` (or `>= 0`).
        let difference = greaterFirst ? Expr.sum([a, .negated(b)]) : Expr.sum([b, .negated(a)])
        let variables = difference.variables
        if variables.count > 1 { return .success([(nil, .inequality(difference, strict: strict))]) }
        guard variables.count == 1, let (root, increasing) = linearRoot(difference, in: variables[0]) else {
            return .failure("an inequality this reader does not solve")
        }
        let infinity = Expr.constant(.infinity)
        let interval = increasing
            ? Interval(lower: root, upper: infinity, lowerClosed: !strict, upperClosed: false)
            : Interval(lower: .negated(infinity), upper: root, lowerClosed: false, upperClosed: !strict)
        return .success([(variables[0], .interval(interval))])
    }

    /// Where a linear `f` of one variable vanishes, and whether it grows; nil when `f` is not linear.
    private static func linearRoot(_ f: Expr, in variable: String) -> (Expr, Bool)? {
        func at(_ t: Int) -> Expr { Symbolic.substitute(f, variable, with: .integer(t)) }
        let (f0, f1) = (at(0), at(1))
        if let e0 = Evaluation.exact(f0), let e1 = Evaluation.exact(f1), let e2 = Evaluation.exact(at(2)), let e5 = Evaluation.exact(at(-5)) {
            let slope = e1 - e0
            guard !slope.isZero, e2 == e0 + slope + slope, e5 == e0 - slope * BigRational(5), let root = (-e0).divided(by: slope) else { return nil }
            return (.number(.exact(root)), !slope.isNegative)
        }
        // Irrational coefficients (`\sqrt{2} x < 1`): linear to double precision, the root kept exact.
        let (v0, v1) = (Evaluation.numeric(f0), Evaluation.numeric(f1))
        let slope = v1 - v0
        let (v2, v5) = (Evaluation.numeric(at(2)), Evaluation.numeric(at(-5)))
        let scale = max(1, v0.length, v1.length)
        guard slope.isFinite, slope.length > 1e-12 * scale, abs(slope.imaginary) <= 1e-12 * scale,
              (v2 - v0 - slope * ComplexValue(2)).length <= 1e-9 * scale, (v5 - v0 + slope * ComplexValue(5)).length <= 1e-9 * scale else { return nil }
        return (.quotient(.negated(f0), .sum([f1, .negated(f0)])), slope.real > 0)
    }

    /// A lone variable between bounds without variables: `-2 < x \le 3`.
    private static func boundedVariable(_ clause: Clause, dialect: Dialect) -> ClauseResult? {
        guard let variableIndex = clause.sides.firstIndex(where: { nameOf($0) != nil }) else { return nil }
        var bounds: [Int: Expr] = [:]
        for (k, side) in clause.sides.enumerated() where k != variableIndex {
            guard case .success(let items) = parseSide(side, dialect: dialect, name: nil), items.count == 1,
                  case .scalar(let e) = items[0].value, e.variables.isEmpty else {
                return nil
            }
            bounds[k] = e
        }
        var lower: (Expr, Bool) = (.negated(.constant(.infinity)), false)
        var upper: (Expr, Bool) = (.constant(.infinity), false)
        for (k, relation) in clause.relations.enumerated() {
            // relation k sits between side k and side k+1.
            let leftIsVariable = k == variableIndex
            let rightIsVariable = k + 1 == variableIndex
            guard leftIsVariable || rightIsVariable, let bound = bounds[leftIsVariable ? k + 1 : k] else {
                return .failure("an inequality, not a value")
            }
            let closed = relation == .lessEqual || relation == .greaterEqual
            let variableIsSmaller = (relation == .less || relation == .lessEqual) == leftIsVariable
            if variableIsSmaller { upper = (bound, closed) } else { lower = (bound, closed) }
        }
        let interval = Interval(lower: lower.0, upper: upper.0, lowerClosed: lower.1, upperClosed: upper.1)
        return .success([(nameOf(clause.sides[variableIndex]), .interval(interval))])
    }

    /// `x \neq 9`: the variable and the point it excludes.
    static func exclusion(_ clause: Clause, dialect: Dialect) -> (name: String, point: Expr)? {
        guard clause.sides.count == 2, case .other(let symbol) = clause.relations[0], ["neq", "ne", "≠"].contains(symbol) else { return nil }
        for (k, side) in clause.sides.enumerated() {
            guard let name = nameOf(side), case .success(let items) = parseSide(clause.sides[1 - k], dialect: dialect, name: nil),
                  items.count == 1, case .scalar(let point) = items[0].value, point.variables.isEmpty else { continue }
            return (name, point)
        }
        return nil
    }
}
