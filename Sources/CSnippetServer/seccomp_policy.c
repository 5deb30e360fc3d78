/* The seccomp allowlist (as a table, one reason per entry), compiled once per server. A child
 * installs the compiled program; every call outside it is sent to the server as a user
 * notification, which the server answers with EPERM and records (reaper.c): the report lives
 * in the server, where no snippet can erase or forge it. */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/socket.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "confine.h"
#include "log.h"

/* Stands for the child's pid in the compiled program: above any pid the kernel hands out
 * (PID_MAX_LIMIT is 2^22) and unlike any other constant in the policy. */
#define VS_SELF_PID_PLACEHOLDER 0x7ffe1234u

/* System calls a confined snippet may make with any arguments. Everything not here (or in the
 * conditional rules below) is refused and reported: sockets, process creation, exec, ptrace, kill, mounts,
 * namespaces, keyrings, bpf, perf, io_uring, userfaultfd, setrlimit, chmod/chown, ... */
static const struct {
    const char *name;
    const char *why;
} vs_allowed[] = {
    {"read", "reading stdin (/dev/null) and files Landlock allows"},
    {"write", "printing; writing in the scratch folder"},
    {"readv", "buffered reads in the io module"},
    {"writev", "buffered writes"},
    {"pread64", "the zipimport and dlopen readers"},
    {"pwrite64", "writes at an offset in the scratch folder"},
    {"close", "closing files"},
    {"openat", "lazy imports and tracebacks read sources; Landlock decides what opens"},
    {"newfstatat", "stat() for imports"},
    {"fstat", "stat() of open files"},
    {"statx", "stat() in newer code paths"},
    {"lseek", "file positions"},
    {"mmap", "memory allocation and lazily loaded extension modules (PROT_EXEC)"},
    {"munmap", "freeing memory"},
    {"mprotect", "the dynamic loader and thread stacks"},
    {"mremap", "growing large buffers (numpy, lists)"},
    {"brk", "malloc"},
    {"madvise", "malloc giving memory back"},
    {"getdents64", "listing directories for imports"},
    {"futex", "locks and the GIL between threads"},
    {"getrandom", "random seeding, hash randomisation, uuid4"},
    {"rt_sigaction", "signal.signal, faulthandler"},
    {"rt_sigprocmask", "blocking signals around critical sections"},
    {"rt_sigreturn", "returning from a signal handler"},
    {"sigaltstack", "faulthandler and thread start-up"},
    {"set_robust_list", "thread start-up"},
    {"rseq", "thread start-up in glibc 2.35+"},
    {"gettid", "threading.get_native_id, locks"},
    {"getpid", "os.getpid, random"},
    {"getppid", "os.getppid"},
    {"exit", "a thread ending"},
    {"exit_group", "the process ending"},
    {"getcwd", "os.getcwd, tracebacks"},
    {"chdir", "os.chdir (Landlock still decides what can be read)"},
    {"unlink", "tempfile cleanup in the scratch folder"},
    {"unlinkat", "shutil.rmtree in the scratch folder"},
    {"mkdir", "tempfile.mkdtemp in the scratch folder"},
    {"mkdirat", "os.makedirs in the scratch folder"},
    {"rmdir", "tempfile cleanup"},
    {"rename", "os.rename in the scratch folder"},
    {"renameat", "os.replace in the scratch folder"},
    {"renameat2", "os.replace in the scratch folder"},
    {"readlink", "os.path.realpath"},
    {"readlinkat", "os.path.realpath"},
    {"access", "os.access, shutil.which"},
    {"faccessat", "os.access"},
    {"faccessat2", "os.access"},
    {"ftruncate", "truncating a scratch file"},
    {"fsync", "os.fsync on a scratch file"},
    {"fdatasync", "os.fdatasync"},
    {"pipe", "os.pipe in older code"},
    {"pipe2", "os.pipe, subprocess's set-up before it is refused clone"},
    {"dup", "os.dup of the snippet's own descriptors"},
    {"dup2", "os.dup2"},
    {"dup3", "os.dup2 with O_CLOEXEC"},
    {"clock_gettime", "time.time, time.perf_counter (when not served by the vDSO)"},
    {"clock_getres", "time.get_clock_info"},
    {"clock_nanosleep", "time.sleep"},
    {"nanosleep", "time.sleep in older code"},
    {"gettimeofday", "time in older code"},
    {"sched_yield", "spin locks in OpenBLAS"},
    {"uname", "platform.system, sys.platform checks"},
    {"getuid", "os.getuid, getpass"},
    {"geteuid", "os.geteuid"},
    {"getgid", "os.getgid"},
    {"getegid", "os.getegid"},
    {"getrusage", "resource.getrusage, time.process_time"},
    {"times", "os.times"},
    {"sysinfo", "numpy and psutil-style memory probes"},
    {"poll", "select.poll on the snippet's own descriptors"},
    {"ppoll", "select.poll"},
    {"select", "select.select, time.sleep in some libraries"},
    {"pselect6", "select.select"},
    {"epoll_create1", "importing socket or asyncio probes epoll (selectors.DefaultSelector)"},
    {"epoll_ctl", "selectors on the snippet's own descriptors"},
    {"epoll_wait", "selectors on the snippet's own descriptors"},
    {"epoll_pwait", "selectors on the snippet's own descriptors"},
    {"membarrier", "thread synchronisation in some runtimes"},
    {"sendfile", "shutil.copy between the snippet's own descriptors"},
    {"sendmsg", "socketpair traffic (no other socket can exist); the child hands its listener over"},
    {"recvmsg", "socketpair traffic"},
    {"sendto", "socketpair traffic (asyncio's self-pipe)"},
    {"recvfrom", "socketpair traffic"},
    {"getsockname", "asyncio inspects its socketpair"},
    {"getpeername", "asyncio inspects its socketpair"},
    {"getsockopt", "asyncio inspects its socketpair"},
    {"setsockopt", "asyncio sets options on its socketpair"},
    {"shutdown", "closing one direction of a socketpair"},
    {"getpriority", "os.nice(0), os.getpriority"},
};

