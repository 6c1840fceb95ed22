/* Loading the checks an auditor answers: stopwatch, rating (scale, pass) and yesno (good), and
 * their prompt. */
#include <stdlib.h>

#include "ms/i18n.h"
#include "ms/checkload.h"

/* A rating's "scale" and "pass". */
static void load_rating(ms_fields *f, const cJSON *o, const char *path, ms_manual *m)
{
    const cJSON *v;
    char *p = NULL;
    m->scale_lo = 1;
    m->scale_hi = 5;
    bool scale_ok = true;
    if ((v = cJSON_GetObjectItemCaseSensitive(o, "scale"))) {
        p = ms_fields_path(f, path, "scale");
        double lo, hi;
        char *p0 = ms_fields_path_index(f, p, 0), *p1 = ms_fields_path_index(f, p, 1);
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2) {
            ms_fields_err(f, p, false, N_("must be two numbers [low, high]"));
            scale_ok = false;
        } else if (ms_field_number(f, v->child, p0, -1e6, 1e6, false, &lo) &&
                   ms_field_number(f, v->child->next, p1, -1e6, 1e6, false, &hi)) {
            if (lo >= hi) {
                ms_fields_err(f, p, false, N_("the low end (%g) must be below the high end (%g)"),
                              lo, hi);
                scale_ok = false;
            } else {
                m->scale_lo = lo;
                m->scale_hi = hi;
            }
        } else {
            scale_ok = false;
        }
        free(p0);
        free(p1);
        free(p);
    }
    /* Without "pass": three quarters of the way up the scale (4 on 1-5). */
    m->pass = m->scale_lo + 0.75 * (m->scale_hi - m->scale_lo);
    if ((v = cJSON_GetObjectItemCaseSensitive(o, "pass"))) {
        p = ms_fields_path(f, path, "pass");
        double d;
        if (cJSON_IsNumber(v) && scale_ok &&
            (v->valuedouble < m->scale_lo || v->valuedouble > m->scale_hi))
            ms_fields_err(f, p, false, N_("%g is outside the scale [%g, %g]"), v->valuedouble,
                          m->scale_lo, m->scale_hi);
        else if (ms_field_number(f, v, p, -1e6, 1e6, false, &d))
            m->pass = d;
        free(p);
    }
}

void ms_load_manual(ms_fields *f, ms_vars *vars, const cJSON *o, const char *path, ms_check *ck)
{
    const cJSON *v;
    ms_manual *m = ck->manual = ms_fields_alloc(f, calloc(1, sizeof *m));
    if (!m)
        return;
    ms_field_opt_string(f, o, path, "prompt", &m->prompt);
    if (ck->kind == MS_KIND_RATING) {
        load_rating(f, o, path, m);
    } else if (ck->kind == MS_KIND_YESNO) {
        m->good_yes = true;
        if ((v = cJSON_GetObjectItemCaseSensitive(o, "good"))) {
            static const char *const yn[] = {"yes", "no", NULL};
            char *p = ms_fields_path(f, path, "good");
            int i;
            if (ms_field_enum(f, v, p, yn, &i))
                m->good_yes = i == 0;
            free(p);
        }
    }
    if (m->prompt) {
        char *value = NULL, *display = NULL;
        char *p = ms_fields_path(f, path, "prompt");
        if (ms_vars_substitute(vars, f, m->prompt, p, MS_SUBST_TEXT, &value, &display)) {
            free(m->prompt);
            m->prompt = display; /* a prompt is shown, never sent: show no secret */
            display = NULL;
        }
        free(value);
        free(display);
        free(p);
    }
}
