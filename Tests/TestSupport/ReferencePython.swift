// The machine's own python3, the interpreter the servers embed: the reference for what ordinary
// programs print, and where its standard library lives (which differs from version to version).

import Foundation

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
