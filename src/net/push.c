/* The Pushgateway PUT of run --push (see ms/push.h). Not written yet: issue 10 builds it. */
#include "ms/push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ms_push_url_valid(const char *url, const char **why)
{
    return ms_notify_url_valid(url, why);
}

ms_status ms_push_url(const char *base, const ms_run *run, char **out)
{
    (void)run;
    *out = strdup(base);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

ms_status ms_push_put(const char *url, const char *body, const ms_notify_opts *o, char *why,
                      size_t whylen)
{
    (void)url;
    (void)body;
    (void)o;
    snprintf(why, whylen, "not written yet");
    return MS_ERR_IO;
}
