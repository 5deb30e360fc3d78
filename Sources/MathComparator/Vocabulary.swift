// The names each dialect knows: functions, constants, units, connectives and Python constructors.

extension Function {
    /// What `f^{-1}` means for a trigonometric function.
    var inverse: Function? {
        switch self {
        case .sin: return .asin
        case .cos: return .acos
        case .tan: return .atan
        case .cot: return .acot
        default: return nil
        }
    }
}

enum LaTeXWords {
    /// LaTeX commands and bare words that apply a function (`\sin`, `sin`).
    static let functions: [String: Function] = [
        "sin": .sin, "cos": .cos, "tan": .tan, "cot": .cot, "sec": .sec, "csc": .csc, "cosec": .csc,
        "arcsin": .asin, "arccos": .acos, "arctan": .atan, "arccot": .acot,
        "sinh": .sinh, "cosh": .cosh, "tanh": .tanh,
        "exp": .exp, "ln": .ln, "log": .log,
    ]

    static let constants: [String: Constant] = [
        "pi": .pi, "infty": .infinity, "infin": .infinity, "imath": .i,
    ]

    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]

    /// A letter run that stays one token: a function, a unit, a connective or prose.
    static func isWord(_ run: String) -> Bool {
        functions[run] != nil || connectives.contains(run) || Units.names.contains(run) || isProse(run)
            || constants[run] != nil || greek.contains(run)
    }

    /// Two-letter English words that start or glue sentences (`So, Anna pays …`); not `in`, `an`
    /// or `it`, which are as often a unit or a product.
    static let shortWords: Set<String> = [
        "No", "no", "is", "Is", "if", "If", "of", "Of", "at", "At", "to", "To", "by", "By", "so", "So", "we", "We",
        "It", "In", "As", "An", "On",
    ]

    /// Words that join alternatives or clauses rather than multiply.
    static let connectives: Set<String> = ["or", "and", "OR", "AND", "Or", "And"]

    /// Words that are sentences, not products of single-letter variables.
    ///
    /// A run of three or more letters with a vowel, that is no function, unit or known name,
    /// reads as English: `abc` as a product is rarer in a result than `Yes`, `undefined` or `even`.
    static func isProse(_ word: String) -> Bool {
        if word.count < 3 { return shortWords.contains(word) }
        if Units.names.contains(word) { return false }
        return word.contains { "aeiouAEIOU".contains($0) } || word.count > 4
    }
}

/// Words dropped after a number when no unit of `UnitTable` is read there (count nouns, currency,
/// `units`): they change nothing in the comparison.
enum Units {
    static let names: Set<String> = [
        "cm", "mm", "km", "nm", "um", "dm", "kg", "mg", "lb", "lbs", "oz", "ft", "yd", "mi", "in", "inch", "inches",
        "feet", "foot", "yard", "yards", "mile", "miles", "meter", "meters", "metre", "metres", "centimeters",
        "millimeters", "kilometers", "gram", "grams", "kilograms", "liter", "liters", "litre", "litres", "ml", "mL",
        "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours",
        "day", "days", "week", "weeks", "month", "months", "year", "years", "mph", "kph", "kmh", "rpm", "Hz", "kHz",
        "MHz", "GHz", "kW", "MW", "kJ", "kWh", "cal", "kcal", "mol", "atm", "Pa", "kPa", "psi", "dB", "eV",
        "units", "unit", "sq", "square", "cubic", "dollars", "dollar", "cents", "cent", "USD", "EUR", "euros",
        "euro", "pounds", "pound", "deg", "degrees", "degree", "rad", "radians", "radian", "percent", "pct", "people",
        "students", "items", "ways", "times", "apples", "boxes", "books", "cars", "trees", "pages", "points",
        "marbles", "balls", "cookies", "candies", "tickets", "votes", "bags", "customers", "workers", "men",
        "women", "children", "persons", "m", "g", "s", "h", "L", "l", "K", "J", "N", "W", "V", "A", "C", "F",
    ]

