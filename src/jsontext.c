#include "ms/jsontext.h"

#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/jsonpos.h"

ms_status ms_json_parse(const char *text, size_t len, cJSON **out, int *line, int *col)
{
    const char *end = NULL;
    unsigned long failures = ms_alloc_failures();
    /* With require_null_terminated, cJSON wants the length to count the NUL. */
    *out = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (*out)
        return MS_OK;
    /* cJSON returns NULL for a syntax error and for memory running out alike: its allocations
     * are counted (ms/alloc.h) to tell them apart. */
    if (ms_alloc_failures() != failures)
        return MS_ERR_NOMEM;
    const char *at = end ? end : cJSON_GetErrorPtr();
    size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
    ms_offset_linecol(text, off, line, col);
    return MS_ERR_INVALID;
}

ms_status ms_json_print(const cJSON *doc, char **out)
{
    char *text = cJSON_Print(doc);
    ms_buf b;
    *out = NULL;
    if (!text)
        return MS_ERR_NOMEM;
    ms_buf_init(&b, 0);
    /* cJSON copies the bytes of strings as they are: text from the network (libcurl's errors,
     * header values, JSON values quoted in evidence) or typed at a prompt may be invalid UTF-8,
     * which no JSON reader accepts. Every writer of JSON goes through here: U+FFFD for each bad
     * byte, as the JUnit writer does. */
    ms_buf_add_utf8(&b, text, strlen(text));
    ms_buf_addc(&b, '\n');
    free(text);
    *out = ms_buf_take(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}
