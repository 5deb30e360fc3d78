// The unit table: SI base and derived units, prefixes and the common non-SI units, each as an exact factor to SI.

/// Exponents of the SI base dimensions, with the plane angle kept apart so that `rad/s` is not `Hz`.
struct Dimension: Hashable, Sendable {
    var length = 0
    var mass = 0
    var time = 0
    var current = 0
    var temperature = 0
    var amount = 0
    var luminosity = 0
    var angle = 0

    static let none = Dimension()

    func combined(with other: Dimension, times k: Int = 1) -> Dimension {
        Dimension(length: length + k * other.length, mass: mass + k * other.mass, time: time + k * other.time,
                  current: current + k * other.current, temperature: temperature + k * other.temperature,
                  amount: amount + k * other.amount, luminosity: luminosity + k * other.luminosity,
                  angle: angle + k * other.angle)
    }
}

/// A temperature read on its own (`25\,^{\circ}\mathrm{C}`, `300 K`): scales with offsets are never converted.
enum TemperatureScale: String, Hashable, Sendable {
    case kelvin = "K", celsius = "°C", fahrenheit = "°F"
}

/// A unit: its SI dimension and the exact factor that takes a value in it to SI (`km`: 1000 m).
///
/// `piPower` keeps the angle units exact: a degree is π/180 rad.
struct PhysicalUnit: Hashable, Sendable {
    var symbol: String
    var dimension: Dimension
    var factor: BigRational
    var piPower: Int = 0
    /// Set only for a lone temperature unit; inside `J/(kg K)` a degree is a difference and converts.
    var scale: TemperatureScale?

    func times(_ other: PhysicalUnit) -> PhysicalUnit {
        PhysicalUnit(symbol: symbol + "*" + other.symbol, dimension: dimension.combined(with: other.dimension),
                     factor: factor * other.factor, piPower: piPower + other.piPower)
    }

    func dividedBy(_ other: PhysicalUnit) -> PhysicalUnit? {
        guard let f = factor.divided(by: other.factor) else { return nil }
        let divisor = other.symbol.contains("*") || other.symbol.contains("/") ? "(\(other.symbol))" : other.symbol
        return PhysicalUnit(symbol: symbol + "/" + divisor, dimension: dimension.combined(with: other.dimension, times: -1),
                            factor: f, piPower: piPower - other.piPower)
    }

    /// An integer power; small exponents only (a unit is never raised past a few).
    func power(_ k: Int) -> PhysicalUnit? {
        guard abs(k) <= 9, k != 0, let f = factor.power(k) else { return nil }
        let base = symbol.contains("*") || symbol.contains("/") ? "(\(symbol))" : symbol
        return PhysicalUnit(symbol: base + "^" + String(k), dimension: Dimension.none.combined(with: dimension, times: k),
                            factor: f, piPower: piPower * k, scale: k == 1 ? scale : nil)
    }

    /// A prefix's factor applied (`k` on `m`).
    func prefixed(_ prefix: String, _ power: Int) -> PhysicalUnit {
        PhysicalUnit(symbol: prefix + symbol, dimension: dimension, factor: factor * BigRational.tenPower(power),
                     piPower: piPower, scale: scale.map { _ in .kelvin })
    }
}

enum UnitTable {
    private static func unit(_ symbol: String, _ dimension: Dimension, _ factor: BigRational = .one,
                             pi: Int = 0, scale: TemperatureScale? = nil) -> PhysicalUnit {
        PhysicalUnit(symbol: symbol, dimension: dimension, factor: factor, piPower: pi, scale: scale)
    }

    private static func decimal(_ digits: Int, _ exponent: Int) -> BigRational {
        BigRational(digits) * BigRational.tenPower(exponent)
    }

    private static let length = Dimension(length: 1)
    private static let mass = Dimension(mass: 1)
    private static let time = Dimension(time: 1)
    private static let energy = Dimension(length: 2, mass: 1, time: -2)
    private static let pressure = Dimension(length: -1, mass: 1, time: -2)
    private static let volume = Dimension(length: 3)