    /// Single-letter units are read as units only when a space separates them from the number.
    static func isUnit(_ word: String, spaced: Bool) -> Bool {
        guard names.contains(word) else { return false }
        return word.count > 1 || spaced
    }
}

enum PythonNames {
    static let constants: [String: Constant] = [
        "pi": .pi, "E": .e, "I": .i, "oo": .infinity, "zoo": .infinity, "inf": .infinity, "Infinity": .infinity,
        "math.pi": .pi, "np.pi": .pi, "math.e": .e, "np.e": .e, "math.inf": .infinity, "np.inf": .infinity, "S.Infinity": .infinity,
    ]

    static let functions: [String: Function] = [
        "sqrt": .sqrt, "log": .log, "ln": .ln, "exp": .exp, "sin": .sin, "cos": .cos, "tan": .tan, "cot": .cot,
        "sec": .sec, "csc": .csc, "asin": .asin, "acos": .acos, "atan": .atan, "acot": .acot,
        "arcsin": .asin, "arccos": .acos, "arctan": .atan, "sinh": .sinh, "cosh": .cosh, "tanh": .tanh,
        "Abs": .abs, "abs": .abs, "fabs": .abs, "factorial": .factorial, "binomial": .binomial, "comb": .binomial,
        "floor": .floor, "ceiling": .ceiling, "ceil": .ceiling, "gamma": .gamma, "log10": .log, "log2": .log, "Mod": .mod,
    ]

    /// Constructors whose one argument is the value itself.
    static let wrappers: Set<String> = [
        "Integer", "Float", "Decimal", "float", "int", "mpf", "N", "float64", "float32", "int64", "int32", "Poly",
        "nsimplify", "simplify", "round",
    ]

    /// Names that make a collection, so that `Matrix(...)` alone is read as one value.
    static let collectionConstructors: Set<String> = [
        "Matrix", "ImmutableMatrix", "MutableDenseMatrix", "ImmutableDenseMatrix", "array", "Interval", "Interval.open",
        "Interval.Lopen", "Interval.Ropen", "FiniteSet", "Union", "EmptySet", "S.EmptySet", "set", "frozenset", "Eq",
        "Tuple", "dict_values", "dict_keys", "matrix", "Complement",
    ]

    /// Whether a printed identifier reads as a sympy symbol (`x`, `theta`, `x_1`, `a1`) rather than a word (`Done`, `True`).
    static func isVariableName(_ name: String) -> Bool {
        (name.count <= 2 && !LaTeXWords.shortWords.contains(name)) || LaTeXWords.greek.contains(name) || name.contains { $0 == "_" || $0.isNumber }
    }

