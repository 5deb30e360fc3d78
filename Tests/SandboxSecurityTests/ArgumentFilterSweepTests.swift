// The allowlist's argument filters, value by value: each call whose rule looks at an argument
// (socket options, clock ids, futex operations, fcntl commands, madvise advice, mremap flags,
// membarrier commands, getpriority targets, prctl options) is made from a confined child with every value the rule
// allows and with the values it exists to refuse; exactly the allowed ones execute.

import Foundation
import SnippetSandbox
import Testing

/// One call with one set of arguments, and whether the filter lets it run.
struct FilteredCall: CustomStringConvertible, Sendable {
    var syscall: String
    /// Python expressions, evaluated in the probe (see `prelude`).
    var arguments: [String]
    var allowed: Bool
    var why: String

    var description: String { "\(syscall)(\(arguments.joined(separator: ", "))) [\(why)]" }

    /// What the arguments can name: a socketpair, a zeroed buffer and its size, an anonymous
    /// page, a futex word holding 0 (every wait below expects 1, so none blocks), and an
    /// interpreter file opened read-only.
    static let prelude = """
        import ctypes, mmap, os, socket
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        a, b = socket.socketpair()
        buf = ctypes.create_string_buffer(256)
        size = ctypes.c_uint32(256)
        page = mmap.mmap(-1, 8192)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(page))
        word = ctypes.c_uint32(0)
        f = os.open(os.__file__, os.O_RDONLY)
        def arg(v):
            return ctypes.c_long(v) if isinstance(v, int) else v
        """

    func code(number: Int) -> String {
        Self.prelude + "\n" + """
            r = libc.syscall(\(number), \(arguments.map { "arg(\($0))" }.joined(separator: ", ")))
            print('returned', r, 'errno', ctypes.get_errno())
            """
    }

    static func allow(_ syscall: String, _ arguments: [String], _ why: String) -> FilteredCall {
        FilteredCall(syscall: syscall, arguments: arguments, allowed: true, why: why)
    }

    static func deny(_ syscall: String, _ arguments: [String], _ why: String) -> FilteredCall {
        FilteredCall(syscall: syscall, arguments: arguments, allowed: false, why: why)
    }

    static let all: [FilteredCall] = sockets + clocks + futexes + fcntls + memory + others

    static let sockets: [FilteredCall] = {
        let setOK = [("SO_REUSEADDR", 2), ("SO_KEEPALIVE", 9), ("SO_SNDBUF", 7), ("SO_RCVBUF", 8),
                     ("SO_LINGER", 13), ("SO_RCVLOWAT", 18), ("SO_RCVTIMEO", 20), ("SO_SNDTIMEO", 21)]
        let getOK = setOK + [("SO_TYPE", 3), ("SO_ERROR", 4), ("SO_ACCEPTCONN", 30), ("SO_PROTOCOL", 38), ("SO_DOMAIN", 39)]
        let refused = [("SO_ATTACH_FILTER / SO_GET_FILTER", 26), ("SO_ATTACH_BPF", 50), ("SO_PEERCRED", 17),
                       ("SO_COOKIE", 57), ("SO_ATTACH_REUSEPORT_CBPF", 51), ("SO_BINDTODEVICE", 25)]
        var calls: [FilteredCall] = []
        for (name, option) in setOK { calls.append(.allow("setsockopt", ["a.fileno()", "1", "\(option)", "buf", "4"], name)) }
        for (name, option) in getOK { calls.append(.allow("getsockopt", ["a.fileno()", "1", "\(option)", "buf", "ctypes.byref(size)"], name)) }
        for (name, option) in refused {
            calls.append(.deny("setsockopt", ["a.fileno()", "1", "\(option)", "buf", "16"], name))
            calls.append(.deny("getsockopt", ["a.fileno()", "1", "\(option)", "buf", "ctypes.byref(size)"], name))
        }
        // Another level with an allowed option number: the level is checked too.
        calls.append(.deny("setsockopt", ["a.fileno()", "0", "7", "buf", "4"], "SOL_IP"))
        calls.append(.deny("getsockopt", ["a.fileno()", "6", "3", "buf", "ctypes.byref(size)"], "SOL_TCP"))
        return calls
    }()

