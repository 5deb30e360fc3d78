/* The server's file-system view (view.c). */
#ifndef VS_VIEW_H
#define VS_VIEW_H

#include <stddef.h>

/* Extra folders a view can show (an installation and the user's package folders). */
#define VS_VIEW_MAX_EXTRA 32

/* As root (of the machine or of the server's user namespace), in a private mount namespace:
 * pivots into a read-only root that holds only the interpreter's files (/usr, and the `extra`
 * folders at their own paths: an installation outside /usr, the user's package folders) and an
 * empty mount point at `scratch`. 0 or -errno. */
int vs_view_enter(const char *scratch, const char *const *extra, size_t extra_count);

#endif
