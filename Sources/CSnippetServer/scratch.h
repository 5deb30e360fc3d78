/* The scratch folder of one server (scratch.c). */
#ifndef VS_SCRATCH_H
#define VS_SCRATCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

struct vs_scratch {
    char path[PATH_MAX];
    bool tmpfs;
    bool view;           /* inside the server's own read-only view */
    bool user_namespace; /* the view is in a user namespace of the server's own (not root) */
    struct stat fresh;   /* the tmpfs's root and counters as mounted (and handed over): what every child must see */
    struct statvfs fresh_fs;
};

/* As root, and as anyone else whose kernel lets them create a user namespace, the folder is a
 * tmpfs in the server's private view (view.c), which also shows the `shown` folders read-only;
 * otherwise a folder under `root`. */
int vs_scratch_create(struct vs_scratch *s, const char *root, bool as_root, const char *const *shown, size_t shown_count);
/* 0: it was as fresh as mounted (or, not a tmpfs, has been emptied in place); 1: it is a new
 * tmpfs (anything bound to the old one, such as a Landlock rule, must be made again); -errno on
 * failure. */
int vs_scratch_wipe(struct vs_scratch *s);
/* As root: hands the folder to the uid the next child runs as (it is mode 0700). */
int vs_scratch_hand_to(struct vs_scratch *s, uid_t uid);
void vs_scratch_remove(struct vs_scratch *s);

#endif
