/* x86_64: the filter accepts AUDIT_ARCH_X86_64 only, so i386 (int 0x80, sysenter) kills the
 * child, and x32 numbers (bit 30 set) are refused. The calls below are x86_64's legacy forms of
 * *at calls; glibc and CPython still make them here. */
#if defined(__x86_64__)
#include <seccomp.h>

#include "seccomp_arch.h"

const uint32_t vs_seccomp_arch = SCMP_ARCH_X86_64;

static const struct vs_allowed_call x86_64_allowed[] = {
    {"access", "os.access, shutil.which"},
    {"mkdir", "tempfile.mkdtemp in the scratch folder"},
    {"rmdir", "tempfile cleanup"},
    {"unlink", "tempfile cleanup in the scratch folder"},
    {"rename", "os.rename in the scratch folder"},
    {"readlink", "os.path.realpath"},
    {"pipe", "os.pipe in older code"},
    {"dup2", "os.dup2"},
    {"poll", "select.poll on the snippet's own descriptors"},
    {"select", "select.select, time.sleep in some libraries"},
    {"epoll_wait", "selectors on the snippet's own descriptors"},
};

const struct vs_allowed_call *const vs_arch_allowed = x86_64_allowed;
const size_t vs_arch_allowed_count = sizeof x86_64_allowed / sizeof x86_64_allowed[0];
/* 0-334 and 424-547 (x32's own range, 512-547, included) are assigned in Linux 6.18. */
const int vs_arch_syscall_limit = 548;
#endif
