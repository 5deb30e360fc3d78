/* The confinement sequence a child applies to itself after fork and before any snippet code,
 * one step per line, seccomp last. A failed step is reported to the server, never run past. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"

/* Reports the failed step on the status socket and ends the child before the snippet runs, so
 * the server can tell "could not confine" from "the snippet failed". Async-signal-safe. */
static _Noreturn void report_and_exit(int status_fd, const char *step, int error) {
    struct vs_child_status st = {.confined = 0, .error = error};
    size_t i = 0;
    for (; step[i] && i < sizeof st.step - 1; i++) st.step[i] = step[i];
    st.step[i] = '\0';
    (void)!write(status_fd, &st, sizeof st);
    _exit(VS_EXIT_SETUP_FAILED);
}

/* Tells the server the child is confined and which number its seccomp listener has; the server
 * copies it (pidfd_getfd), so that every refused call is answered and recorded by the server.
 * Not SCM_RIGHTS: a descriptor in flight counts against a per-user limit that a snippet beside
 * it could have filled, failing its neighbours' hand-over. The child keeps its own copy until
 * its opening report is answered, which the server can only do through its copy, and none
 * after. */
static int hand_over_listener(int status_fd, int listener, const char **step) {
    struct vs_child_status st = {.confined = 1, .listener = listener};
    *step = "write(confined)";
    if (write(status_fd, &st, sizeof st) != (ssize_t)sizeof st) return -EIO;
    if (listener < 0) return 0;
    *step = "opening report";
    long opened = vs_report(VS_REPORT_OPENING, 0);
    close(listener);
    return opened == 0 ? 0 : -EPROTO;
}

/* With every signal blocked: a signal (a snippet's timer, another of its threads) that took the
 * call out of its wait before the server read it would lose the report, and leave a gap that
 * reads as a refusal cut short. */
long vs_report(enum vs_report kind, int status) {
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    long rc = syscall(VS_REPORT_SYSCALL, VS_REPORT_MAGIC, (long)kind, (long)status);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return rc;
}

#define RETURN_ON_FAILURE(call)                                           \
    do {                                                                  \
        int rc_ = (call);                                                 \
        if (rc_ < 0) report_and_exit(VS_CHILD_STATUS_FD, step, -rc_);     \
    } while (0)

static int checked(int rc, const char **step, const char *name) {
    *step = name;
    return rc == 0 ? 0 : -errno;
}

/* Descriptors: the capture pipes become stdout and stderr, the ruleset moves to a fixed number
 * (the status socket is already at its own), and every other inherited descriptor (the
 * server's protocol pipes above all) is closed. The server keeps all of these at 10 and above,
 * so no dup2 here overwrites another. Blocks a snippet from writing into the server's framing. */
static int arrange_descriptors(int stdout_fd, int stderr_fd, int ruleset_fd, const char **step) {
    *step = "dup2(stdout pipe)";
    if (dup2(stdout_fd, STDOUT_FILENO) < 0) return -errno;
    *step = "dup2(stderr pipe)";
    if (dup2(stderr_fd, STDERR_FILENO) < 0) return -errno;
    int first_closed = VS_CHILD_STATUS_FD + 1;
    if (ruleset_fd >= 0) {
        *step = "dup2(landlock ruleset)";
        if (dup2(ruleset_fd, VS_CHILD_RULESET_FD) < 0) return -errno;
        first_closed = VS_CHILD_RULESET_FD + 1;
    }
    *step = "close_range";
    return syscall(SYS_close_range, first_closed, ~0U, 0) == 0 ? 0 : -errno;
}

void vs_confine_child(const struct vs_confinement *c, const struct vs_request *req,
                      int stdout_fd, int stderr_fd, int status_fd, pid_t server_pid) {
    const char *step = "dup2(status socket)";
    /* Until this works there is no way to report; the exit status alone then says setup failed. */
    if (dup2(status_fd, VS_CHILD_STATUS_FD) < 0) report_and_exit(status_fd, step, errno);

    /* Own process group: the server's wall-clock kill reaches the whole child and nothing else.
     * It stays in its server's session, and so in the server's scheduler autogroup (server.c). */
    RETURN_ON_FAILURE(checked(setpgid(0, 0), &step, "setpgid"));
    RETURN_ON_FAILURE(arrange_descriptors(stdout_fd, stderr_fd, c->landlock_ruleset_fd, &step));
    /* The environment needs no step: the server cleared its own before loading Python, so the
     * child inherits only the fixed, secret-free variables the server set (server.c). */
    if (c->protections & VS_PROTECT_RLIMITS) RETURN_ON_FAILURE(vs_apply_rlimits(req, &step));
    if (c->privileges == VS_DROP_TO_CHILD_UID) RETURN_ON_FAILURE(vs_drop_privileges(c->child_uid, &step));
    if (c->privileges == VS_DROP_CAPABILITIES) RETURN_ON_FAILURE(vs_drop_capabilities(&step));
    /* After the uid change, which clears it: the child dies with its server. */
    RETURN_ON_FAILURE(checked(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), &step, "prctl(PR_SET_PDEATHSIG)"));
    if (getppid() != server_pid) report_and_exit(VS_CHILD_STATUS_FD, "getppid: server gone", ESRCH);
    /* Blocks gaining privileges through set-uid files; Landlock and seccomp require it. */
    RETURN_ON_FAILURE(checked(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), &step, "prctl(PR_SET_NO_NEW_PRIVS)"));
    if (c->landlock_ruleset_fd >= 0) {
        RETURN_ON_FAILURE(vs_landlock_restrict(VS_CHILD_RULESET_FD, &step));
        close(VS_CHILD_RULESET_FD);
    }
    int listener = -1;
    if (c->protections & VS_PROTECT_SECCOMP) {
        listener = vs_seccomp_install(&c->seccomp, &step); /* last */
        if (listener < 0) report_and_exit(VS_CHILD_STATUS_FD, step, -listener);
    }
    RETURN_ON_FAILURE(hand_over_listener(VS_CHILD_STATUS_FD, listener, &step));
    /* Not dumpable: blocks ptrace and /proc/<pid>/mem from any other process of the same user.
     * Only now: a server of the same user (no privileges to drop) could not copy the listener
     * of a child that is not dumpable. The filter allows exactly this prctl. */
    RETURN_ON_FAILURE(checked(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), &step, "prctl(PR_SET_DUMPABLE)"));
    close(VS_CHILD_STATUS_FD);
}
