// libFuzzer target: any text as a LaTeX result or expression must yield a comparison (never a
// crash, never a hang) against a few printed values.

import FuzzDriver
import MathComparator

let comparator = Comparator()

fuzz { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    _ = comparator.compare(result: text, expression: "", printed: "1")
    _ = comparator.compare(result: "", expression: text, printed: "x**2 + 1")
    _ = comparator.compare(result: text, expression: "", printed: "[1, 2]")
}
