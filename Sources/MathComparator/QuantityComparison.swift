// Compares a quantity with a unit against what was printed: a bare number in the result's unit, or a unit converted through SI.

enum Quantities {
    /// The expected `x` in `unit` against a printed value.
    ///
    /// A bare printed number is read in the result's unit (`500\,\mathrm{m}` against `500`); a printed
    /// unit of the same dimension is converted exactly (`0.5 km`), and the result's written precision
    /// then decides as for any number. Another dimension is different. Temperatures on different
    /// scales (°C, °F, K) are different too: they are never converted, since the same text may be
    /// a temperature (with an offset) or a difference of temperatures (without one).
    static func compare(_ x: Expr, _ unit: PhysicalUnit, _ printed: MathValue) -> Judgement {
        if unit == degree {
            // A degree of angle keeps the rules of `30^\circ`: the bare number, or its value in radians.
            return Equivalence.compare(.quantity(x, .degree), printed)
        }
        switch printed {
        case .scalar(let y):
            let j = Equivalence.scalars(x, y)
            return Judgement(equal: j.equal, rule: j.rule + " (a bare number, read in \(unit.symbol))")
        case .measure(let y, let printedUnit):
            return converted(x, unit, y, printedUnit)
        case .quantity(let y, .degree):
            return converted(x, unit, y, degree)
        case .list(let items) where items.count == 1, .tuple(let items) where items.count == 1:
            return compare(x, unit, items[0])
        case .assignments(let items) where items.count == 1:
            return compare(x, unit, items[0].value)
        default:
            return Judgement(equal: false, rule: "printed \(Equivalence.shapeName(printed)), expected a quantity in \(unit.symbol)")
        }
    }

    /// A printed quantity against an expected value without a unit: the number as printed, as before
    /// units were read; an angle printed in another angle unit is converted to the expected degrees.
    static func compareUnitless(_ expected: MathValue, _ y: Expr, _ unit: PhysicalUnit) -> Judgement {
        if case .quantity(let x, .degree) = expected, unit.dimension == degree.dimension {
            return converted(x, degree, y, unit)
        }
        return Equivalence.compare(expected, .scalar(y))
    }

    private static let degree = UnitTable.plain["deg"]!

    private static func converted(_ x: Expr, _ unit: PhysicalUnit, _ y: Expr, _ printedUnit: PhysicalUnit) -> Judgement {
        if let scale = unit.scale, scale != .kelvin, printedUnit.symbol == String(scale.rawValue.dropFirst()) {
            // `25 C` printed for 25 °C: a bare C or F after a temperature is the scale, not coulombs or farads.
            return Equivalence.scalars(x, y)
        }
        if let a = unit.scale, let b = printedUnit.scale, a != b {
            return Judgement(equal: false, rule: "temperatures on different scales (\(b.rawValue) printed, \(a.rawValue) expected) are not converted")
        }
        guard unit.dimension == printedUnit.dimension else {
            return Judgement(equal: false, rule: "different dimensions: \(printedUnit.symbol) printed, \(unit.symbol) expected")
        }
        guard let ratio = printedUnit.factor.divided(by: unit.factor), let inverse = unit.factor.divided(by: printedUnit.factor) else {
            return Judgement(equal: false, rule: "unit \(unit.symbol) has no size")
        }
        let piPower = printedUnit.piPower - unit.piPower
        if printedUnit.symbol == unit.symbol { return Equivalence.scalars(x, y) }
        // The side whose digits decide stays as written: a written decimal result takes the printed
        // value into its unit; an exact one goes into the printed unit, where the printed digits are
        // judged (`60 km/h` against a printed `16.67 m/s`).
        if Equivalence.writtenPrecision(x) != nil {
            let j = Equivalence.scalars(x, times(Equivalence.scaled(y, by: ratio), piPower: piPower))
            return Judgement(equal: j.equal, rule: j.rule + " (\(printedUnit.symbol) converted to \(unit.symbol))")
        }
        let j = Equivalence.scalars(times(Equivalence.scaled(x, by: inverse), piPower: -piPower), y)
        return Judgement(equal: j.equal, rule: j.rule + " (\(unit.symbol) converted to \(printedUnit.symbol))")
    }

    private static func times(_ e: Expr, piPower: Int) -> Expr {
        piPower == 0 ? e : .product([e, .power(.constant(.pi), .integer(piPower))])
    }
}
