/* The fork server. With --template it is the template of one preload tier: it starts once
 * (environment, private view, interpreter, preload and warm-up, policies), says hello, then forks
 * one server for each request of the Swift side. Each server makes what must be its own (a
 * session, namespaces, the scratch folder, its Landlock ruleset), says its own hello, then serves:
 * one request in, one child, one response out, until end of input. Without --template the
 * process makes itself that one server, on its standard input and output. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "huge_pages.h"
#include "installation.h"
#include "interpreter.h"
#include "log.h"
#include "reaper.h"
#include "scratch.h"
#include "seccomp_arch.h"
#include "snippet_server.h"

/* Folders a user may add (--package-folders): enough for a few virtual environments. */
#define VS_MAX_PACKAGE_FOLDERS 16

struct vs_options {
    bool template;      /* serve fork requests (vs_fork_request), not snippets */
    const char *preload;
    const char *others; /* modules the other tiers preload: checked to be installed */
    const char *scratch_root;
    uint32_t accept_missing; /* enum vs_protection bits the caller accepts to do without */
    char *packages[VS_MAX_PACKAGE_FOLDERS]; /* absolute paths of existing folders */
    size_t package_count;
    long int_max_str_digits; /* 0: no limit on int-to-str conversion; else at least 640 */
};

/* "/a/site-packages:/b": each an absolute path to a folder that exists. */
static int parse_package_folders(char *value, struct vs_options *o, char *error, size_t len) {
    for (char *save = NULL, *folder = strtok_r(value, ":", &save); folder; folder = strtok_r(NULL, ":", &save)) {
        struct stat st;
        const char *why = folder[0] != '/'              ? "not an absolute path"
                          : stat(folder, &st) != 0       ? strerror(errno)
                          : !S_ISDIR(st.st_mode)         ? "not a folder"
                                                         : NULL;
        if (why) {
            snprintf(error, len, "package folder %s: %s", folder, why);
            return -1;
        }
        if (o->package_count == VS_MAX_PACKAGE_FOLDERS) {
            snprintf(error, len, "more than %d package folders", VS_MAX_PACKAGE_FOLDERS);
            return -1;
        }
        o->packages[o->package_count++] = folder;
    }
    return 0;
}

static const struct { const char *name; uint32_t bit; } vs_protection_names[] = {
    {"seccomp", VS_PROTECT_SECCOMP},           {"landlock-fs", VS_PROTECT_LANDLOCK_FS},
    {"landlock-net", VS_PROTECT_LANDLOCK_NET}, {"landlock-scope", VS_PROTECT_LANDLOCK_SCOPE},
    {"unprivileged-user", VS_PROTECT_UNPRIVILEGED}, {"no-new-privs", VS_PROTECT_NO_NEW_PRIVS},
    {"rlimits", VS_PROTECT_RLIMITS},     {"private-root", VS_PROTECT_PRIVATE_ROOT},
};

static int parse_options(int argc, char **argv, struct vs_options *o, char *error, size_t len) {
    o->template = false;
    o->preload = "math";
    o->others = "";
    o->scratch_root = "/var/tmp";
    o->accept_missing = 0;
    o->package_count = 0;
    o->int_max_str_digits = 0;
    for (int i = 1; i < argc; i += 2) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--template") == 0) {
            o->template = true;
            i--; /* a flag, without a value */
        } else if (strcmp(argv[i], "--preload") == 0 && value) {
            o->preload = value;
        } else if (strcmp(argv[i], "--find-modules") == 0 && value) {
            o->others = value;
        } else if (strcmp(argv[i], "--scratch-root") == 0 && value) {
            o->scratch_root = value;
        } else if (strcmp(argv[i], "--package-folders") == 0 && value) {
            if (parse_package_folders(argv[i + 1], o, error, len) != 0) return -1;
        } else if (strcmp(argv[i], "--int-max-str-digits") == 0 && value) {
            char *end;
            errno = 0;
            o->int_max_str_digits = strtol(value, &end, 10);
            if (errno || *end || end == value || o->int_max_str_digits < 0 ||
                (o->int_max_str_digits > 0 && o->int_max_str_digits < 640)) {
                snprintf(error, len, "--int-max-str-digits must be 0 (no limit) or at least 640: %s", value);
                return -1;
            }
        } else if (strcmp(argv[i], "--accept-missing") == 0 && value) {
            for (size_t k = 0; k < sizeof vs_protection_names / sizeof vs_protection_names[0]; k++)
                if (strstr(value, vs_protection_names[k].name)) o->accept_missing |= vs_protection_names[k].bit;
        } else {
            snprintf(error, len, "unknown option or missing value: %s", argv[i]);
            return -1;
        }
    }
    return 0;
}

