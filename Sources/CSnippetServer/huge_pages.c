/* Fork copies one page-table entry per resident 4 KiB page and the child's exit drops each one
 * again: with sympy, numpy and scipy preloaded that is about 15,000 entries, 1.2 ms per snippet
 * (measured: 5.0 ms -> 3.8 ms of CPU for a one-line sympy snippet with this file's collapse).
 * A 2 MiB huge page is one entry, shared until a child writes into it; only then is that one
 * stretch split, in the child alone. So once the heap is built (preloaded, warmed, frozen) the
 * server asks the kernel to collapse it into huge pages. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "huge_pages.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; glibc 2.36's headers predate it */
#endif

enum { HUGE = 2u << 20, PAGES_PER_HUGE = HUGE / 4096 };

int vs_huge_pages_open(void) { return open("/proc/self/maps", O_RDONLY | O_CLOEXEC); }

/* The whole of /proc/self/maps (it has no size to ask for); NULL on failure. */
static char *read_maps(int fd) {
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    for (ssize_t n; buf; len += (size_t)n) {
        if (cap - len < 4096) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) break;
            buf = bigger;
        }
        n = read(fd, buf + len, cap - len - 1);
        if (n <= 0) {
            buf[len] = '\0';
            return n == 0 ? buf : (free(buf), NULL);
        }
    }
    free(buf);
    return NULL;
}

/* A stretch is worth a huge page when at least half of it is resident: collapsing fills the
 * rest, and a mostly empty stretch (OpenBLAS's buffers, malloc's reserve) would only grow the
 * server and every fork with it. */
static int well_filled(uintptr_t start) {
    unsigned char resident[PAGES_PER_HUGE];
    if (mincore((void *)start, HUGE, resident) != 0) return 0;
    int n = 0;
    for (int i = 0; i < PAGES_PER_HUGE; i++) n += resident[i] & 1;
    return n >= PAGES_PER_HUGE / 2;
}

size_t vs_huge_pages_collapse(int maps_fd) {
    if (maps_fd < 0) return 0;
    char *maps = read_maps(maps_fd);
    close(maps_fd);
    if (!maps) return 0;
    size_t collapsed = 0;
    char *save = NULL;
    for (char *line = strtok_r(maps, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        uintptr_t start, end;
        char perms[5];
        unsigned long inode;
        int name_at = 0;
        if (sscanf(line, "%lx-%lx %4s %*x %*x:%*x %lu %n", &start, &end, perms, &inode, &name_at) < 4) continue;
        const char *name = line + name_at;
        /* Python's arenas and malloc's heap: private, anonymous, written by the preload. */
        bool anonymous = inode == 0 && (name[0] == '\0' || strcmp(name, "[heap]") == 0);
        if (!anonymous || strcmp(perms, "rw-p") != 0) continue;
        for (uintptr_t p = (start + HUGE - 1) & ~(uintptr_t)(HUGE - 1); p + HUGE <= end; p += HUGE)
            if (well_filled(p) && madvise((void *)p, HUGE, MADV_COLLAPSE) == 0) collapsed += HUGE;
    }
    free(maps);
    return collapsed;
}