    static let clocks: [FilteredCall] = {
        let allowed = [0, 1, 2, 3, 4, 5, 6, 7, 11] // system clocks, own process and thread CPU clocks, TAI
        // CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, CLOCK_SGI_CYCLE; process clocks of pid 1
        // and of "pid 0" encoded; a thread clock by tid encoding; a 64-bit value whose low half is 0.
        let refused = ["8", "9", "10", "((~1) << 3) | 2", "((~0) << 3) | 2", "((~1) << 3) | 6", "1 << 32"]
        var calls: [FilteredCall] = []
        for call in ["clock_gettime", "clock_getres"] {
            for id in allowed { calls.append(.allow(call, ["\(id)", "buf"], "clock \(id)")) }
            for id in refused { calls.append(.deny(call, [id, "buf"], "clock \(id)")) }
        }
        for id in [0, 1, 2, 7] { calls.append(.allow("clock_nanosleep", ["\(id)", "0", "buf", "None"], "clock \(id)")) }
        for id in refused { calls.append(.deny("clock_nanosleep", [id, "0", "buf", "None"], "clock \(id)")) }
        return calls
    }()

    static let futexes: [FilteredCall] = {
        // FUTEX_WAIT .. FUTEX_LOCK_PI2: every operation, with and without FUTEX_PRIVATE_FLAG (128);
        // shared, only the waits (0, 9; with FUTEX_CLOCK_REALTIME, 256, too): pthread_join's.
        (0...13).filter { $0 != 2 }.flatMap { op -> [FilteredCall] in
            let arguments = { (op: Int) in ["ctypes.byref(word)", "\(op)", "1", "None", "ctypes.byref(word)", "1"] }
            let shared: FilteredCall = op == 0 || op == 9
                ? .allow("futex", arguments(op), "op \(op) shared") : .deny("futex", arguments(op), "op \(op) shared")
            return [.allow("futex", arguments(op | 128), "op \(op) private"), shared]
        } + [.allow("futex", ["ctypes.byref(word)", "\(9 | 256)", "1", "None", "ctypes.byref(word)", "1"], "op 9 shared, realtime clock")]
    }()

    static let fcntls: [FilteredCall] = {
        let allowed = [("F_DUPFD", 0), ("F_GETFD", 1), ("F_SETFD", 2), ("F_GETFL", 3), ("F_SETFL", 4), ("F_DUPFD_CLOEXEC", 1030)]
        let refused = [("F_GETLK", 5), ("F_SETLK", 6), ("F_SETLKW", 7), ("F_OFD_GETLK", 36), ("F_OFD_SETLK", 37),
                       ("F_OFD_SETLKW", 38), ("F_SETOWN", 8), ("F_SETSIG", 10), ("F_SETLEASE", 1024),
                       ("F_NOTIFY", 1026), ("F_SETPIPE_SZ", 1031), ("F_ADD_SEALS", 1033)]
        return allowed.map { .allow("fcntl", ["f", "\($0.1)", "0"], $0.0) }
            + refused.map { .deny("fcntl", ["f", "\($0.1)", "buf"], $0.0) }
    }()

