/* The confinement of one child: what the server prepares once, and the ordered steps each
 * child applies to itself before any snippet code runs. */
#ifndef VS_CONFINE_H
#define VS_CONFINE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snippet_protocol.h"

/* The group a root server drops its children to: nogroup on Debian. */
#define VS_SANDBOX_GID 65534

/* The uids a root server drops its children to, one of its own for every child: the kernel
 * counts threads (RLIMIT_NPROC), queued signals (RLIMIT_SIGPENDING), descriptors in flight in
 * Unix sockets and the like per user, so children sharing one uid could exhaust each other's.
 * VS_CHILD_UID_BASE + (server pid << 8) + (child counter mod 256): distinct for every live
 * server (pids stay below 2^22), repeating only after 256 children of the same server, far above
 * the ids Debian hands out (system, human and systemd's dynamic users stay below 2^16) and below
 * 2^31 for tools that read uids as signed. */
#define VS_CHILD_UID_BASE 0x40000000u
#define VS_CHILD_UID_SPAN 0x40000000u

/* Descriptors a child keeps while it confines itself; everything above is closed first. */
#define VS_CHILD_STATUS_FD 3   /* the child's end of the status socket, closed once confined */
#define VS_CHILD_RULESET_FD 4  /* the Landlock ruleset, closed once applied */

/* The compiled seccomp program, built once per server (seccomp_policy.c). */
struct vs_seccomp_program {
    void *filter; /* struct sock_filter[] */
    unsigned short length;
};

/* What a child gives up before anything else is restricted (privileges.c). */
enum vs_privilege_drop {
    VS_KEEP_USER,         /* the server runs as an ordinary user: nothing to give up */
    VS_DROP_TO_CHILD_UID, /* the server runs as root: no groups, gid 65534, a uid of the child's own */
    VS_DROP_CAPABILITIES, /* root of the server's own user namespace: every capability goes */
};

/* Everything the server prepares once and every child applies. */
struct vs_confinement {
    uint32_t protections;      /* enum vs_protection bits to apply */
    enum vs_privilege_drop privileges;
    uid_t child_uid;           /* VS_DROP_TO_CHILD_UID: the uid of the next child (vs_child_uid) */
    int landlock_ruleset_fd;   /* -1 when Landlock is not applied */
    struct vs_seccomp_program seccomp;
};

/* What a child sends the server on its status socket before any snippet code runs: either the
 * step that failed (then it exits VS_EXIT_SETUP_FAILED), or that it is confined, with the number
 * of its seccomp listener, which the server copies with pidfd_getfd (child.c says why not
 * SCM_RIGHTS) while the child waits in its opening report. */
struct vs_child_status {
    int32_t confined; /* 1: confined; 0: `step` failed with `error` */
    int32_t error;    /* errno */
    int32_t listener; /* confined: the listener's number in the child, -1 without seccomp */
    char step[52];    /* the call that failed, e.g. "setrlimit(RLIMIT_AS)" */
};

/* Exit statuses the child's runner uses to say how the snippet ended (interpreter.c). */
enum vs_child_exit {
    VS_EXIT_COMPLETED = 0,
    VS_EXIT_EXCEPTION = 120,
    VS_EXIT_SYNTAX_ERROR = 121,
    VS_EXIT_MEMORY_ERROR = 122,
    VS_EXIT_SETUP_FAILED = 123,
};

/* The child's own reports to the server: a system call no kernel defines and the policy does not
 * allow, so that under seccomp it reaches the server through the child's listener, a channel the
 * snippet can neither close, rewrite nor take back (reaper.c). Arguments: the magic, an enum
 * vs_report, an enum vs_child_exit. Without seccomp it fails with ENOSYS, and the exit status
 * alone says how the run ended.
 *
 * Every report is also a bound of the refusal record. Notification ids of one filter are
 * consecutive, so a refused call that a signal took out of its wait before the server read it
 * (it returns EINTR, and the server never sees it) leaves a gap in the ids the server received
 * between the opening report and a later one: that gap is a violation. A snippet can make
 * reports too: a forged opening one is one more violation, a forged verdict one only harms
 * itself (the first verdict stands), a forged closing one ends the run with the status it names
 * unless a verdict came first. */
#define VS_REPORT_SYSCALL 1019
#define VS_REPORT_MAGIC 0x56455244 /* "VERD" */

enum vs_report {
    /* Right after the hand-over, before any snippet code: the server answers it once it holds
     * its copy of the listener; the count of refused calls starts here. */
    VS_REPORT_OPENING = 1,
    /* As soon as the runner knows the snippet failed (status: exception, syntax or memory error),
     * before any more of its code can run (the exception's __str__, an atexit hook): answered,
     * and the first one stands whatever happens next (an os._exit, a kill, a hang). */
    VS_REPORT_VERDICT = 2,
    /* After the runner and the exit sequence, with the run's status: never answered, the server
     * kills the child in the call, so nothing of the snippet runs past the record's end. */
    VS_REPORT_CLOSING = 3,
};

/* child.c: makes a report; the closing one returns only without seccomp. */
long vs_report(enum vs_report kind, int status);

/* child.c: the ordered sequence; on failure reports through VS_CHILD_STATUS_FD and _exits. */
void vs_confine_child(const struct vs_confinement *c, const struct vs_request *req,
                      int stdout_fd, int stderr_fd, int status_fd, pid_t server_pid);

/* The server's side of the status socket: the child's report and, if confined, a copy of its
 * listener taken through `pidfd` (-1 without seccomp, or if it could not be taken). Returns 1
 * confined, 0 setup failed (`failure` filled), -1 no report (the child closed the socket), -2
 * none by `deadline_ns` (CLOCK_MONOTONIC). */
int vs_receive_child_status(int status_fd, int pidfd, uint64_t deadline_ns, struct vs_child_status *failure,
                            int *listener);

/* privileges.c: the uid a root server's next child runs as (see VS_CHILD_UID_BASE). */
uid_t vs_child_uid(pid_t server_pid, uint32_t child_counter);

/* limits.c */
int vs_apply_rlimits(const struct vs_request *req, const char **step);

/* privileges.c */
int vs_drop_privileges(uid_t uid, const char **step);
int vs_drop_capabilities(const char **step);

/* host_name.c: as root (of the machine or of the server's user namespace). 0 or -errno. */
int vs_host_name_hide(void);

/* landlock.c */
int vs_landlock_abi(void);
int vs_landlock_build_ruleset(int abi, const char *const *read_paths, size_t n_read,
                              const char *scratch_dir, uint32_t *protections);
int vs_landlock_restrict(int ruleset_fd, const char **step);

/* seccomp_policy.c */
bool vs_seccomp_available(void);
/* Compiles the policy; with pfc_fd >= 0 also writes it there as readable pseudo-code. */
int vs_seccomp_build(struct vs_seccomp_program *out, int pfc_fd);
int vs_seccomp_install(const struct vs_seccomp_program *p, const char **step);
const char *vs_syscall_name(int32_t nr, uint32_t arch, char *buf, size_t len);

#endif
