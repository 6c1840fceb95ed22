#!/usr/bin/env python3
"""textwidth.py MAX FILE...: every line of each FILE (UTF-8 text, ANSI colour escapes allowed) is
at most MAX terminal columns wide; prints each wider line with its width, exits 1 if any.

Measured independently of the tool: Python's unicodedata, with combining marks and other
zero-width characters (categories Mn, Me, Cf but the soft hyphen) counting 0 and East Asian
Wide and Fullwidth characters 2, as terminals show them."""
import re
import sys
import unicodedata

SGR = re.compile(r"\x1b\[[0-9;]*m")


def width(line):
    w = 0
    for ch in SGR.sub("", line):
        cat = unicodedata.category(ch)
        if ch == "\u00ad":
            w += 1
        elif unicodedata.combining(ch) or cat in ("Mn", "Me", "Cf", "Cc"):
            w += 0
        elif cat != "Cn" and unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 2
        else:
            w += 1
    return w


def main():
    limit, bad, lines = int(sys.argv[1]), 0, 0
    for name in sys.argv[2:]:
        with open(name, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                lines += 1
                w = width(line.rstrip("\n"))
                if w > limit:
                    bad += 1
                    print("%s:%d: %d columns: %s" % (name, n, w, line.rstrip("\n")))
    if lines == 0:
        print("no lines to measure")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