    /// Units that take an SI prefix (`km`, `mA`, `kPa`, `mL`, `keV`, `kcal`).
    static let prefixable: [String: PhysicalUnit] = {
        var table: [String: PhysicalUnit] = [
            "m": unit("m", length), "g": unit("g", mass, BigRational(1, 1000)), "s": unit("s", time),
            "A": unit("A", Dimension(current: 1)), "K": unit("K", Dimension(temperature: 1), scale: .kelvin),
            "mol": unit("mol", Dimension(amount: 1)), "cd": unit("cd", Dimension(luminosity: 1)),
            "N": unit("N", Dimension(length: 1, mass: 1, time: -2)), "J": unit("J", energy),
            "W": unit("W", Dimension(length: 2, mass: 1, time: -3)), "Pa": unit("Pa", pressure),
            "C": unit("C", Dimension(time: 1, current: 1)), "V": unit("V", Dimension(length: 2, mass: 1, time: -3, current: -1)),
            "Ω": unit("Ω", Dimension(length: 2, mass: 1, time: -3, current: -2)),
            "Hz": unit("Hz", Dimension(time: -1)), "F": unit("F", Dimension(length: -2, mass: -1, time: 4, current: 2)),
            "T": unit("T", Dimension(mass: 1, time: -2, current: -1)), "Wb": unit("Wb", Dimension(length: 2, mass: 1, time: -2, current: -1)),
            "H": unit("H", Dimension(length: 2, mass: 1, time: -2, current: -2)),
            "L": unit("L", volume, BigRational(1, 1000)), "eV": unit("eV", energy, decimal(1_602_176_634, -28)),
            "cal": unit("cal", energy, decimal(4184, -3)), "bar": unit("bar", pressure, BigRational(100_000)),
            "Wh": unit("Wh", energy, BigRational(3600)), "M": unit("M", Dimension(length: -3, amount: 1), BigRational(1000)),
            "rad": unit("rad", Dimension(angle: 1)),
        ]
        table["l"] = table["L"]
        table["ohm"] = table["Ω"]
        return table
    }()

    /// Units that take no prefix, under every spelling they are printed with.
    static let plain: [String: PhysicalUnit] = {
        let minute = unit("min", time, BigRational(60))
        let hour = unit("h", time, BigRational(3600))
        let day = unit("day", time, BigRational(86_400))
        let inch = unit("in", length, decimal(254, -4))
        let foot = unit("ft", length, decimal(3048, -4))
        let mile = unit("mi", length, decimal(1_609_344, -3))
        let pound = unit("lb", mass, decimal(45_359_237, -8))
        let degree = unit("deg", Dimension(angle: 1), BigRational(1, 180), pi: 1)
        let atmosphere = unit("atm", pressure, BigRational(101_325))
        let mmHg = unit("mmHg", pressure, BigRational(101_325, 760))
        let kmh = unit("km/h", Dimension(length: 1, time: -1), BigRational(1000, 3600))
        let mph = unit("mph", Dimension(length: 1, time: -1), decimal(1_609_344, -3) * BigRational(1, 3600))
        var table: [String: PhysicalUnit] = [
            "min": minute, "mins": minute, "h": hour, "hr": hour, "hrs": hour, "day": day, "days": day,
            "week": unit("week", time, BigRational(604_800)), "in": inch, "inch": inch, "inches": inch,
            "ft": foot, "foot": foot, "feet": foot, "yd": unit("yd", length, decimal(9144, -4)),
            "mi": mile, "mile": mile, "miles": mile, "lb": pound, "lbs": pound,
            "oz": unit("oz", mass, decimal(28_349_523_125, -12)), "deg": degree, "degree": degree, "degrees": degree,
            "°": degree, "atm": atmosphere, "mmHg": mmHg, "torr": mmHg, "Torr": mmHg, "kmh": kmh, "kph": kmh, "mph": mph,
            "psi": unit("psi", pressure, decimal(45_359_237, -8) * decimal(980_665, -5) * BigRational(10_000 * 10_000, 254 * 254)),
            "ha": unit("ha", Dimension(length: 2), BigRational(10_000)), "Å": unit("Å", length, decimal(1, -10)),
            "rpm": unit("rpm", Dimension(time: -1, angle: 1), BigRational(2, 60), pi: 1),
            "°C": unit("°C", Dimension(temperature: 1), scale: .celsius),
            "°F": unit("°F", Dimension(temperature: 1), BigRational(5, 9), scale: .fahrenheit),
            "kcal": prefixable["cal"]!.prefixed("k", 3), "Cal": prefixable["cal"]!.prefixed("k", 3),
            "t": unit("t", mass, BigRational(1000)),
        ]
        // Names written out, singular and plural: `meters`, `kilograms`, `joules`.
        let words: [String: String] = [
            "meter": "m", "metre": "m", "gram": "g", "second": "s", "sec": "s", "ampere": "A", "amp": "A", "kelvin": "K",
            "mole": "mol", "newton": "N", "joule": "J", "watt": "W", "pascal": "Pa", "coulomb": "C", "volt": "V",
            "ohm": "Ω", "hertz": "Hz", "farad": "F", "tesla": "T", "liter": "L", "litre": "L", "calorie": "cal",
            "radian": "rad", "electronvolt": "eV",
        ]
        let wordPrefixes: [String: (String, Int)] = ["": ("", 0), "kilo": ("k", 3), "centi": ("c", -2), "milli": ("m", -3),
                                                      "micro": ("μ", -6), "nano": ("n", -9), "mega": ("M", 6), "giga": ("G", 9)]
        for (word, symbol) in words {
            let base = prefixable[symbol]!
            for (written, (prefix, power)) in wordPrefixes {
                let u = power == 0 ? base : base.prefixed(prefix, power)
                table[written + word] = u
                table[written + word + "s"] = u
            }
        }
        table["tonne"] = table["t"]
        table["tonnes"] = table["t"]
        table["minute"] = minute
        table["minutes"] = minute
        table["hour"] = hour
        table["hours"] = hour
        table["secs"] = prefixable["s"]
        return table
    }()

