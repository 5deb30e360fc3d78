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

/* A socket pair for the child's status report and the server's answer, both ends at 10 and
 * above. */
static int high_socketpair(int fds[2]) {
    int raw[2];
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, raw) != 0 ? -errno : move_high(raw, fds);
}

int vs_receive_child_status(int status_fd, int pidfd, uint64_t deadline_ns, struct vs_child_status *st,
                            int *listener) {
    *listener = -1;
    for (;;) {
        uint64_t now = now_ns();
        if (now >= deadline_ns) return -2;
        struct pollfd pfd = {.fd = status_fd, .events = POLLIN};
        int ready = poll(&pfd, 1, (int)((deadline_ns - now + 999999u) / 1000000u));
        if (ready > 0) break;
        if (ready < 0 && errno != EINTR) return -1;
    }
    ssize_t n;
    while ((n = recv(status_fd, st, sizeof *st, 0)) < 0 && errno == EINTR) {
    }
    if (n != (ssize_t)sizeof *st) return -1;
    st->step[sizeof st->step - 1] = '\0';
    if (st->confined != 1) return 0;
    if (st->listener >= 0) {
        /* Answered whether or not the copy worked: without one the caller kills the child. */
        *listener = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, st->listener, 0) : -1;
        if (*listener < 0) PLOG_E("pidfd_getfd(seccomp listener)");
        char taken = 1;
        (void)!send(status_fd, &taken, 1, MSG_NOSIGNAL);
    }
    return 1;
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
    int out_fd, err_fd, pidfd;
    int listener; /* the child's seccomp listener, -1 once closed or without seccomp */
    bool killed_wall, killed_output;
    bool capture_failed; /* the server could not grow a capture buffer: it killed the child */
    int32_t verdict;     /* the runner's report (VS_VERDICT_SYSCALL), 0 until one came */
    uint32_t violations;
    int32_t first_syscall;
    uint32_t first_arch;
};

static bool is_verdict(const struct seccomp_notif *req) {
    uint64_t kind = req->data.args[1];
    return req->data.nr == VS_VERDICT_SYSCALL && req->data.args[0] == VS_VERDICT_MAGIC &&
           (kind == VS_EXIT_EXCEPTION || kind == VS_EXIT_SYNTAX_ERROR || kind == VS_EXIT_MEMORY_ERROR);
}

/* Answers one refused call with EPERM and records it: the call never runs, ordinary code sees a
 * PermissionError, and the first one is named in the outcome. */
static void answer_notification(struct watch *w) {
    struct seccomp_notif req;
    memset(&req, 0, sizeof req);
    if (ioctl(w->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
        if (errno != EINTR && errno != ENOENT) {
            close(w->listener);
            w->listener = -1;
        }
        return;
    }
    struct seccomp_notif_resp resp = {.id = req.id, .error = -EPERM};
    if (is_verdict(&req)) {
        /* The first one stands: a snippet that reports a failure of its own only harms itself,
         * and nothing can take back the runner's. */
        if (w->verdict == 0) w->verdict = (int32_t)req.data.args[1];
        resp.error = 0;
    } else if (w->violations++ == 0) {
        w->first_syscall = req.data.nr;
        w->first_arch = req.data.arch;
    }
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
                                {.fd = w->listener, .events = POLLIN}};
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
        if (w->listener >= 0 && (fds[3].revents & POLLIN)) answer_notification(w);
        if (w->listener >= 0 && (fds[3].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            close(w->listener);
            w->listener = -1;
        }
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

/* First what the snippet cannot forge or take back (setup, the server's own failure, refused
 * calls, the CPU it used, the runner's reported verdict), then the server's kills, then how the
 * child ended. */
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
    } else {
        int code = WEXITSTATUS(wstatus);
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
        _exit(vs_interpreter_run(code, req->code_length));
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
    struct watch w = {.out_fd = out[0], .err_fd = err[0], .listener = -1,
                      .pidfd = (int)syscall(SYS_pidfd_open, pid, 0)};
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    /* The child reports before any snippet code runs (or dies trying, which ends the read); one
     * that does neither within the wall-clock limit is killed. */
    struct vs_child_status status_report = {0};
    int setup = vs_receive_child_status(status[0], w.pidfd, start + req->wall_ms * 1000000u, &status_report, &w.listener);
    close(status[0]);
    if (setup < 0) kill_group(pid);
    if (setup == 1 && c->protections & VS_PROTECT_SECCOMP && w.listener < 0) {
        /* Confined without a listener to answer its refused calls: never run it. */
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
