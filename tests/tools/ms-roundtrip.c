/* STAND-IN, to be replaced by the lead: the real ms-roundtrip reads a JSON report into the run
 * record (ms_run_from_json) and writes it again with the JSON writer, so that tests/cli/lib.sh
 * can check that every report the CLI tests make survives the trip byte for byte. Until the
 * reader exists this program only copies FILE to stdout, which makes the check pass trivially.
 *
 * Usage: ms-roundtrip json FILE   (exit 0, the report on stdout; 1 when FILE cannot be read or
 * stdout written; 2 on a usage error) */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "json") != 0) {
        fprintf(stderr, "usage: ms-roundtrip json FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    int rc = 0;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) {
            rc = 1;
            break;
        }
    if (ferror(f)) {
        perror(argv[2]);
        rc = 1;
    }
    fclose(f);
    if (fflush(stdout) != 0)
        rc = 1;
    return rc;
}
