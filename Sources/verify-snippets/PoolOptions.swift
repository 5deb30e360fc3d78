// How many fork servers, what they preload, which missing protections are accepted: --jobs, --preload, --allow-weaker-sandbox.

import ArgumentParser
import SnippetSandbox

struct PoolOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Snippets run at once, each slot with its own fork servers (default: one per core). Example: --jobs 8",
            valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Modules each server imports once, before any snippet, comma-separated. Example: --preload math,fractions,sympy",
            valueName: "modules"))
    var preload = ModuleList(SandboxConfiguration.defaultPreload)

    @Option(
        name: .customLong("allow-weaker-sandbox"),
        help: ArgumentHelp(
            "Run even when the kernel lacks these protections, comma-separated, or all: "
                + Protection.allCases.map(\.rawValue).joined(separator: ", ")
                + "; a missing protection otherwise stops the run. Example: --allow-weaker-sandbox landlock-net,landlock-scope",
            valueName: "protections"))
    var allowWeakerSandbox = ProtectionList([])

    func validate() throws {
        if let jobs, jobs < 1 {
            throw ValidationError("--jobs must be at least 1 (got \(jobs)); example: --jobs 4")
        }
        if preload.modules.isEmpty {
            throw ValidationError("--preload needs at least one module; example: --preload math,sympy")
        }
    }

    func configuration(limits: SandboxLimits) -> SandboxConfiguration {
        SandboxConfiguration(
            servers: jobs ?? SandboxConfiguration.defaultServerCount,
            preload: preload.modules,
            limits: limits,
            acceptMissing: Set(allowWeakerSandbox.protections))
    }

    /// Computations in flight or waiting to be written: four per server keeps every server busy
    /// while one slow record holds back the ordered writer.
    func window(servers: Int) -> Int {
        max(8, servers * 4)
    }
}

/// "math,fractions,sympy": Python module names.
struct ModuleList: ExpressibleByArgument, Sendable {
    var modules: [String]

    init(_ modules: [String]) {
        self.modules = modules
    }

    init?(argument: String) {
        let names = argument.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        let valid = names.allSatisfy { name in
            name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && !part.first!.isNumber && part.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            }
        }
        guard valid else { return nil }
        self.init(names)
    }

    var defaultValueDescription: String { modules.joined(separator: ",") }
}

/// "landlock-net,landlock-scope" or "all": protections the user accepts to run without.
struct ProtectionList: ExpressibleByArgument, Sendable {
    var protections: [Protection]

    init(_ protections: [Protection]) {
        self.protections = protections
    }

    init?(argument: String) {
        if argument.trimmingCharacters(in: " ") == "all" {
            self.init(Protection.allCases)
            return
        }
        var protections: [Protection] = []
        for name in argument.split(separator: ",") {
            guard let protection = Protection(rawValue: name.trimmingCharacters(in: " ")) else { return nil }
            protections.append(protection)
        }
        self.init(protections)
    }

    var defaultValueDescription: String { protections.isEmpty ? "none" : protections.map(\.rawValue).joined(separator: ",") }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
