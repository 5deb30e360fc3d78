/* The server's file-system view (view.c). */
#ifndef VS_VIEW_H
#define VS_VIEW_H

/* As root (of the machine or of the server's user namespace), in a private mount namespace: pivots into a read-only root that holds only the
 * interpreter's files and an empty mount point at `scratch`. 0 or -errno. */
int vs_view_enter(const char *scratch);

#endif
