/* Where the embedded interpreter is installed (see installation.h). Before Python starts: the
 * server's private root must hold the installation, and the interpreter computes sys.prefix
 * from the program name it is given. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <Python.h>

#include "installation.h"

void vs_installation_find(struct vs_installation *out) {
    snprintf(out->prefix, sizeof out->prefix, "/usr");
    snprintf(out->program, sizeof out->program, "/usr/bin/python3");
    Dl_info info;
    char library[PATH_MAX];
    if (dladdr((void *)Py_InitializeFromConfig, &info) == 0 || !info.dli_fname ||
        !realpath(info.dli_fname, library))
        return;
    /* /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 -> /usr; /opt/py/lib/libpython3.12.so -> /opt/py */
    char folder[PATH_MAX];
    snprintf(folder, sizeof folder, "%s", library);
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(folder, '/');
        if (!slash || slash == folder) return;
        *slash = '\0';
        char program[PATH_MAX];
        snprintf(program, sizeof program, "%s/bin/python%d.%d", folder, PY_MAJOR_VERSION, PY_MINOR_VERSION);
        if (access(program, X_OK) == 0) {
            snprintf(out->prefix, sizeof out->prefix, "%s", folder);
            snprintf(out->program, sizeof out->program, "%s", program);
            return;
        }
    }
}
