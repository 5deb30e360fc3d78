/* What the seccomp policy takes from the architecture it is built for, one file per
 * architecture (seccomp_arch_x86_64.c, seccomp_arch_aarch64.c): the libseccomp token of the only
 * ABI the filter accepts (every other one kills the child), the allowed calls that exist only
 * there (the common ones are in seccomp_policy.c), and the extent of its syscall table. Syscall
 * numbers themselves come from libseccomp's table for that token, never from our sources. */
#ifndef VS_SECCOMP_ARCH_H
#define VS_SECCOMP_ARCH_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "no seccomp table for this architecture: write seccomp_arch_<arch>.c (and the sweep's table)"
#endif

struct vs_allowed_call {
    const char *name;
    const char *why;
};

extern const uint32_t vs_seccomp_arch;
extern const struct vs_allowed_call *const vs_arch_allowed;
extern const size_t vs_arch_allowed_count;
/* One above the highest native syscall number (snippet-server --syscall-names lists below it). */
extern const int vs_arch_syscall_limit;

#endif
