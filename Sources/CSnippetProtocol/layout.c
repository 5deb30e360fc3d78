/* Compile-time checks that the frame structs have no padding and the sizes both sides assume. */
#include "snippet_protocol.h"

_Static_assert(sizeof(struct vs_hello) == 40, "vs_hello is 40 bytes on the wire");
_Static_assert(sizeof(struct vs_request) == 56, "vs_request is 56 bytes on the wire");
_Static_assert(sizeof(struct vs_response) == 48, "vs_response is 48 bytes on the wire");
