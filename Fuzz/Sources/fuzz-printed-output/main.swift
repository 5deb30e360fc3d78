// libFuzzer target: any bytes a snippet prints, against the result after the first NUL (or a
// few fixed results), must yield a comparison, never a crash or a hang.

import FuzzDriver
import MathComparator

let comparator = Comparator()

fuzz { bytes in
    let parts = Array(bytes).split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let printed = String(decoding: parts[0], as: UTF8.self)
    let result = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "\\frac{3}{4}"
    _ = comparator.compare(result: result, expression: "", printed: printed)
    _ = comparator.compare(result: "x = 2 \\text{ or } x = 3", expression: "", printed: printed)
    _ = comparator.compare(result: "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", expression: "", printed: printed)
}
