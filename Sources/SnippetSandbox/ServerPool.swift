// A pool of fork servers behind an async API: one snippet per server at a time, the rest wait.

import Dispatch
import Glibc
import Synchronization

/// N fork servers, each running one confined child at a time.
///
/// `run` never throws and never hangs: whatever the snippet does comes back as a
/// `SnippetOutcome`, and a server that dies is restarted for the next snippet. Callers beyond
/// the pool's size wait their turn (first come, first served).
public final class ServerPool: Sendable {
    public let configuration: SandboxConfiguration
    /// Protections active in every child of every server.
    public let protections: [Protection]
    /// The Landlock ABI the kernel speaks (0: none).
    public let landlockABI: Int
    /// servers[slot][tier]: each slot runs one snippet at a time on the tier its source needs.
    private let servers: [[ForkServer]]
    /// templates[tier]: what forks that tier's servers.
    private let templates: [ServerTemplate]
    private let routing: Routing
    private let slots: SlotQueue

    /// Starts the lightest tier's template and one server from it, and waits until the server
    /// has said hello. Every other server starts when the first snippet that needs it arrives,
    /// and each tier's template (which imports and warms the tier's preload, once for every
    /// slot) with the first of its servers: a tier the input never needs costs nothing.
    ///
    /// - Throws: `SandboxError` with `.protectionMissing` when the kernel lacks a protection the
    ///   configuration does not accept to do without; `.serverNotFound`, `.spawnFailed` or
    ///   `.serverStartFailed` when a server cannot start (a preload module of any tier that is not
    ///   installed is found now, not when its tier starts).
    public init(configuration: SandboxConfiguration) async throws(SandboxError) {
        let executable = try Self.locateServer(configuration.serverExecutable)
        let routing = Routing(preload: configuration.preload, enabled: configuration.routeByImports)
        var common = ["--scratch-root", configuration.scratchRoot, "--int-max-str-digits", "\(configuration.intMaxStrDigits)"]
        if !configuration.packageFolders.isEmpty {
            common += ["--package-folders", configuration.packageFolders.joined(separator: ":")]
        }
        if !configuration.acceptMissing.isEmpty {
            common += ["--accept-missing", configuration.acceptMissing.map(\.rawValue).sorted().joined(separator: ",")]
        }
        let templates = routing.tiers.enumerated().map { tier, preload in
            let others = tier == 0 ? routing.tiers.joined().filter { !preload.contains($0) } : []
            let find = others.isEmpty ? [] : ["--find-modules", Array(Set(others)).sorted().joined(separator: ",")]
            return ServerTemplate(launch: ServerTemplate.Launch(
                executable: executable, arguments: ["--preload", preload.joined(separator: ",")] + find + common,
                name: "the fork-server template of tier \(tier) (\(routing.tierName(tier)), preload \(preload.joined(separator: ",")))"))
        }
        let servers = (0..<configuration.servers).map { slot in
            routing.tiers.indices.map { tier in
                ForkServer(
                    launch: ForkServer.Launch(
                        template: templates[tier],
                        name: "the fork server of tier \(tier) (\(routing.tierName(tier)), preload \(routing.tiers[tier].joined(separator: ",")))"),
                    label: "snippet-server-\(slot)-\(tier)")
            }
        }
        let first = servers[0][0]
        let hello = await withCheckedContinuation { continuation in
            first.queue.async {
                continuation.resume(returning: Result { () throws(SandboxError) in try first.start() })
            }
        }
        switch hello {
        case .success(let h):
            self.protections = h.protections.sorted()
            self.landlockABI = h.landlockABI
        case .failure(let error):
            await Self.stop(servers, templates)
            throw Self.explain(error)
        }
        self.configuration = configuration
        self.servers = servers
        self.templates = templates
        self.routing = routing
        self.slots = SlotQueue(count: servers.count)
    }

