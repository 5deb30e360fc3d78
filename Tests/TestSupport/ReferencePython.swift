// The machine's own python3, the interpreter the servers embed: the reference for what ordinary
// programs print, and where its standard library lives (which differs from version to version).

import Foundation
import Glibc

public enum ReferencePython {
    /// Debian's and Ubuntu's python3 (what `pkg-config python3-embed` names there), or the one
    /// in VERIFY_SNIPPETS_REFERENCE_PYTHON when the package is built against another.
    public static let path = ProcessInfo.processInfo.environment["VERIFY_SNIPPETS_REFERENCE_PYTHON"] ?? "/usr/bin/python3"

    /// The standard library's folder (`/usr/lib/python3.11` on Debian 12, `3.13` on Debian 13).
    public static let standardLibrary: String = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-I", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "/usr/lib/python3" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}

/// Kernel features some tests depend on, read from the running kernel.
public enum KernelFeatures {
    /// Transparent huge pages can back an anonymous heap on request (not `[never]`) and the
    /// kernel has MADV_COLLAPSE (Linux 6.1), which huge_pages.c asks for.
    public static let collapsesHugePages: Bool = {
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? "[never]"
        guard !mode.contains("[never]") else { return false }
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
        return parts.count == 2 && (parts[0], parts[1]) >= (6, 1)
    }()
}
