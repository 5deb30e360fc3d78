// The protections a confined child can have, by the names summaries print.

/// One layer of the sandbox. The pool reports the set that is active in every child.
public enum Protection: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// A seccomp-bpf allowlist, default deny: no sockets, processes, exec, ptrace, mounts...
    case seccomp = "seccomp"
    /// Landlock on the file system: read-only access to the interpreter's files, one scratch
    /// folder writable, nothing else.
    case landlockFilesystem = "landlock-fs"
    /// Landlock on TCP (ABI 4): no bind, no connect.
    case landlockNetwork = "landlock-net"
    /// Landlock scoping (ABI 6): no signals to, no abstract sockets of, processes outside.
    case landlockScoping = "landlock-scope"
    /// The child runs as an unprivileged user (dropped from root to a uid of its own, or never root),
    /// so it cannot raise its own limits again.
    case unprivilegedUser = "unprivileged-user"
    /// `PR_SET_NO_NEW_PRIVS`: nothing the child does can gain privileges.
    case noNewPrivileges = "no-new-privs"
    /// rlimits on address space, CPU, file size, descriptors, threads and core dumps.
    case resourceLimits = "rlimits"
    /// A read-only root holding only the interpreter's files (a mount namespace and
    /// pivot_root, as root): nothing else on the host can even be stat()ed.
    case privateRoot = "private-root"

    public static func < (lhs: Protection, rhs: Protection) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