/* libseccomp compiles the rules; the program is then exported as raw BPF so that a child only
 * makes one seccomp() call instead of compiling the policy again on every fork. */
int vs_seccomp_build(struct vs_seccomp_program *out, int pfc_fd) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
    if (!ctx) return -ENOMEM;
    int rc = 0;
    /* Blocks other system-call ABIs (i386 int 0x80, x32): the filter is for the native one. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS))) goto done;
    /* A binary tree instead of a linear list: every system call walks about 7 comparisons
     * instead of up to 100, and the kernel's per-filter action cache, computed by emulating the
     * program for every syscall number when each child loads it, costs a fraction as much. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2))) goto done;
    for (size_t i = 0; i < sizeof vs_allowed / sizeof vs_allowed[0]; i++) {
        int nr = seccomp_syscall_resolve_name(vs_allowed[i].name);
        if (nr == __NR_SCMP_ERROR) continue; /* not on this architecture */
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0))) goto done;
    }
    /* Threads yes, processes no: clone only with CLONE_THREAD, and never with a namespace flag
     * (the kernel would refuse most for want of privilege; the filter should not rely on it). */
    const scmp_datum_t clone_checked = CLONE_THREAD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                       CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, clone_checked, CLONE_THREAD))))
        goto done;
    /* A connected pair of Unix sockets inside the process (asyncio's self-pipe): no address,
     * so it reaches nothing outside. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1,
                               SCMP_A0(SCMP_CMP_EQ, AF_UNIX))))
        goto done;
    /* clone3's flags sit in memory seccomp cannot read: ENOSYS makes glibc fall back to clone. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0))) goto done;
    /* isatty() (TCGETS), os.get_terminal_size (TIOCGWINSZ), os.set_inheritable (FIOCLEX,
     * FIONCLEX) and socket.setblocking (FIONBIO) are the ioctls ordinary code makes; TIOCSTI and
     * every device ioctl stay denied. */
    static const unsigned long ioctl_ok[] = {TCGETS, TIOCGWINSZ, FIOCLEX, FIONCLEX, FIONBIO};
    for (size_t i = 0; i < sizeof ioctl_ok / sizeof ioctl_ok[0]; i++) {
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                                   SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)ioctl_ok[i]))))
            goto done;
    }
    /* os.cpu_count / numpy ask about themselves only. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1,
                               SCMP_A0(SCMP_CMP_EQ, 0))))
        goto done;
    /* Reading one's own limits is fine; setting any (or another process's) is not. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
                               SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0))))
        goto done;
    /* Signals to itself only (abort(), pthread_kill, os.kill(os.getpid())): the pid is known
     * only in the child, which patches it in (vs_seccomp_install). Landlock's signal scoping
     * stands behind this too. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
                               SCMP_A0(SCMP_CMP_EQ, VS_SELF_PID_PLACEHOLDER))) ||
        (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                               SCMP_A0(SCMP_CMP_EQ, VS_SELF_PID_PLACEHOLDER))))
        goto done;
    /* fcntl for descriptor flags and locks; F_SETOWN/F_SETSIG (signals to others) stay denied. */
    static const int fcntl_ok[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC,
                                   F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW};
    for (size_t i = 0; i < sizeof fcntl_ok / sizeof fcntl_ok[0]; i++) {
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
                                   SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_ok[i]))))
            goto done;
    }

    if (pfc_fd >= 0) seccomp_export_pfc(ctx, pfc_fd);
    /* Export through a memfd: libseccomp 2.5 can only export to a descriptor. */
    int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        goto done;
    }
    if ((rc = seccomp_export_bpf(ctx, fd)) == 0) {
        off_t size = lseek(fd, 0, SEEK_END);
        void *prog = size > 0 ? malloc((size_t)size) : NULL;
        if (!prog || pread(fd, prog, (size_t)size, 0) != size) {
            free(prog);
            rc = -EIO;
        } else {
            out->filter = prog;
            out->length = (unsigned short)(size / sizeof(struct sock_filter));
        }
    }
    close(fd);
