/* The system headers the fork server needs: the embedded interpreter and libseccomp. */
#pragma once
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <seccomp.h>
