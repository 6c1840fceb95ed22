/* The C maths library, loaded when it is first needed (ms/dl.h). The binary does not link libm:
 * its loading and relocation, in every start, were about 0.3 MB of resident memory and a dozen
 * page faults, for what the normal approximation of the regression gate needs (erfc, sqrt). The
 * rest is the compiler's own at any optimisation (fabs, signbit, isnan, isfinite) or ms/util.h's
 * (ms_round, ms_llround, ms_is_whole); a build that calls another libm function does not link.
 * (The scoring core is otherwise pure: this is its one load, said and exit 3 when it fails.) */
#ifndef MS_LIBM_H
#define MS_LIBM_H

#include "ms/status.h"

/* erfc(x) into *out: MS_OK, or MS_ERR_IO when libm cannot be loaded (MS_LIBM names another file,
 * for the tests; said once on stderr: "cannot load libm.so.6: why"). */
ms_status ms_erfc(double x, double *out);
/* sqrt(x) into *out, the same way. */
ms_status ms_sqrt(double x, double *out);

#endif
