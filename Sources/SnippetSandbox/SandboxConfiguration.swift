// How a pool of fork servers is set up: how many, what they preload, where the server binary is.

/// Settings for a `ServerPool`.
public struct SandboxConfiguration: Sendable, Hashable {
    /// Snippets that run at once, each in its own slot. A slot keeps one fork server per preload
    /// tier (see `routeByImports`) and runs one child at a time. Default: one per core.
    public var servers: Int
    /// Modules imported once per preload tier (in the template its servers are cloned from), before
    /// any snippet, so snippets pay nothing for them.
    public var preload: [String]
    /// Route each snippet to the lightest server whose preload covers the heavy modules it names
    /// (see `Routing`). Default true; false runs everything on servers with the full preload.
    public var routeByImports: Bool
    /// Limits applied to every snippet unless a call passes its own.
    public var limits: SandboxLimits
    /// Protections the caller agrees to do without when the kernel lacks them. Empty by
    /// default: a missing protection stops the pool from starting.
    public var acceptMissing: Set<Protection>
    /// Folders of Python packages that snippets may import, searched before the interpreter's
    /// own (a virtual environment's `site-packages` with the networkx or pandas a pipeline
    /// wants): absolute paths of existing folders, each read as a site directory (its `.pth`
    /// files too). The private root and Landlock show exactly these folders, read-only, and
    /// nothing more. Empty by default: the distribution's packages only.
    public var packageFolders: [String]
    /// The `snippet-server` executable. Nil: `VERIFY_SNIPPETS_SERVER` from the environment, else
    /// the `snippet-server` beside the running executable.
    public var serverExecutable: String?
    /// Where each server makes its private scratch folder (the only place a snippet may write)
    /// when it does not run as root. Outside /tmp and /dev/shm on purpose: those are shared with
    /// everything else. As root the folder is a small tmpfs inside the server's private root,
    /// and this is not used.
    public var scratchRoot: String
    /// Digits Python may convert between `int` and `str` (`sys.set_int_max_str_digits`). Default
    /// 0, no limit: `str(2**20000)` works as a mathematician expects, and the CPU limit bounds
    /// what a huge conversion costs. 4300 restores Python's own guard; otherwise at least 640.
    public var intMaxStrDigits: Int

    public static let defaultPreload = [
        "math", "cmath", "fractions", "decimal", "itertools", "functools", "statistics",
        "random", "re", "numpy", "sympy", "scipy",
    ]

    public init(
        servers: Int = SandboxConfiguration.defaultServerCount,
        preload: [String] = SandboxConfiguration.defaultPreload,
        routeByImports: Bool = true,
        limits: SandboxLimits = .default,
        acceptMissing: Set<Protection> = [],
        serverExecutable: String? = nil,
        scratchRoot: String = "/var/tmp",
        packageFolders: [String] = [],
        intMaxStrDigits: Int = 0
    ) {
        self.servers = max(1, servers)
        self.preload = preload
        self.routeByImports = routeByImports
        self.limits = limits
        self.acceptMissing = acceptMissing
        self.serverExecutable = serverExecutable
        self.scratchRoot = scratchRoot
        self.packageFolders = packageFolders
        self.intMaxStrDigits = intMaxStrDigits
    }

    /// One server per core the process may run on.
    public static var defaultServerCount: Int { max(1, availableCores()) }
}
