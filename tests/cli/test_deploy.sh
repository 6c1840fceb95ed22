#!/usr/bin/env bash
# docs/deploy/: the recipes work as written. The YAML files parse (python3-yaml) and have the
# structure their platform needs; every mystery-shopper command line in them is run, with its
# site, webhook, Pushgateway and paths mapped to this test's loopback servers and $TMP, and must
# do what the recipe says (exit code, reports, the push a real prometheus-pushgateway receives);
# the systemd units pass `systemd-analyze verify` against the tool installed into a root of
# their own; the alert rules pass `promtool check rules` and their unit test `promtool test
# rules`. A missing tool is a failure, never a skip: scripts/install-deps --test installs them.
. "$(dirname "$0")/lib.sh"
D=$SRC/docs/deploy
BUILD=${MS_BUILD_DIR:?MS_BUILD_DIR must name the build directory}
for tool in systemd-analyze promtool prometheus-pushgateway man; do
  command -v "$tool" >/dev/null 2>&1 && ok || bad "$tool is missing (scripts/install-deps --test installs it)"
done
python3 -c 'import yaml' 2>/dev/null && ok || bad "python3-yaml is missing (scripts/install-deps --test installs it)"
[ -f "$TMP/.failures" ] && { finish; exit; }

start_server web
WEB=http://127.0.0.1:$PORT_web
mkdir -p "$TMP/bin" "$TMP/etc" "$TMP/textfile" "$TMP/state"
ln -s "$MS" "$TMP/bin/mystery-shopper"
cp "$D/my-shop.json" "$TMP/etc/my-shop.json"

# A real Pushgateway on a loopback port of its own.
PG=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address="127.0.0.1:$PG" --persistence.file= \
  >"$TMP/pushgateway.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 200); do
  curl -sf "http://127.0.0.1:$PG/-/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -sf "http://127.0.0.1:$PG/-/ready" >/dev/null && ok || bad "the Pushgateway did not start: $(cat "$TMP/pushgateway.log")"

# map CMD: the recipe's command line with everything outside this machine mapped into the test.
map() {
  printf '%s' "$1" | sed -e "s#/usr/local/bin/mystery-shopper#mystery-shopper#g" \
    -e "s#https://shop.example.com#$WEB#g" \
    -e "s#https://hooks.example.com/[^ \"']*#$WEB/echo#g" \
    -e "s#http://pushgateway.example.com:9091#http://127.0.0.1:$PG#g" \
    -e "s#http://pushgateway:9091#http://127.0.0.1:$PG#g" \
    -e "s#/var/lib/prometheus/node-exporter#$TMP/textfile#g" \
    -e "s#/var/lib/mystery-shopper#$TMP/state#g" \
    -e "s#/etc/mystery-shopper#$TMP/etc#g"
}
# run_recipe WHAT CMD [push LABEL]: run the mapped command as sh does (cron, a shell); exit 0 is
# expected (the loopback shop passes), and a push must be in the Pushgateway under LABEL.
run_recipe() {
  local what=$1 cmd
  cmd=$(map "$2")
  if printf '%s' "$cmd" | grep -qE "example\.com|pushgateway:|(^|[ =\"'])(/var/lib|/etc/)"; then
    bad "$what: the test does not map everything of: $cmd"; return; fi
  PATH=$TMP/bin:$PATH sh -c "$cmd" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  expect_rc 0 "$what"
  if [ "${3:-}" = push ]; then
    curl -sf "http://127.0.0.1:$PG/metrics" >"$TMP/pushed"
    if grep -E '^mystery_shopper_run_success\{' "$TMP/pushed" | grep -qF "label=\"$4\""; then ok; else
      bad "$what: the Pushgateway has no mystery_shopper_run_success with label $4: $(grep mystery_shopper "$TMP/pushed" | head -5)"
    fi
  fi
}

# 1. The crontab: every 5 minutes, --label, -q, --metrics into the textfile directory, --notify;
#    no % (a newline to cron). Its environment lines, then the command as cron runs it.
if python3 - "$D/crontab" >"$TMP/cron.cmd" <<'PY'
import re, sys
env, jobs = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    m = re.fullmatch(r"([A-Z_]+)=(\S+)", line)
    if m:
        env.append(line)
        continue
    f = line.split(None, 5)
    assert len(f) == 6, "a job line: " + line
    jobs.append((f[:5], f[5]))
