// The limits each snippet runs under: --timeout, --cpu, --memory, --max-output build a SandboxLimits;
// --int-max-str-digits goes to every server.

import ArgumentParser
import SnippetSandbox

struct LimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Wall-clock seconds a snippet may run (the published pipeline's 10). Example: --timeout 2.5",
            valueName: "seconds"))
    var timeout = Seconds(SandboxLimits.default.wallTime)

    @Option(
        help: ArgumentHelp("CPU seconds a snippet may use, all threads, rounded up to whole seconds. Example: --cpu 5", valueName: "seconds"))
    var cpu = Seconds(SandboxLimits.default.cpuTime)

    @Option(
        help: ArgumentHelp(
            "Address space a snippet may map (K, M, G suffixes, powers of 1024). Example: --memory 1G", valueName: "size"))
    var memory = SandboxLimits.default.memory

    @Option(
        name: .customLong("max-output"),
        help: ArgumentHelp("Captured output per stream; past it the snippet is stopped. Example: --max-output 256K", valueName: "size"))
    var maxOutput = SandboxLimits.default.output

    @Option(
        name: .customLong("int-max-str-digits"),
        help: ArgumentHelp(
            "Digits Python may convert between int and str; 0 (the default) is no limit, the CPU limit bounding the cost. "
                + "Python's own guard is 4300. Example: --int-max-str-digits 4300",
            valueName: "n"))
    var intMaxStrDigits = 0

    func validate() throws {
        if intMaxStrDigits < 0 || (1..<640).contains(intMaxStrDigits) {
            throw ValidationError("--int-max-str-digits must be 0 (no limit) or at least 640 (got \(intMaxStrDigits)); example: --int-max-str-digits 4300")
        }
    }

    /// The limits every snippet of the run gets (all but --int-max-str-digits, which is the servers').
    var sandboxLimits: SandboxLimits {
        var limits = SandboxLimits.default
        limits.wallTime = timeout.duration
        limits.cpuTime = cpu.duration
        limits.memory = memory
        limits.output = maxOutput
        return limits
    }
}

/// A positive number of seconds: "10", "2.5", "500ms", "1.5s".
struct Seconds: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        var text = Substring(argument.lowercased())
        var scale = 1.0
        if text.hasSuffix("ms") {
            text = text.dropLast(2)
            scale = 0.001
        } else if text.hasSuffix("s") {
            text = text.dropLast()
        }
        guard let value = Double(text), value.isFinite, value > 0, value * scale <= 86_400 else { return nil }
        self.init(.milliseconds(Int64((value * scale * 1000).rounded(.up))))
    }

    var defaultValueDescription: String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)" : "\(Double(seconds) + Double(attoseconds) / 1e18)"
    }
}

extension ByteCount: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public var defaultValueDescription: String { description }
}
