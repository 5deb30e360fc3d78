/* The scratch folder of one server (scratch.c). */
#ifndef VS_SCRATCH_H
#define VS_SCRATCH_H

#include <limits.h>
#include <stdbool.h>

struct vs_scratch {
    char path[PATH_MAX];
    bool tmpfs;
};

int vs_scratch_create(struct vs_scratch *s, const char *root, bool as_root);
int vs_scratch_wipe(struct vs_scratch *s);
void vs_scratch_remove(struct vs_scratch *s);

#endif
