// Generated snippets that combine attack primitives, benign math and random mutations, run in
// the sandbox with the corpus's invariants checked on every one. Seeded; the seed is printed on
// failure. VERIFY_SNIPPETS_FUZZ_SEED and VERIFY_SNIPPETS_FUZZ_COUNT reproduce or lengthen a run.

import Foundation
import SnippetSandbox
import TestSupport
import Testing

/// SplitMix64: small, seedable, the same sequence on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds snippets from parts. Every attack primitive prints the marker only when its call
/// returned normally, so a marker in any output is an escape.
enum SnippetGenerator {
    /// Statements that each try one forbidden thing; `{M}` is replaced by the success print.
    static let attacks = [
        "import socket\ns = socket.socket()\n{M}",
        "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n{M}",
        "import socket\ns = socket.socket(socket.AF_UNIX)\n{M}",
        "import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)\n{M}",
        "import os\nos.execv('/bin/true', ['true'])\n{M}",
        "import subprocess\nsubprocess.run(['/bin/true'])\n{M}",
        "import os\nos.kill(os.getppid(), 9)\n{M}",
        "import os\nos.kill(1, 0)\n{M}",
        "open('/etc/passwd').read()\n{M}",
        "open('/var/tmp/verify-snippets-canary').read()\n{M}",
        "open('/tmp/verify-snippets-attack-fuzz', 'w').write('x')\n{M}",
        "open('\(ReferencePython.standardLibrary)/verify-snippets-attack-fuzz', 'w').write('x')\n{M}",
        "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))\n{M}",
        "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (-1, -1))\n{M}",
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nif libc.syscall({S}, 0, 0, 0, 0, 0, 0) >= 0:\n    {M}",
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nif libc.unshare(0x10000000) == 0:\n    {M}",
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nif libc.ptrace(16, __import__('os').getppid(), 0, 0) == 0:\n    {M}",
        "import os\nos.setsid()\n{M}",
        "import os\nos.chroot('/scratch')\n{M}",
    ]

    static let benign = [
        "print(sum(range({N})))",
        "import math\nprint(math.factorial({N} % 30))",
        "from fractions import Fraction\nprint(Fraction({N}, 7) + Fraction(1, 3))",
        "import sympy\nx = sympy.symbols('x')\nprint(sympy.expand((x + {N})**2))",
        "import numpy as np\nprint(np.arange({N} % 10).sum())",
        "print('value:', {N} * 3)",
    ]

    /// Wrappers that change how an attack runs: caught, in a thread, in a loop, deferred.
    static let wrappers: [@Sendable (String) -> String] = [
        { $0 },
        { "try:\n" + indent($0) + "\nexcept BaseException:\n    pass" },
        { "import threading\ndef _t():\n    try:\n" + indent(indent($0)) + "\n    except BaseException:\n        pass\nth = threading.Thread(target=_t)\nth.start()\nth.join()" },
        { "for _i in range(2):\n" + indent("try:\n" + indent($0) + "\nexcept BaseException:\n    pass") },
        { "import atexit\ndef _late():\n" + indent("try:\n" + indent($0) + "\nexcept BaseException:\n    pass") + "\natexit.register(_late)" },
        { "def _f():\n" + indent($0) + "\ntry:\n    _f()\nexcept BaseException:\n    print('blocked')" },
    ]

    static func indent(_ code: String, _ prefix: String = "    ") -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }

    static func make(using rng: inout SeededGenerator) -> String {
        var parts: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let n = String(Int.random(in: 0...500, using: &rng))
            if Bool.random(using: &rng) {
                let attack = attacks.randomElement(using: &rng)!
                    .replacingOccurrences(of: "{M}", with: "print('SANDBOX-' + 'ESCAPED')")
                    .replacingOccurrences(of: "{N}", with: n)
                    .replacingOccurrences(of: "{S}", with: String(SweepArchitecture.dangerousNumbers.randomElement(using: &rng)!))
                parts.append(wrappers.randomElement(using: &rng)!(attack))
            } else {
                parts.append(benign.randomElement(using: &rng)!.replacingOccurrences(of: "{N}", with: n))
            }
        }
        var code = parts.joined(separator: "\n")
        // Mutations that cannot turn an attack into a bare marker print (deleting its line
        // could, and so could a stray ':' that makes a call an annotation): a NUL byte or an
        // unterminated string anywhere, which no compiler accepts; duplicated code.
        switch Int.random(in: 0..<10, using: &rng) {
        case 0 where !code.isEmpty:
            let i = code.index(code.startIndex, offsetBy: Int.random(in: 0..<code.count, using: &rng))
            code.insert(contentsOf: ["\u{0}", "\"\"\""].randomElement(using: &rng)!, at: i)
        case 1: code += "\n" + code
        default: break
        }
        return code
    }
}

extension SecurityTests {
@Suite("Generative fuzzing")
struct GenerativeFuzzTests {
    @Test func generatedSnippetsNeverEscape() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["VERIFY_SNIPPETS_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        let count = environment["VERIFY_SNIPPETS_FUZZ_COUNT"].flatMap(Int.init) ?? 1000
        var rng = SeededGenerator(state: seed)
        let snippets = (0..<count).map { _ in SnippetGenerator.make(using: &rng) }
        let host = try HostWatch()
        defer { host.tearDown() }
        // The full pool routes the benign sympy and numpy parts to servers that have them loaded.
        let pool = try await SecurityPool.fullPool()
        let limits = SandboxLimits(wallTime: .seconds(2), cpuTime: .seconds(1), memory: .gibibytes(1), output: .kibibytes(64))
        let runs = await pool.run(snippets, limits: limits)
        var failures: [String] = []
        for (code, run) in zip(snippets, runs) {
            if run.stdout.contains(Attack.marker) || run.stderr.contains(Attack.marker) {
                failures.append("escaped (\(run.outcome.summary)):\n\(code)")
            }
            if case .sandboxError(let why) = run.outcome { failures.append("sandbox error \(why):\n\(code)") }
            if run.stdout.contains(host.secret) { failures.append("read the canary:\n\(code)") }
        }
        let seedNote = "seed \(seed) (rerun with VERIFY_SNIPPETS_FUZZ_SEED=\(seed))"
        #expect(failures.isEmpty, "\(seedNote): \(failures.count) failures:\n\(failures.prefix(5).joined(separator: "\n---\n"))")
        #expect(host.canaryUnchanged(), "\(seedNote): the canary changed")
        #expect(host.connectionsReceived() == 0, "\(seedNote): the loopback listener was reached")
        #expect(host.attackLeftovers().isEmpty, "\(seedNote): files written outside: \(host.attackLeftovers())")
        #expect(strayProcesses().isEmpty, "\(seedNote): processes left behind")
        var kinds: [String: Int] = [:]
        for run in runs { kinds[run.outcome.kind.rawValue, default: 0] += 1 }
        print("generative fuzzing: \(count) snippets, \(seedNote), outcomes \(kinds.sorted { $0.key < $1.key })")

        #expect(kinds["violation", default: 0] > 0 && kinds["completed", default: 0] > 0, "the generator exercises both attacks and benign code")
    }
}
}
