#!/usr/bin/env python3
"""The command blocks of README.md, for tests/cli/test_readme.sh and scripts/test-package.

Every ```sh and ```cron block of the README must follow, on the line just before its fence, a
marker `<!-- readme-test: NAME (why) -->` that names the test running it (or `skip`, with the
reason). Usage:

  readme_blocks.py README.md --check          the names of the marked blocks, one a line; exit 1
                                              naming each block without a marker
  readme_blocks.py README.md NAME             the commands of block NAME, one a line, NUL-ended:
                                              continuation lines joined, blank lines and comment
                                              lines left out, a cron line without its schedule
  readme_blocks.py README.md --json           each ```json block, NUL-ended
"""
import re
import sys

MARK = re.compile(r"^<!-- readme-test: ([a-z0-9-]+)\b.*-->\s*$")


def blocks(text):
    """(name or None, language, line number, body lines) of each fenced block."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        m = re.match(r"^```([a-z]*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        mark = MARK.match(lines[i - 1]) if i > 0 else None
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        out.append((mark.group(1) if mark else None, lang, start + 1, lines[i + 1:j]))
        i = j + 1
    return out


def commands(lang, body):
    cmds, cur = [], ""
    for line in body:
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        stripped = cur.strip()
        cur = ""
        if not stripped or stripped.startswith("#"):
            continue
        if lang == "cron":  # minute hour day month weekday, then the command cron runs
            stripped = stripped.split(None, 5)[5]
        cmds.append(stripped)
    return cmds


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    what = sys.argv[2]
    found = blocks(text)
    if what == "--check":
        bad = 0
        for name, lang, line, _ in found:
            if lang in ("sh", "cron") and name is None:
                print("%s:%d: a ```%s block without a <!-- readme-test: NAME --> marker"
                      % (sys.argv[1], line, lang), file=sys.stderr)
                bad += 1
            elif lang in ("sh", "cron"):
                print(name)
        sys.exit(1 if bad else 0)
    if what == "--json":
        for _, lang, _, body in found:
            if lang == "json":
                sys.stdout.write("\n".join(body) + "\n\0")
        return
    named = [b for b in found if b[0] == what and b[1] in ("sh", "cron")]
    if len(named) != 1:
        print("README: %d blocks named %s, expected 1" % (len(named), what), file=sys.stderr)
        sys.exit(1)
    for cmd in commands(named[0][1], named[0][3]):
        sys.stdout.write(cmd + "\0")


main()
