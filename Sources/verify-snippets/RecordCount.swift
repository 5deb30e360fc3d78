// How many records an input file holds for a shard, for the progress line's total and ETA.

import Glibc
import SnippetVerifier

enum RecordCount {
    /// The non-blank lines of the shard in a regular file; nil for standard input, a pipe or a
    /// file that cannot be read (the run itself reports that). One pass at disk speed, while the
    /// servers start.
    static func records(inFile path: String, shard: Shard) -> Int? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var lineIndex = 0, records = 0, lineHasContent = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            for byte in buffer[0..<n] {
                switch byte {
                case UInt8(ascii: "\n"):
                    if lineHasContent && shard.contains(lineIndex: lineIndex) { records += 1 }
                    lineIndex += 1
                    lineHasContent = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
                default: lineHasContent = true
                }
            }
        }
        if lineHasContent && shard.contains(lineIndex: lineIndex) { records += 1 }
        return records
    }
}
