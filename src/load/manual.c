/* Loading the checks an auditor answers: stopwatch, rating (scale, pass) and yesno (good), and
 * their prompt. */
#include <stdlib.h>

#include "ms/i18n.h"
#include "ms/checkload.h"

/* A rating's "scale" and "pass". */
static void load_rating(ms_fields *f, const cJSON *o, const char *path, ms_check *ck)
{
    const cJSON *v;
    char *p = NULL;
    ck->scale_lo = 1;
    ck->scale_hi = 5;
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
                ck->scale_lo = lo;
                ck->scale_hi = hi;
            }
        } else {
            scale_ok = false;
        }
        free(p0);
        free(p1);
        free(p);
    }
    /* Without "pass": three quarters of the way up the scale (4 on 1-5). */
    ck->pass = ck->scale_lo + 0.75 * (ck->scale_hi - ck->scale_lo);
    if ((v = cJSON_GetObjectItemCaseSensitive(o, "pass"))) {
        p = ms_fields_path(f, path, "pass");
        double d;
        if (cJSON_IsNumber(v) && scale_ok &&
            (v->valuedouble < ck->scale_lo || v->valuedouble > ck->scale_hi))
            ms_fields_err(f, p, false, N_("%g is outside the scale [%g, %g]"), v->valuedouble,
                          ck->scale_lo, ck->scale_hi);
        else if (ms_field_number(f, v, p, -1e6, 1e6, false, &d))
            ck->pass = d;
        free(p);
    }
}

void ms_load_manual(ms_fields *f, ms_vars *vars, const cJSON *o, const char *path, ms_check *ck)
{
    const cJSON *v;
    ms_field_opt_string(f, o, path, "prompt", &ck->prompt);
    if (ck->kind == MS_KIND_RATING) {
        load_rating(f, o, path, ck);
    } else if (ck->kind == MS_KIND_YESNO) {
        ck->good_yes = true;
        if ((v = cJSON_GetObjectItemCaseSensitive(o, "good"))) {
            static const char *const yn[] = {"yes", "no", NULL};
            char *p = ms_fields_path(f, path, "good");
            int i;
            if (ms_field_enum(f, v, p, yn, &i))
                ck->good_yes = i == 0;
            free(p);
        }
    }
    if (ck->prompt) {
        char *value = NULL, *display = NULL;
        char *p = ms_fields_path(f, path, "prompt");
        if (ms_vars_substitute(vars, f, ck->prompt, p, MS_SUBST_TEXT, &value, &display)) {
            free(ck->prompt);
            ck->prompt = display; /* a prompt is shown, never sent: show no secret */
            display = NULL;
        }
        free(value);
        free(display);
        free(p);
    }
}
