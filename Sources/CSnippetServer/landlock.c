/* Landlock: the ruleset is built once per server; each child only restricts itself with it. */
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "log.h"

/* Debian 12's kernel headers stop at ABI 3; the kernel here speaks ABI 7. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define VS_LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define VS_LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define VS_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define VS_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

/* The kernel's struct landlock_ruleset_attr as of ABI 6; older ABIs read a prefix of it. */
struct vs_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};
_Static_assert(sizeof(struct vs_ruleset_attr) == 24, "landlock_ruleset_attr of ABI 6");

struct vs_path_beneath {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));
_Static_assert(sizeof(struct vs_path_beneath) == 12, "landlock_path_beneath_attr is packed");

#define FS_FILE_RIGHTS                                                                    \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
     LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* Every file-system right the ABI knows: what is handled and not granted is denied. */
static uint64_t handled_fs(int abi) {
    uint64_t all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0..12 */
    if (abi >= 2) all |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) all |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) all |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return all;
}

int vs_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

static int add_path(int ruleset, const char *path, uint64_t rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -errno; /* a path that is not there grants nothing */
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    if (!S_ISDIR(st.st_mode)) rights &= FS_FILE_RIGHTS;
    struct vs_path_beneath rule = {.allowed_access = rights, .parent_fd = fd};
    long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int e = rc == 0 ? 0 : -errno;
    if (e) PLOG_E("landlock_add_rule(%s)", path);
    close(fd);
    return e;
}

/* Builds a ruleset that lets a child read the interpreter's files and write its scratch folder,
 * and nothing else; adds the network and scoping restrictions the ABI has. Returns the ruleset
 * descriptor and sets the VS_PROTECT_LANDLOCK_* bits it covers, or -errno. */
int vs_landlock_build_ruleset(int abi, const char *const *read_paths, size_t n_read,
                              const char *scratch_dir, uint32_t *protections) {
    struct vs_ruleset_attr attr = {.handled_access_fs = handled_fs(abi)};
    size_t size = sizeof(uint64_t);
    uint32_t bits = VS_PROTECT_LANDLOCK_FS;
    if (abi >= 4) {
        /* Blocks TCP bind and connect, a second wall behind seccomp's ban on socket(). */
        attr.handled_access_net = VS_LANDLOCK_ACCESS_NET_BIND_TCP | VS_LANDLOCK_ACCESS_NET_CONNECT_TCP;
        size = 2 * sizeof(uint64_t);
        bits |= VS_PROTECT_LANDLOCK_NET;
    }
    if (abi >= 6) {
        /* Blocks signals to the server and other children, and abstract Unix sockets. */
        attr.scoped = VS_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | VS_LANDLOCK_SCOPE_SIGNAL;
        size = sizeof attr;
        bits |= VS_PROTECT_LANDLOCK_SCOPE;
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) {
        PLOG_E("landlock_create_ruleset(ABI %d)", abi);
        return -errno;
    }
    /* Blocks reading secrets: only the interpreter's own code and data are readable. */
    const uint64_t read_only = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    for (size_t i = 0; i < n_read; i++) {
        int rc = add_path(ruleset, read_paths[i], read_only);
        if (rc) {
            close(ruleset);
            return rc;
        }
    }
    /* Blocks writing anywhere but the child's own scratch folder; no devices, sockets or fifos
     * can be made even there. */
    uint64_t scratch = attr.handled_access_fs &
                       ~(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                         LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SOCK |
                         LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_IOCTL_DEV);
    int rc = add_path(ruleset, scratch_dir, scratch);
    if (rc) {
        close(ruleset);
        return rc;
    }
    *protections |= bits;
    return ruleset;
}

int vs_landlock_restrict(int ruleset_fd, const char **step) {
    *step = "landlock_restrict_self";
    return syscall(SYS_landlock_restrict_self, ruleset_fd, 0) == 0 ? 0 : -errno;
}
