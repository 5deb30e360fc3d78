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
    char path[PATH_MAX]; /* the folder; in the template, where the servers' folders will be */
    const char *root;    /* --scratch-root: where a server without the view makes its folder */
    bool tmpfs;
    bool view;           /* inside the server's own read-only view */
    bool user_namespace; /* the view is in a user namespace of the server's own (not root) */
    struct stat fresh;   /* the tmpfs's root and counters as mounted (and handed over): what every child must see */
    struct statvfs fresh_fs;
};

/* In the template, before the interpreter starts: as root, and as anyone else whose kernel lets
 * them create a user namespace (then in one of the template's own), enters the private view
 * every server starts from (view.c: read-only, the `shown` folders too, an empty mount point
 * for the scratch folder, whose path `path` then holds); otherwise nothing, and `path` is `root`.
 * `proc_fd`: /proc, opened while it was in view. 0 or -errno. */
int vs_scratch_prepare(struct vs_scratch *s, const char *root, bool as_root, int proc_fd, const char *const *shown,
                       size_t shown_count);
/* In each server, forked from the template: its own folder. In the view a small tmpfs on the
 * mount point, in a mount namespace (and, unless root, a user namespace) of the server's own;
 * otherwise a new folder under the root. 0 or -errno. */
int vs_scratch_create(struct vs_scratch *s, int proc_fd);
/* 0: it was as fresh as mounted (or, not a tmpfs, has been emptied in place); 1: it is a new
 * tmpfs (anything bound to the old one, such as a Landlock rule, must be made again); -errno on
 * failure. */
int vs_scratch_wipe(struct vs_scratch *s);
/* As root: hands the folder to the uid the next child runs as (it is mode 0700). */
int vs_scratch_hand_to(struct vs_scratch *s, uid_t uid);
void vs_scratch_remove(struct vs_scratch *s);

#endif
