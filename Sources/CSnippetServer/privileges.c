/* Dropping root in a child: supplementary groups, then gid, then uid, all three ids each; or,
 * as root of the server's own user namespace (whose only user is the one who started it),
 * every capability. */
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"

uid_t vs_child_uid(pid_t server_pid, uint32_t child_counter) {
    return (uid_t)(VS_CHILD_UID_BASE + ((((uint32_t)server_pid << 8) | (child_counter & 0xffu)) % VS_CHILD_UID_SPAN));
}

/* Blocks a snippet from raising its rlimits again, reading root-only files that Landlock would
 * allow, or signalling root processes: after this the child holds no capability at all. The uid
 * is the child's own (VS_CHILD_UID_BASE), so that no per-user count of the kernel is shared with
 * a neighbour. */
int vs_drop_privileges(uid_t uid, const char **step) {
    *step = "setgroups(0)";
    if (setgroups(0, NULL) != 0) return -errno;
    *step = "setresgid(65534)";
    if (setresgid(VS_SANDBOX_GID, VS_SANDBOX_GID, VS_SANDBOX_GID) != 0) return -errno;
    *step = "setresuid(child uid)";
    if (setresuid(uid, uid, uid) != 0) return -errno;
    /* Check that it is permanent: a process that could get root back has not dropped it. */
    *step = "setresuid(0) must fail";
    if (setresuid(0, 0, 0) == 0) return -EPERM;
    return 0;
}

/* In the server's user namespace the child is uid 0 (the starting user outside) with every
 * capability over that namespace's mounts: it keeps the uid, which maps to nobody else, and
 * loses the capabilities, for good: uid 0 regains none (SECBIT_NOROOT, locked), the bounding set
 * is emptied, and the check reads them back. */
int vs_drop_capabilities(const char **step) {
    *step = "prctl(PR_SET_SECUREBITS)";
    const unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                               SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                               SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
    if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0) return -errno;
    *step = "prctl(PR_CAP_AMBIENT_CLEAR_ALL)";
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return -errno;
    *step = "prctl(PR_CAPBSET_DROP)";
    for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return -errno;
    *step = "capset(none)";
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3] = {{0}};
    if (syscall(SYS_capset, &header, caps) != 0) return -errno;
    *step = "capget: no capability may be left";
    if (syscall(SYS_capget, &header, caps) != 0) return -errno;
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
        if (caps[i].effective | caps[i].permitted | caps[i].inheritable) return -EPERM;
    return 0;
}
