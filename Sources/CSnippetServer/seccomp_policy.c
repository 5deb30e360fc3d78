/* The seccomp allowlist (as a table, one reason per entry), compiled once per server. A child
 * installs the compiled program; every call outside it is sent to the server as a user
 * notification, which the server answers with EPERM and records (reaper.c): the report lives
 * in the server, where no snippet can erase or forge it. */
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sys/resource.h>
#include <time.h>
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
#include "seccomp_arch.h"

/* Stands for the child's pid in the compiled program: above any pid the kernel hands out
 * (PID_MAX_LIMIT is 2^22) and unlike any other constant in the policy. */
#define VS_SELF_PID_PLACEHOLDER 0x7ffe1234u

/* System calls a confined snippet may make with any arguments, on every architecture (the
 * legacy ones only x86_64 has are in seccomp_arch_x86_64.c). Everything not here (or in the
 * conditional rules below) is refused and reported: sockets, process creation, exec, ptrace, kill, mounts,
 * namespaces, keyrings, bpf, perf, io_uring, userfaultfd, setrlimit, chmod/chown, ... */
static const struct vs_allowed_call vs_allowed[] = {
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
    {"brk", "malloc"},
    {"getdents64", "listing directories for imports"},
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
    {"unlinkat", "shutil.rmtree in the scratch folder"},
    {"mkdirat", "os.makedirs in the scratch folder"},
    {"renameat", "os.replace in the scratch folder"},
    {"renameat2", "os.replace in the scratch folder"},
    {"readlinkat", "os.path.realpath"},
    {"faccessat", "os.access"},
    {"faccessat2", "os.access"},
    {"ftruncate", "truncating a scratch file"},
    {"fsync", "os.fsync on a scratch file"},
    {"fdatasync", "os.fdatasync"},
    {"pipe2", "os.pipe, subprocess's set-up before it is refused clone"},
    {"dup", "os.dup of the snippet's own descriptors"},
    {"dup3", "os.dup2 with O_CLOEXEC"},
    {"nanosleep", "time.sleep in older code"},
    {"gettimeofday", "time in older code"},
    {"sched_yield", "spin locks in OpenBLAS"},
    {"uname", "platform.system, sys.platform checks; the node name is the server's own (server.c)"},
    {"getuid", "os.getuid, getpass"},
    {"geteuid", "os.geteuid"},
    {"getgid", "os.getgid"},
    {"getegid", "os.getegid"},
    {"getrusage", "resource.getrusage, time.process_time"},
    {"times", "os.times"},
    {"ppoll", "select.poll"},
    {"pselect6", "select.select"},
    {"epoll_create1", "importing socket or asyncio probes epoll (selectors.DefaultSelector)"},
    {"epoll_ctl", "selectors on the snippet's own descriptors"},
    {"epoll_pwait", "selectors on the snippet's own descriptors"},
    {"sendfile", "shutil.copy between the snippet's own descriptors"},
    {"sendmsg", "socketpair traffic (no other socket can exist)"},
    {"recvmsg", "socketpair traffic"},
    {"sendto", "socketpair traffic (asyncio's self-pipe)"},
    {"recvfrom", "socketpair traffic"},
    {"getsockname", "asyncio inspects its socketpair"},
    {"getpeername", "asyncio inspects its socketpair"},
    {"shutdown", "closing one direction of a socketpair"},
};

/* Allows `nr` when argument `arg` is one of `values`, and, with `also`, that comparison holds
 * too: one rule per value, which libseccomp merges into one branch of the tree. */
static int allow_when_one_of(scmp_filter_ctx ctx, int nr, unsigned arg, const scmp_datum_t *values,
                             size_t n, const struct scmp_arg_cmp *also) {
    for (size_t i = 0; i < n; i++) {
        struct scmp_arg_cmp cmp[2] = {{.arg = arg, .op = SCMP_CMP_EQ, .datum_a = values[i]}};
        if (also) cmp[1] = *also;
        int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, also ? 2 : 1, cmp);
        if (rc) return rc;
    }
    return 0;
}

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Allows every call of `calls` with any arguments, by libseccomp's number for this ABI. */
static int allow_all(scmp_filter_ctx ctx, const struct vs_allowed_call *calls, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int nr = seccomp_syscall_resolve_name(calls[i].name);
        if (nr == __NR_SCMP_ERROR) return -EINVAL; /* a name this architecture's table lacks */
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        if (rc) return rc;
    }
    return 0;
}

