/* The system headers the fork server needs: the embedded interpreter and libseccomp. */
#pragma once
#define PY_SSIZE_T_CLEAN
#include <python3.11/Python.h> /* Debian 12's interpreter, linked statically */
#include <seccomp.h>