done:
    if (rc) LOG_E("building the seccomp policy failed: %s", strerror(-rc));
    seccomp_release(ctx);
    return rc;
}

bool vs_seccomp_available(void) {
    /* Asks the kernel whether it has filters and the user-notification action we rely on. */
    uint32_t action = SECCOMP_RET_USER_NOTIF;
    return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
           syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

/* Points the self-signal rules at this child: every comparison with the placeholder becomes a
 * comparison with our pid. The program is the child's copy-on-write copy of the server's. */
static void patch_self_pid(const struct vs_seccomp_program *p) {
    struct sock_filter *insn = p->filter;
    const uint32_t self = (uint32_t)getpid();
    for (unsigned short i = 0; i < p->length; i++)
        if (BPF_CLASS(insn[i].code) == BPF_JMP && insn[i].k == VS_SELF_PID_PLACEHOLDER) insn[i].k = self;
}

/* Must be the last confinement step: nothing after it may need a refused call. Returns the
 * listener descriptor (for the server) or -errno. */
int vs_seccomp_install(const struct vs_seccomp_program *p, const char **step) {
    patch_self_pid(p);
    struct sock_fprog prog = {.len = p->length, .filter = p->filter};
    *step = "seccomp(SECCOMP_SET_MODE_FILTER)";
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    return fd < 0 ? -errno : (int)fd;
}

/* "socket" for 41 on x86_64; "syscall 999" when libseccomp does not know the number. */
const char *vs_syscall_name(int32_t nr, uint32_t arch, char *buf, size_t len) {
    char *name = seccomp_syscall_resolve_num_arch(arch ? arch : SCMP_ARCH_NATIVE, nr);
    if (name) {
        snprintf(buf, len, "%s", name);
        explicit_bzero(name, strlen(name)); /* which call a snippet made must not stay in the heap */
        free(name);
    } else {
        snprintf(buf, len, "syscall %d", nr);
    }
    return buf;
}
