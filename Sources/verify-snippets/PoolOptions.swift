// How many fork servers, what they preload, which missing protections are accepted: --jobs, --preload, --allow-weaker-sandbox.

import ArgumentParser
import Foundation
import SnippetSandbox

struct PoolOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Snippets run at once, each slot with its own fork servers (default: one per core); the servers are "
                + "cloned from one warmed template per preload tier, so start-up does not grow with it. Example: --jobs 8",
            valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Modules imported once per tier, before its first snippet, comma-separated (numpy, scipy and sympy make "
                + "tiers of their own, started only when a snippet names them). Example: --preload math,fractions,sympy",
            valueName: "modules"))
    var preload = ModuleList(SandboxConfiguration.defaultPreload)

    @Option(
        name: .customLong("python-path"),
        help: ArgumentHelp(
            "Folders of Python packages snippets may import, searched before the distribution's: colon-separated "
                + "or repeated; each is shown read-only in the sandbox, nothing else is. "
                + "Example: --python-path /opt/venvs/math/lib/python3.11/site-packages",
            valueName: "folders"))
    var pythonPath: [String] = []

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
        for folder in packageFolders {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--python-path: \(folder) is not a folder; example: --python-path /opt/venv/lib/python3.11/site-packages")
            }
        }
    }

    /// The --python-path folders, absolute (the servers do not run in this working folder).
    var packageFolders: [String] {
        let here = FileManager.default.currentDirectoryPath
        return pythonPath.flatMap { $0.split(separator: ":").map(String.init) }.map { folder in
            URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: here, isDirectory: true)).standardizedFileURL.path
        }
    }

    func configuration(limits: SandboxLimits) -> SandboxConfiguration {
        SandboxConfiguration(
            servers: jobs ?? SandboxConfiguration.defaultServerCount,
            preload: preload.modules,
            limits: limits,
            acceptMissing: Set(allowWeakerSandbox.protections),
            packageFolders: packageFolders)
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
