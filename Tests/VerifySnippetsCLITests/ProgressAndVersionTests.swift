// The progress line's total (records of the shard in a regular file) and --version.

import Foundation
import SnippetVerifier
import Testing
@testable import verify_snippets

@Suite struct ProgressAndVersionTests {
    @Test func theTotalCountsTheShardsNonBlankLines() throws {
        let folder = try CLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/in.jsonl"
        // Lines 0..5: a record, a blank, a record, whitespace, a record, a record without a newline.
        try "{\"a\":1}\n\n{\"a\":2}\r\n \t\n{\"a\":3}\n{\"a\":4}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(RecordCount.records(inFile: path, shard: .all) == 4)
        #expect(RecordCount.records(inFile: path, shard: Shard(index: 0, count: 2)!) == 3)  // lines 0, 2, 4
        #expect(RecordCount.records(inFile: path, shard: Shard(index: 1, count: 2)!) == 1)  // lines 1, 3, 5
        #expect(RecordCount.records(inFile: "-", shard: .all) == nil)
        #expect(RecordCount.records(inFile: folder, shard: .all) == nil)
    }

    @Test func versionIsPrinted() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == verifySnippetsVersion + "\n")
    }
}
