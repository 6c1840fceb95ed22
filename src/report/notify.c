/* The message of run --notify: a JSON object over the run record, with a Slack-compatible `text`
 * (docs/report-format.md, The notification). Everything in the record is redacted already. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/i18n.h"
#include "ms/jsontext.h"
#include "ms/report.h"

/* How many fixes the text names before "and N more". */
#define NOTIFY_FIXES 3

/* Append s to b as Slack's text wants it: &, < and > escaped (so that nothing in evidence reads
 * as a link or a mention), a line break as a space. */
static void add_slack(ms_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            ms_buf_adds(b, "&amp;");
        else if (*s == '<')
            ms_buf_adds(b, "&lt;");
        else if (*s == '>')
            ms_buf_adds(b, "&gt;");
        else if (*s == '\n' || *s == '\r')
            ms_buf_addc(b, ' ');
        else
            ms_buf_addc(b, *s);
    }
}

/* The text (for people: in the language of the messages; the other members stay English): the
 * verdict word, the checklists, the label, the overall score, the reasons, then
 * the first fixes (title: evidence) and how many more. */
static ms_status notify_text(const ms_run *run, ms_buf *b)
{
    ms_buf_adds(b, "mystery-shopper ");
    ms_buf_adds(b, ms_verdict_label(run));
    ms_buf_adds(b, ": ");
    for (size_t i = 0; i < run->nlists; i++) {
        ms_buf_adds(b, i ? ", " : "");
        add_slack(b, run->lists[i].id);
    }
    if (run->label) {
        ms_buf_adds(b, " (");
        add_slack(b, run->label);
        ms_buf_adds(b, ")");
    }
    ms_buf_adds(b, ", ");
    if (run->scores.has_overall)
        /* TRANSLATORS: the webhook's message: the run's overall score */
        ms_buf_printf(b, _("overall %.2f/100"), run->scores.overall);
    else
        ms_buf_adds(b, _("no overall score"));
    for (size_t i = 0; i < run->verdict.nreasons; i++) {
        ms_buf_adds(b, i ? "; " : "\n");
        add_slack(b, run->verdict.reasons[i].text);
    }
    /* What regressed is in the reasons ("2 checks got slower since @last") and in the fixes. */
    for (size_t i = 0; i < run->nfixes && i < NOTIFY_FIXES; i++) {
        const ms_run_fix *f = &run->fixes[i];
        ms_buf_adds(b, "\n- ");
        add_slack(b, f->title);
        if (f->evidence || f->error) {
            ms_buf_adds(b, ": ");
            add_slack(b, f->evidence ? f->evidence : f->error);
        }
    }
    if (run->nfixes > NOTIFY_FIXES) {
        ms_buf_addc(b, '\n');
        /* TRANSLATORS: after the first fixes of the webhook's message: how many more fixes */
        ms_buf_printf(b, _("and %zu more"), run->nfixes - NOTIFY_FIXES);
    }
    return b->failed ? MS_ERR_NOMEM : MS_OK;
}

static void add_str(cJSON *o, const char *name, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

ms_status ms_report_notify(const ms_run *run, char **out)
{
    ms_status rc = MS_OK;
    unsigned long failures = ms_alloc_failures();
    cJSON *root = cJSON_CreateObject(), *lists = NULL, *failed = NULL, *reasons = NULL,
          *regressed = NULL;
    ms_buf text;
    ms_buf_init(&text, 0);
    *out = NULL;
    if ((rc = notify_text(run, &text)) != MS_OK)
        goto out;
    cJSON_AddStringToObject(root, "text", ms_buf_str(&text));
    cJSON_AddStringToObject(root, "verdict", ms_verdict_word(run));
    cJSON_AddNumberToObject(root, "exit_code", run->verdict.exit_code);
    if (run->scores.has_overall)
        cJSON_AddNumberToObject(root, "overall", run->scores.overall);
    else
        cJSON_AddNullToObject(root, "overall");
    add_str(root, "label", run->label);
    lists = cJSON_AddArrayToObject(root, "checklists");
    for (size_t i = 0; lists && i < run->nlists; i++)
        cJSON_AddItemToArray(lists, cJSON_CreateString(run->lists[i].id ? run->lists[i].id : ""));
    add_str(root, "started_at", run->started_at);
    reasons = cJSON_AddArrayToObject(root, "reasons");
    for (size_t i = 0; reasons && i < run->verdict.nreasons; i++)
        cJSON_AddItemToArray(reasons, cJSON_CreateString(run->verdict.reasons[i].text));
    failed = cJSON_AddArrayToObject(root, "failed");
    for (size_t i = 0; failed && i < run->nchecks; i++)
        if (run->checks[i]->status == MS_ST_FAIL)
            cJSON_AddItemToArray(failed, cJSON_CreateString(run->checks[i]->id));
    regressed = cJSON_AddArrayToObject(root, "regressed"); /* run --baseline: ids */
    for (size_t i = 0; regressed && run->baseline && i < run->baseline->cmp.nchecks; i++)
        if (run->baseline->cmp.checks[i].regressed)
            cJSON_AddItemToArray(regressed, cJSON_CreateString(run->baseline->cmp.checks[i].id));
    if (ms_alloc_failures() != failures || !root) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    rc = ms_json_print(root, out);
out:
    cJSON_Delete(root);
    ms_buf_cleanup(&text);
    return rc;
}
