/* Huge pages for the server's preloaded heap (huge_pages.c). */
#ifndef VS_HUGE_PAGES_H
#define VS_HUGE_PAGES_H

#include <stddef.h>

/* Opens /proc/self/maps while /proc is still in view (before the private root); -1 if not. */
int vs_huge_pages_open(void);
/* Collapses the well-filled 2 MiB stretches of the private anonymous memory into transparent
 * huge pages and closes maps_fd. Returns the bytes collapsed; failures only cost speed. */
size_t vs_huge_pages_collapse(int maps_fd);

#endif
