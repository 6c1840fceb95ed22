/* Secrets and their redaction. A secret is a value that came from the environment; it is kept
 * with every encoded form in which the tool or libcurl could write it (percent-encoded, escaped
 * in a JSON string, a host name's IDNA form), and each of them becomes "***" in one pass that at
 * every position hides the longest form that matches there. */
#ifndef MS_REDACT_H
#define MS_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/buf.h"
#include "ms/status.h"

/* A secret shorter than this cannot be hidden without mangling other text ("x" in "expected"):
 * `run` refuses it, and no derived form shorter than this is kept. */
#define MS_SECRET_MIN 6

typedef struct {
    char **forms; /* owned, distinct, longest first */
    size_t n;
    char **values; /* owned: the secrets as given, each added once */
    size_t nvalues;
} ms_secrets;

/* Add a secret value and its encoded forms; a value added before costs a comparison per distinct
 * secret (a variable substituted into every check is encoded once). An empty value adds nothing.
 * MS_OK or MS_ERR_NOMEM. */
ms_status ms_secrets_add(ms_secrets *s, const char *value);

/* Keep form (len bytes, a copy) unless it is kept already; an empty form adds nothing. For
 * encoded forms computed outside this module (ms/idna.h). MS_OK or MS_ERR_NOMEM. */
ms_status ms_secrets_add_form(ms_secrets *s, const char *form, size_t len);

/* Append text (len bytes) to out with every form replaced by "***". cut: the text was cut
 * short (by a fixed buffer outside the tool), so a form's beginning at its very end is hidden
 * too. MS_OK or MS_ERR_NOMEM. */
ms_status ms_secrets_redact(const ms_secrets *s, const char *text, size_t len, bool cut,
                            ms_buf *out);

/* text with every form replaced by "***", as a new string in *out (caller frees). MS_OK or
 * MS_ERR_NOMEM (*out is NULL then). */
ms_status ms_secrets_redact_str(const ms_secrets *s, const char *text, char **out);

/* Free every form. Harmless on a zeroed value. */
void ms_secrets_cleanup(ms_secrets *s);

#endif