static int write_all(int fd, const void *data, size_t length) {
    const char *p = data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

/* 1: got it all; 0: end of input before the first byte; -1: error or a torn frame. */
static int read_all(int fd, void *data, size_t length) {
    char *p = data;
    size_t got = 0;
    while (got < length) {
        ssize_t n = read(fd, p + got, length - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return got == 0 && n == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

static int send_hello(int fd, enum vs_start_failure failure, uint32_t protections, uint32_t missing, int abi,
                      const char *note) {
    struct vs_hello h = {.magic = VS_HELLO_MAGIC, .version = VS_PROTOCOL_VERSION, .ok = failure == VS_START_READY,
                         .failure = failure, .missing = missing, .protections = protections, .landlock_abi = (uint32_t)abi,
                         .server_pid = (uint32_t)getpid(), .note_length = (uint32_t)strlen(note)};
    return write_all(fd, &h, sizeof h) || write_all(fd, note, h.note_length) ? -1 : 0;
}

static int send_result(int fd, struct vs_result *r) {
    struct vs_response *h = &r->header;
    h->magic = VS_RESPONSE_MAGIC;
    h->stdout_length = (uint32_t)r->out.length;
    h->stderr_length = (uint32_t)r->err.length;
    h->note_length = (uint32_t)strlen(r->note);
    if (write_all(fd, h, sizeof *h) || write_all(fd, r->out.data, r->out.length) ||
        write_all(fd, r->err.data, r->err.length) || write_all(fd, r->note, h->note_length))
        return -1;
    return 0;
}

/* Blocks leaking the caller's secrets: whoever started us, the interpreter and every child see
 * only these variables. HOME and TMPDIR point at the scratch folder; the thread counts keep
 * OpenBLAS and OpenMP from starting threads of their own. */
static void reset_environment(const char *scratch) {
    /* The strings themselves sit on the initial stack, which every child inherits: wipe them,
     * not only the pointers (the Swift side passes only LD_BIND_NOW=1, read by the loader long
     * before this; a server started by hand may have anything). */
    for (char **variable = environ; variable && *variable; variable++) explicit_bzero(*variable, strlen(*variable));
    clearenv();
    setenv("HOME", scratch, 1);
    setenv("TMPDIR", scratch, 1);
    setenv("LANG", "C.UTF-8", 1);
    setenv("PATH", "/usr/bin:/bin", 1);
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    setenv("OMP_NUM_THREADS", "1", 1);
    setenv("MKL_NUM_THREADS", "1", 1);
    setenv("PYTHONHASHSEED", "0", 1);
}

/* The protocol pipes arrive as stdin and stdout; the interpreter's own stdin and stdout must be
 * other descriptors (/dev/null here, the capture pipes in each child), so move them up. */
static int take_protocol_fds(int *request_fd, int *response_fd) {
    *request_fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10);
    *response_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 10);
    int null = open("/dev/null", O_RDWR);
    if (*request_fd < 0 || *response_fd < 0 || null < 0) return -1;
    int rc = dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ? -1 : 0;
    close(null);
    return rc;
}

/* A session of its own, for the scheduler: each session is an autogroup (where the kernel has
 * them, /proc/sys/kernel/sched_autogroup_enabled), the CPU is shared between autogroups before
 * threads, and every child inherits its server's. As each server runs one child at a time, a
 * child with 60 busy threads then cannot starve the child of another server into a wall-clock
 * timeout (neighbours/cpu_threads_starve.py). One setsid per server: one per child would cost
 * an autogroup's creation and teardown every time (0.5 ms of CPU measured). A server cloned from
 * its template is no process-group leader, so setsid simply works. One started by hand may lead
 * its group, which setsid refuses: it first steps into its parent's group (same session), which
 * it cannot name when that group lives outside its PID namespace (getpgid answers 0); then it
 * goes on without. */
static void own_session(void) {
    if (getsid(0) == getpid() || setsid() >= 0) return;
    pid_t group = getpgid(getppid());
    if (group <= 0) {
        LOG_E("a session of our own (CPU share per server): our parent's process group is not in our PID namespace");
        return;
    }
    if (setpgid(0, group) != 0 || setsid() < 0) PLOG_E("a session of our own (CPU share per server)");
}

static uint32_t available_protections(int abi, bool *can_drop) {
    uint32_t bits = VS_PROTECT_NO_NEW_PRIVS | VS_PROTECT_RLIMITS | VS_PROTECT_UNPRIVILEGED;
    if (vs_seccomp_available()) bits |= VS_PROTECT_SECCOMP;
    if (abi >= 1) bits |= VS_PROTECT_LANDLOCK_FS;
    if (abi >= 4) bits |= VS_PROTECT_LANDLOCK_NET;
    if (abi >= 6) bits |= VS_PROTECT_LANDLOCK_SCOPE;
    /* As root we drop to a uid of the child's own; as anyone else the child is already unprivileged. */
    *can_drop = geteuid() == 0;
    return bits;
}

static void missing_note(uint32_t missing, char *note, size_t len) {
    size_t used = (size_t)snprintf(note, len, "the kernel lacks:");
    for (size_t k = 0; k < sizeof vs_protection_names / sizeof vs_protection_names[0]; k++)
        if ((missing & vs_protection_names[k].bit) && used < len)
            used += (size_t)snprintf(note + used, len - used, " %s", vs_protection_names[k].name);
    if ((missing & VS_PROTECT_PRIVATE_ROOT) && used < len)
        snprintf(note + used, len - used, " (the private root needs root, or a user namespace this user may create)");
}

/* (Re)builds the ruleset every child restricts itself with, at a descriptor of 10 or above. */
static int rebuild_landlock(struct vs_confinement *c, int abi, const char *scratch) {
    size_t n;
    const char *const *paths = vs_interpreter_read_paths(&n);
    int fd = vs_landlock_build_ruleset(abi, paths, n, scratch, &c->protections);
    int high = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 10) : -1;
    if (fd >= 0) close(fd);
    if (high < 0) return -1;
    if (c->landlock_ruleset_fd >= 0) close(c->landlock_ruleset_fd);
    c->landlock_ruleset_fd = high;
    return 0;
}

/* Zeroes the stack the next request's calls will reuse: deeper than any of them goes (the
 * reaper, snprintf's conversions, libseccomp's name lookup use a few KiB). The whole pages are
 * given back rather than written: written, each of the 16 is a write fault in the server after
 * every fork (the fork left it write-protected) and one more page table entry every child
 * copies and drops; given back, only the few the next request touches come back, zero-filled
 * (server page faults per print(2 + 3): 25 -> 10). */
static __attribute__((noinline)) void wipe_stack_below(void) {
    char stale[64 * 1024];
    const uintptr_t page = (uintptr_t)getpagesize(), start = (uintptr_t)stale, end = start + sizeof stale;
    const uintptr_t first = (start + page - 1) & ~(page - 1), last = end & ~(page - 1);
    /* With pages as large as the area (64 KiB on some aarch64 kernels) there may be none whole. */
    if (last > first && madvise((void *)first, last - first, MADV_DONTNEED) == 0) {
        explicit_bzero(stale, first - start);
        explicit_bzero((void *)last, end - last);
    } else {
        explicit_bzero(stale, sizeof stale);
    }
    __asm__ volatile("" : : "r"(stale) : "memory");
}

/* What a template prepares once and every server it forks starts from. */
struct vs_template {
    struct vs_options opts;
    int abi;
    bool as_root;
    int proc_fd;               /* /proc, for each server's user namespace; -1 when none needs it */
    struct vs_scratch scratch; /* the view, and where each server's folder goes */
    struct vs_confinement c;   /* privileges, protections, the seccomp program; each server adds its ruleset */
};

/* Everything that is the same for every server of a tier, in the template. VS_START_READY, or
 * why not, with the note (and, for a missing protection, `missing`) filled. */
static enum vs_start_failure prepare(struct vs_template *t, int argc, char **argv, uint32_t *missing, char *note,
                                     size_t len) {
    *t = (struct vs_template){.proc_fd = -1, .c = {.landlock_ruleset_fd = -1}};
    *missing = 0;
    if (parse_options(argc, argv, &t->opts, note, len) != 0) return VS_START_BAD_OPTION;
    struct vs_options *opts = &t->opts;
    t->abi = vs_landlock_abi();
    uint32_t protections = available_protections(t->abi, &t->as_root);
    /* Before the private root hides /proc. */
    int maps_fd = vs_huge_pages_open();
    int status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    t->proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    /* The private root shows the installation when it is not under /usr, and the package folders. */
    struct vs_installation installation;
    vs_installation_find(&installation);
    const char *shown[VS_MAX_PACKAGE_FOLDERS + 1];
    size_t shown_count = 0;
    if (strcmp(installation.prefix, "/usr") != 0 && strncmp(installation.prefix, "/usr/", 5) != 0)
        shown[shown_count++] = installation.prefix;
    for (size_t k = 0; k < opts->package_count; k++) shown[shown_count++] = opts->packages[k];
    enum vs_start_failure failure = VS_START_SETUP_FAILED;
    if (vs_scratch_prepare(&t->scratch, opts->scratch_root, t->as_root, t->proc_fd, shown, shown_count) != 0) {
        snprintf(note, len, "cannot make the private view or scratch folder under %s: %s", opts->scratch_root,
                 strerror(errno));
        goto out;
    }
    int hidden = t->scratch.view ? vs_host_name_hide() : 0;
    if (hidden != 0) {
        snprintf(note, len, "cannot make a UTS namespace for the host name: %s", strerror(-hidden));
        goto out;
    }
    reset_environment(t->scratch.path);
    t->c.privileges = t->as_root                ? VS_DROP_TO_CHILD_UID
                      : t->scratch.user_namespace ? VS_DROP_CAPABILITIES
                                                  : VS_KEEP_USER;
    /* Everything, the private root included (it needs root or a user namespace): without it
     * Landlock still denies every read and write outside, but stat() sees more, and the scratch
     * folder is a plain folder, neither size-capped nor noexec, where a snippet can fill the
     * disk or map code it wrote (README, Protections). */
    if (t->scratch.view) protections |= VS_PROTECT_PRIVATE_ROOT;
    const uint32_t required = VS_PROTECT_SECCOMP | VS_PROTECT_LANDLOCK_FS | VS_PROTECT_LANDLOCK_NET |
                              VS_PROTECT_LANDLOCK_SCOPE | VS_PROTECT_UNPRIVILEGED |
                              VS_PROTECT_NO_NEW_PRIVS | VS_PROTECT_RLIMITS | VS_PROTECT_PRIVATE_ROOT;
    *missing = required & ~protections & ~opts->accept_missing;
    if (*missing) {
        missing_note(*missing, note, len);
        failure = VS_START_PROTECTION_MISSING;
        goto out;
    }
    const struct vs_interpreter_setup setup = {
        .program = installation.program, .preload = opts->preload, .others = opts->others,
        .packages = (const char *const *)opts->packages, .package_count = opts->package_count,
        .scratch_dir = t->scratch.path, .int_max_str_digits = opts->int_max_str_digits};
    if (vs_interpreter_init(&setup, note, len) != 0) {
        failure = VS_START_INTERPRETER_FAILED;
        goto out;
    }
    if ((protections & VS_PROTECT_SECCOMP) && vs_seccomp_build(&t->c.seccomp, -1) != 0) {
        snprintf(note, len, "building the seccomp policy failed");
        goto out;
    }
    /* Built here once only to learn what it enforces (and that it can be built): each server
     * builds its own, for the mount of its own scratch folder. */
    if ((protections & VS_PROTECT_LANDLOCK_FS) && rebuild_landlock(&t->c, t->abi, t->scratch.path) != 0) {
        snprintf(note, len, "building the Landlock ruleset failed");
        goto out;
    }
    if (t->c.landlock_ruleset_fd >= 0) close(t->c.landlock_ruleset_fd);
    t->c.landlock_ruleset_fd = -1;
    t->c.protections |= protections & (VS_PROTECT_SECCOMP | VS_PROTECT_UNPRIVILEGED | VS_PROTECT_NO_NEW_PRIVS |
                                       VS_PROTECT_RLIMITS | VS_PROTECT_PRIVATE_ROOT);
    /* Last: the heap every server, and so every child, will inherit is complete now. */
    vs_huge_pages_collapse(maps_fd);
    maps_fd = -1;
    vs_interpreter_count_threads(status_fd);
    status_fd = -1;
    if (!t->scratch.user_namespace && t->proc_fd >= 0) {
        close(t->proc_fd);
        t->proc_fd = -1;
    }
    failure = VS_START_READY;
out:
    if (maps_fd >= 0) close(maps_fd);
    if (status_fd >= 0) close(status_fd);
    return failure;
}

/* One server, made from the prepared template (in a child of it, or in the process itself):
 * its own session, scratch folder and namespaces, its hello, then the requests until end of
 * input. Returns the exit status. */
static int serve(struct vs_template *t, int request_fd, int response_fd) {
    char note[VS_MAX_NOTE_BYTES] = "";
    struct vs_confinement c = t->c;
    own_session();
    struct vs_scratch scratch = t->scratch;
    int status = 1;
    int made = vs_scratch_create(&scratch, t->proc_fd);
    if (t->proc_fd >= 0) close(t->proc_fd); /* no child may inherit the host's /proc */
    if (made != 0) {
        snprintf(note, sizeof note, "cannot make a scratch folder: %s", strerror(-made));
        send_hello(response_fd, VS_START_SETUP_FAILED, c.protections, 0, t->abi, note);
        return 1;
    }
    if (chdir(scratch.path) != 0) PLOG_E("chdir(%s)", scratch.path);
    if (!scratch.view && vs_interpreter_set_scratch(scratch.path) != 0) {
        send_hello(response_fd, VS_START_SETUP_FAILED, c.protections, 0, t->abi, "naming the scratch folder failed");
        goto out;
    }
    if ((c.protections & VS_PROTECT_LANDLOCK_FS) && rebuild_landlock(&c, t->abi, scratch.path) != 0) {
        send_hello(response_fd, VS_START_SETUP_FAILED, c.protections, 0, t->abi, "building the Landlock ruleset failed");
        goto out;
    }
    char *code = malloc(VS_MAX_CODE_BYTES + 1);
    if (!code) {
        send_hello(response_fd, VS_START_SETUP_FAILED, c.protections, 0, t->abi, "cannot allocate the request buffer");
        goto out;
    }
    if (send_hello(response_fd, VS_START_READY, c.protections, 0, t->abi, "") != 0) goto out;

    struct vs_result result = {0};
    for (uint32_t children = 0;; children++) {
        struct vs_request req;
        int got = read_all(request_fd, &req, sizeof req);
        if (got == 0) {
            status = 0; /* the client closed the pipe: done */
            break;
        }
        if (got < 0 || req.magic != VS_REQUEST_MAGIC || req.code_length > VS_MAX_CODE_BYTES ||
            read_all(request_fd, code, req.code_length) != 1) {
            LOG_E("malformed request");
            break;
        }
        code[req.code_length] = '\0';
        /* Every child inherits this process's memory: nothing of an earlier snippet may be in
         * it at the fork, neither in the result it was sent nor on the stack below this frame
         * (the deeper calls of its run: the refused call's notification, the note's digits). */
        explicit_bzero(&result.header, sizeof result.header);
        explicit_bzero(result.note, sizeof result.note);
        result.out.length = result.err.length = 0;
        wipe_stack_below();
        int rc = 0;
        if (c.privileges == VS_DROP_TO_CHILD_UID) {
            c.child_uid = vs_child_uid(getpid(), children);
            rc = vs_scratch_hand_to(&scratch, c.child_uid);
        }
        if (rc == 0) rc = vs_run_request(&c, &req, code, &result);
        if (rc != 0) {
            result.header.outcome = VS_OUTCOME_SETUP_FAILED;
            result.header.detail = -rc;
            snprintf(result.note, sizeof result.note, "fork server: pipe or fork");
        }
        int wiped = vs_scratch_wipe(&scratch);
        if (wiped < 0) LOG_E("could not empty %s", scratch.path);
        /* A Landlock rule names the folder's mount as it was: a new tmpfs needs a new rule. */
        if (wiped == 1 && c.landlock_ruleset_fd >= 0 && rebuild_landlock(&c, t->abi, scratch.path) != 0) break;
        int sent = send_result(response_fd, &result);
        /* The source too, or the next child could read it with ctypes. (What it printed lives
         * in pages no child maps: reaper.c.) */
        explicit_bzero(code, req.code_length);
        if (sent != 0) break;
    }
out:
    vs_scratch_remove(&scratch);
    return status;
}

/* A fork request and the two descriptors that came with it, moved to 10 and above (a child
 * arranges its own at 0 to 4: confine.h). 1: got them; 0: end of input; -1: anything else, and
 * whatever descriptors came are closed. */
static int receive_fork_request(int control, int fds[2]) {
    struct vs_fork_request req;
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(2 * sizeof(int))];
    } space;
    struct iovec iov = {.iov_base = &req, .iov_len = sizeof req};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = space.bytes, .msg_controllen = sizeof space.bytes};
    ssize_t n;
    do n = recvmsg(control, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    while (n < 0 && errno == EINTR);
    if (n == 0) return 0;
    int got[2] = {-1, -1};
    size_t count = 0;
    for (struct cmsghdr *m = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; m; m = CMSG_NXTHDR(&msg, m)) {
        if (m->cmsg_level != SOL_SOCKET || m->cmsg_type != SCM_RIGHTS) continue;
        size_t k = (m->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t j = 0; j < k; j++) {
            int fd;
            memcpy(&fd, CMSG_DATA(m) + j * sizeof fd, sizeof fd);
            if (count < 2) got[count] = fd;
            else close(fd);
            count++;
        }
    }
    bool ok = n == (ssize_t)sizeof req && req.magic == VS_FORK_MAGIC && count == 2 && !(msg.msg_flags & MSG_CTRUNC);
    for (int j = 0; j < 2; j++) {
        fds[j] = ok ? fcntl(got[j], F_DUPFD_CLOEXEC, 10) : -1;
        if (got[j] >= 0) close(got[j]);
        if (ok && fds[j] < 0) ok = false;
    }
    if (!ok) {
        for (int j = 0; j < 2; j++)
            if (fds[j] >= 0) close(fds[j]);
        return -1;
    }
    return 1;
}