assert len(jobs) == 1, jobs
sched, cmd = jobs[0]
assert sched == ["*/5", "*", "*", "*", "*"], sched
assert "%" not in cmd, "a % in the command"
args = cmd.split()
assert args[0] == "/usr/local/bin/mystery-shopper" and args[1] == "run", args[:2]
for opt in ("--label", "-q", "--metrics", "--notify", "--no-input"):
    assert opt in args, opt
assert args[args.index("--metrics") + 1].startswith("/var/lib/prometheus/node-exporter/"), "the textfile directory"
assert args[args.index("--metrics") + 1].endswith(".prom"), "the textfile collector reads *.prom"
print(" ".join("export " + e + ";" for e in env) + " " + cmd)
PY
then ok; else bad "the crontab's line"; fi
run_recipe "the crontab's command" "$(cat "$TMP/cron.cmd")"
[ -f "$TMP/textfile/mystery-shopper.prom" ] && ok || bad "the crontab's run wrote no metrics file"
[ -f "$TMP/state/history.db" ] && ok || bad "the crontab's MS_HISTORY is where the run records itself"
promtool check metrics <"$TMP/textfile/mystery-shopper.prom" >"$TMP/promtool.out" 2>&1 && ok ||
  bad "promtool check metrics on the crontab's file: $(cat "$TMP/promtool.out")"
# Twice: --notify-on change posts when the verdict changes, and a failed post would be exit 3.
run_recipe "the crontab's command again" "$(cat "$TMP/cron.cmd")"

# 2. systemd: the units verified against the tool installed (binary and manual page) into a root
#    with the system's units; then the service's ExecStart run as a shell would.
R=$TMP/root
mkdir -p "$R/etc/systemd/system" "$R/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$R/usr/lib/systemd/" 2>/dev/null || cp -a /lib/systemd/system "$R/usr/lib/systemd/"
cmake --install "$BUILD" --prefix "$R/usr/local" >"$TMP/install.log" 2>&1 && ok || bad "cmake --install into the root: $(tail -5 "$TMP/install.log")"
cp "$D/mystery-shopper.service" "$D/mystery-shopper.timer" "$R/etc/systemd/system/"
if MANPATH=$R/usr/local/share/man systemd-analyze verify --root="$R" mystery-shopper.service \
  mystery-shopper.timer >"$TMP/verify.out" 2>&1 && ! grep -q . "$TMP/verify.out"; then ok; else
  bad "systemd-analyze verify: $(head -c 2000 "$TMP/verify.out")"
fi
# ... and it can fail: a unit whose ExecStart is not installed.
sed 's#/usr/local/bin/mystery-shopper#/usr/local/bin/not-installed#' "$D/mystery-shopper.service" \
  >"$R/etc/systemd/system/broken.service"
if MANPATH=$R/usr/local/share/man systemd-analyze verify --root="$R" broken.service >"$TMP/verify.out" 2>&1; then
  bad "systemd-analyze verify passes a unit whose ExecStart is missing"; else ok; fi
if python3 - "$D/mystery-shopper.service" "$D/mystery-shopper.timer" >"$TMP/exec.cmd" <<'PY'
import configparser, sys
def units(path):
    p = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    p.optionxform = str
    p.read(path, encoding="utf-8")
    return p
s, t = units(sys.argv[1]), units(sys.argv[2])
assert s["Service"]["Type"] == "oneshot"
assert t["Timer"]["OnCalendar"] == "*:0/5", t["Timer"]["OnCalendar"]
assert t["Install"]["WantedBy"] == "timers.target"
cmd = s["Service"]["ExecStart"]
assert "%" not in cmd and "$" not in cmd, "systemd specifiers or variables in ExecStart"
args = cmd.split()
assert args[0] == "/usr/local/bin/mystery-shopper" and args[1] == "run", args[:2]
for opt in ("--no-input", "-q", "--label", "--metrics", "--push", "--history"):
    assert opt in args, opt
print(cmd)
PY
then ok; else bad "the systemd units' structure"; fi
run_recipe "the systemd service's ExecStart" "$(cat "$TMP/exec.cmd")" push prod