    /// The value of a call, with any `math.`/`np.`/`sympy.` prefix dropped.
    static func apply(_ qualifiedName: String, _ args: [MathValue]) throws(ParseFailure) -> MathValue {
        let name = unqualified(qualifiedName)
        var scalars: [Expr] = []
        for arg in args {
            if case .scalar(let e) = arg { scalars.append(e) }
        }
        let allScalar = scalars.count == args.count
        if let f = functions[name], allScalar, !scalars.isEmpty {
            if name == "log10" { return .scalar(.call(.log, [scalars[0], .integer(10)])) }
            if name == "log2" { return .scalar(.call(.log, [scalars[0], .integer(2)])) }
            return .scalar(.call(f, scalars))
        }
        if wrappers.contains(name), args.count >= 1 {
            return args[0]
        }
        switch name {
        case "Rational", "Fraction":
            guard allScalar, scalars.count == 2 else { break }
            return .scalar(.quotient(scalars[0], scalars[1]))
        case "Matrix", "ImmutableMatrix", "MutableDenseMatrix", "ImmutableDenseMatrix", "matrix":
            guard args.count == 1 else { break }
            if case .matrix = args[0] { return args[0] }
            if case .list(let items) = args[0] {
                // sympy's Matrix([1, 2]) is a column.
                var column: [[Expr]] = []
                for item in items {
                    guard case .scalar(let e) = item else { throw .unreadable }
                    column.append([e])
                }
                return .matrix(column)
            }
        case "array":
            if let first = args.first { return first }
        case "Interval", "Interval.open", "Interval.Lopen", "Interval.Ropen":
            guard scalars.count >= 2 else { break }
            var lowerOpen = name == "Interval.open" || name == "Interval.Lopen"
            var upperOpen = name == "Interval.open" || name == "Interval.Ropen"
            if name == "Interval" && scalars.count == 4 {
                lowerOpen = scalars[2] == .variable("True")
                upperOpen = scalars[3] == .variable("True")
            }
            // sympy always prints an infinite end open.
            return .interval(Interval(lower: scalars[0], upper: scalars[1],
                                      lowerClosed: !lowerOpen && !scalars[0].containsInfinity,
                                      upperClosed: !upperOpen && !scalars[1].containsInfinity))
        case "FiniteSet", "set", "frozenset", "Tuple", "dict_values", "dict_keys":
            if name == "Tuple" { return .tuple(args) }
            if args.count == 1, name != "FiniteSet" {
                switch args[0] {
                case .set(let items), .list(let items), .tuple(let items): return .set(items)
                default: break
                }
            }
            return .set(args)
        case "EmptySet":
            return .set([])
        case "Union":
            // `Union({-1}, Interval.Ropen(0, 7))`: a point is a closed interval of length zero.
            var parts: [Interval] = []
            for arg in args {
                switch arg {
                case .interval(let i): parts.append(i)
                case .union(let more): parts += more
                case .set(let points): parts += try points.map(Interval.point)
                default: throw .unreadable
                }
            }
            return .union(parts)
        case "Complement":
            // `Complement(Interval(-1, 4), {2})`: what sympy leaves of an interval without points.
            guard args.count == 2, case .set(let points) = args[1] else { break }
            let from: [Interval]
            switch args[0] {
            case .interval(let i): from = [i]
            case .union(let parts): from = parts
            default: throw .unreadable
            }
            var removed: [Expr] = []
            for point in points {
                guard case .scalar(let e) = point else { throw .unreadable }
                removed.append(e)
            }
            guard let set = RealSet(from), let others = RealSet.excluding(removed) else { break }
            return set.intersection(others).value
        case "Eq":
            guard allScalar, scalars.count == 2 else { break }
            return .equation(scalars[0], scalars[1])
        case "Sum", "Product", "Integral":
            // sympy's unevaluated `Sum(k**2, (k, 1, 10))`, `Integral(x, (x, 0, 1))`.
            guard args.count == 2, case .scalar(let body) = args[0], case .tuple(let bounds) = args[1], bounds.count == 3,
                  case .scalar(.variable(let x)) = bounds[0], case .scalar(let a) = bounds[1], case .scalar(let b) = bounds[2] else { break }
            if name == "Integral" { return .scalar(try Operators.definiteIntegral(body, variable: x, from: a, to: b)) }
            return .scalar(try Operators.series(name == "Sum" ? .sum : .product, body, index: x, from: a, to: b))
        case "Derivative":
            guard allScalar, scalars.count == 2, case .variable(let x) = scalars[1] else { break }
            return .scalar(try Operators.derivative(scalars[0], x))
        case "Limit":
            guard allScalar, scalars.count == 3, case .variable(let x) = scalars[1] else { break }
            return .scalar(try Operators.limit(scalars[0], variable: x, to: scalars[2]))
        default:
            break
        }
        throw .unreadable
    }

    static func unqualified(_ name: String) -> String {
        for prefix in ["math.", "np.", "numpy.", "sympy.", "sp.", "cmath.", "fractions.", "decimal.", "mpmath.", "scipy.special."]
        where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }
}
