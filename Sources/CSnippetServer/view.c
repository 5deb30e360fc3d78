/* The server's file-system view: a read-only root that holds only what the interpreter needs.
 * Landlock already stops a child from reading or writing anything else, but not from stat()ing
 * it: outside this view, /root, /home or /proc do not even exist to look at. */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <patchlevel.h> /* the embedded interpreter's version, for /etc/python3.X */

#include "log.h"
#include "view.h"

/* Where the new root is assembled: /tmp always exists, and the mount is private to the
 * server's namespace, so the host's /tmp is untouched. */
#define VS_NEW_ROOT "/tmp"

/* Bound read-only into the view when present: the interpreter and its libraries (/usr holds
 * all of Debian's), the dynamic loader's cache, the alternatives its links go through
 * (libblas), Debian's sitecustomize (/etc/python3.X, added below), the harmless devices, and of
 * /sys only the CPU lists that glibc's sysconf and OpenBLAS read for the processor count. The
 * rest of /sys/devices/system/cpu would answer with the host's values: its CPU vulnerabilities,
 * idle-state counters, frequencies (secrets/sysfs_cpu_vulnerabilities.py,
 * sysfs_cpuidle_counters.py). */
static const char *const vs_view_binds[] = {
    "/usr", "/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime",
    "/sys/devices/system/cpu/online", "/sys/devices/system/cpu/possible", "/sys/devices/system/cpu/present",
    "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
};

/* Debian's merged /usr: the top-level names are symlinks into it. */
static const char *const vs_view_links[][2] = {
    {"bin", "usr/bin"}, {"lib", "usr/lib"}, {"lib64", "usr/lib64"}, {"sbin", "usr/sbin"},
};

/* mkdir -p of `path`'s directories under the new root, then the mount point itself (a folder
 * for a folder, an empty file for a file). */
static int make_mount_point(const char *target, bool directory) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", target);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -errno;
        *p = '/';
    }
    if (directory) return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -errno;
    int fd = open(buf, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return -errno;
    close(fd);
    return 0;
}

/* `source` as `fd` holds it (O_PATH, opened before the new root's tmpfs could hide a source
 * under /tmp), at the same path in the new root. */
static int bind_read_only(const char *source, int fd) {
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return 0; /* not on this machine: nothing to show */
    char target[PATH_MAX], held[64];
    snprintf(target, sizeof target, VS_NEW_ROOT "%s", source);
    snprintf(held, sizeof held, "/proc/self/fd/%d", fd);
    int rc = make_mount_point(target, S_ISDIR(st.st_mode));
    if (rc) return rc;
    if (mount(held, target, NULL, MS_BIND | MS_REC, NULL) != 0) {
        PLOG_E("mount(bind %s)", source);
        return -errno;
    }
    /* In a user namespace a remount may not clear a flag the source mount has (nodev, noexec
     * on /dev and /sys, atime): keep them all, add read-only and nosuid. */
    struct statvfs sv;
    unsigned long keep = 0;
    if (statvfs(target, &sv) == 0) {
        static const struct { unsigned long st, ms; } flags[] = {
            {ST_NODEV, MS_NODEV}, {ST_NOEXEC, MS_NOEXEC}, {ST_NOATIME, MS_NOATIME},
            {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
        };
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
            if (sv.f_flag & flags[i].st) keep |= flags[i].ms;
    }
    if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | keep, NULL) != 0) {
        PLOG_E("mount(remount read-only %s)", source);
        return -errno;
    }
    return 0;
}

int vs_view_enter(const char *scratch, const char *const *extra, size_t extra_count) {
    enum { fixed = sizeof vs_view_binds / sizeof vs_view_binds[0] };
    const char *sources[fixed + 1 + VS_VIEW_MAX_EXTRA];
    char etc_python[32];
    snprintf(etc_python, sizeof etc_python, "/etc/python%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION);
    size_t count = 0;
    for (size_t i = 0; i < fixed; i++) sources[count++] = vs_view_binds[i];
    sources[count++] = etc_python;
    for (size_t i = 0; i < extra_count && i < VS_VIEW_MAX_EXTRA; i++) sources[count++] = extra[i];
    int held[sizeof sources / sizeof sources[0]];
    for (size_t i = 0; i < count; i++) held[i] = open(sources[i], O_PATH | O_CLOEXEC);
    int rc = 0;
    if (mount("verify-snippets-root", VS_NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0) {
        rc = -errno;
        PLOG_E("mount(tmpfs, " VS_NEW_ROOT ")");
    }
    for (size_t i = 0; i < count; i++) {
        if (rc == 0) rc = bind_read_only(sources[i], held[i]);
        if (held[i] >= 0) close(held[i]);
    }
    if (rc) return rc;
    char path[PATH_MAX];
    for (size_t i = 0; i < sizeof vs_view_links / sizeof vs_view_links[0]; i++) {
        snprintf(path, sizeof path, VS_NEW_ROOT "/%s", vs_view_links[i][0]);
        if (symlink(vs_view_links[i][1], path) != 0) PLOG_E("symlink(%s)", path);
    }
    snprintf(path, sizeof path, VS_NEW_ROOT "%s", scratch);
    rc = make_mount_point(path, true);
    if (rc) return rc;
    if (make_mount_point(VS_NEW_ROOT "/.old", true)) return -errno;
    if (syscall(SYS_pivot_root, VS_NEW_ROOT, VS_NEW_ROOT "/.old") != 0) {
        PLOG_E("pivot_root");
        return -errno;
    }
    if (chdir("/") != 0 || umount2("/.old", MNT_DETACH) != 0) {
        PLOG_E("leaving the old root");
        return -errno;
    }
    rmdir("/.old");
    /* Nothing may be added to the view itself from now on; the scratch tmpfs mounted on it
     * stays writable. */
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) {
        PLOG_E("mount(remount / read-only)");
        return -errno;
    }
    return 0;
}
