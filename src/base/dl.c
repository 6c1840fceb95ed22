/* Shared libraries loaded on first use (see ms/dl.h). */
#define _GNU_SOURCE /* secure_getenv */
#include "ms/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/i18n.h"
#include "ms/status.h"

_Static_assert(sizeof(void *) == sizeof(ms_dl_fn), "dlsym's pointer holds a function's address");

bool ms_dl_load(const char *env, const char *soname, const char *const *names, ms_dl_fn *fns,
                size_t n, const char *older, void **lib, const char **name, char *why,
                size_t whylen)
{
    const char *file = secure_getenv(env);
    if (!file || !*file)
        file = soname;
    if (lib)
        *lib = NULL;
    if (name)
        *name = file;
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, whylen, "%s", dlerror());
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(h, names[i]);
        /* a function's address from dlsym's object pointer, as POSIX has it */
        memcpy(&fns[i], &sym, sizeof fns[i]);
        if (!sym) {
            if (older) /* TRANSLATORS: the library's file, one of its functions that it lacks,
                        * then what is needed instead ("libcurl 7.85 or later is needed") */
                snprintf(why, whylen, _("%s: it has no %s (%s)"), file, names[i], older);
            else /* TRANSLATORS: the library's file, then one of its functions that it lacks */
                snprintf(why, whylen, _("%s: it has no %s"), file, names[i]);
            dlclose(h);
            return false;
        }
    }
    if (lib)
        *lib = h;
    return true;
}

bool ms_dl_ready(ms_dl_lib *lib, void (*load)(void), const char **why)
{
    pthread_once(&lib->once, load);
    bool loaded = atomic_load(&lib->loaded);
    if (why)
        *why = loaded ? NULL : lib->why;
    return loaded;
}

void ms_dl_need(ms_dl_lib *lib, void (*load)(void), const char *name)
{
    const char *why = NULL;
    if (ms_dl_ready(lib, load, &why))
        return;
    /* TRANSLATORS: a library (libcurl, SQLite), then why it could not be loaded */
    ms_errorf(_("cannot load %s: %s"), name, why);
    abort();
}
