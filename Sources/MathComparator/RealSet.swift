// A set of real numbers as disjoint intervals: what a relation in one variable describes.

/// Disjoint intervals in increasing order, touching ones merged; a point is a closed interval of
/// zero length.
///
/// `x > 0, x < 36, x \neq 9`, `(0, 9) \cup (9, 36)` and sympy's `(x > 0) & (x < 36) & Ne(x, 9)`
/// are one set, which is how they compare: by ends and closedness, once normalized. Each end's
/// place on the line is computed once, so that a union sorts and an intersection sweeps in time
/// near linear in the pieces (a printed condition may join hundreds).
struct RealSet: Sendable {
    private var parts: [Piece]

    var pieces: [Interval] { parts.map(\.interval) }

    static let reals = RealSet(parts: [Piece(interval: Interval(lower: .negated(.constant(.infinity)), upper: .constant(.infinity),
                                                                lowerClosed: false, upperClosed: false),
                                             lower: .minusInfinity, upper: .plusInfinity)])

    private init(parts: [Piece]) {
        self.parts = parts
    }

    /// Nil when an end is not a real number that can be placed on the line (an end in variables).
    init?(_ intervals: [Interval]) {
        var parts: [Piece] = []
        parts.reserveCapacity(intervals.count)
        for i in intervals {
            guard let lower = Position(i.lower), let upper = Position(i.upper) else { return nil }
            parts.append(Piece(interval: i, lower: lower, upper: upper))
        }
        self.parts = RealSet.normalized(parts)
    }

    /// The reals without the given points.
    static func excluding(_ points: [Expr]) -> RealSet? {
        guard let removed = RealSet(points.map(Interval.point)) else { return nil }
        return reals.subtracting(removed)
    }

    var isEmpty: Bool { parts.isEmpty }

    static func union(_ sets: [RealSet]) -> RealSet {
        RealSet(parts: normalized(sets.flatMap(\.parts)))
    }

    /// Halves intersected first: `Ne(x, 0) & Ne(x, 1) & …` costs the pieces times the depth, not their square.
    static func intersection(_ sets: ArraySlice<RealSet>) -> RealSet {
        guard sets.count > 1 else { return sets.first ?? reals }
        let middle = sets.startIndex + sets.count / 2
        return intersection(sets[..<middle]).intersection(intersection(sets[middle...]))
    }

    static func intersection(_ sets: [RealSet]) -> RealSet {
        intersection(sets[...])
    }

    /// Both sets sorted: one sweep, advancing past whichever piece ends first.
    func intersection(_ other: RealSet) -> RealSet {
        var result: [Piece] = []
        var (i, j) = (0, 0)
        while i < parts.count && j < other.parts.count {
            let (a, b) = (parts[i], other.parts[j])
            let lowerOrder = a.lower.order(b.lower)
            let lower = lowerOrder > 0 ? (a.interval.lower, a.interval.lowerClosed, a.lower)
                : lowerOrder < 0 ? (b.interval.lower, b.interval.lowerClosed, b.lower)
                : (a.interval.lower, a.interval.lowerClosed && b.interval.lowerClosed, a.lower)
            let upperOrder = a.upper.order(b.upper)
            let upper = upperOrder < 0 ? (a.interval.upper, a.interval.upperClosed, a.upper)
                : upperOrder > 0 ? (b.interval.upper, b.interval.upperClosed, b.upper)
                : (a.interval.upper, a.interval.upperClosed && b.interval.upperClosed, a.upper)
            let piece = Piece(interval: Interval(lower: lower.0, upper: upper.0, lowerClosed: lower.1, upperClosed: upper.1),
                              lower: lower.2, upper: upper.2)
            if !piece.isEmpty { result.append(piece) }
            if upperOrder <= 0 { i += 1 }
            if upperOrder >= 0 { j += 1 }
        }
        return RealSet(parts: RealSet.merged(result))
    }