/* The template's loop: a server for each fork request. Each is made a child of the template's
 * own parent (CLONE_PARENT), the Swift side that asked, which then waits for it, kills it and
 * reaps it exactly as if it had spawned it, while it starts from the template's warmed heap,
 * shared copy-on-write. A raw clone, not fork(): glibc's fork has no way to name another parent.
 * The one thing glibc's fork would have done and this does not is update the thread id glibc
 * caches for the main thread, which then names the template in the server: nothing of glibc
 * that the server calls reads it (its fork() of each child sets the child's own), and CPython's
 * thread id is refreshed below. Returns the exit status, at end of input. */
static int serve_forks(struct vs_template *t, int request_fd, int response_fd) {
    for (;;) {
        int fds[2];
        int got = receive_fork_request(request_fd, fds);
        if (got == 0) return 0;
        if (got < 0) {
            LOG_E("malformed fork request");
            return 1;
        }
        vs_interpreter_before_fork();
        long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
        if (pid == 0) {
            vs_interpreter_after_fork_child();
            close(request_fd);
            close(response_fd);
            exit(serve(t, fds[0], fds[1]));
        }
        int error = errno;
        vs_interpreter_after_fork_parent();
        close(fds[0]);
        close(fds[1]);
        struct vs_fork_reply reply = {.magic = VS_FORK_MAGIC, .server_pid = pid > 0 ? (uint32_t)pid : 0,
                                      .error = pid > 0 ? 0 : error};
        if (write_all(response_fd, &reply, sizeof reply) != 0) return 1;
    }
}

