// Throughput and per-snippet cost of the sandbox on a corpus: snippets/s, p50/p99, CPU per
// snippet (servers and their children, from /proc) and server memory before and after.
//
//   snippet-benchmark CORPUS.jsonl [--jobs N] [--count N] [--preload a,b,c] [--no-routing]
//
// CORPUS is JSONL with a "code" field a line (bench/make_corpus.py writes one); the corpus is
// cycled until --count snippets have run. Numbers go to stdout, one "name: value" a line.

import Foundation
import SnippetSandbox

struct Options {
    var corpus = ""
    var jobs = SandboxConfiguration.defaultServerCount
    var count: Int?
    var preload = SandboxConfiguration.defaultPreload
    var routing = true
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--jobs": o.jobs = Int(args.popFirst() ?? "") ?? o.jobs
        case "--count": o.count = Int(args.popFirst() ?? "")
        case "--preload": o.preload = (args.popFirst() ?? "").split(separator: ",").map(String.init)
        case "--no-routing": o.routing = false
        default: o.corpus = a
        }
    }
    guard !o.corpus.isEmpty else {
        FileHandle.standardError.write(Data("usage: snippet-benchmark CORPUS.jsonl [--jobs N] [--count N] [--preload a,b] [--no-routing]\n".utf8))
        exit(2)
    }
    return o
}

/// utime + stime + cutime + cstime of a process, in seconds (fields 14-17 of /proc/PID/stat).
func cpuSeconds(_ pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    let ticks = fields[11...14].compactMap { Double($0) }.reduce(0, +)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func residentMiB(_ pid: Int32) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kib = Double(line.split(separator: " ")[1]) else { return 0 }
    return kib / 1024
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

let options = parse()
let lines = try String(contentsOfFile: options.corpus, encoding: .utf8).split(separator: "\n")
let records: [(code: String, kind: String)] = lines.compactMap { line in
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let code = object["code"] as? String else { return nil }
    return (code, object["kind"] as? String ?? "")
}
let codes = records.map(\.code)
let total = options.count ?? codes.count
let pool = try await ServerPool(configuration: SandboxConfiguration(servers: options.jobs, preload: options.preload, routeByImports: options.routing))
// Every template and server up before the clock starts: this measures the snippets, not start-up.
await pool.startAll()
let pids = pool.serverProcessIDs
let rssBefore = pids.map(residentMiB)
let cpuBefore = pids.map(cpuSeconds).reduce(0, +)
let start = ContinuousClock.now
let runs = await pool.run((0..<total).map { codes[$0 % codes.count] })
let elapsed = ContinuousClock.now - start
let cpuAfter = pool.serverProcessIDs.map(cpuSeconds).reduce(0, +)
let rssAfter = pool.serverProcessIDs.map(residentMiB)
await pool.shutdown()

let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let walls = runs.map { Double($0.usage.wallTime.components.attoseconds) / 1e15 + Double($0.usage.wallTime.components.seconds) * 1000 }.sorted()
var outcomes: [String: Int] = [:]
for run in runs { outcomes[run.outcome.kind.rawValue, default: 0] += 1 }
print("corpus: \(options.corpus) (\(codes.count) snippets, \(total) run)")
print("slots: \(options.jobs), tiers: \(pool.preloadTiers.map { $0.joined(separator: ",") }.joined(separator: " | "))")
print(String(format: "snippets_per_second: %.1f", Double(total) / seconds))
print(String(format: "snippet_wall_ms_p50: %.2f", percentile(walls, 0.5)))
print(String(format: "snippet_wall_ms_p99: %.2f", percentile(walls, 0.99)))
print(String(format: "cpu_ms_per_snippet: %.3f", (cpuAfter - cpuBefore) * 1000 / Double(total)))
print("server_rss_mib_before: \(rssBefore.map { String(format: "%.1f", $0) }.joined(separator: " "))")
print("server_rss_mib_after: \(rssAfter.map { String(format: "%.1f", $0) }.joined(separator: " "))")
print("template_rss_mib: \(pool.templateProcessIDs.map { String(format: "%.1f", residentMiB($0)) }.joined(separator: " "))")
print("outcomes: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
var byKind: [String: [Double]] = [:]
for (i, run) in runs.enumerated() {
    byKind[records[i % records.count].kind, default: []].append(Double(run.usage.cpuTime.components.attoseconds) / 1e15 + Double(run.usage.cpuTime.components.seconds) * 1000)
}
for (kind, cpu) in byKind.sorted(by: { $0.key < $1.key }) where !kind.isEmpty {
    print(String(format: "child_cpu_ms_mean[%@]: %.2f (n=%d)", kind, cpu.reduce(0, +) / Double(cpu.count), cpu.count))
}
print("protections: \(pool.protections.map(\.rawValue).joined(separator: ","))")