    static let memory: [FilteredCall] = {
        let adviceOK = [("MADV_NORMAL", 0), ("MADV_RANDOM", 1), ("MADV_SEQUENTIAL", 2), ("MADV_WILLNEED", 3),
                        ("MADV_DONTNEED", 4), ("MADV_FREE", 8), ("MADV_HUGEPAGE", 14), ("MADV_NOHUGEPAGE", 15)]
        let adviceRefused = [("MADV_REMOVE", 9), ("MADV_DONTFORK", 10), ("MADV_MERGEABLE", 12), ("MADV_DONTDUMP", 16),
                             ("MADV_WIPEONFORK", 18), ("MADV_COLD", 20), ("MADV_PAGEOUT", 21),
                             ("MADV_POPULATE_WRITE", 23), ("MADV_COLLAPSE", 25), ("MADV_HWPOISON", 100)]
        return adviceOK.map { .allow("madvise", ["addr", "4096", "\($0.1)"], $0.0) }
            + adviceRefused.map { .deny("madvise", ["addr", "4096", "\($0.1)"], $0.0) }
            + [.allow("mremap", ["addr", "4096", "4096", "0", "0"], "no flags"),
               .allow("mremap", ["addr", "4096", "4096", "1", "0"], "MREMAP_MAYMOVE"),
               .deny("mremap", ["addr", "4096", "4096", "3", "addr"], "MREMAP_FIXED"),
               .deny("mremap", ["addr", "4096", "4096", "5", "0"], "MREMAP_DONTUNMAP")]
    }()

    static let others: [FilteredCall] = [
        .allow("membarrier", ["0", "0", "0"], "MEMBARRIER_CMD_QUERY"),
        .allow("membarrier", ["16", "0", "0"], "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
        .allow("membarrier", ["8", "0", "0"], "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        .allow("membarrier", ["64", "0", "0"], "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
        .allow("membarrier", ["256", "0", "0"], "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
        .deny("membarrier", ["1", "0", "0"], "MEMBARRIER_CMD_GLOBAL"),
        .deny("membarrier", ["2", "0", "0"], "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        .deny("membarrier", ["4", "0", "0"], "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
        .deny("membarrier", ["512", "0", "0"], "MEMBARRIER_CMD_GET_REGISTRATIONS"),
        .allow("getpriority", ["0", "0"], "PRIO_PROCESS, self"),
        .deny("getpriority", ["0", "1"], "PRIO_PROCESS, pid 1"),
        .deny("getpriority", ["0", "os.getppid()"], "PRIO_PROCESS, the server"),
        .deny("getpriority", ["1", "0"], "PRIO_PGRP"),
        .deny("getpriority", ["2", "0"], "PRIO_USER"),
        .allow("prctl", ["4", "0"], "PR_SET_DUMPABLE 0"),
        .deny("prctl", ["4", "1"], "PR_SET_DUMPABLE 1"),
        .deny("prctl", ["3", "0"], "PR_GET_DUMPABLE"),
        .deny("prctl", ["(1 << 32) | 4", "0"], "PR_SET_DUMPABLE with high bits"),
    ]
}

extension SecurityTests {
@Suite("Argument-filter sweep")
struct ArgumentFilterSweepTests {
    @Test func exactlyTheAllowedArgumentValuesExecute() async throws {
        let numbers = Dictionary(try syscallNames().map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        let calls = FilteredCall.all
        let missing = Set(calls.map(\.syscall)).filter { numbers[$0] == nil }
        #expect(missing.isEmpty, "no number for \(missing.sorted())")
        let pool = try await SecurityPool.lightPool()
        let runs = await pool.run(calls.map { $0.code(number: numbers[$0.syscall] ?? -1) },
                                  limits: SyscallSweepTests.sweepLimits)
        var wrong: [String] = []
        for (call, run) in zip(calls, runs) {
            switch (call.allowed, run.outcome) {
            case (true, .completed) where run.stdout.hasPrefix("returned"):
                continue
            case (false, .violation(let name)) where name == call.syscall:
                continue
            default:
                wrong.append("\(call): \(call.allowed ? "allowed" : "refused") expected, got \(run.outcome.summary) \(run.stdout)\(run.stderr.suffix(200))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(calls.count):\n\(wrong.joined(separator: "\n"))")
    }
}
}
