/* The one folder a child may write: private to this server, emptied after every child. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "log.h"
#include "scratch.h"
#include "view.h"

/* In the server's own file-system view (view.c) the folder is a small tmpfs: emptying it is one
 * remount whatever a snippet left there, its size and inode count bound what a snippet can
 * fill, and nothing in it can be mapped executable. Without the view it is a plain folder under
 * the scratch root, and none of that holds. Its owner is whom a child runs as: the child's own uid
 * when the server is root (vs_scratch_hand_to, before each child), the namespace's root (the
 * starting user) in a user namespace. No access times: reading the folder would otherwise change
 * what the next child sees. */
static int mount_tmpfs(struct vs_scratch *s) {
    const char *options = "size=64m,nr_inodes=4096,mode=0700";
    if (mount("verify-snippets", s->path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME, options) != 0 ||
        stat(s->path, &s->fresh) != 0 || statvfs(s->path, &s->fresh_fs) != 0)
        return -1;
    return 0;
}

/* Whether anything of the tmpfs differs from how it was mounted (or last handed to a child).
 * Any change to the folder's entries, mode, owner, times or attributes moves its ctime, which no
 * call can set back; the counters catch what a child could leave elsewhere (an open, unlinked
 * file's blocks). The kernel's next inode number moves with every file made: only a new tmpfs
 * resets it. Not a remount every time: with its new Landlock rule it costs the server 0.3 ms a
 * snippet (a round trip of `pass` takes 1.1 ms here). */
static bool tmpfs_changed(const struct vs_scratch *s) {
    struct stat now;
    struct statvfs fs;
    if (stat(s->path, &now) != 0 || statvfs(s->path, &fs) != 0) return true;
    return now.st_ino != s->fresh.st_ino || now.st_ctim.tv_sec != s->fresh.st_ctim.tv_sec ||
           now.st_ctim.tv_nsec != s->fresh.st_ctim.tv_nsec || now.st_mtim.tv_sec != s->fresh.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != s->fresh.st_mtim.tv_nsec || now.st_nlink != s->fresh.st_nlink ||
           fs.f_bfree != s->fresh_fs.f_bfree || fs.f_ffree != s->fresh_fs.f_ffree;
}

static int write_file(int proc_fd, const char *path, const char *text) {
    int fd = openat(proc_fd, path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t n = write(fd, text, strlen(text));
    int rc = n == (ssize_t)strlen(text) ? 0 : n < 0 ? -errno : -EIO;
    close(fd);
    return rc;
}

/* Makes the caller root of a new user namespace, its own uid and gid mapped to 0 and nothing
 * else mapped: an ordinary user may then build the same private view root builds (in the
 * template), and each server has a namespace of its own inside the template's. `proc_fd` is /proc,
 * held since before the view hid it. 1 when it did, 0 when the kernel refuses the namespace,
 * -errno when it is entered but cannot be mapped (the process cannot go on in it). */
static int enter_user_namespace(int proc_fd) {
    char map[64];
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER) != 0) return 0;
    int rc = write_file(proc_fd, "self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    if (!rc) rc = write_file(proc_fd, "self/uid_map", map);
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    if (!rc) rc = write_file(proc_fd, "self/gid_map", map);
    if (rc) PLOG_E("mapping the user namespace");
    return rc ? rc : 1;
}

/* Where the scratch folder is inside the file-system view. */
#define VS_VIEW_SCRATCH "/scratch"

int vs_scratch_prepare(struct vs_scratch *s, const char *root, bool as_root, int proc_fd, const char *const *shown,
                       size_t shown_count) {
    s->tmpfs = false;
    s->view = false;
    s->root = root;
    snprintf(s->path, sizeof s->path, "%s", root);
    int entered = as_root ? 0 : enter_user_namespace(proc_fd);
    if (entered < 0) {
        errno = -entered;
        return entered;
    }
    s->user_namespace = entered == 1;
    if (!as_root && !s->user_namespace) return 0;
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        PLOG_E("unshare(CLONE_NEWNS)");
        return -errno;
    }
    int rc = vs_view_enter(VS_VIEW_SCRATCH, shown, shown_count);
    if (rc) return rc;
    s->view = true;
    snprintf(s->path, sizeof s->path, VS_VIEW_SCRATCH);
    return 0;
}

int vs_scratch_create(struct vs_scratch *s, int proc_fd) {
    if (!s->view) {
        snprintf(s->path, sizeof s->path, "%s/verify-snippets.XXXXXX", s->root);
        if (!mkdtemp(s->path)) {
            PLOG_E("mkdtemp(%s)", s->path);
            return -errno;
        }
        return 0;
    }
    /* A mount namespace of the server's own, so that its tmpfs is seen by it and its children
     * only; in a user namespace, first a user namespace of its own that owns it. The view's
     * mounts are private already (vs_scratch_prepare): nothing mounted here reaches the template. */
    int entered = s->user_namespace ? enter_user_namespace(proc_fd) : 1;
    if (entered != 1) {
        errno = entered < 0 ? -entered : EPERM;
        PLOG_E("a user namespace of the server's own");
        return -errno;
    }
    if (unshare(CLONE_NEWNS) != 0) {
        PLOG_E("unshare(CLONE_NEWNS)");
        return -errno;
    }
    if (mount_tmpfs(s) != 0) {
        PLOG_E("mount(tmpfs, %s)", s->path);
        return -errno;
    }
    s->tmpfs = true;
    return 0;
}

static bool is_empty(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return true;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    if (ftw->level > 0) (void)(type == FTW_DP ? rmdir(path) : unlink(path)); /* best effort */
    return 0;
}

int vs_scratch_wipe(struct vs_scratch *s) {
    if (s->tmpfs) {
        if (!tmpfs_changed(s)) return 0;
        /* chdir again: the server's (and so the next child's) working directory would otherwise
         * stay on the detached old tmpfs. */
        if (umount2(s->path, MNT_DETACH) != 0 || mount_tmpfs(s) != 0 || chdir(s->path) != 0) {
            PLOG_E("remounting %s", s->path);
            return -errno;
        }
        return 1;
    }
    if (is_empty(s->path)) return 0;
    /* Physical walk: a symlink a snippet left is removed, never followed. */
    nftw(s->path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    return is_empty(s->path) ? 0 : -ENOTEMPTY;
}

int vs_scratch_hand_to(struct vs_scratch *s, uid_t uid) {
    /* The chown moves the folder's ctime: that is the state the child starts from, and what its
     * changes are measured against (tmpfs_changed). */
    if (chown(s->path, uid, VS_SANDBOX_GID) != 0 || (s->tmpfs && stat(s->path, &s->fresh) != 0)) {
        PLOG_E("chown(%s)", s->path);
        return -errno;
    }
    return 0;
}

void vs_scratch_remove(struct vs_scratch *s) {
    if (s->view) return; /* the namespace, and every mount in it, dies with the server */ /* the namespace, and every mount in it, dies with the server */
    vs_scratch_wipe(s);
    rmdir(s->path);
}
