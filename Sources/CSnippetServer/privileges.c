/* Dropping root in a child: supplementary groups, then gid, then uid, all three ids each. */
#include <grp.h>
#include <unistd.h>

#include "confine.h"

/* Blocks a snippet from raising its rlimits again, reading root-only files that Landlock would
 * allow, or signalling root processes: after this the child holds no capability at all. */
int vs_drop_privileges(const char **step) {
    *step = "setgroups(0)";
    if (setgroups(0, NULL) != 0) return -errno;
    *step = "setresgid(65534)";
    if (setresgid(VS_SANDBOX_GID, VS_SANDBOX_GID, VS_SANDBOX_GID) != 0) return -errno;
    *step = "setresuid(65534)";
    if (setresuid(VS_SANDBOX_UID, VS_SANDBOX_UID, VS_SANDBOX_UID) != 0) return -errno;
    /* Check that it is permanent: a process that could get root back has not dropped it. */
    *step = "setresuid(0) must fail";
    if (setresuid(0, 0, 0) == 0) return -EPERM;
    return 0;
}
