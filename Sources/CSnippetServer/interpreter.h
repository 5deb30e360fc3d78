/* The embedded interpreter: initialised once per server, run once per child. */
#ifndef VS_INTERPRETER_H
#define VS_INTERPRETER_H

#include <stddef.h>

/* What the server's interpreter is set up with. */
struct vs_interpreter_setup {
    const char *program;         /* the installation's python3.X (installation.h) */
    const char *preload;         /* modules, comma-separated */
    const char *others;          /* modules other tiers preload, comma-separated: only checked to be installed */
    const char *const *packages; /* folders searched before the installation's, as site dirs */
    size_t package_count;
    const char *scratch_dir;
    long int_max_str_digits;     /* Python's int-to-str digit limit; 0: none */
};

/* Initialises CPython, imports the preload set, warms sympy's caches, sets the int-to-str digit
 * limit and freezes the heap. On failure returns -1 and writes the reason into `error`. */
int vs_interpreter_init(const struct vs_interpreter_setup *setup, char *error, size_t error_len);

/* In a server without the private view, whose scratch folder is its own (not the template's):
 * HOME, TMPDIR and tempfile.tempdir name it. 0 or -1. */
int vs_interpreter_set_scratch(const char *path);

/* Directories and files a child must be able to read (NULL-terminated; owned by the
 * interpreter module): the interpreter's library paths and what lazy imports need. */
const char *const *vs_interpreter_read_paths(size_t *count);

/* In the child, confined: runs the source as __main__, then python3's exit sequence, and
 * returns the child's exit status (enum vs_child_exit); a verdict other than completed is also
 * reported to the server as soon as it is known (VS_REPORT_VERDICT). */
int vs_interpreter_run(const char *source, size_t length);

/* Reads the server's thread count from status_fd (/proc/self/status, opened before the private
 * root hid /proc) and closes it: with one thread, the fork calls below skip CPython's fork
 * protocol (see interpreter.c). Call once, after init. */
void vs_interpreter_count_threads(int status_fd);

void vs_interpreter_before_fork(void);
void vs_interpreter_after_fork_parent(void);
void vs_interpreter_after_fork_child(void);

#endif
