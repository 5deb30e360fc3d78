// A benign snippet's verdict must not depend on what runs beside it or ran before it: each
// attack of fixtures/attacks/neighbours/ and channels/ runs on one server while benign snippets
// run on the other (and on the same one afterwards), and the benign ones must print exactly
// what they print alone.

import Foundation
import SnippetSandbox
import Testing

enum Benign {
    /// Uses what the neighbour attacks try to use up: threads (RLIMIT_NPROC), real-time signals
    /// sent with pthread_kill (the pending-signal count), a descriptor passed over a socketpair
    /// (the in-flight count), and, when it starts, a confinement that hands its listener over.
    static let perUserCounts = """
        import signal, socket, threading
        got = []
        signal.signal(signal.SIGRTMIN + 1, lambda s, f: got.append(s))
        for _ in range(3):
            signal.pthread_kill(threading.get_ident(), signal.SIGRTMIN + 1)
        out = []
        ts = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]
        for t in ts: t.start()
        for t in ts: t.join()
        a, b = socket.socketpair()
        socket.send_fds(a, [b"x"], [0])
        print(len(got), sum(out), len(socket.recv_fds(b, 1, 1)[1]))
        """
    static let perUserCountsOutput = "3 28 1\n"

    /// Locks, conditions and queues between threads: private futexes only, which the channel
    /// attacks' refused shared ones must leave working.
    static let threadsAndLocks = """
        import queue, threading
        from concurrent.futures import ThreadPoolExecutor
        q = queue.Queue()
        cv = threading.Condition()
        done = []
        def produce():
            for i in range(100):
                q.put(i)
            with cv:
                done.append(True)
                cv.notify_all()
        threading.Thread(target=produce).start()
        with cv:
            cv.wait_for(lambda: done, timeout=5)
        with ThreadPoolExecutor(4) as pool:
            squares = sum(pool.map(lambda x: x * x, range(50)))
        print(sum(q.get() for _ in range(100)), squares)
        """
    static let threadsAndLocksOutput = "4950 40425\n"

    /// About 0.2 s of CPU in pure Python, after a pause that lets the neighbour get going.
    static let cpuBound = """
        import time
        time.sleep(0.3)
        total = 0
        for i in range(3_000_000):
            total += i * i % 7
        print(total)
        """
    static let cpuBoundOutput = "5999999\n"
}

extension SnippetRun {
    /// What a failed expectation shows about a run.
    fileprivate var shown: String {
        "\(outcome.summary): stdout \(stdout.prefix(300)) stderr \(stderr.suffix(300))"
    }
}

extension SecurityTests {
@Suite("Neighbours")
struct NeighbourTests {
    static func attack(_ family: String, _ name: String) throws -> Attack {
        try #require(try Attack.all().first { $0.family == family && $0.name == name })
    }

    /// Runs `attack` and, after `pause` (time to take what it holds), `benign` three times
    /// beside it (the pool's other server), then twice more after it (on either server).
    static func runBeside(_ attack: Attack, benign: String, pause: Duration = .milliseconds(400),
                          limits: SandboxLimits = SecurityPool.attackLimits,
                          benignLimits: SandboxLimits = SecurityPool.attackLimits)
        async throws -> (attack: SnippetRun, beside: [SnippetRun], after: [SnippetRun]) {
        let pool = try await SecurityPool.lightPool()
        async let attackRun = pool.run(attack.code, limits: limits)
        try await Task.sleep(for: pause)
        var beside: [SnippetRun] = []
        for _ in 0..<3 { beside.append(await pool.run(benign, limits: benignLimits)) }
        let attacked = await attackRun
        let after = await pool.run([benign, benign], limits: benignLimits)
        return (attacked, beside, after)
    }

    @Test(arguments: ["scm_rights_in_flight", "socket_cycle_left_in_flight", "threads_up_to_nproc", "rt_signals_queued"])
    func perUserCountsAreTheChildsOwn(name: String) async throws {
        let attack = try Self.attack("neighbours", name)
        let (attacked, beside, after) = try await Self.runBeside(attack, benign: Benign.perUserCounts)
        #expect(attack.matches(attacked.outcome), "\(name): \(attacked.shown)")
        for run in beside + after {
            #expect(run.outcome == .completed && run.stdout == Benign.perUserCountsOutput,
                    "beside or after \(name): \(run.shown)")
        }
    }

    @Test func busyThreadsDoNotStarveTheNeighbour() async throws {
        let attack = try Self.attack("neighbours", "cpu_threads_starve")
        // The attack may burn CPU for the whole wall clock; the benign snippet needs 0.2 s of
        // CPU and gets 5 s. Sixty runnable threads against one would leave it 1/61 of the
        // machine; a scheduler group per child leaves it half.
        let (attacked, beside, after) = try await Self.runBeside(
            attack, benign: Benign.cpuBound,
            limits: SandboxLimits(wallTime: .seconds(6), cpuTime: .seconds(30), memory: .gibibytes(1)),
            benignLimits: SandboxLimits(wallTime: .seconds(5), cpuTime: .seconds(5), memory: .gibibytes(1)))
        #expect(attack.matches(attacked.outcome), "\(attacked.shown)")
        for run in beside + after {
            #expect(run.outcome == .completed && run.stdout == Benign.cpuBoundOutput, "\(run.shown)")
        }
    }

    @Test(arguments: ["futex_wake_shared_file_mapping", "futex_wait_shared_file_mapping", "futex_waitv_shared",
                      "fcntl_getlk_shared_file", "fcntl_ofd_setlk_shared_file", "flock_shared_file"])
    func channelAttacksLeaveThreadsAndLocksWorking(name: String) async throws {
        let attack = try Self.attack("channels", name)
        // No pause: these attacks take milliseconds, so the first benign run starts with them.
        let (attacked, beside, after) = try await Self.runBeside(attack, benign: Benign.threadsAndLocks, pause: .zero)
        #expect(attack.matches(attacked.outcome), "\(name): \(attacked.shown)")
        #expect(!attacked.stdout.contains(Attack.marker), "\(name): \(attacked.stdout)")
        for run in beside + after {
            #expect(run.outcome == .completed && run.stdout == Benign.threadsAndLocksOutput,
                    "beside or after \(name): \(run.shown)")
        }
    }
}
}
