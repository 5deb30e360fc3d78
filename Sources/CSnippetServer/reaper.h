/* Running one request: fork, capture, wall-clock kill, reap, classify. */
#ifndef VS_REAPER_H
#define VS_REAPER_H

#include <stddef.h>
#include <stdint.h>

#include "confine.h"

struct vs_capture {
    char *data;
    size_t length;
    size_t capacity;
};

/* What the server sends back for one request. */
struct vs_result {
    struct vs_response header;
    struct vs_capture out, err;
    char note[VS_MAX_NOTE_BYTES];
};

/* Forks a child that confines itself and runs `code`; fills `result`. Returns -errno when the
 * server itself failed (pipe, fork), 0 otherwise (whatever the snippet did). */
int vs_run_request(const struct vs_confinement *c, const struct vs_request *req, const char *code,
                   struct vs_result *result);

#endif
