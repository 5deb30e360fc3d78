/* One child's life seen from the server: fork, capped capture of stdout and stderr, the
 * wall-clock kill of its process group, reaping, and the exit status turned into an outcome. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "interpreter.h"
#include "log.h"
#include "reaper.h"

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Moves both ends of a fresh pipe or socket pair to 10 and above (see arrange_descriptors in
 * child.c), closing the originals. */
static int move_high(const int raw[2], int fds[2]) {
    for (int i = 0; i < 2; i++) {
        fds[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 10);
        close(raw[i]);
    }
    return fds[0] < 0 || fds[1] < 0 ? -EMFILE : 0;
}

static int high_pipe(int fds[2]) {
    int raw[2];
    return pipe2(raw, O_CLOEXEC) != 0 ? -errno : move_high(raw, fds);
}

/* Grows a capture buffer. Its pages are MADV_DONTFORK: the next child never maps what an
 * earlier snippet printed (it could otherwise read it with ctypes), and the server's own writes
 * to them after a fork cost no copy-on-write fault. */
static int reserve(struct vs_capture *buf, size_t capacity) {
    char *p = mmap(NULL, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -1;
    if (madvise(p, capacity, MADV_DONTFORK) != 0) {
        munmap(p, capacity);
        return -1;
    }
    if (buf->data) {
        memcpy(p, buf->data, buf->length);
        munmap(buf->data, buf->capacity);
    }
    buf->data = p;
    buf->capacity = capacity;
    return 0;
}

/* A socket pair for the child's status report, both ends at 10 and above. */
static int high_socketpair(int fds[2]) {
    int raw[2];
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, raw) != 0 ? -errno : move_high(raw, fds);
}

/* 0 when `fd` is readable, -2 when it is not by `deadline_ns`, -1 on error. */
static int wait_readable(int fd, uint64_t deadline_ns) {
    for (;;) {
        uint64_t now = now_ns();
        if (now >= deadline_ns) return -2;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ready = poll(&pfd, 1, (int)((deadline_ns - now + 999999u) / 1000000u));
        if (ready > 0) return 0;
        if (ready < 0 && errno != EINTR) return -1;
    }
}

int vs_receive_child_status(int status_fd, int pidfd, uint64_t deadline_ns, struct vs_child_status *st,
                            int *listener) {
    *listener = -1;
    int ready = wait_readable(status_fd, deadline_ns);
    if (ready != 0) return ready;
    ssize_t n;
    while ((n = recv(status_fd, st, sizeof *st, 0)) < 0 && errno == EINTR) {
    }
    if (n != (ssize_t)sizeof *st) return -1;
    st->step[sizeof st->step - 1] = '\0';
    if (st->confined != 1) return 0;
    /* The child waits in its opening report meanwhile, holding its copy (child.c); without a
     * copy the caller kills it. */
    if (st->listener >= 0) {
        *listener = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, st->listener, 0) : -1;
        if (*listener < 0) PLOG_E("pidfd_getfd(seccomp listener)");
        else fcntl(*listener, F_SETFD, FD_CLOEXEC);
    }
    return 1;
}

static bool is_report(const struct seccomp_notif *req, enum vs_report kind) {
    return req->data.nr == VS_REPORT_SYSCALL && req->data.args[0] == VS_REPORT_MAGIC && req->data.args[1] == kind;
}

/* The child's first refused call, made before any snippet code: the opening report, whose id is
 * where the count of refused calls starts. 0, or -1 when the child died first, made another
 * call, or none by the deadline. */