    /// This set without the points and intervals of `other`.
    func subtracting(_ other: RealSet) -> RealSet {
        // The complement of `other` is the gaps between its pieces.
        var gaps: [Piece] = []
        var lower = (Expr.negated(.constant(.infinity)), false, Position.minusInfinity)
        for piece in other.parts {
            let gap = Interval(lower: lower.0, upper: piece.interval.lower, lowerClosed: lower.1, upperClosed: !piece.interval.lowerClosed)
            gaps.append(Piece(interval: gap, lower: lower.2, upper: piece.lower))
            lower = (piece.interval.upper, !piece.interval.upperClosed, piece.upper)
        }
        let last = Interval(lower: lower.0, upper: .constant(.infinity), lowerClosed: lower.1, upperClosed: false)
        gaps.append(Piece(interval: last, lower: lower.2, upper: .plusInfinity))
        return intersection(RealSet(parts: gaps.filter { !$0.isEmpty }))
    }

    /// As the value model writes it: one interval, a union, or a finite set when only points remain.
    var value: MathValue {
        if parts.allSatisfy({ $0.lower.order($0.upper) == 0 }) {
            return .set(parts.map { .scalar($0.interval.lower) })
        }
        return parts.count == 1 ? .interval(parts[0].interval) : .union(pieces)
    }

    // MARK: Pieces

    private struct Piece: Sendable {
        var interval: Interval
        var lower: Position
        var upper: Position

        var isEmpty: Bool {
            let o = lower.order(upper)
            return o > 0 || (o == 0 && !(interval.lowerClosed && interval.upperClosed))
        }
    }

    /// Where an end sits on the line: exact when rational, else as a double; infinities at the ends.
    private enum Position: Sendable {
        case exact(BigRational)
        case approximate(Double)

        static let minusInfinity = Position.approximate(-.infinity)
        static let plusInfinity = Position.approximate(.infinity)

        init?(_ e: Expr) {
            if let sign = Evaluation.infinitySign(e) {
                self = sign > 0 ? .plusInfinity : .minusInfinity
                return
            }
            guard e.variables.isEmpty else { return nil }
            if let r = Evaluation.exact(e) {
                self = .exact(r)
                return
            }
            let v = Evaluation.numeric(e)
            guard v.isFinite, abs(v.imaginary) <= 1e-12 * max(1, abs(v.real)) else { return nil }
            self = .approximate(v.real)
        }

        var double: Double {
            switch self {
            case .exact(let r): return r.doubleValue
            case .approximate(let d): return d
            }
        }

        /// Ends that are not both exact agree to 1e-12 relative.
        func order(_ other: Position) -> Int {
            if case .exact(let x) = self, case .exact(let y) = other { return x == y ? 0 : (x < y ? -1 : 1) }
            let (x, y) = (double, other.double)
            if x == y || (x.isFinite && y.isFinite && abs(x - y) <= 1e-12 * max(abs(x), abs(y))) { return 0 }
            return x < y ? -1 : 1
        }
    }

    /// Sorted by lower end, overlapping or touching pieces merged, empty ones dropped.
    private static func normalized(_ pieces: [Piece]) -> [Piece] {
        merged(pieces.filter { !$0.isEmpty }.sorted { a, b in
            let o = a.lower.order(b.lower)
            return o < 0 || (o == 0 && a.interval.lowerClosed && !b.interval.lowerClosed)
        })
    }

    /// Pieces already sorted by lower end, with overlapping or touching neighbours merged.
    private static func merged(_ sorted: [Piece]) -> [Piece] {
        var result: [Piece] = []
        result.reserveCapacity(sorted.count)
        for piece in sorted {
            guard var last = result.last else {
                result.append(piece)
                continue
            }
            let gap = last.upper.order(piece.lower)
            if gap > 0 || (gap == 0 && (last.interval.upperClosed || piece.interval.lowerClosed)) {
                let o = piece.upper.order(last.upper)
                if o > 0 || (o == 0 && piece.interval.upperClosed) {
                    last.interval.upper = piece.interval.upper
                    last.interval.upperClosed = piece.interval.upperClosed
                    last.upper = piece.upper
                }
                result[result.count - 1] = last
            } else {
                result.append(piece)
            }
        }
        return result
    }
}
