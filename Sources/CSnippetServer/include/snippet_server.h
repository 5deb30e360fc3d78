/* Entry point of the fork server (see server.c). */
#ifndef SNIPPET_SERVER_H
#define SNIPPET_SERVER_H

int snippet_server_main(int argc, char **argv);

#endif
