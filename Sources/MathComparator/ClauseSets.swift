// Several clauses as one answer: conditions on a variable as one set of reals, named solutions as a set.

extension ClauseReader {
    /// Conditions on one variable as one set of reals: clauses joined by `or` unite, by `and` or a
    /// comma intersect, and `\neq` removes a point. A comma list whose intersection is empty
    /// (`x < -2, x > 2`) lists alternatives, and unites; with `\wedge` (`strictConjunction`) it stays empty.
    static func combinedSet(_ values: [(name: String?, value: MathValue)], excluded: [(name: String, point: Expr)],
                            alternatives: Bool, strictConjunction: Bool) -> MathValue? {
        guard values.count > 1 || !excluded.isEmpty else { return nil }
        var sets: [RealSet] = []
        var names = Set(excluded.map(\.name))
        // A pair is an interval only beside a condition on a variable; `(1, 2), (3, 4)` are points.
        let pairsAreIntervals = !excluded.isEmpty || values.contains { value in
            switch value.value {
            case .interval, .union: return true
            default: return value.name != nil
            }
        }
        for (name, value) in values {
            if let name { names.insert(name) }
            let set: RealSet?
            switch value {
            case .interval(let i): set = RealSet([i])
            case .union(let parts): set = RealSet(parts)
            // Next to another condition, `x \in (0, 36)` is an interval, not a point.
            case .tuple(let ends) where ends.count == 2 && pairsAreIntervals: set = RealSet(pair(ends, closed: false).map { [$0] } ?? [])
            case .list(let ends) where ends.count == 2 && pairsAreIntervals: set = RealSet(pair(ends, closed: true).map { [$0] } ?? [])
            default: return nil
            }
            guard let set else { return nil }
            sets.append(set)
        }
        guard names.count <= 1, !sets.isEmpty else { return nil }
        var combined = alternatives ? RealSet.union(sets) : RealSet.intersection(sets)
        if combined.isEmpty && !alternatives && !strictConjunction { combined = RealSet.union(sets) }
        if !excluded.isEmpty {
            guard let others = RealSet.excluding(excluded.map(\.point)) else { return nil }
            combined = combined.intersection(others)
        }
        guard let name = names.first else { return combined.value }
        return .assignments([Assignment(name: name, value: combined.value)])
    }

    private static func pair(_ ends: [MathValue], closed: Bool) -> Interval? {
        guard case .scalar(let a) = ends[0], case .scalar(let b) = ends[1] else { return nil }
        return Interval(lower: a, upper: b, lowerClosed: closed, upperClosed: closed)
    }

    /// `p=5,q=2;p=7,q=2`, `x = 3, y = 4 \text{ or } x = 4, y = 3`, `(x, y) = (3, 4), (4, 3)`:
    /// solutions separated by `;` or `or`, each naming the same unknowns; a bare tuple is another
    /// solution, with the names of the first.
    static func solutionGroups(_ clauses: [Clause], dialect: Dialect) -> MathValue? {
        guard clauses.dropFirst().contains(where: { $0.startsGroup || $0.joinedByOr || $0.relations.isEmpty }) else { return nil }
        var groups: [[Assignment]] = []
        for clause in clauses {
            if clause.startsGroup || clause.joinedByOr || clause.relations.isEmpty || groups.isEmpty { groups.append([]) }
            guard case .success(let items) = interpret(clause, dialect: dialect), !items.isEmpty else { return nil }
            if clause.relations.isEmpty, groups.count > 1, items.count == 1, case .tuple(let values) = items[0].value,
               values.count == groups[0].count {
                groups[groups.count - 1] += zip(groups[0], values).map { Assignment(name: $0.name, value: $1) }
                continue
            }
            for item in items {
                guard let name = item.name else { return nil }
                groups[groups.count - 1].append(Assignment(name: name, value: item.value))
            }
        }
        let names = Set(groups[0].map(\.name))
        guard names.count >= 2, groups.allSatisfy({ $0.count == names.count && Set($0.map(\.name)) == names }) else { return nil }
        return .solutions(groups.map { .assignments($0) })
    }
}
