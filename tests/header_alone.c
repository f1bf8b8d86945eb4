/* Compiles the public header alone under strict flags: it must need nothing
 * but itself and the C standard library. */
#include "parley.h"

int parley_header_alone_check(void);
int parley_header_alone_check(void) { return PARLEY_OK; }
