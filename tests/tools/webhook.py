# A webhook receiver for the tests, on a loopback port: appends each POST (or PUT: run --push)
# body (one line) to DIR/posts, its Content-Type to DIR/ctype and its method to DIR/method; DIR/mode says how to answer (ok, 500, or hang:
# 15 s, past the tool's 10 s). Writes its port to DIR/hook.port; ends by itself after 240 s.
# Usage: python3 webhook.py DIR
import http.server, json, os, sys, threading, time
tmp = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(tmp, "posts"), "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        with open(os.path.join(tmp, "ctype"), "w") as f:
            f.write(self.headers.get("Content-Type", ""))
        with open(os.path.join(tmp, "method"), "w") as f:
            f.write(self.command)
        mode = open(os.path.join(tmp, "mode")).read().strip()
        if mode == "hang":
            time.sleep(15)
        self.send_response(500 if mode == "500" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    do_PUT = do_POST
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
threading.Timer(240, lambda: os._exit(0)).start()
with open(os.path.join(tmp, "hook.port.tmp"), "w") as f:
    f.write(str(s.server_address[1]))
os.rename(os.path.join(tmp, "hook.port.tmp"), os.path.join(tmp, "hook.port"))
s.serve_forever()
