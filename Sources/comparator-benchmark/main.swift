// Measures comparisons per second on the graded fixtures and their agreement with the graded verdicts.
//
// Usage: comparator-benchmark [FIXTURES_DIR] [SECONDS]   (defaults: fixtures/graded, 3)
//        comparator-benchmark --compare RESULT EXPRESSION PRINTED   (one comparison, for debugging)
import Foundation
import MathComparator

struct GradedCase: Decodable {
    var result: String
    var expression: String
    var printed: String
    var verdict: String
    var why: String
}

func verdict(_ c: Comparison) -> String {
    switch c {
    case .equivalent: return "correct"
    case .different: return "wrong"
    case .noExpectedValue: return "unverifiable"
    }
}

let arguments = CommandLine.arguments
let comparator = Comparator()

if arguments.count == 5 && arguments[1] == "--compare" {
    print(comparator.compare(result: arguments[2], expression: arguments[3], printed: arguments[4]))
    exit(0)
}

let directory = URL(fileURLWithPath: arguments.count > 1 ? arguments[1] : "fixtures/graded")
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3

var cases: [(file: String, line: Int, graded: GradedCase)] = []
do {
    let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "jsonl" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    for file in files {
        let text = try String(contentsOf: file, encoding: .utf8)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let graded = try JSONDecoder().decode(GradedCase.self, from: Data(line.utf8))
            cases.append((file.lastPathComponent, index + 1, graded))
        }
    }
} catch {
    FileHandle.standardError.write(Data("cannot read fixtures in \(directory.path): \(error)\n".utf8))
    exit(1)
}
guard !cases.isEmpty else {
    FileHandle.standardError.write(Data("no graded cases in \(directory.path)\n".utf8))
    exit(1)
}

var agreeing = 0
for c in cases {
    let outcome = comparator.compare(result: c.graded.result, expression: c.graded.expression, printed: c.graded.printed)
    if verdict(outcome) == c.graded.verdict {
        agreeing += 1
    } else {
        print("disagree \(c.file):\(c.line): graded \(c.graded.verdict), got \(outcome)")
    }
}

/// CPU time of this process: on a shared machine, wall time would count other processes' work.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

var comparisons = 0
var equivalent = 0
let wallStart = Date()
let cpuStart = cpuSeconds()
while cpuSeconds() - cpuStart < seconds {
    for c in cases {
        if case .equivalent = comparator.compare(result: c.graded.result, expression: c.graded.expression, printed: c.graded.printed) {
            equivalent += 1
        }
        comparisons += 1
    }
}
let cpu = cpuSeconds() - cpuStart
let wall = Date().timeIntervalSince(wallStart)
print("cases: \(cases.count)")
print("agreement: \(agreeing)/\(cases.count) (\(String(format: "%.1f", 100 * Double(agreeing) / Double(cases.count)))%)")
print("comparisons: \(comparisons) (\(equivalent) equivalent)")
print("comparisons/s: \(Int(Double(comparisons) / cpu)) per CPU second on one thread (\(Int(Double(comparisons) / wall)) per wall second)")
