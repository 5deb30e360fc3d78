/* The system headers the fork server needs: the embedded interpreter (its include folder comes
 * from pkg-config python3-embed) and libseccomp. */
#pragma once
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <seccomp.h>
