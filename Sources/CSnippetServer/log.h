/* Logging for the fork server: every failure names the exact call and its errno. Server-side
 * only: a child never logs (it reports a failed step through its status socket instead). */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef _GNU_SOURCE
#error "_GNU_SOURCE must be defined (Package.swift's cSettings): close_range, pidfd, clone flags"
#endif

#define LOG_E(fmt, ...) fprintf(stderr, "snippet-server: " fmt "\n", ##__VA_ARGS__)
#define PLOG_E(fmt, ...) \
    fprintf(stderr, "snippet-server: " fmt ": %s\n", ##__VA_ARGS__, strerror(errno))

#endif
