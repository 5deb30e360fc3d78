// Reading input lines and writing output records through file descriptors, with bounded buffers.

import Glibc

/// One line from `LineReader`.
enum InputLine {
    /// The line's bytes, without the newline.
    case text([UInt8])
    /// A line longer than the limit; it was skipped without being held whole. Its length in bytes.
    case tooLong(Int)
}

/// Reads newline-separated lines from a file or standard input, holding at most one line (up to
/// the limit) and one read buffer in memory, whatever the input's size.
final class LineReader {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    private static let chunk = 1 << 20

    /// Opens `path`; "-" is standard input.
    /// - Throws: `.unreadableInput` naming the path and the failed `open`.
    init(path: String) throws(VerifierError) {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw VerifierError(.unreadableInput, "cannot open the input \(path)", errno: errno)
            }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw VerifierError(.unreadableInput, "the input \(path) is a directory")
            }
            descriptor = fd
            ownsDescriptor = true
        }
        buffer = [UInt8](repeating: 0, count: Self.chunk)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line, or nil at the end of the input. A last line without a newline counts.
    /// - Throws: `.unreadableInput` when `read` fails.
    func next(maxBytes: Int) throws(VerifierError) -> InputLine? {
        var searched = start  // bytes before this index hold no newline
        var skipped = 0  // bytes of an over-long line already dropped
        while true {
            if let newline = firstNewline(from: searched) {
                defer { start = newline + 1 }
                if skipped > 0 || newline - start > maxBytes {
                    return .tooLong(skipped + newline - start)
                }
                return .text(Array(buffer[start..<newline]))
            }
            if atEnd {
                guard end > start || skipped > 0 else { return nil }
                defer { start = end }
                if skipped > 0 || end - start > maxBytes { return .tooLong(skipped + end - start) }
                return .text(Array(buffer[start..<end]))
            }
            if end - start > maxBytes {
                // Too long already: drop what we hold and keep counting until the newline.
                skipped += end - start
                start = end
            }
            let alreadySearched = end - start
            try fill()
            searched = start + alreadySearched
        }
    }

    /// Makes room and reads more; sets `atEnd` at end of input.
    private func fill() throws(VerifierError) {
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + end, raw.count - end)
            }
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                atEnd = true
                return
            }
            if errno == EINTR { continue }
            throw VerifierError(.unreadableInput, "cannot read the input \(path)", errno: errno)
        }
    }

    private func firstNewline(from index: Int) -> Int? {
        guard index < end else { return nil }
        return buffer.withUnsafeBytes { raw in
            guard let found = memchr(raw.baseAddress! + index, 0x0A, end - index) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }
}

/// A file written in order through a small buffer; `flush()` hands complete records to the kernel.
///
/// Flushing per small batch (and whenever the writer waits for a slower record) means a kill loses
/// at most the records in flight, and a kill in the middle of `write` leaves at most one torn last
/// line, which `--resume` drops.
final class OutputFile {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var pending: [UInt8] = []
    private let flushThreshold = 64 << 10

    enum Mode {
        /// Create or empty the file.
        case truncate
        /// Create it when missing; write after what is there.
        case append
    }

    /// Opens `path` ("-" is standard output).
    /// - Throws: `.unwritableOutput` naming the path and the failed `open`.
    init(path: String, mode: Mode) throws(VerifierError) {
        self.path = path
        if path == "-" {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
            return
        }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == .truncate ? O_TRUNC : O_APPEND)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw VerifierError(.unwritableOutput, "cannot create the output \(path)", errno: errno)
        }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Appends one record and its newline.
    func writeLine(_ bytes: [UInt8]) throws(VerifierError) {
        pending.append(contentsOf: bytes)
        pending.append(0x0A)
        if pending.count >= flushThreshold { try flush() }
    }

    /// Writes everything buffered.
    /// - Throws: `.unwritableOutput` when `write` fails (a full disk, a closed pipe).
    func flush() throws(VerifierError) {
        var offset = 0
        defer { pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20) }
        while offset < pending.count {
            let count = pending.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                throw VerifierError(.unwritableOutput, "cannot write the output \(path)", errno: errno)
            }
        }
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, then `rename`.
/// - Throws: `.unwritableOutput` naming the path.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(VerifierError) {
    let temporary = "\(path).tmp-\(getpid())"
    let file = try OutputFile(path: temporary, mode: .truncate)
    do {
        try file.writeLine(bytes)
        try file.flush()
    } catch {
        unlink(temporary)
        throw error
    }
    guard rename(temporary, path) == 0 else {
        let code = errno
        unlink(temporary)
        throw VerifierError(.unwritableOutput, "cannot rename \(temporary) to \(path)", errno: code)
    }
}

/// The device and inode of an existing file (links and other spellings of one path agree), or nil.
func fileIdentity(_ path: String) -> [UInt64]? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return [UInt64(info.st_dev), UInt64(info.st_ino)]
}

/// "No such file or directory" for an errno value.
func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Whether `path` can be written: an existing file is opened for writing (not truncated); a
/// missing one is created and removed again.
/// - Throws: `.unwritableOutput` naming the path and the failed `open`.
func checkWritable(_ path: String) throws(VerifierError) {
    var fd = open(path, O_WRONLY | O_CLOEXEC)
    if fd >= 0 {
        close(fd)
        return
    }
    guard errno == ENOENT else {
        throw VerifierError(.unwritableOutput, "cannot write \(path)", errno: errno)
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
        throw VerifierError(.unwritableOutput, "cannot create \(path)", errno: errno)
    }
    close(fd)
    unlink(path)
}
