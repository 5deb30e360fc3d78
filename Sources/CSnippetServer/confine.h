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

/* The id a root server drops its children to: nobody/nogroup on Debian. */
#define VS_SANDBOX_UID 65534
#define VS_SANDBOX_GID 65534

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
    VS_DROP_TO_NOBODY,    /* the server runs as root: groups, gid and uid become 65534 */
    VS_DROP_CAPABILITIES, /* root of the server's own user namespace: every capability goes */
};

/* Everything the server prepares once and every child applies. */
struct vs_confinement {
    uint32_t protections;      /* enum vs_protection bits to apply */
    enum vs_privilege_drop privileges;
    int landlock_ruleset_fd;   /* -1 when Landlock is not applied */
    struct vs_seccomp_program seccomp;
};

/* What a child sends the server on its status socket before any snippet code runs: either the
 * step that failed (then it exits VS_EXIT_SETUP_FAILED), or that it is confined and where its
 * seccomp listener is (the server copies it with pidfd_getfd, then sends one byte back). */
struct vs_child_status {
    int32_t confined; /* 1: confined; 0: `step` failed with `error` */
    int32_t error;    /* errno */
    int32_t listener; /* confined: the child's seccomp listener descriptor, -1 without seccomp */
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

/* How the runner tells the server its verdict (interpreter.c, reaper.c): a system call no
 * kernel defines and the policy does not allow, so that with seccomp it reaches the server
 * through the child's listener, with the magic and an enum vs_child_exit as arguments. */
#define VS_VERDICT_SYSCALL 1019
#define VS_VERDICT_MAGIC 0x56455244 /* "VERD" */

/* child.c: the ordered sequence; on failure reports through VS_CHILD_STATUS_FD and _exits. */
void vs_confine_child(const struct vs_confinement *c, const struct vs_request *req,
                      int stdout_fd, int stderr_fd, int status_fd, pid_t server_pid);

/* The server's side of the status socket: the child's report and, if confined, a copy of its
 * listener taken through `pidfd` (-1 without seccomp, or if it could not be taken). Returns 1
 * confined, 0 setup failed (`failure` filled), -1 no report (the child closed the socket), -2
 * none by `deadline_ns` (CLOCK_MONOTONIC). */
int vs_receive_child_status(int status_fd, int pidfd, uint64_t deadline_ns, struct vs_child_status *failure,
                            int *listener);

/* limits.c */
int vs_apply_rlimits(const struct vs_request *req, const char **step);

/* privileges.c */
int vs_drop_privileges(const char **step);
int vs_drop_capabilities(const char **step);

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
