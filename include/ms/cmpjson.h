/* A comparison of two runs (ms/compare.h) as JSON and as text: the one JSON object shape that
 * compare --json prints and that a JSON report's "baseline" member holds (run --baseline), with
 * its strict reader, and the text report of compare. docs/report-format.md, "Comparison". */
#ifndef MS_CMPJSON_H
#define MS_CMPJSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/status.h"

/* Add the members of the comparison object to into (an object): "limits", "checks", "overall",
 * "factor", "counts". Milliseconds as numbers of up to 3 decimals; a NaN (a delta_pct over a
 * base median of 0, a p not computed) is null. MS_OK or MS_ERR_NOMEM (into may then hold part
 * of it: the caller deletes it). */
ms_status ms_comparison_json(const ms_comparison *c, cJSON *into);

/* Read an object that ms_comparison_json wrote back into *out (zeroed first; free with
 * ms_comparison_cleanup), so that writing it again gives the same JSON. Strict: an unknown or
 * missing member, a wrong type, a value out of range or counts that do not add up are
 * MS_ERR_INVALID with why naming the member (its dot path under prefix, e.g. "baseline");
 * MS_ERR_NOMEM. On an error *out is empty. For a report reader with line numbers: the path in
 * why is the member's, so that it can be looked up. */
ms_status ms_comparison_from_json(const cJSON *obj, const char *prefix, ms_comparison *out,
                                  char *why, size_t whylen);

/* The text report of a comparison, 80 columns, appended to out: base_desc and new_desc say
 * which runs (ms_ref_describe). Each compared check and phase with both medians, the change in
 * ms and %, p or "thresholds only", REGRESSED marks; the checks that started or stopped
 * failing; the score changes, overall and by factor; the checks on one side only; a one-line
 * summary. */
ms_status ms_comparison_text(const ms_comparison *c, const char *base_desc, const char *new_desc,
                             ms_buf *out);

/* Whether the comparison finds a regression: some phase regressed or some check started
 * failing (what makes compare exit 1). */
bool ms_comparison_regressed(const ms_comparison *c);

#endif
