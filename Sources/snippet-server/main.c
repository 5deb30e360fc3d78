/* The fork-server executable that the Swift side spawns: everything lives in CSnippetServer. */
#include "snippet_server.h"

int main(int argc, char **argv) { return snippet_server_main(argc, argv); }
