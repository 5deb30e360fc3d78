// Which preload set each snippet runs on: the lightest server that already holds its imports.

/// Preload sets from lightest to heaviest, and the choice of one for a snippet.
///
/// A fork costs about 40 µs per MiB the server has resident (page tables, then copy-on-write
/// faults), so a `print(2 + 3)` forked from a server with sympy, numpy and scipy loaded (about
/// 80 MiB) pays several times what it pays from one with only the standard library (about
/// 15 MiB). Each slot of the pool therefore keeps one server per tier, and a snippet goes to the
/// lightest tier whose preload covers the heavy modules its source names. Naming is a plain
/// substring test: a false positive only costs speed, and a snippet that imports something its
/// tier lacks still works (the import is read from disk, as Landlock allows), only slower.
struct Routing: Sendable, Hashable {
    /// Modules heavy enough to deserve a tier boundary, lightest first.
    static let heavyModules = ["numpy", "scipy", "sympy"]

    /// Preload lists, lightest first; the last is the full configured preload.
    let tiers: [[String]]
    /// For each tier, the heavy modules it lacks (a snippet naming one goes further up).
    private let lacking: [[String]]

    init(preload: [String], enabled: Bool) {
        let root = Self.root
        let heavyPresent = Self.heavyModules.filter { heavy in preload.contains { root($0) == heavy } }
        guard enabled, !heavyPresent.isEmpty else {
            tiers = [preload]
            lacking = [[]]
            return
        }
        let base = preload.filter { !Self.heavyModules.contains(root($0)) }
        // base, base + numpy (scipy and sympy are the costly ones), then everything.
        var candidates = [base]
        if heavyPresent.contains("numpy") {
            candidates.append(base + preload.filter { root($0) == "numpy" })
        }
        candidates.append(preload)
        var unique: [[String]] = []
        for c in candidates where !unique.contains(c) { unique.append(c) }
        tiers = unique
        lacking = unique.map { tier in heavyPresent.filter { heavy in !tier.contains { root($0) == heavy } } }
    }

    /// "standard library", "numpy", "scipy, sympy": the heavy modules tier `index` adds to the
    /// one below it, for messages.
    func tierName(_ index: Int) -> String {
        func heavy(_ tier: Int) -> [String] {
            Self.heavyModules.filter { module in tiers[tier].contains { Self.root($0) == module } }
        }
        let added = heavy(index).filter { index == 0 || !heavy(index - 1).contains($0) }
        return added.isEmpty ? "standard library" : added.joined(separator: ", ")
    }

    private static func root(_ module: String) -> String { String(module.split(separator: ".").first ?? "") }

    /// The index of the lightest tier that holds every heavy module the source names.
    func tier(for code: String) -> Int {
        for (index, missing) in lacking.enumerated() where !missing.contains(where: { code.contains($0) }) {
            return index
        }
        return tiers.count - 1
    }
}
