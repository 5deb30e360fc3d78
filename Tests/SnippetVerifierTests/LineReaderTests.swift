// The streaming line reader across read-buffer boundaries: long lines grow the buffer, over-long ones are skipped.

import Foundation
@testable import SnippetVerifier
import Testing

@Suite struct LineReaderTests {
    @Test func linesAcrossBufferBoundariesComeBackWhole() throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 1 MiB is one read: these lines straddle reads, grow the buffer, and exceed the limit.
        let sizes = [10, (1 << 20) - 3, 5, 1_500_000, 7, 3_000_000, 0, 2_500_000, 11]
        let limit = 2_600_000
        var data = Data()
        for (index, size) in sizes.enumerated() {
            data.append(Data(repeating: UInt8(ascii: "a") + UInt8(index), count: size))
            if index < sizes.count - 1 { data.append(UInt8(ascii: "\n")) }  // the last line has no newline
        }
        try data.write(to: URL(fileURLWithPath: "\(folder)/big.txt"))
        let reader = try LineReader(path: "\(folder)/big.txt")
        var seen: [String] = []
        while let line = try reader.next(maxBytes: limit) {
            switch line {
            case .text(let bytes):
                let uniform = bytes.allSatisfy { $0 == bytes.first }
                seen.append(uniform ? "\(bytes.count)" : "mixed")
            case .tooLong(let length):
                seen.append("long \(length)")
            }
        }
        #expect(seen == ["10", "\((1 << 20) - 3)", "5", "1500000", "7", "long 3000000", "0", "2500000", "11"])
    }
}
