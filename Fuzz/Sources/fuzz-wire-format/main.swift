// libFuzzer target: the frames a fork server sends back (hello, response header, outcome and
// traceback decoding, a template's fork reply) must never crash the Swift side, whatever the bytes.

import FuzzDriver
@testable import SnippetSandbox

fuzz { bytes in
    let all = Array(bytes)
    _ = WireFormat.hello(Array(all.prefix(WireFormat.helloSize)))
    _ = WireFormat.forkReply(Array(all.prefix(WireFormat.forkReplySize)))
    if let header = WireFormat.responseHeader(Array(all.prefix(WireFormat.responseSize)), outputLimit: .mebibytes(1)) {
        let rest = String(decoding: all.dropFirst(WireFormat.responseSize), as: UTF8.self)
        _ = WireFormat.outcome(code: header.outcome, detail: header.detail, note: rest, stderr: rest)
    }
    let text = String(decoding: all, as: UTF8.self)
    _ = WireFormat.lastErrorLine(text)
    _ = WireFormat.outcome(code: UInt32(all.first ?? 0) % 12, detail: Int32(all.count), note: text, stderr: text)
}
