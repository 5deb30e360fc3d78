// A package folder the user names (a virtual environment's site-packages) is importable in the
// sandbox, read-only, and shows nothing beside it.

import Foundation
import SnippetSandbox
import Testing

extension SandboxTests {
@Suite("Package folders")
struct PackageFolderTests {
    /// <tmp>/verify-snippets-packages-N/{site/vs_fixture_pkg/__init__.py, secret.txt}, readable
    /// by the sandbox's user. /tmp on purpose: the private root is assembled over /tmp.
    static func makeFolders() throws -> (root: URL, site: URL) {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("verify-snippets-packages-\(UUID().uuidString)")
        let package = root.appendingPathComponent("site/vs_fixture_pkg")
        try fm.createDirectory(at: package, withIntermediateDirectories: true)
        try "VALUE = 41\n".write(to: package.appendingPathComponent("__init__.py"), atomically: true, encoding: .utf8)
        try "not for snippets\n".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        for folder in [root, root.appendingPathComponent("site"), package] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
        return (root, root.appendingPathComponent("site"))
    }

    @Test func aNamedFolderIsImportableReadOnlyAndAlone() async throws {
        let (root, site) = try Self.makeFolders()
        defer { try? FileManager.default.removeItem(at: root) }
        let pool = try await ServerPool(configuration: SandboxConfiguration(
            servers: 1, preload: ["math"], packageFolders: [site.path]))
        let imported = await pool.run("import vs_fixture_pkg\nprint(vs_fixture_pkg.VALUE + 1)")
        let written = await pool.run("open('\(site.path)/vs_fixture_pkg/x.py', 'w').write('x')")
        let beside = await pool.run("print(open('\(root.path)/secret.txt').read())")
        await pool.shutdown()
        #expect(imported.outcome == .completed && imported.stdout == "42\n", imported.explanation)
        #expect(written.outcome.kind == .exception, written.explanation)
        #expect(!FileManager.default.fileExists(atPath: site.path + "/vs_fixture_pkg/x.py"))
        #expect(beside.outcome.kind == .exception && !beside.stdout.contains("not for snippets"), beside.explanation)
    }

    @Test func withoutTheFolderThePackageIsNotThere() async throws {
        let (root, _) = try Self.makeFolders()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await SharedPool.get().run("import vs_fixture_pkg")
        #expect(run.outcome == .exception(type: "ModuleNotFoundError", message: "No module named 'vs_fixture_pkg'"), run.explanation)
    }

    @Test func aFolderThatIsNotThereStopsThePoolWithItsName() async throws {
        let missing = "/var/tmp/verify-snippets-no-such-folder-\(UUID().uuidString)"
        await #expect {
            _ = try await ServerPool(configuration: SandboxConfiguration(servers: 1, preload: ["math"], packageFolders: [missing]))
        } throws: { error in
            guard let error = error as? SandboxError, case .serverStartFailed = error.code else { return false }
            return error.message.contains(missing)
        }
    }
}
}
