// Sets of reals: normalization, union, intersection and removed points, checked by their rendering.
import Testing
@testable import MathComparator

@Suite struct RealSetTests {
    private static let infinity = Expr.constant(.infinity)

    private static func interval(_ a: Expr, _ b: Expr, _ lowerClosed: Bool, _ upperClosed: Bool) -> Interval {
        Interval(lower: a, upper: b, lowerClosed: lowerClosed, upperClosed: upperClosed)
    }

    private static func set(_ intervals: [Interval]) throws -> RealSet {
        try #require(RealSet(intervals))
    }

    private static let one = Expr.integer(1), two = Expr.integer(2), three = Expr.integer(3)

    @Test func touchingPiecesMerge() throws {
        // [1, 2) and [2, 3] touch at 2, which the second holds.
        let merged = try Self.set([Self.interval(Self.two, Self.three, true, true), Self.interval(Self.one, Self.two, true, false)])
        #expect(merged.value.description == "[1, 3]")
        // (1, 2) and (2, 3) leave 2 out: two pieces, in order.
        let apart = try Self.set([Self.interval(Self.two, Self.three, false, false), Self.interval(Self.one, Self.two, false, false)])
        #expect(apart.value.description == "(1, 2) U (2, 3)")
    }

    @Test func emptyPiecesVanish() throws {
        #expect(try Self.set([Self.interval(Self.three, Self.one, true, true)]).isEmpty)
        #expect(try Self.set([Self.interval(Self.two, Self.two, true, false)]).isEmpty)
        #expect(try Self.set([Self.interval(Self.two, Self.two, true, true)]).value.description == "{2}")
    }

    @Test func intersectionKeepsTheInnerEnds() throws {
        let a = try Self.set([Self.interval(.negated(Self.infinity), Self.three, false, true)])
        let b = try Self.set([Self.interval(Self.one, Self.infinity, false, false)])
        #expect(a.intersection(b).value.description == "(1, 3]")
        #expect(RealSet.union([a, b]).value.description == "(-oo, oo)")
        let disjoint = try Self.set([Self.interval(Self.three, Self.infinity, false, false)])
        #expect(try Self.set([Self.interval(Self.one, Self.two, true, true)]).intersection(disjoint).isEmpty)
    }

    @Test func removingPointsSplitsAnInterval() throws {
        let closed = try Self.set([Self.interval(.integer(0), .integer(36), true, true)])
        let without = try #require(RealSet.excluding([.integer(9)]))
        #expect(closed.intersection(without).value.description == "[0, 9) U (9, 36]")
        // A point outside changes nothing; an end point opens that end.
        #expect(closed.intersection(try #require(RealSet.excluding([.integer(40)]))).value.description == "[0, 36]")
        #expect(closed.intersection(try #require(RealSet.excluding([.integer(0)]))).value.description == "(0, 36]")
    }

    @Test func irrationalEndsOrderByValue() throws {
        let root = Expr.call(.sqrt, [Self.two])
        let s = try Self.set([Self.interval(Self.one, Self.two, false, false), Self.interval(root, Self.three, false, false)])
        #expect(s.value.description == "(1, 3)")
    }

    @Test func endsInVariablesAreRefused() {
        #expect(RealSet([Self.interval(.variable("a"), Self.two, false, false)]) == nil)
    }
}
