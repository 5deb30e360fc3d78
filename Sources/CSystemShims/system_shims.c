/* GNU calls for the Swift side (see system_shims.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "system_shims.h"

int vs_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int vs_socketpair_cloexec(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

long vs_send_nosignal(int fd, const void *bytes, unsigned long count) { return send(fd, bytes, count, MSG_NOSIGNAL); }

long vs_send_with_fds(int fd, const void *bytes, unsigned long count, const int *fds, int fd_count) {
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(8 * sizeof(int))];
    } space;
    if (fd_count < 1 || fd_count > 8) {
        errno = EINVAL;
        return -1;
    }
    struct iovec iov = {.iov_base = (void *)bytes, .iov_len = count};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = space.bytes,
                         .msg_controllen = CMSG_SPACE(fd_count * sizeof(int))};
    struct cmsghdr *m = CMSG_FIRSTHDR(&msg);
    m->cmsg_level = SOL_SOCKET;
    m->cmsg_type = SCM_RIGHTS;
    m->cmsg_len = CMSG_LEN(fd_count * sizeof(int));
    memcpy(CMSG_DATA(m), fds, fd_count * sizeof(int));
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

int vs_affinity_cores(void) {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}
