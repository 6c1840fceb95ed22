/* The C maths library, loaded on first use (see ms/libm.h). */
#include "ms/libm.h"

#if defined(__has_include)
#if __has_include(<gnu/lib-names.h>)
#include <gnu/lib-names.h> /* LIBM_SO: glibc's name for it */
#endif
#endif
#ifndef LIBM_SO
#define LIBM_SO "libm.so.6"
#endif
#include <stdatomic.h>

#include "ms/dl.h"
#include "ms/i18n.h"

static union {
    struct {
        double (*erfc)(double);
        double (*sqrt)(double);
    } f;
    ms_dl_fn slot[2];
} fn;

static const char *const NAMES[] = {"erfc", "sqrt"};
_Static_assert(sizeof fn.f == sizeof fn.slot, "a slot and a name for every function");

static ms_dl_lib g_lib = MS_DL_LIB_INIT;

static void load(void)
{
    /* the tests name a library that is not there (MS_LIBM) */
    if (ms_dl_load("MS_LIBM", LIBM_SO, NAMES, fn.slot, 2, NULL, NULL, NULL, g_lib.why,
                   sizeof g_lib.why))
        atomic_store(&g_lib.loaded, true);
    else /* TRANSLATORS: a library (libcurl, SQLite), then why it could not be loaded */
        ms_errorf(_("cannot load %s: %s"), LIBM_SO, g_lib.why);
}

ms_status ms_erfc(double x, double *out)
{
    *out = 0;
    if (!ms_dl_ready(&g_lib, load, NULL))
        return MS_ERR_IO;
    *out = fn.f.erfc(x);
    return MS_OK;
}

ms_status ms_sqrt(double x, double *out)
{
    *out = 0;
    if (!ms_dl_ready(&g_lib, load, NULL))
        return MS_ERR_IO;
    *out = fn.f.sqrt(x);
    return MS_OK;
}