/* libseccomp compiles the rules; the program is then exported as raw BPF so that a child only
 * makes one seccomp() call instead of compiling the policy again on every fork. */
int vs_seccomp_build(struct vs_seccomp_program *out, int pfc_fd) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
    if (!ctx) return -ENOMEM;
    int rc = 0;
    /* Blocks other system-call ABIs (i386 int 0x80, x32, AArch32): the filter is for the one
     * seccomp_arch_<arch>.c names, which must be the one this server runs. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS))) goto done;
    if (seccomp_arch_native() != vs_seccomp_arch || (rc = seccomp_arch_exist(ctx, vs_seccomp_arch))) {
        rc = rc ? rc : -EINVAL;
        goto done;
    }
    /* A binary tree instead of a linear list: every system call walks about 7 comparisons
     * instead of up to 100, and the kernel's per-filter action cache, computed by emulating the
     * program for every syscall number when each child loads it, costs a fraction as much. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2))) goto done;
    if ((rc = allow_all(ctx, vs_allowed, COUNT(vs_allowed))) ||
        (rc = allow_all(ctx, vs_arch_allowed, vs_arch_allowed_count)))
        goto done;
    /* Threads yes, processes no: clone only with CLONE_THREAD, and never with a namespace flag
     * (the kernel would refuse most for want of privilege; the filter should not rely on it):
     * process/raw_clone_sigchld.py, raw_clone_vm_vfork.py, kernel/clone_thread_with_newnet.py. */
    const scmp_datum_t clone_checked = CLONE_THREAD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                       CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, clone_checked, CLONE_THREAD))))
        goto done;
    /* A connected pair of Unix sockets inside the process (asyncio's self-pipe): no address,
     * so it reaches nothing outside; any other family is refused (network/socketpair_netlink.py). */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1,
                               SCMP_A0(SCMP_CMP_EQ, AF_UNIX))))
        goto done;
    /* clone3's flags sit in memory seccomp cannot read: ENOSYS makes glibc fall back to clone. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0))) goto done;
    /* isatty() (TCGETS), os.get_terminal_size (TIOCGWINSZ), os.set_inheritable (FIOCLEX,
     * FIONCLEX) and socket.setblocking (FIONBIO) are the ioctls ordinary code makes; TIOCSTI and
     * every device ioctl stay denied (kernel/ioctl_tiocsti_stdin.py, ioctl_ns_get_userns.py). */
    static const scmp_datum_t ioctl_ok[] = {TCGETS, TIOCGWINSZ, FIOCLEX, FIONCLEX, FIONBIO};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(ioctl), 1, ioctl_ok, COUNT(ioctl_ok), NULL))) goto done;
    /* os.cpu_count / numpy ask about themselves only. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1,
                               SCMP_A0(SCMP_CMP_EQ, 0))))
        goto done;
    /* Reading one's own limits is fine; setting any (or another process's) is not
     * (limits/prlimit_other_pid.py, prlimit_high_bits_pid.py). */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
                               SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0))))
        goto done;
    /* Signals to itself only (abort(), pthread_kill, os.kill(os.getpid())): the pid is known
     * only in the child, which patches it in (vs_seccomp_install). Landlock's signal scoping
     * stands behind this too (signals/kill_parent.py, tgkill_parent.py, kill_high_bits_pid.py). */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
                               SCMP_A0(SCMP_CMP_EQ, VS_SELF_PID_PLACEHOLDER))) ||
        (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                               SCMP_A0(SCMP_CMP_EQ, VS_SELF_PID_PLACEHOLDER))))
        goto done;
    /* fcntl for descriptor flags only. F_SETOWN/F_SETSIG (signals to others) stay denied, and so
     * do record locks (F_GETLK, F_SETLK, F_OFD_*; flock is not allowed either): every child can
     * open the same interpreter files, so a lock is a channel between concurrent children, and
     * F_GETLK names the holder's host pid (channels/fcntl_getlk_shared_file.py). */
    static const scmp_datum_t fcntl_ok[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(fcntl), 1, fcntl_ok, COUNT(fcntl_ok), NULL))) goto done;
    /* Locks and the GIL between threads: private futexes (every operation). A shared one is
     * keyed by the page it waits on, which two children reach through the same file mapped
     * MAP_SHARED: a wake-up channel between them. Its sending end, every shared wake, requeue,
     * wake-op and PI operation, is refused (channels/futex_wake_shared_file_mapping.py).
     * Shared waits (FUTEX_WAIT, FUTEX_WAIT_BITSET, with either clock) are allowed: pthread_join
     * waits on the thread's tid with one, for the kernel's wake at the thread's exit, and
     * CPython 3.13 joins every threading.Thread with pthread_join (3.11 through private
     * locks). A shared wait no child can wake only times out
     * (channels/futex_wait_shared_file_mapping.py). Still open: a thread's exit wakes its clear-tid
     * address shared, so a child could point one (clone's ctid, set_tid_address) at a file page
     * another child waits on: one bit per thread exit, README. futex_waitv and the futex2 calls
     * are not allowed at all (channels/futex_waitv_shared.py). */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
                               SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG))))
        goto done;
    static const scmp_datum_t shared_waits[] = {FUTEX_WAIT, FUTEX_WAIT_BITSET};
    for (size_t i = 0; i < COUNT(shared_waits); i++)
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
                                   SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG, shared_waits[i]))))
            goto done;
    /* time.time, perf_counter, process_time, thread_time, sleep, get_clock_info, when the vDSO
     * does not answer: the system clocks and the caller's own process and thread CPU clocks.
     * A negative id encodes another pid's or tid's CPU clock, which would read (or sleep on) any
     * host process's CPU time (secrets/clock_gettime_server_cpu.py, clock_getres_pid1_cpu.py,
     * clock_nanosleep_other_pid.py). The filter cannot tell the caller's own tids from others,
     * so time.pthread_getcpuclockid's ids are refused too (secrets/clock_gettime_own_thread_id.py);
     * CLOCK_THREAD_CPUTIME_ID reads the calling thread's. */
    static const scmp_datum_t clocks_ok[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                             CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
                                             CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
                                             CLOCK_BOOTTIME, CLOCK_TAI};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(clock_gettime), 0, clocks_ok, COUNT(clocks_ok), NULL)) ||
        (rc = allow_when_one_of(ctx, SCMP_SYS(clock_getres), 0, clocks_ok, COUNT(clocks_ok), NULL)) ||
        (rc = allow_when_one_of(ctx, SCMP_SYS(clock_nanosleep), 0, clocks_ok, COUNT(clocks_ok), NULL)))
        goto done;
    /* malloc giving memory back, numpy asking for huge pages, mmap.madvise's common hints. The
     * rest reach other subsystems: KSM merging pages across processes (a timing channel to
     * other children and the host: kernel/madvise_mergeable.py), reclaim (MADV_PAGEOUT, COLD),
     * khugepaged (MADV_COLLAPSE), fork-time flags, page poisoning. */
    static const scmp_datum_t advice_ok[] = {MADV_NORMAL,   MADV_RANDOM, MADV_SEQUENTIAL,
                                             MADV_WILLNEED, MADV_DONTNEED, MADV_FREE,
                                             MADV_HUGEPAGE, MADV_NOHUGEPAGE};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(madvise), 2, advice_ok, COUNT(advice_ok), NULL))) goto done;
    /* realloc of large blocks (numpy, lists) moves or grows a mapping; MREMAP_FIXED and
     * MREMAP_DONTUNMAP (which leaves the old range to userfaultfd-style tricks) are not needed
     * (kernel/mremap_dontunmap.py). */
    static const scmp_datum_t mremap_ok[] = {0, MREMAP_MAYMOVE};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(mremap), 3, mremap_ok, COUNT(mremap_ok), NULL))) goto done;
    /* Socket options on a socketpair: the SOL_SOCKET ones the socket module and asyncio use.
     * SO_ATTACH_FILTER and SO_ATTACH_BPF would have the kernel compile and JIT a BPF program
     * the snippet wrote (kernel/setsockopt_attach_filter.py); SO_COOKIE is a host-wide counter
     * (kernel/getsockopt_so_cookie.py); SO_PEERCRED and SO_GET_FILTER answer nothing a snippet
     * needs. */
    const struct scmp_arg_cmp socket_level = SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET);
    static const scmp_datum_t setsockopt_ok[] = {SO_REUSEADDR, SO_KEEPALIVE, SO_SNDBUF,  SO_RCVBUF,
                                                 SO_LINGER,    SO_RCVLOWAT,  SO_RCVTIMEO, SO_SNDTIMEO};
    static const scmp_datum_t getsockopt_ok[] = {SO_TYPE,   SO_ERROR,    SO_DOMAIN,   SO_PROTOCOL,
                                                 SO_ACCEPTCONN, SO_REUSEADDR, SO_KEEPALIVE, SO_SNDBUF,
                                                 SO_RCVBUF, SO_LINGER,   SO_RCVLOWAT, SO_RCVTIMEO,
                                                 SO_SNDTIMEO};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(setsockopt), 2, setsockopt_ok, COUNT(setsockopt_ok), &socket_level)) ||
        (rc = allow_when_one_of(ctx, SCMP_SYS(getsockopt), 2, getsockopt_ok, COUNT(getsockopt_ok), &socket_level)))
        goto done;
    /* os.nice(0) and os.getpriority of the caller itself. Any other pid answers ESRCH or its
     * priority, so a scan lists every live host process (secrets/getpriority_pid_scan.py). */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getpriority), 2,
                               SCMP_A0(SCMP_CMP_EQ, PRIO_PROCESS), SCMP_A1(SCMP_CMP_EQ, 0))))
        goto done;
    /* Thread synchronisation in some runtimes: the query and the commands private to the
     * process. The global ones reach every CPU of the host: MEMBARRIER_CMD_GLOBAL waits for an
     * RCU grace period, and the expedited one interrupts every process registered for it
     * (kernel/membarrier_global.py). */
    static const scmp_datum_t membarrier_ok[] = {
        MEMBARRIER_CMD_QUERY, MEMBARRIER_CMD_PRIVATE_EXPEDITED, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
        MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
        MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ};
    if ((rc = allow_when_one_of(ctx, SCMP_SYS(membarrier), 0, membarrier_ok, COUNT(membarrier_ok), NULL))) goto done;
    /* The host's memory, load, uptime and process count (secrets/sysinfo_host.py). glibc asks
     * for it incidentally (sysconf(_SC_PHYS_PAGES), qsort's memory heuristic), so it fails
     * quietly with ENOSYS, like clone3, instead of making ordinary code a violation. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(sysinfo), 0))) goto done;
    /* The child's own last confinement step (child.c): it becomes non-dumpable once the server
     * holds its listener. Only ever to 0: dumpable again would open it to ptrace by its user. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 2,
                               SCMP_A0(SCMP_CMP_EQ, PR_SET_DUMPABLE), SCMP_A1(SCMP_CMP_EQ, 0))))
        goto done;

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
    /* Once the server has read a notification, no signal can cut the wait for its answer short
     * (Linux 5.19+; older kernels refuse the flag). A signal before the server reads it still
     * can: reaper.c counts those (count_vanished). */
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                      SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
    if (fd < 0 && errno == EINVAL)
        fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    return fd < 0 ? -errno : (int)fd;
}

/* The name libseccomp gives `nr` for `arch` (the native ABI when 0), or "syscall <nr>". */
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
