/* GNU calls that Swift's Glibc module does not import, for the Swift side. */
#ifndef VS_SYSTEM_SHIMS_H
#define VS_SYSTEM_SHIMS_H

/* pipe2(fds, O_CLOEXEC): atomic, so a server spawned by another thread meanwhile cannot inherit
 * the pipe. Returns 0 or -1 with errno. */
int vs_pipe_cloexec(int fds[_Nonnull 2]);

/* Cores in this process's affinity mask (what Slurm or a cpuset gives us), or 0 if unknown. */
int vs_affinity_cores(void);

#endif