# 3. Kubernetes: a ConfigMap holding the checklist (the same as docs/deploy/my-shop.json) and a
#    CronJob mounting it and pushing to the Pushgateway; the container's command run.
if python3 - "$D/kubernetes/cronjob.yaml" "$D/my-shop.json" "$TMP/etc/k8s-shop.json" >"$TMP/k8s.cmd" <<'PY'
import json, shlex, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")) if d]
kinds = {d["kind"]: d for d in docs}
assert sorted(kinds) == ["ConfigMap", "CronJob"], sorted(kinds)
cm, cj = kinds["ConfigMap"], kinds["CronJob"]
assert cj["apiVersion"] == "batch/v1"
assert cj["spec"]["schedule"] == "*/5 * * * *", cj["spec"]["schedule"]
pod = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
assert pod["restartPolicy"] in ("Never", "OnFailure")
c = pod["containers"][0]
argv = c["command"] + c["args"]
assert argv[0] == "mystery-shopper" and argv[1] == "run", argv
assert argv[argv.index("--push") + 1] == "http://pushgateway:9091"
for opt in ("--no-input", "--label"):
    assert opt in argv, opt
mount = c["volumeMounts"][0]
vol = [v for v in pod["volumes"] if v["name"] == mount["name"]][0]
assert vol["configMap"]["name"] == cm["metadata"]["name"]
files = list(cm["data"])
assert files == ["my-shop.json"], files
assert json.loads(cm["data"]["my-shop.json"]) == json.load(open(sys.argv[2], encoding="utf-8")), "the ConfigMap's checklist"
assert argv[-1] == mount["mountPath"] + "/my-shop.json", (argv[-1], mount["mountPath"])
# the checklist as the pod sees it
open(sys.argv[3], "w", encoding="utf-8").write(cm["data"]["my-shop.json"])
argv[-1] = mount["mountPath"] + "/k8s-shop.json"
print(shlex.join(argv))
PY
then ok; else bad "the Kubernetes manifests' structure"; fi
run_recipe "the CronJob's container" "$(cat "$TMP/k8s.cmd")" push k8s-prod
[ -f "$D/kubernetes/Dockerfile" ] && grep -q '^ENTRYPOINT \["mystery-shopper"\]' "$D/kubernetes/Dockerfile" &&
  grep -q 'scripts/install-deps' "$D/kubernetes/Dockerfile" && ok || bad "the CronJob's image has a Dockerfile"

# The alert rules: promtool checks them and runs their unit test; the rules alert on
# mystery_shopper_run_success == 0 and on a budget, with the contract's metric names.
promtool check rules "$D/kubernetes/alerts.yaml" >"$TMP/promtool.out" 2>&1 && ok ||
  bad "promtool check rules: $(cat "$TMP/promtool.out")"
(cd "$D/kubernetes" && promtool test rules alerts.test.yaml) >"$TMP/promtool.out" 2>&1 && ok ||
  bad "promtool test rules: $(cat "$TMP/promtool.out")"
if python3 - "$D/kubernetes/alerts.yaml" "$TMP/textfile/mystery-shopper.prom" <<'PY'
import re, sys, yaml
rules = [r for g in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["groups"] for r in g["rules"]]
exprs = [r["expr"].strip() for r in rules]
assert "mystery_shopper_run_success == 0" in exprs, exprs
assert any(e.startswith('mystery_shopper_check_duration_seconds{phase="total",stat="median"} >') for e in exprs), exprs
# the families the tool writes (the crontab's run above), which hold the contract's
known = {l.split()[2] for l in open(sys.argv[2], encoding="utf-8") if l.startswith("# TYPE ")}
assert {"mystery_shopper_check_success", "mystery_shopper_check_score",
        "mystery_shopper_check_duration_seconds", "mystery_shopper_score",
        "mystery_shopper_run_timestamp_seconds", "mystery_shopper_run_success",
        "mystery_shopper_checks"} <= known, known
for e in exprs:
    for name in re.findall(r"mystery_shopper_[a-z_]+", e):
        assert name in known, "not a metric the tool writes: " + name
PY
then ok; else bad "the alert rules"; fi
# ... and the unit test can fail: the run alert at another threshold.
mkdir -p "$TMP/rules"
sed 's/mystery_shopper_run_success == 0/mystery_shopper_run_success == 1/' "$D/kubernetes/alerts.yaml" >"$TMP/rules/alerts.yaml"
cp "$D/kubernetes/alerts.test.yaml" "$TMP/rules/"
(cd "$TMP/rules" && promtool test rules alerts.test.yaml) >/dev/null 2>&1 && bad "promtool test rules passes a wrong rule" || ok

