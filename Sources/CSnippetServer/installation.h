/* Where the embedded interpreter is installed (installation.c). */
#ifndef VS_INSTALLATION_H
#define VS_INSTALLATION_H

#include <limits.h>

struct vs_installation {
    char prefix[PATH_MAX];  /* /usr for Debian's and Ubuntu's python3; /opt/python3.12 for a build of one's own */
    char program[PATH_MAX]; /* its python3.X, which gives the interpreter its sys.prefix */
};

/* Found from the libpython this server is linked against, never named: the nearest folder
 * above that library holding bin/python3.X of the same version. A server linked statically
 * (VERIFY_SNIPPETS_STATIC_PYTHON) finds no library file and takes Debian's /usr. */
void vs_installation_find(struct vs_installation *out);

#endif