static int receive_opening_report(int listener, uint64_t deadline_ns, uint64_t *first_id) {
    if (wait_readable(listener, deadline_ns) != 0) return -1;
    struct seccomp_notif req;
    memset(&req, 0, sizeof req);
    while (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
        if (errno != EINTR) return -1;
    if (!is_report(&req, VS_REPORT_OPENING)) return -1;
    *first_id = req.id;
    struct seccomp_notif_resp resp = {.id = req.id};
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 ? 0 : -1;
}

/* Appends what is readable now. Returns 1 at end of file, -1 when the cap was passed (what
 * fits is kept), -2 when the buffer could not grow (the server's failure, not the snippet's),
 * 0 otherwise. */
static int drain(int fd, struct vs_capture *buf, size_t cap) {
    for (;;) {
        if (buf->capacity - buf->length < 65536 &&
            reserve(buf, buf->capacity ? buf->capacity * 2 : 65536 * 2) != 0)
            return -2;
        ssize_t n = read(fd, buf->data + buf->length, buf->capacity - buf->length);
        if (n == 0) return 1;
        if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : 1;
        buf->length += (size_t)n;
        if (buf->length > cap) {
            buf->length = cap;
            return -1;
        }
    }
}

static void kill_group(pid_t pid) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

struct watch {
    pid_t pid;
    int out_fd, err_fd, pidfd;
    int listener;        /* the child's seccomp listener, -1 without seccomp */
    bool recording;      /* under seccomp: the run's status comes on the closing report */
    bool listener_hung;  /* every task of the child is gone: nothing more to answer */
    bool killed_wall, killed_output;
    bool capture_failed; /* the server could not grow a capture buffer: it killed the child */
    int32_t verdict;     /* the runner's failure (VS_REPORT_VERDICT), 0 until one came */
    bool closed;         /* the closing report came: `runner_status` is the run's status */
    int runner_status;
    uint64_t first_id;   /* the opening report's notification id */
    uint64_t received;   /* notifications read since the opening report */
    bool unread;         /* a report's id showed notifications since the opening never read */
    uint32_t violations;
    uint32_t vanished;   /* refused calls cut short by a signal before the server read them */
    int32_t first_syscall;
    uint32_t first_arch;
};

static bool is_failure(uint64_t status) {
    return status == VS_EXIT_EXCEPTION || status == VS_EXIT_SYNTAX_ERROR || status == VS_EXIT_MEMORY_ERROR;
}

/* A report bounds the refusal record: every id between the opening report's and this one must
 * have been read. */
static void check_bound(struct watch *w, uint64_t id) {
    if (id - w->first_id - 1 > w->received) w->unread = true;
}

/* Answers one refused call with EPERM and records it: the call never runs, ordinary code sees a
 * PermissionError, and the first one is named in the outcome. The child's own reports are
 * answered (a verdict) or never (the closing one: the child dies in it). */
static void answer_notification(struct watch *w) {
    struct seccomp_notif req;
    memset(&req, 0, sizeof req);
    if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
        /* ENOENT: the kernel had queued a refused call, and a signal took the caller out of its
         * wait before it was read. It was refused all the same and counts as one. */
        if (errno == ENOENT) w->vanished++;
        else if (errno != EINTR) w->listener_hung = true;
        return;
    }
    if (!w->closed && is_report(&req, VS_REPORT_CLOSING)) {
        check_bound(w, req.id);
        w->closed = true;
        w->runner_status = (int)(uint32_t)req.data.args[2];
        kill_group(w->pid);
        return;
    }
    struct seccomp_notif_resp resp = {.id = req.id, .error = -EPERM};
    if (is_report(&req, VS_REPORT_VERDICT) && is_failure(req.data.args[2])) {
        /* The first one stands: a snippet that reports a failure of its own only harms itself,
         * and nothing can take back the runner's. */
        check_bound(w, req.id);
        if (w->verdict == 0) w->verdict = (int32_t)req.data.args[2];
        resp.error = 0;
    } else if (w->violations++ == 0) {
        w->first_syscall = req.data.nr;
        w->first_arch = req.data.arch;
    }
    w->received++;
    (void)ioctl(w->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller died */
}

/* Reads both pipes until the child is gone and both are at end of file, killing the child's
 * group at the deadline or when either stream passes the cap. */
static void watch_child(pid_t pid, struct watch *w, const struct vs_request *req,
                        struct vs_result *r, uint64_t start) {
    const uint64_t deadline = start + req->wall_ms * 1000000u;
    uint64_t exited_at = 0;
    bool exited = false;
    for (;;) {
        struct pollfd fds[4] = {{.fd = w->out_fd, .events = POLLIN},
                                {.fd = w->err_fd, .events = POLLIN},
                                {.fd = exited ? -1 : w->pidfd, .events = POLLIN},
                                {.fd = w->listener_hung ? -1 : w->listener, .events = POLLIN}};
        if (w->out_fd < 0 && w->err_fd < 0 && exited) return;
        uint64_t now = now_ns();
        int timeout_ms = -1;
        if (exited) {
            /* Pipes normally reach end of file as the child dies; bound the wait anyway. */
            if (now > exited_at + 1000000000u) return;
            timeout_ms = (int)((exited_at + 1000000000u - now) / 1000000u) + 1;
        } else if (!w->killed_wall && !w->killed_output && !w->capture_failed) {
            if (now >= deadline) {
                kill_group(pid);
                w->killed_wall = true;
                continue;
            }
            timeout_ms = (int)((deadline - now + 999999u) / 1000000u);
        }
        int n = poll(fds, 4, timeout_ms);
        if (n < 0 && errno != EINTR) {
            PLOG_E("poll");
            kill_group(pid);
            return;
        }
        int *ends[2] = {&w->out_fd, &w->err_fd};
        struct vs_capture *bufs[2] = {&r->out, &r->err};
        for (int i = 0; i < 2; i++) {
            if (*ends[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int rc = drain(*ends[i], bufs[i], req->output_bytes);
            if (rc == -2 && !w->capture_failed) {
                PLOG_E("mmap(capture buffer)");
                kill_group(pid);
                w->capture_failed = true;
            } else if (rc == -1 && !w->killed_output && !w->killed_wall) {
                /* Blocks an output flood: stop at the cap instead of buffering gigabytes. */
                kill_group(pid);
                w->killed_output = true;
            }
            if (rc != 0) {
                close(*ends[i]);
                *ends[i] = -1;
            }
        }
        if (fds[3].revents & POLLIN) answer_notification(w);
        if (fds[3].revents & (POLLHUP | POLLERR | POLLNVAL)) w->listener_hung = true;
        if (!exited && (fds[2].revents & POLLIN)) {
            exited = true;
            exited_at = now_ns();
            kill_group(pid); /* nothing of its group may outlive it */
        }
    }
}

static void sandbox_error(struct vs_result *r, int error, const char *what) {
    r->header.outcome = VS_OUTCOME_SETUP_FAILED;
    r->header.detail = error;
    snprintf(r->note, sizeof r->note, "%s", what);
}

static enum vs_outcome verdict_outcome(int32_t verdict) {
    switch (verdict) {
    case VS_EXIT_SYNTAX_ERROR: return VS_OUTCOME_SYNTAX_ERROR;
    case VS_EXIT_MEMORY_ERROR: return VS_OUTCOME_MEMORY_LIMIT;
    default: return VS_OUTCOME_EXCEPTION;
    }
}

/* The status the run ended with (enum vs_child_exit), or a status of the snippet's own. */
static void classify_runner_status(int code, struct vs_response *h) {
    switch (code) {
    case VS_EXIT_COMPLETED: h->outcome = VS_OUTCOME_COMPLETED; break;
    case VS_EXIT_EXCEPTION: h->outcome = VS_OUTCOME_EXCEPTION; break;
    case VS_EXIT_SYNTAX_ERROR: h->outcome = VS_OUTCOME_SYNTAX_ERROR; break;
    case VS_EXIT_MEMORY_ERROR: h->outcome = VS_OUTCOME_MEMORY_LIMIT; break;
    /* VS_EXIT_SETUP_FAILED without a report on the status socket (checked above) is the
     * snippet's own os._exit(123): it must not be able to blame the sandbox. */
    default: h->outcome = VS_OUTCOME_EXITED; h->detail = code; break;
    }
}

/* First what the snippet cannot forge or take back (setup, the server's own failure, refused
 * calls, read or cut short, the CPU it used, the runner's reported verdict), then the server's
 * kills, then how the run ended: its closing report, else how the child died. */
static void classify(int wstatus, const struct watch *w, const struct vs_request *req,
                     int setup, const struct vs_child_status *status, struct vs_result *r) {
    struct vs_response *h = &r->header;
    if (setup == 0) {
        sandbox_error(r, status->error, status->step);
    } else if (setup == -2) {
        sandbox_error(r, ETIMEDOUT, "reporting to the server (the child never did)");
    } else if (setup < 0) {
        sandbox_error(r, EPIPE, "reporting to the server (the child ended first)");
    } else if (w->capture_failed) {
        sandbox_error(r, ENOMEM, "fork server: growing a capture buffer");
    } else if (w->violations > 0) {
        h->outcome = VS_OUTCOME_VIOLATION;
        h->detail = w->first_syscall;
        vs_syscall_name(w->first_syscall, w->first_arch, r->note, sizeof r->note);
    } else if (w->vanished > 0 || w->unread) {
        h->outcome = VS_OUTCOME_VIOLATION;
        h->detail = -1;
        snprintf(r->note, sizeof r->note, "a refused call interrupted before the server read it");
    } else if (h->cpu_ns >= req->cpu_seconds * 1000000000u ||
               (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGXCPU)) {
        /* Reached its CPU limit, whether it then caught SIGXCPU and went on or not. */
        h->outcome = VS_OUTCOME_TIMEOUT_CPU;
    } else if (w->verdict != 0) {
        /* Whatever happened after the runner reported (an exit from the exception's __str__, a
         * hang in an atexit hook), the snippet's own failure is the outcome. */
        h->outcome = verdict_outcome(w->verdict);
    } else if (w->killed_output) {
        h->outcome = VS_OUTCOME_OUTPUT_LIMIT;
    } else if (w->killed_wall) {
        h->outcome = VS_OUTCOME_TIMEOUT_WALL;
    } else if (w->closed) {
        classify_runner_status(w->runner_status, h);
    } else if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        if (sig == SIGSYS) {
            /* Killed by the filter itself: a system call of another ABI (i386, x32). */
            h->outcome = VS_OUTCOME_VIOLATION;
            h->detail = -1;
            snprintf(r->note, sizeof r->note, "a system call of another ABI");
        } else {
            h->outcome = VS_OUTCOME_CRASHED;
            h->detail = sig;
        }
    } else if (w->recording) {
        /* Under seccomp the run's status comes only on the closing report: an exit without one
         * (and without a verdict before) is the snippet's own os._exit, whatever status it
         * names. */
        h->outcome = VS_OUTCOME_EXITED;
        h->detail = WEXITSTATUS(wstatus);
    } else {
        classify_runner_status(WEXITSTATUS(wstatus), h);
    }
}

int vs_run_request(const struct vs_confinement *c, const struct vs_request *req, const char *code,
                   struct vs_result *r) {
    int out[2], err[2], status[2];
    int rc;
    if ((rc = high_pipe(out)) || (rc = high_pipe(err)) || (rc = high_socketpair(status))) return rc;

    uint64_t start = now_ns();
    pid_t server = getpid();
    vs_interpreter_before_fork();
    pid_t pid = fork();
    if (pid == 0) {
        vs_interpreter_after_fork_child();
        vs_confine_child(c, req, out[1], err[1], status[1], server);
        int runner_status = vs_interpreter_run(code, req->code_length);
        vs_report(VS_REPORT_CLOSING, runner_status);
        _exit(runner_status);
    }
    vs_interpreter_after_fork_parent();
    close(out[1]);
    close(err[1]);
    close(status[1]);
    if (pid < 0) {
        rc = -errno;
        close(out[0]);
        close(err[0]);
        close(status[0]);
        return rc;
    }
    setpgid(pid, pid); /* also here: the group must exist before any kill of it */
    struct watch w = {.pid = pid, .out_fd = out[0], .err_fd = err[0], .listener = -1,
                      .recording = c->protections & VS_PROTECT_SECCOMP,
                      .pidfd = (int)syscall(SYS_pidfd_open, pid, 0)};
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    /* The child reports before any snippet code runs (or dies trying, which ends the read); one
     * that does neither within the wall-clock limit is killed. */
    struct vs_child_status status_report = {0};
    uint64_t deadline = start + req->wall_ms * 1000000u;
    int setup = vs_receive_child_status(status[0], w.pidfd, deadline, &status_report, &w.listener);
    close(status[0]);
    if (setup < 0) kill_group(pid);
    if (setup == 1 && c->protections & VS_PROTECT_SECCOMP &&
        (w.listener < 0 || receive_opening_report(w.listener, deadline, &w.first_id) != 0)) {
        /* Confined without a listener to answer its refused calls, or without the record's
         * start to count them from: never run it. */
        kill_group(pid);
        setup = 0;
        status_report.error = EPROTO;
        snprintf(status_report.step, sizeof status_report.step, "receiving the seccomp listener");
    }
    if (w.pidfd < 0) {
        PLOG_E("pidfd_open");
        kill_group(pid);
    } else {
        watch_child(pid, &w, req, r, start);
        close(w.pidfd);
    }
    if (w.out_fd >= 0) close(w.out_fd);
    if (w.err_fd >= 0) close(w.err_fd);
    if (w.listener >= 0) close(w.listener);

    int wstatus = 0;
    struct rusage ru = {0};
    while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR) {
    }
    struct vs_response *h = &r->header;
    h->wall_ns = now_ns() - start;
    h->cpu_ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000u +
                (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
    h->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024u;
    classify(wstatus, &w, req, setup, &status_report, r);
    return 0;
}
