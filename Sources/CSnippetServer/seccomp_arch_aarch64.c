/* aarch64: the filter accepts AUDIT_ARCH_AARCH64 only, so AArch32 compat calls kill the child.
 * The generic syscall table has no legacy calls (open, stat, access, mkdir, rename, pipe, dup2,
 * poll, select, epoll_wait, fork...): glibc makes their *at and p* forms, which the common
 * allowlist has, so nothing is added here. Written for the table, not run on this machine. */
#if defined(__aarch64__)
#include <seccomp.h>

#include "seccomp_arch.h"

const uint32_t vs_seccomp_arch = SCMP_ARCH_AARCH64;
const struct vs_allowed_call *const vs_arch_allowed = NULL;
const size_t vs_arch_allowed_count = 0;
/* The generic table ends at 469 (file_setattr) in Linux 6.18. */
const int vs_arch_syscall_limit = 470;
#endif
