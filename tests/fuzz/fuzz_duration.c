/* Fuzz the parsers of numbers and durations that users type (options and answers):
 * ms_parse_duration above all, with ms_parse_long and ms_parse_double on the same text. */
#include <inttypes.h>
#include <stdlib.h>

#include "fuzz.h"
#include "ms/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    int64_t us = -1;
    if (ms_parse_duration(s, &us) == MS_OK) {
        FUZZ_ASSERT(us >= 0);
        /* What the reports print for a duration reads back as the same duration, to the unit
         * printed (whole milliseconds below a second, whole seconds above). */
        char text[64], text_ms[32];
        int64_t back = -1;
        ms_format_duration(us, text, sizeof text);
        FUZZ_ASSERT(ms_parse_duration(text, &back) == MS_OK);
        FUZZ_ASSERT(llabs(back - us) <= (us < 1000000 ? 500 : 500000));
        ms_format_ms(us, text_ms, sizeof text_ms);
    }
    long l = 0;
    if (ms_parse_long(s, -1000, 1000, &l) == MS_OK)
        FUZZ_ASSERT(l >= -1000 && l <= 1000);
    double d = 0;
    if (ms_parse_double(s, 0, 1e6, &d) == MS_OK)
        FUZZ_ASSERT(d >= 0 && d <= 1e6);
    free(s);
    return 0;
}
