/* The frames that cross the pipes between the Swift side and a fork server: the only C header
 * the Swift side imports. All integers are little-endian, as the host is (x86_64, aarch64). */
#ifndef SNIPPET_PROTOCOL_H
#define SNIPPET_PROTOCOL_H

#include <stdint.h>

#define VS_PROTOCOL_VERSION 3u
#define VS_HELLO_MAGIC 0x4f4c4856u    /* "VHLO" */
#define VS_FORK_MAGIC 0x4b524656u     /* "VFRK" */
#define VS_REQUEST_MAGIC 0x51455256u  /* "VREQ" */
#define VS_RESPONSE_MAGIC 0x53455256u /* "VRES" */

/* A request's code may not be larger; the Swift side checks it before sending. */
#define VS_MAX_CODE_BYTES (16u << 20)
/* The note (syscall name, failed step) is short by construction. */
#define VS_MAX_NOTE_BYTES 4096u

/* Protections a server can apply in every child, as a bit set in the hello frame. */
enum vs_protection {
    VS_PROTECT_SECCOMP = 1u << 0,
    VS_PROTECT_LANDLOCK_FS = 1u << 1,
    VS_PROTECT_LANDLOCK_NET = 1u << 2,
    VS_PROTECT_LANDLOCK_SCOPE = 1u << 3,
    VS_PROTECT_UNPRIVILEGED = 1u << 4,
    VS_PROTECT_NO_NEW_PRIVS = 1u << 5,
    VS_PROTECT_RLIMITS = 1u << 6,
    VS_PROTECT_PRIVATE_ROOT = 1u << 7, /* the server's read-only view (root, or a user namespace) */
};

/* How a child's run ended. The numbers are part of the protocol: never reuse one. */
enum vs_outcome {
    VS_OUTCOME_COMPLETED = 0,
    VS_OUTCOME_EXCEPTION = 1,     /* stderr holds the traceback */
    VS_OUTCOME_SYNTAX_ERROR = 2,  /* stderr holds the error */
    VS_OUTCOME_TIMEOUT_WALL = 3,
    VS_OUTCOME_TIMEOUT_CPU = 4,
    VS_OUTCOME_MEMORY_LIMIT = 5,
    VS_OUTCOME_VIOLATION = 6,     /* detail: syscall number; note: its name */
    VS_OUTCOME_OUTPUT_LIMIT = 7,
    VS_OUTCOME_CRASHED = 8,       /* detail: signal number */
    VS_OUTCOME_EXITED = 9,        /* detail: exit status the snippet chose */
    VS_OUTCOME_SETUP_FAILED = 10, /* detail: errno; note: the confinement step that failed */
};

/* Why a server could not start, in its hello frame: whether starting it again can help is the
 * Swift side's decision, made from this field, never from the note's words. */
enum vs_start_failure {
    VS_START_READY = 0,
    VS_START_PROTECTION_MISSING = 1, /* `missing` holds the protections the kernel lacks */
    VS_START_BAD_OPTION = 2,         /* the command line is wrong */
    VS_START_INTERPRETER_FAILED = 3, /* Python did not initialise, or a preload module did not import */
    VS_START_SETUP_FAILED = 4,       /* a step of the server's own set-up failed (errno in the note) */
};

/* First frame a server writes, once, then `note_length` bytes of note: on failure, why. */
struct vs_hello {
    uint32_t magic;
    uint32_t version;
    uint32_t ok;          /* 1: ready to serve; 0: `failure` and the note say why it cannot */
    uint32_t protections; /* enum vs_protection bits active in every child */
    uint32_t landlock_abi;
    uint32_t server_pid;
    uint32_t note_length;
    uint32_t failure; /* enum vs_start_failure */
    uint32_t missing; /* enum vs_protection bits required, lacking and not accepted */
    uint32_t reserved;
};

/* A template (snippet-server --template) answers its hello on its one socket, then serves these:
 * the Swift side asks for a new server with this frame, the new server's request and response
 * descriptors attached to it (SCM_RIGHTS, in this order), and the template answers with a
 * vs_fork_reply. The new server then says its own hello on the response descriptor. */
struct vs_fork_request {
    uint32_t magic;
    uint32_t reserved;
};

struct vs_fork_reply {
    uint32_t magic;
    uint32_t server_pid; /* 0: no server, `error` says why */
    int32_t error;       /* errno of the step that failed */
    uint32_t reserved;
};

/* The Swift side's request: this header, then `code_length` bytes of UTF-8 source. */
struct vs_request {
    uint32_t magic;
    uint32_t code_length;
    uint64_t wall_ms;
    uint64_t cpu_seconds;
    uint64_t memory_bytes;
    uint64_t output_bytes;
    uint64_t file_bytes;
    uint32_t open_files;
    uint32_t threads;
};

/* The answer to one request: this header, then stdout, stderr and note bytes, in that order. */
struct vs_response {
    uint32_t magic;
    uint32_t outcome; /* enum vs_outcome */
    int32_t detail;
    uint32_t stdout_length;
    uint32_t stderr_length;
    uint32_t note_length;
    uint64_t wall_ns;
    uint64_t cpu_ns;
    uint64_t peak_rss_bytes;
};

#endif