    /// SI prefixes by symbol; `u` and `µ` (micro sign) also mean micro. Atto (`a`) is left out: `5 at`
    /// and `5 as` in a sentence are words, not attotonnes and attoseconds.
    static let prefixes: [String: Int] = [
        "Y": 24, "Z": 21, "E": 18, "P": 15, "T": 12, "G": 9, "M": 6, "k": 3, "h": 2, "da": 1, "d": -1, "c": -2,
        "m": -3, "μ": -6, "µ": -6, "u": -6, "n": -9, "p": -12, "f": -15,
    ]

    /// A unit symbol or name: `km`, `mA`, `kPa`, `hours`, `μm`; a prefix only before a prefixable unit.
    static func lookup(_ name: String) -> PhysicalUnit? {
        table[name]
    }

    /// Every name `lookup` knows.
    static var names: Set<String> { Set(table.keys) }

    /// Every name `lookup` knows, prefixed ones included: one hash lookup a word, since every word
    /// of every input is asked about.
    private static let table: [String: PhysicalUnit] = {
        var all = prefixable
        for (prefix, power) in prefixes {
            for (name, base) in prefixable {
                // Deci only where it is used (dm, dL, dg): `dx`, `dt`, `ds` are differentials.
                if prefix == "d" && !["m", "L", "l", "g"].contains(name) { continue }
                all[prefix + name] = base.prefixed(prefix, power)
            }
        }
        // Names of their own win over a prefixed reading (`min` is minutes, `Pa` pascals).
        all.merge(plain) { _, own in own }
        all.merge(prefixable) { _, own in own }
        return all
    }()

    /// siunitx's unit macros (`\kilo\metre\per\second`), by name.
    static let siunitxUnits: [String: String] = [
        "metre": "m", "meter": "m", "gram": "g", "kilogram": "kg", "second": "s", "ampere": "A", "kelvin": "K",
        "mole": "mol", "candela": "cd", "newton": "N", "joule": "J", "watt": "W", "pascal": "Pa", "coulomb": "C",
        "volt": "V", "ohm": "Ω", "Omega": "Ω", "hertz": "Hz", "farad": "F", "tesla": "T", "weber": "Wb", "henry": "H",
        "litre": "L", "liter": "L", "electronvolt": "eV", "minute": "min", "hour": "h", "day": "day", "degree": "°",
        "radian": "rad", "celsius": "°C", "degreeCelsius": "°C", "bar": "bar", "atm": "atm", "angstrom": "Å",
        "tonne": "t", "mmHg": "mmHg", "calorie": "cal",
    ]

    static let siunitxPrefixes: [String: (String, Int)] = [
        "yotta": ("Y", 24), "zetta": ("Z", 21), "exa": ("E", 18), "peta": ("P", 15), "tera": ("T", 12), "giga": ("G", 9),
        "mega": ("M", 6), "kilo": ("k", 3), "hecto": ("h", 2), "deca": ("da", 1), "deka": ("da", 1), "deci": ("d", -1),
        "centi": ("c", -2), "milli": ("m", -3), "micro": ("μ", -6), "nano": ("n", -9), "pico": ("p", -12),
        "femto": ("f", -15), "atto": ("a", -18),
    ]
}
