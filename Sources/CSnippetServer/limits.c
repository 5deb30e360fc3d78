/* rlimits for one child, one limit at a time so a failure names the exact limit. */
#include <sys/resource.h>

#include "confine.h"

/* Far more than ordinary code keeps pending at once (a handler or two, a sigwait). */
#define VS_CHILD_PENDING_SIGNALS 64

static int set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
    return setrlimit(resource, &rl) == 0 ? 0 : -errno;
}

/* Soft and hard are set equal (CPU aside) so that a snippet cannot raise a soft limit back up;
 * set while still root, they bind the unprivileged child for good. */
int vs_apply_rlimits(const struct vs_request *req, const char **step) {
    int rc;
    /* Blocks a memory bomb: allocation fails with MemoryError instead of taking the machine. */
    *step = "setrlimit(RLIMIT_AS)";
    if ((rc = set_limit(RLIMIT_AS, req->memory_bytes, req->memory_bytes))) return rc;
    /* Blocks a busy loop that ignores signals: SIGXCPU at the soft limit, SIGKILL one second on. */
    *step = "setrlimit(RLIMIT_CPU)";
    if ((rc = set_limit(RLIMIT_CPU, req->cpu_seconds, req->cpu_seconds + 1))) return rc;
    /* Blocks filling the disk from the scratch folder. */
    *step = "setrlimit(RLIMIT_FSIZE)";
    if ((rc = set_limit(RLIMIT_FSIZE, req->file_bytes, req->file_bytes))) return rc;
    /* Blocks descriptor exhaustion. */
    *step = "setrlimit(RLIMIT_NOFILE)";
    if ((rc = set_limit(RLIMIT_NOFILE, req->open_files, req->open_files))) return rc;
    /* Blocks thread bombs (process creation is denied outright by seccomp). */
    *step = "setrlimit(RLIMIT_NPROC)";
    if ((rc = set_limit(RLIMIT_NPROC, req->threads, req->threads))) return rc;
    /* A crash must not write the heap (with whatever the snippet read) to disk. */
    *step = "setrlimit(RLIMIT_CORE)";
    if ((rc = set_limit(RLIMIT_CORE, 0, 0))) return rc;
    /* No locked memory, no POSIX message queues: nothing that outlives the child. */
    *step = "setrlimit(RLIMIT_MEMLOCK)";
    if ((rc = set_limit(RLIMIT_MEMLOCK, 0, 0))) return rc;
    *step = "setrlimit(RLIMIT_MSGQUEUE)";
    if ((rc = set_limit(RLIMIT_MSGQUEUE, 0, 0))) return rc;
    /* Blocks queueing real-time signals by the thousand: inherited, the limit would be the
     * server's (tens of thousands), counted per user. */
    *step = "setrlimit(RLIMIT_SIGPENDING)";
    if ((rc = set_limit(RLIMIT_SIGPENDING, VS_CHILD_PENDING_SIGNALS, VS_CHILD_PENDING_SIGNALS))) return rc;
    return 0;
}
