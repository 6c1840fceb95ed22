#include "ms/jsontext.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/jsonpos.h"

_Static_assert(MS_JSON_MAX_DEPTH < CJSON_NESTING_LIMIT,
               "cJSON must be able to read every text the strict scan lets through");

ms_status ms_json_parse(const char *text, size_t len, cJSON **out, ms_jsonpos **pos,
                        ms_json_error *err)
{
    ms_status rc;
    *out = NULL;
    *pos = NULL;
    if ((rc = ms_jsonpos_build(text, len, pos, err)) != MS_OK)
        return rc;
    /* With require_null_terminated, cJSON wants the length to count the NUL. */
    *out = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    if (*out)
        return MS_OK;
    /* cJSON reads every text the scan accepts (no control characters, no NUL, nesting and
     * numbers within its limits): what is left is running out of memory. */
    ms_jsonpos_free(*pos);
    *pos = NULL;
    return MS_ERR_NOMEM;
}

ms_status ms_json_print(const cJSON *doc, char **out)
{
    char *text = cJSON_Print(doc);
    ms_buf b;
    *out = NULL;
    if (!text)
        return MS_ERR_NOMEM;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory */
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