# 4. GitHub Actions: the workflow's structure, then its Audit step run as the runner's bash runs
#    it: on main (the report kept for the pull requests), on a pull request compared with it, and
#    on a pull request whose site is down (the step fails with the run's exit code).
mkdir -p "$TMP/gh/checklists"
cp "$D/my-shop.json" "$TMP/gh/checklists/"
if python3 - "$D/github-actions.yml" "$TMP/gh" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
on = d.get("on", d.get(True))  # YAML 1.1 reads a bare `on` as true
assert "pull_request" in on and on["push"]["branches"] == ["main"], on
steps = d["jobs"]["audit"]["steps"]
uses = [s.get("uses", "") for s in steps]
assert any(u.startswith("actions/checkout@") for u in uses)
build = "\n".join(s.get("run", "") for s in steps)
for need in ("scripts/install-deps", "scripts/build", "cmake --install"):
    assert need in build, need
audit = [s for s in steps if s.get("id") == "audit"][0]
run = audit["run"]
assert "${{" not in run, "expressions belong in env:, not in the script"
for need in ("mystery-shopper run", "--baseline main-report.json", "--junit report.xml", "--html report.html",
             "--markdown", "GITHUB_STEP_SUMMARY", 'exit "$rc"'):
    assert need in run, need
up = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")][0]
assert "report.xml" in up["with"]["path"] and "report.html" in up["with"]["path"], up
assert "cancelled()" in up["if"] or "always()" in up["if"], "artifacts are uploaded when the gate fails"
restore = [s for s in steps if s.get("uses", "").startswith("actions/cache/restore@")][0]
save = [s for s in steps if s.get("uses", "").startswith("actions/cache/save@")][0]
assert restore["with"]["path"] == save["with"]["path"] == "main-report.json"
assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
assert "refs/heads/main" in save["if"]
keep = [s for s in steps if "cp report.json main-report.json" in s.get("run", "")]
assert keep and keep[0]["if"] == save["if"]
open(sys.argv[2] + "/audit.sh", "w").write(run)
PY
then ok; else bad "the GitHub Actions workflow's structure"; fi
gh_audit() { # gh_audit EVENT LABEL SITE
  : >"$TMP/gh/summary.out"
  : >"$TMP/gh/output"
  rm -f "$TMP/gh/summary.md" "$TMP/gh/report.json"
  (cd "$TMP/gh" && GITHUB_EVENT_NAME=$1 LABEL=$2 SITE_URL=$3 GITHUB_STEP_SUMMARY=$TMP/gh/summary.out \
    GITHUB_OUTPUT=$TMP/gh/output PATH=$TMP/bin:$PATH bash --noprofile --norc -eo pipefail audit.sh) \
    >"$TMP/out" 2>"$TMP/err"
  RC=$?
}
gh_audit push main "$WEB"
expect_rc 0 "the workflow's audit on main"
grep -qxF "## mystery-shopper: PASS" "$TMP/gh/summary.out" && ok || bad "the job summary has the Markdown"
grep -qxF "exit-code=0" "$TMP/gh/output" && ok || bad "the step's output has the exit code"
for f in report.json report.xml report.html summary.md; do
  [ -f "$TMP/gh/$f" ] && ok || bad "the workflow's audit wrote no $f"
done
(cd "$TMP/gh" && cp report.json main-report.json) # the "Keep" step, then the cache
gh_audit pull_request preview "$WEB"
grep -qF "Compared with main-report.json (started " "$TMP/gh/summary.out" && ok ||
  bad "a pull request's run is compared with the main branch's report"
want=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["verdict"]["exit_code"])' "$TMP/gh/report.json" 2>/dev/null)
[ -n "$want" ] && [ "$RC" -eq "$want" ] && grep -qxF "exit-code=$RC" "$TMP/gh/output" && ok ||
  bad "the pull request's step exits with the run's exit code ($RC, the report says ${want:-nothing})"
gh_audit pull_request preview "http://127.0.0.1:9"
expect_rc 1 "the workflow's audit of a site that is down fails the step"
grep -qxF "exit-code=1" "$TMP/gh/output" && grep -qxF "## mystery-shopper: FAIL" "$TMP/gh/summary.out" && ok ||
  bad "a failed audit still writes the summary and the exit code"
[ -f "$TMP/gh/report.xml" ] && [ -f "$TMP/gh/report.html" ] && ok || bad "a failed audit still writes the reports to upload"

