// The caps that keep every comparison bounded in time and memory, whatever the input.

/// Past these sizes an input is refused (with a reason naming the cap) instead of being read.
enum Limits {
    /// Characters read from each side; longer text is judged on its first and last parts only
    /// where that is safe (printed output) and refused where it is not (the LaTeX result).
    static let maxInputLength = 10_000
    /// Nesting of brackets, braces, function arguments and signs (each level counts once or twice);
    /// deeper input is refused, which also bounds the stack every recursive walk of a value uses.
    static let maxDepth = 200
    /// About 10,000 decimal digits: no exact number, and no exponent result, grows past this.
    static let maxBits = 33_300
    /// Elements of one collection (set, tuple, matrix entries), so quadratic set matching stays small.
    static let maxElements = 2_000
}
