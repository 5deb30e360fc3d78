/* GNU calls that Swift's Glibc module does not import, for the Swift side. */
#ifndef VS_SYSTEM_SHIMS_H
#define VS_SYSTEM_SHIMS_H

/* pipe2(fds, O_CLOEXEC): atomic, so a server spawned by another thread meanwhile cannot inherit
 * the pipe. Returns 0 or -1 with errno. */
int vs_pipe_cloexec(int fds[_Nonnull 2]);

/* A Unix stream socket pair, both ends close-on-exec: the request channel to a fork server,
 * written with vs_send_nosignal so that a server that died is an EPIPE for the caller, never a
 * SIGPIPE that the host process would have to ignore. Returns 0 or -1 with errno. */
int vs_socketpair_cloexec(int fds[_Nonnull 2]);

/* send(MSG_NOSIGNAL): the count written, or -1 with errno. */
long vs_send_nosignal(int fd, const void *_Nonnull bytes, unsigned long count);

/* sendmsg(MSG_NOSIGNAL) of `count` bytes with `fd_count` descriptors attached (SCM_RIGHTS): the
 * count written, or -1 with errno. The descriptors travel with the first byte. */
long vs_send_with_fds(int fd, const void *_Nonnull bytes, unsigned long count, const int *_Nonnull fds, int fd_count);

/* Cores in this process's affinity mask (what Slurm or a cpuset gives us), or 0 if unknown. */
int vs_affinity_cores(void);

#endif