# 5. GitLab CI: the job's structure, then its script run as the runner runs it (each line, -e):
#    on the default branch, then on a merge request that fetches the default branch's report
#    from the jobs API with its job token (a loopback stand-in for GitLab's API that needs it).
mkdir -p "$TMP/gl/checklists"
cp "$D/my-shop.json" "$TMP/gl/checklists/"
if python3 - "$D/gitlab-ci.yml" "$TMP/gl" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
job = d["mystery-shopper"]
before = "\n".join(job["before_script"])
for need in ("scripts/install-deps", "scripts/build", "cmake --install"):
    assert need in before, need
script = "\n".join(job["script"])
for need in ("mystery-shopper run", "--baseline main-report.json", "--junit report.xml", "--html report.html",
             "--markdown", "JOB-TOKEN: $CI_JOB_TOKEN", "jobs/artifacts/$CI_DEFAULT_BRANCH/raw/report.json"):
    assert need in script, need
a = job["artifacts"]
assert a["when"] == "always", a
assert a["reports"]["junit"] == "report.xml", a
for f in ("report.xml", "report.html", "report.json", "summary.md"):
    assert f in a["paths"], f
open(sys.argv[2] + "/script.sh", "w").write(script + "\n")
PY
then ok; else bad "the GitLab CI job's structure"; fi
cat >"$TMP/gl-api.py" <<'PY'
import http.server, os, sys
root, port_file = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        want = "/api/v4/projects/42/jobs/artifacts/main/raw/report.json"
        if self.headers.get("JOB-TOKEN") != "job-token":
            self.send_response(401); self.end_headers(); return
        if path != want or "job=mystery-shopper" not in self.path or not os.path.exists(root + "/report.json"):
            self.send_response(404); self.end_headers(); return
        body = open(root + "/report.json", "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
os.rename(port_file + ".tmp", port_file)
s.timeout = 1
import time
end = time.time() + 200
while time.time() < end:
    s.handle_request()
PY
mkdir -p "$TMP/gl-artifacts"
python3 "$TMP/gl-api.py" "$TMP/gl-artifacts" "$TMP/gl-api.port" 2>"$TMP/gl-api.log" &
PIDS+=($!)
for _ in $(seq 200); do [ -s "$TMP/gl-api.port" ] && break; sleep 0.05; done
GLAPI=http://127.0.0.1:$(cat "$TMP/gl-api.port" 2>/dev/null)/api/v4
gl_job() { # gl_job REF SITE
  rm -f "$TMP/gl/summary.md" "$TMP/gl/report.json" "$TMP/gl/main-report.json"
  (cd "$TMP/gl" && CI_COMMIT_REF_NAME=$1 CI_COMMIT_REF_SLUG=$1 CI_DEFAULT_BRANCH=main SITE_URL=$2 \
    CI_API_V4_URL=$GLAPI CI_PROJECT_ID=42 CI_JOB_NAME=mystery-shopper CI_JOB_TOKEN=job-token \
    PATH=$TMP/bin:$PATH bash --noprofile --norc -e script.sh) >"$TMP/out" 2>"$TMP/err"
  RC=$?
}
gl_job main "$WEB"
expect_rc 0 "the GitLab job on the default branch"
[ -f "$TMP/gl/main-report.json" ] && bad "the default branch's job fetched a baseline" || ok
grep -qxF "## mystery-shopper: PASS" "$TMP/gl/summary.md" && ok || bad "the GitLab job writes the Markdown"
cp "$TMP/gl/report.json" "$TMP/gl-artifacts/report.json" # the artifact the API serves
gl_job feature "$WEB"
[ -f "$TMP/gl/main-report.json" ] && ok || bad "the merge request's job fetched no baseline: $(cat "$TMP/err")"
grep -qF "Compared with main-report.json (started " "$TMP/gl/summary.md" && ok ||
  bad "the merge request's run is compared with the default branch's report"
gl_job feature "http://127.0.0.1:9"
expect_rc 1 "the GitLab job fails when the site is down"
[ -f "$TMP/gl/report.xml" ] && ok || bad "the failed GitLab job still wrote its JUnit report"

# 6. The README explains each recipe.
for f in crontab mystery-shopper.service mystery-shopper.timer kubernetes/cronjob.yaml kubernetes/alerts.yaml \
  kubernetes/alerts.test.yaml kubernetes/Dockerfile github-actions.yml gitlab-ci.yml my-shop.json; do
  grep -qF "($f)" "$D/README.md" && ok || bad "docs/deploy/README.md does not link $f"
done
finish
