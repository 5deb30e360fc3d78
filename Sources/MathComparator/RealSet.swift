// A set of real numbers as disjoint intervals: what a relation in one variable describes.

/// Disjoint intervals in increasing order, touching ones merged; a point is a closed interval of
/// zero length.
///
/// `x > 0, x < 36, x \neq 9`, `(0, 9) \cup (9, 36)` and sympy's `(x > 0) & (x < 36) & Ne(x, 9)`
/// are one set, which is how they compare: by ends and closedness, once normalized.
struct RealSet: Hashable, Sendable {
    private(set) var pieces: [Interval]

    static let reals = RealSet(pieces: [Interval(lower: .negated(.constant(.infinity)), upper: .constant(.infinity),
                                                 lowerClosed: false, upperClosed: false)])

    private init(pieces: [Interval]) {
        self.pieces = pieces
    }

    /// Nil when an end is not a real number that can be placed on the line (an end in variables).
    init?(_ intervals: [Interval]) {
        for i in intervals where RealSet.position(i.lower) == nil || RealSet.position(i.upper) == nil { return nil }
        pieces = RealSet.normalized(intervals)
    }

    /// The reals without the given points.
    static func excluding(_ points: [Expr]) -> RealSet? {
        guard let removed = RealSet(points.map(Interval.point)) else { return nil }
        return reals.subtracting(removed)
    }

    var isEmpty: Bool { pieces.isEmpty }

    func union(_ other: RealSet) -> RealSet {
        RealSet(pieces: RealSet.normalized(pieces + other.pieces))
    }

    func intersection(_ other: RealSet) -> RealSet {
        var result: [Interval] = []
        for a in pieces {
            for b in other.pieces {
                let (lower, lowerClosed) = RealSet.later(a.lower, a.lowerClosed, b.lower, b.lowerClosed)
                let upper: Expr
                let upperClosed: Bool
                switch RealSet.order(a.upper, b.upper) {
                case -1: (upper, upperClosed) = (a.upper, a.upperClosed)
                case 1: (upper, upperClosed) = (b.upper, b.upperClosed)
                default: (upper, upperClosed) = (a.upper, a.upperClosed && b.upperClosed)
                }
                let piece = Interval(lower: lower, upper: upper, lowerClosed: lowerClosed, upperClosed: upperClosed)
                if !RealSet.isEmpty(piece) { result.append(piece) }
            }
        }
        return RealSet(pieces: RealSet.normalized(result))
    }

    /// This set without the points and intervals of `other`.
    func subtracting(_ other: RealSet) -> RealSet {
        // The complement of `other` is the gaps between its pieces.
        var gaps: [Interval] = []
        var lower: Expr = .negated(.constant(.infinity))
        var lowerClosed = false
        for piece in other.pieces {
            gaps.append(Interval(lower: lower, upper: piece.lower, lowerClosed: lowerClosed, upperClosed: !piece.lowerClosed))
            lower = piece.upper
            lowerClosed = !piece.upperClosed
        }
        gaps.append(Interval(lower: lower, upper: .constant(.infinity), lowerClosed: lowerClosed, upperClosed: false))
        return intersection(RealSet(pieces: RealSet.normalized(gaps.filter { !RealSet.isEmpty($0) })))
    }

    /// As the value model writes it: one interval, a union, or a finite set when only points remain.
    var value: MathValue {
        if pieces.allSatisfy({ RealSet.order($0.lower, $0.upper) == 0 }) {
            return .set(pieces.map { .scalar($0.lower) })
        }
        return pieces.count == 1 ? .interval(pieces[0]) : .union(pieces)
    }

    // MARK: Ordering ends

    /// Where an end sits on the line: exact when rational, else as a double; infinities at the ends.
    private enum Position {
        case exact(BigRational)
        case approximate(Double)

        var double: Double {
            switch self {
            case .exact(let r): return r.doubleValue
            case .approximate(let d): return d
            }
        }
    }

    private static func position(_ e: Expr) -> Position? {
        if let sign = Evaluation.infinitySign(e) { return .approximate(sign > 0 ? .infinity : -.infinity) }
        guard e.variables.isEmpty else { return nil }
        if let r = Evaluation.exact(e) { return .exact(r) }
        let v = Evaluation.numeric(e)
        guard v.isFinite, abs(v.imaginary) <= 1e-12 * max(1, abs(v.real)) else { return nil }
        return .approximate(v.real)
    }

    /// -1, 0 or 1 as `a` lies before, at or after `b`; ends that are not both exact agree to 1e-12 relative.
    static func order(_ a: Expr, _ b: Expr) -> Int {
        guard let pa = position(a), let pb = position(b) else { return 0 }
        if case .exact(let x) = pa, case .exact(let y) = pb { return x == y ? 0 : (x < y ? -1 : 1) }
        let (x, y) = (pa.double, pb.double)
        if x == y || (x.isFinite && y.isFinite && abs(x - y) <= 1e-12 * max(abs(x), abs(y))) { return 0 }
        return x < y ? -1 : 1
    }

    private static func later(_ a: Expr, _ aClosed: Bool, _ b: Expr, _ bClosed: Bool) -> (Expr, Bool) {
        switch order(a, b) {
        case -1: return (b, bClosed)
        case 1: return (a, aClosed)
        default: return (a, aClosed && bClosed)
        }
    }

    private static func isEmpty(_ i: Interval) -> Bool {
        let o = order(i.lower, i.upper)
        return o > 0 || (o == 0 && !(i.lowerClosed && i.upperClosed))
    }

    /// Sorted by lower end, overlapping or touching pieces merged, empty ones dropped.
    private static func normalized(_ intervals: [Interval]) -> [Interval] {
        let sorted = intervals.filter { !isEmpty($0) }.sorted { a, b in
            let o = order(a.lower, b.lower)
            return o < 0 || (o == 0 && a.lowerClosed && !b.lowerClosed)
        }
        var merged: [Interval] = []
        for piece in sorted {
            guard var last = merged.last else {
                merged.append(piece)
                continue
            }
            let gap = order(last.upper, piece.lower)
            if gap > 0 || (gap == 0 && (last.upperClosed || piece.lowerClosed)) {
                let o = order(piece.upper, last.upper)
                if o > 0 || (o == 0 && piece.upperClosed) {
                    last.upper = piece.upper
                    last.upperClosed = piece.upperClosed
                }
                merged[merged.count - 1] = last
            } else {
                merged.append(piece)
            }
        }
        return merged
    }
}