    /// Starts every template and every server now rather than on first need: for a caller that
    /// wants the first snippet of each tier to wait for nothing, or to measure start-up apart
    /// from the snippets. A server that cannot start is left for its first snippet to report.
    public func startAll() async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers.joined() {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        server.queue.async {
                            _ = try? server.start()
                            continuation.resume()
                        }
                    }
                }
            }
        }
    }

    /// Runs one snippet under `limits` (the configuration's by default) in a fresh confined child.
    public func run(_ code: String, limits: SandboxLimits? = nil) async -> SnippetRun {
        let limits = limits ?? configuration.limits
        if code.utf8.count > WireFormat.maxCodeBytes {
            return SnippetRun(
                outcome: .sandboxError("the snippet is larger than \(ByteCount(bytes: Int64(WireFormat.maxCodeBytes)))"),
                stdout: "", stderr: "", usage: .zero)
        }
        let slot = await slots.acquire()
        defer { slots.release(slot) }
        let server = servers[slot][routing.tier(for: code)]
        return await withCheckedContinuation { continuation in
            server.queue.async { continuation.resume(returning: server.run(code: code, limits: limits)) }
        }
    }

    /// Runs every snippet, as many at once as there are servers; results in input order.
    public func run(_ codes: [String], limits: SandboxLimits? = nil) async -> [SnippetRun] {
        await withTaskGroup(of: (Int, SnippetRun).self) { group in
            for (i, code) in codes.enumerated() {
                group.addTask { (i, await self.run(code, limits: limits)) }
            }
            var runs = [SnippetRun?](repeating: nil, count: codes.count)
            for await (i, run) in group { runs[i] = run }
            return runs.map { $0! }
        }
    }

    /// The pids of the servers running now (one not started yet, or dead, is left out), for
    /// monitoring their memory and CPU from outside.
    public var serverProcessIDs: [Int32] {
        servers.joined().compactMap { $0.processID }
    }

    /// The pids of the tiers' templates running now: the memory the servers share.
    public var templateProcessIDs: [Int32] {
        templates.compactMap { $0.processID }
    }

    /// The preload list of each tier, lightest first.
    public var preloadTiers: [[String]] { routing.tiers }

    /// Stops every server and template: closes its pipe and reaps it. Call once, when done.
    public func shutdown() async {
        await Self.stop(servers, templates)
    }

    /// Kills one server with SIGKILL (by its own pid) and returns that pid; the next snippet
    /// on it restarts it. For this package's tests of the restart path.
    package func killServer(slot: Int, tier: Int) -> Int32? {
        servers[slot][tier].killProcess()
    }

    private static func stop(_ servers: [[ForkServer]], _ templates: [ServerTemplate]) async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers.joined() {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        server.queue.async {
                            server.stop()
                            continuation.resume()
                        }
                    }
                }
            }
        }
        // Templates last: a server that was starting has its answer by now.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                for template in templates { template.stop() }
                continuation.resume()
            }
        }
    }

    private static func explain(_ error: SandboxError) -> SandboxError {
        guard case .protectionMissing(let missing) = error.code else { return error }
        return SandboxError(
            .protectionMissing(missing),
            "\(error.message). To run with a weaker sandbox anyway, accept it explicitly "
                + "(SandboxConfiguration.acceptMissing, or --allow-weaker-sandbox "
                + missing.map(\.rawValue).joined(separator: ",") + " on the command line).")
    }

    static func locateServer(_ explicit: String?) throws(SandboxError) -> String {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = getenv("VERIFY_SNIPPETS_SERVER") {
            candidates.append(String(cString: fromEnvironment))
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        if n > 0 {
            let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let folder = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            candidates.append(folder + "/snippet-server")
        }
        if let found = candidates.first(where: { access($0, X_OK) == 0 }) { return found }
        throw SandboxError(
            .serverNotFound,
            "the snippet-server executable was not found (looked at: \(candidates.joined(separator: ", "))). "
                + "In this repository, `swift build` builds it; a package that depends on this one lists "
                + #".product(name: "snippet-server", package: "verify-snippets") in its executable target's "#
                + "dependencies, so that it is built beside that executable; or set "
                + "SandboxConfiguration.serverExecutable or VERIFY_SNIPPETS_SERVER to its path")
    }
}

/// Free server indices and the tasks waiting for one, first come first served.
final class SlotQueue: Sendable {
    private struct State {
        var free: [Int]
        var waiters: [CheckedContinuation<Int, Never>] = []
        var head = 0
    }
    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(free: Array((0..<count).reversed())))
    }

    func acquire() async -> Int {
        await withCheckedContinuation { continuation in
            let index: Int? = state.withLock { s in
                if let i = s.free.popLast() { return i }
                s.waiters.append(continuation)
                return nil
            }
            if let index { continuation.resume(returning: index) }
        }
    }

    func release(_ index: Int) {
        let waiter: CheckedContinuation<Int, Never>? = state.withLock { s in
            guard s.head < s.waiters.count else {
                s.free.append(index)
                return nil
            }
            let w = s.waiters[s.head]
            s.head += 1
            if s.head > 1024 && s.head * 2 > s.waiters.count {
                s.waiters.removeFirst(s.head)
                s.head = 0
            }
            return w
        }
        waiter?.resume(returning: index)
    }
}
