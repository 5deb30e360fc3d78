// Getting a run as another user (uid 4242) started: what it must be able to reach.

import Foundation

public enum AnotherUser {
    /// The uid (and gid) such runs use: nothing else on the machine runs as it, and it is not the
    /// sandbox's nobody, which other tests watch.
    public static let uid: uid_t = 4242

    /// Copies the built `verify-snippets` and `snippet-server` from `products` into `folder` (the
    /// build folder may be closed to that user), opens the folder to everyone, and makes
    /// `readable` (files already in it) readable by all.
    public static func stage(productsFrom products: URL, into folder: String, readable: [String]) throws {
        for name in ["verify-snippets", "snippet-server"] {
            try FileManager.default.copyItem(atPath: products.appendingPathComponent(name).path, toPath: "\(folder)/\(name)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        for path in readable {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
    }
}
