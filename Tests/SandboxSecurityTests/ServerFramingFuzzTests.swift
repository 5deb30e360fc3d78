// Random and mutated request frames written straight into a fork server (and fork requests into a
// template): it must answer what it can parse and exit cleanly at the first malformed frame,
// never crash, hang or run a child (or fork a server) on garbage.

import Foundation
import Glibc
import TestSupport
import Testing

extension SecurityTests {
@Suite("Server framing fuzz")
struct ServerFramingFuzzTests {
    static let requestMagic: UInt32 = 0x5145_5256

    /// A request header with the given code length and limits, as the Swift side writes it.
    static func header(codeLength: UInt32, wallMs: UInt64 = 1000) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        append(requestMagic); append(codeLength); append(wallMs); append(UInt64(1))
        append(UInt64(1 << 30)); append(UInt64(1 << 16)); append(UInt64(1 << 20)); append(UInt32(64)); append(UInt32(64))
        return bytes
    }

    /// One input: junk, a valid frame then junk, a header with an absurd length, or a header cut short.
    static func input(_ rng: inout SeededGenerator) -> [UInt8] {
        let junk = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let code = Array("print(1)".utf8)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return junk
        case 1: return header(codeLength: UInt32(code.count)) + code + junk
        case 2: return header(codeLength: UInt32.random(in: 1 << 24 ... UInt32.max, using: &rng)) + junk
        case 3: return Array(header(codeLength: 8).prefix(Int.random(in: 1..<56, using: &rng)))
        default:
            var frame = header(codeLength: UInt32(code.count)) + code
            frame[Int.random(in: 0..<frame.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            return frame
        }
    }

    @Test func malformedFramesEndTheServerCleanly() async throws {
        let server = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("snippet-server")
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(state: seed)
        var failures: [String] = []
        for i in 0..<60 {
            let bytes = Self.input(&rng)
            let process = Process()
            process.executableURL = server
            process.arguments = ["--preload", "math"]
            process.environment = [:]
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            try stdin.fileHandleForWriting.write(contentsOf: bytes)
            try stdin.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                failures.append("input \(i) (\(bytes.count) bytes): the server hung")
                continue
            }
            _ = stdout.fileHandleForReading.readDataToEndOfFile()
            if process.terminationReason == .uncaughtSignal {
                failures.append("input \(i) (\(bytes.count) bytes): killed by signal \(process.terminationStatus)")
            }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "\n"))")
        #expect(strayProcesses().isEmpty)
    }

    static let forkMagic: UInt32 = 0x4B52_4656

    /// A template's fork requests come with two descriptors; junk, a request cut short, or a
    /// well-formed one without its descriptors must end the template cleanly, without a server.
    @Test func malformedForkRequestsEndTheTemplateCleanly() async throws {
        let server = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("snippet-server")
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(state: seed)
        var failures: [String] = []
        for i in 0..<20 {
            var magic: [UInt8] = []
            withUnsafeBytes(of: Self.forkMagic.littleEndian) { magic += $0 }
            let junk = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let bytes = [junk, magic + [0, 0, 0, 0], Array(magic.prefix(Int.random(in: 1...4, using: &rng)))][i % 3]
            var pair: [Int32] = [-1, -1]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0)
            let process = Process()
            process.executableURL = server
            process.arguments = ["--template", "--preload", "math"]
            process.environment = [:]
            let theirs = FileHandle(fileDescriptor: pair[1], closeOnDealloc: true)
            process.standardInput = theirs
            process.standardOutput = theirs
            process.standardError = FileHandle.nullDevice
            try process.run()
            try theirs.close()
            let ours = FileHandle(fileDescriptor: pair[0], closeOnDealloc: true)
            let hello = try ours.read(upToCount: 40) ?? Data()
            try ours.write(contentsOf: bytes)
            shutdown(pair[0], Int32(SHUT_WR))
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            // What it answered: end of file, or a reset when it left our bytes unread.
            var rest = [UInt8](repeating: 0, count: 256), answered = 0
            while case let n = read(pair[0], &rest[0], rest.count), n > 0 { answered += n }
            try ours.close()
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                failures.append("input \(i): the template hung")
                continue
            }
            if hello.count != 40 { failures.append("input \(i): no hello (\(hello.count) bytes)") }
            if answered > 0 { failures.append("input \(i): answered \(answered) bytes (a server was forked?)") }
            if process.terminationReason == .uncaughtSignal {
                failures.append("input \(i): killed by signal \(process.terminationStatus)")
            }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "\n"))")
    }
}
}
