// libFuzzer target: one input line of any bytes becomes a record, a blank, or a malformed-line
// report; it must never crash or hang the verifier.

import FuzzDriver
import SnippetVerifier

fuzz { bytes in
    let limits = RecordLimits(maxLineBytes: 1 << 16, maxComputations: 64, maxDepth: 64)
    _ = ParsedLine(bytes: Array(bytes), line: 1, limits: limits)
}
