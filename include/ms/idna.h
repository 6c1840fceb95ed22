/* The IDNA form libcurl sends for a non-ASCII host name, kept as one more form of a secret
 * that the host holds. Uses libidn2. */
#ifndef MS_IDNA_H
#define MS_IDNA_H

#include "ms/redact.h"
#include "ms/status.h"

/* Add the IDNA forms of the labels of url's host that hold a secret already added, as libcurl
 * sends such a host when it has non-ASCII characters (computed with libidn2). Nothing when the
 * host is ASCII. MS_OK or MS_ERR_NOMEM. */
ms_status ms_secrets_add_host(ms_secrets *s, const char *url);

#endif
