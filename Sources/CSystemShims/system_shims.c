/* GNU calls for the Swift side (see system_shims.h). */
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "system_shims.h"

int vs_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int vs_affinity_cores(void) {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}
