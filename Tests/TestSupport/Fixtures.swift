// Where the repository's fixtures are, for every test target.

import Foundation

public enum FixturePaths {
    /// The repository's fixtures folder, found from this file's own path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")
}
