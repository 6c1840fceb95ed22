#!/usr/bin/env python3
"""Drive mystery-shopper through a pseudo-terminal, as an auditor at a keyboard would.

usage: pty_session.py SCRIPT -- COMMAND...
SCRIPT is a JSON list of steps: ["expect", TEXT], ["send", TEXT], ["sleep", SECONDS],
["kill", SIGNAL_NAME], ["exit", CODE], ["cooked", null] (the terminal back in line mode without
echo, as a shell leaves it while a job is stopped), and to keep step with another session ["touch", PATH]
(make an empty file) and ["wait_file", PATH] (until it exists). Every wait is bounded; on a failure the transcript
is printed and the exit status is 1.
"""
import json, os, pty, select, signal, sys, termios, time

def main():
    sep = sys.argv.index("--")
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    out = b""
    seen = 0  # expectations match only after what earlier ones matched

    def read_some(timeout):
        nonlocal out
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(fd, 4096)
        except OSError:
            return None
        if not data:
            return None
        out += data
        return True

    def fail(msg):
        sys.stderr.write("pty_session: %s\n--- transcript ---\n%s\n" % (msg, out.decode("utf-8", "replace")))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        sys.exit(1)

    for step in steps:
        kind, arg = step[0], step[1]
        if kind == "expect":
            deadline = time.time() + 20
            want = arg.encode()
            while out.find(want, seen) < 0:
                if time.time() > deadline:
                    fail("timed out waiting for %r" % arg)
                if read_some(0.2) is None and out.find(want, seen) < 0:
                    fail("the program ended before %r" % arg)
            seen = out.find(want, seen) + len(want)
        elif kind == "send":
            os.write(fd, arg.encode())
        elif kind == "sleep":
            time.sleep(arg)
        elif kind == "touch":
            open(arg, "a").close()
        elif kind == "wait_file":
            deadline = time.time() + 20
            while not os.path.exists(arg):
                if time.time() > deadline:
                    fail("timed out waiting for the file %s" % arg)
                read_some(0.05)
        elif kind == "kill":
            os.kill(pid, getattr(signal, arg))
        elif kind == "cooked":
            attrs = termios.tcgetattr(fd)
            attrs[3] = (attrs[3] | termios.ICANON) & ~termios.ECHO
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
        elif kind == "exit":
            deadline = time.time() + 20
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                if time.time() > deadline:
                    fail("the program did not exit")
                read_some(0.1)
            while read_some(0.05):
                pass
            code = os.waitstatus_to_exitcode(status)
            want = arg if arg >= 0 else -arg  # negative: killed by that signal
            got = code if code >= 0 else -code
            if got != want:
                fail("exit %d, expected %d" % (code, arg))
    sys.stdout.write(out.decode("utf-8", "replace"))

main()
