/* The host's name, hidden: a UTS namespace of the server's own with fixed names, so that uname()
 * in a child (allowed: platform and sys checks make it) answers "sandbox" instead of the host's
 * node name (secrets/uname_nodename.py). The kernel's release, version and machine stay
 * visible: they are the kernel's, and uname cannot be told otherwise. */
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "log.h"

#define VS_HOST_NAME "sandbox"

int vs_host_name_hide(void) {
    if (unshare(CLONE_NEWUTS) != 0 || sethostname(VS_HOST_NAME, strlen(VS_HOST_NAME)) != 0 ||
        setdomainname(VS_HOST_NAME, strlen(VS_HOST_NAME)) != 0) {
        PLOG_E("a UTS namespace of our own");
        return -errno;
    }
    return 0;
}
