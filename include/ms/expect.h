/* Checking a response against a check's expectations. Knows nothing of libcurl: headers are
 * looked up through a callback. */
#ifndef MS_EXPECT_H
#define MS_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/model.h"
#include "ms/redact.h"
#include "ms/status.h"

/* Sets *value to the value of response header name (any case), or to NULL when the response
 * has no such header; returns MS_OK, or the status of a lookup that failed (then *value is
 * NULL and means nothing). */
typedef ms_status (*ms_header_lookup)(void *ud, const char *name, const char **value);

/* Check status, headers, body and JSON expectations. *problems is NULL when the response meets
 * them all, or a new string (caller frees) that says what was wrong, e.g. "HTTP 500 (expected
 * 200)". Without expect.status any status below 400 passes. body_cut: body holds only the first
 * MS_BODY_EXAMINED_MAX bytes of a longer body (the problems then say so). Values from the
 * response are quoted with secrets (may be NULL: none) hidden first, then cut on a character
 * boundary to a short quote, with "..." when cut. Returns MS_OK, or MS_ERR_NOMEM or the status
 * of a header lookup that failed (then *problems is NULL and nothing was decided). */
ms_status ms_expect_check(const ms_check *ck, long status, const char *body, size_t body_len,
                          bool body_cut, ms_header_lookup lookup, void *ud,
                          const ms_secrets *secrets, char **problems);

/* Does the check need the response body kept (body or JSON expectations)? */
bool ms_expect_needs_body(const ms_check *ck);

#endif