int snippet_server_main(int argc, char **argv) {
    /* For the syscall sweep test: libseccomp's own table, so the test does not keep one. */
    if (argc == 2 && strcmp(argv[1], "--syscall-names") == 0) {
        char name[64];
        for (int nr = 0; nr < vs_arch_syscall_limit; nr++)
            if (strncmp(vs_syscall_name(nr, 0, name, sizeof name), "syscall ", 8) != 0) printf("%d %s\n", nr, name);
        return 0;
    }
    /* The compiled policy as libseccomp's pseudo filter code, for reviewing it. */
    if (argc == 2 && strcmp(argv[1], "--print-policy") == 0) {
        struct vs_seccomp_program p;
        return vs_seccomp_build(&p, STDOUT_FILENO) == 0 ? 0 : 1;
    }
    int request_fd, response_fd;
    if (take_protocol_fds(&request_fd, &response_fd) != 0) {
        PLOG_E("setting up the protocol descriptors");
        return 1;
    }
    /* Runtimes linked into this executable (libswiftCore's backtracer) catch fatal signals to
     * spawn a helper; in a confined child that spawn would be a violation, and a crash must stay
     * a crash. Every disposition starts at its default; Python then sets its own. */
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    signal(SIGPIPE, SIG_IGN); /* a vanished client is an EPIPE, then a clean exit */
    char note[VS_MAX_NOTE_BYTES] = "";
    struct vs_template t;
    uint32_t missing;
    enum vs_start_failure failure = prepare(&t, argc, argv, &missing, note, sizeof note);
    if (failure != VS_START_READY) {
        /* Nothing to remove: the template's view dies with it, and it made no folder. */
        send_hello(response_fd, failure, t.c.protections, missing, t.abi, note);
        return failure == VS_START_BAD_OPTION ? 2 : 1;
    }
    if (!t.opts.template) return serve(&t, request_fd, response_fd);
    if (send_hello(response_fd, VS_START_READY, t.c.protections, 0, t.abi, "") != 0) return 1;
    return serve_forks(&t, request_fd, response_fd);
}
