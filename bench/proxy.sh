#!/usr/bin/env bash
# ARDPX against nginx in front of the same three node processes on 127.0.0.1, measured by wrk in
# the same run: requests/s and p99 of GET /health/live through each proxy, then the same with one
# of the three nodes 50 ms slower per round trip (behind arclst's TcpRelay, bench/lib/SlowRelay.java),
# where ARDPX's RTT- and load-aware choice should keep its p99 far below nginx's round-robin.
# ARDPX runs standalone and exactly as users start it (`bin/alpha-ren proxy --join`: the
# launcher's JVM flags and class-data archive), nginx as configured below; both add the same
# X-Forwarded-*/Forwarded headers and neither writes an access log. Each case is measured in
# ROUNDS alternating rounds (ARDPX, nginx, then nginx, ARDPX, ...) and the medians reported, with
# the load average before every run; a machine already busy before the start is waited for and,
# if it stays busy, the report says so. Writes the figures into docs/performance.md between the
# proxy markers (a run with any *_CPUS pinning: between the proxy-pinned markers).
#
#   bench/proxy.sh                              measure and update docs/performance.md (~8 min)
#   DURATION=10 CONNECTIONS=64 bench/proxy.sh   seconds per wrk run (default 20), connections (32)
#   ROUNDS=5 bench/proxy.sh                     measured rounds per case (default 3)
#   WARMUP=90 bench/proxy.sh                    seconds of warm-up per proxy, in 10 s runs (60)
#   HEAP=512m bench/proxy.sh                    heap of each node (default 256m)
#   PROXY_CPUS=1 WRK_CPUS=0 bench/proxy.sh      pin each proxy and wrk with taskset (default: not)
#   PROXY_CPUS=1 NODE_CPUS=0 WRK_CPUS=0 ...     also pin the nodes (and the slow relay): the proxy
#                                               gets a core of its own, as on a machine of its own
#   MAX_LOAD=2 LOAD_WAIT=300 bench/proxy.sh     busy above this 1-min load (default: cores);
#                                               seconds to wait for it to drop (default 300)
#   ARDPX_JAVA_OPTS=... bench/proxy.sh          extra JVM options for ARDPX (e.g. a JFR recording)
#
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
warmup=${WARMUP:-60}
connections=${CONNECTIONS:-32}
rounds=${ROUNDS:-3}
heap=${HEAP:-256m}
max_load=${MAX_LOAD:-$(nproc)}
load_wait=${LOAD_WAIT:-300}
delay_ms=50
for knob in duration warmup connections rounds; do
  [[ ${!knob} =~ ^[0-9]+$ ]] && (( ${!knob} >= 1 )) \
    || { echo "${knob^^} must be a whole number of at least 1, was '${!knob}'" >&2; exit 2; }
done
[[ $load_wait =~ ^[0-9]+$ ]] \
  || { echo "LOAD_WAIT must be a whole number of seconds, was '$load_wait'" >&2; exit 2; }
[[ $max_load =~ ^[0-9]+([.][0-9]+)?$ ]] \
  || { echo "MAX_LOAD must be a number, was '$max_load'" >&2; exit 2; }

nginx_bin=$(command -v nginx || true)
[ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; }
if ! command -v wrk >/dev/null || [ -z "$nginx_bin" ]; then
  echo "proxy bench: needs wrk and nginx; install them with: sudo apt-get install -y wrk nginx" >&2
  exit 2
fi

py=$(python3 -c 'import sys; print(sys.executable)')
work=$(mktemp -d -t alpha-ren-proxy.XXXXXX)
ids=(n1 n2 n3)
pids=(); proxy_pid=""; nginx_pid=""; relay_pid=""
pin_proxy=(); pin_wrk=(); pin_node=()
for knob in PROXY_CPUS WRK_CPUS NODE_CPUS; do
  [ -z "${!knob:-}" ] || taskset -c "${!knob}" true 2>/dev/null || { echo "$knob must be a CPU list" \
    "taskset accepts on this machine (CPUs 0-$(($(nproc) - 1)), e.g. 1 or 0,1), was '${!knob}'" >&2; exit 2; }
done
[ -n "${PROXY_CPUS:-}" ] && pin_proxy=(taskset -c "$PROXY_CPUS")
[ -n "${WRK_CPUS:-}" ] && pin_wrk=(taskset -c "$WRK_CPUS")
[ -n "${NODE_CPUS:-}" ] && pin_node=(taskset -c "$NODE_CPUS")

cleanup() {
  local rc=$? pid
  for pid in "$relay_pid" "$nginx_pid" "$proxy_pid" "${pids[@]}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$proxy_pid" "${pids[@]}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if (( rc == 0 )); then rm -rf "$work"; else echo "proxy bench: failed; logs kept in $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "proxy bench: $*" >&2; exit 1; }

# --- the distribution, copied so that a rebuild of arsrv/target cannot change it mid-run ---------
bin/alpha-ren help >/dev/null 2>"$work/build.log" || { cat "$work/build.log" >&2; die "build failed"; }
# A home of its own for the launcher: it finds no sources there, so it never rebuilds, and it
# makes its class-data archive there once.
home=$work/home
dist=$home/arsrv/target
mkdir -p "$dist"
cp -rp arsrv/target/alpha-ren.jar arsrv/target/jvm.options arsrv/target/lib "$dist/"
cp -p arclst/target/arclst-*-tests.jar "$work/arclst-tests.jar"
cp -p bin/alpha-ren "$work/alpha-ren"
read -r -d '' -a jvm_opts <"$dist/jvm.options" || true
jvm_opts=(-Xmx"$heap" -XX:+UseSerialGC "${jvm_opts[@]}")
# the launcher's JVM flags as it writes them, e.g. "-Xmx512m -XX:+UseSerialGC" (+ jvm.options)
launcher_flags=$(sed -n 's/^flags=(\(.*\) \$(cat .*/\1/p' bin/alpha-ren | sed -n 1p)
java_version=$(java -version 2>&1 | sed -n 1p | cut -d'"' -f2)

# --- ports and configurations ---------------------------------------------------------------------
# shellcheck disable=SC2207 # the helper prints space-separated port numbers
ports=($("$py" bench/lib/failover.py ports 13))
cport=(); hport=(); bport=()
for i in 0 1 2; do cport[i]=${ports[i * 3]}; hport[i]=${ports[i * 3 + 1]}; bport[i]=${ports[i * 3 + 2]}; done
ardpx_port=${ports[9]}; nginx_port=${ports[10]}; relay_port=${ports[11]}; admin_port=${ports[12]}
cluster_name=proxybench-$$-$RANDOM
seeds="127.0.0.1:${cport[0]}, 127.0.0.1:${cport[1]}, 127.0.0.1:${cport[2]}"
for i in 0 1 2; do
  dir=$work/${ids[i]}
  mkdir -p "$dir"
  cat >"$dir/node.yaml" <<YAML
node:
  id: ${ids[i]}
  dataDir: $dir/data
  roles: [arsrv]
  shutdownTimeout: 5s
cluster:
  name: $cluster_name
  host: 127.0.0.1
  port: ${cport[i]}
  join:
    members: [$seeds]
http:
  host: 127.0.0.1
  port: ${hport[i]}
broker:
  port: ${bport[i]}
YAML
done

start_node() { # start_node I [--set key=value ...]
  local i=$1 dir=$work/${ids[$1]}
  shift
  (cd "$dir" && exec "${pin_node[@]}" java "${jvm_opts[@]}" -jar "$dist/alpha-ren.jar" node \
      --config "$dir/node.yaml" "$@" >>"$dir/node.log" 2>&1) &
  pids[i]=$!
}

# await_ok URL SECONDS: until GET URL answers 200
await_ok() {
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)" = 200 ]; do
    (( SECONDS < deadline )) || die "$1 did not answer 200 within $2 s"
    sleep 0.2
  done
}

write_nginx_conf() { # write_nginx_conf PORT_OF_THIRD_BACKEND
  mkdir -p "$work/nginx/tmp"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream nodes {
    server 127.0.0.1:${hport[0]};
    server 127.0.0.1:${hport[1]};
    server 127.0.0.1:$1;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://nodes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # What ARDPX sends the nodes, so that both proxies make the nodes parse the same: the
      # client's Host passed on (nginx would send the upstream's name, "nodes", which costs a
      # node less to check than the IP literal the client sent), then the forwarding headers.
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Forwarded-Port \$server_port;
      proxy_set_header X-Forwarded-Server \$host;
      proxy_set_header Forwarded "for=\$remote_addr;host=\\"\$http_host\\";proto=\$scheme";
    }
  }
}
CONF
}

start_nginx() {
  "${pin_proxy[@]}" "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" >>"$work/nginx/out.log" 2>&1 &
  nginx_pid=$!
  await_ok "http://127.0.0.1:$nginx_port/health/live" 30
}

stop_nginx() {
  kill -TERM "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
}

# measure NAME URL [SECONDS]: one wrk run (DURATION by default); prints "req/s p99_ms errors"
measure() {
  local out
  out=$("${pin_wrk[@]}" wrk -t2 -c"$connections" -d"${3:-$duration}s" --latency --timeout 5s "$2" 2>&1) \
    || die "wrk against $1 failed: $out"
  echo "$out" >"$work/wrk-$1.txt"
  "$py" - "$work/wrk-$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors += sum(map(int, m.groups())) if m else 0
print(f"{rps:.0f} {p99:.2f} {errors}")
PY
}

# served: "n1=COUNT n2=COUNT n3=COUNT", the requests each node answered through ARDPX so far
served() {
  curl -s --max-time 5 "http://127.0.0.1:$admin_port/metrics" | "$py" -c '
import re, sys
counts = {}
for m in re.finditer(r"^ardpx_requests_seconds_count\{(.*?)\} ([\d.eE+]+)$", sys.stdin.read(), re.M):
    b = re.search(r"backend=\"([^\"]+)\"", m.group(1)).group(1)
    counts[b] = counts.get(b, 0) + float(m.group(2))
print(" ".join(f"{n}={int(counts.get(n, 0))}" for n in ("n1", "n2", "n3")))'
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# cpu_ticks PROXY: CPU time (user + system, clock ticks) the proxy's processes used so far
cpu_ticks() {
  local pid list=() total=0
  if [ "$1" = ardpx ]; then list=("$proxy_pid"); else list=("$nginx_pid" $(pgrep -P "$nginx_pid" || true)); fi
  for pid in "${list[@]}"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}

# run_case CASE: ROUNDS alternating rounds; appends "CASE ROUND PROXY rps p99 errors load share"
# to $work/runs, share being the slow node n3's share of ARDPX's requests in that run
run_case() {
  local r proxy before after load
  for r in $(seq 1 "$rounds"); do
    local order=(ardpx nginx)
    (( r % 2 == 0 )) && order=(nginx ardpx)
    for proxy in "${order[@]}"; do
      load=$(load1)
      local ticks=$(cpu_ticks "$proxy")
      if [ "$proxy" = ardpx ]; then
        before=$(served)
        read -r rps p99 err < <(measure "$1-$r-ardpx" "$ardpx_url")
        after=$(served)
        share=$("$py" -c '
import sys
b = dict(kv.split("=") for kv in sys.argv[1].split()); a = dict(kv.split("=") for kv in sys.argv[2].split())
d = {k: int(a[k]) - int(b[k]) for k in a}; t = sum(d.values())
print("%.2f" % (100.0 * d.get("n3", 0) / t) if t else "-")' "$before" "$after")
      else
        read -r rps p99 err < <(measure "$1-$r-nginx" "$nginx_url")
        share=-
      fi
      # CPU per request, in microseconds, of the proxy's own processes
      local cpu_us
      cpu_us=$("$py" -c "import os, sys; t = int(sys.argv[2]) - int(sys.argv[1]); n = float(sys.argv[3]) * $duration
print(f'{t * 1e6 / os.sysconf(\"SC_CLK_TCK\") / n:.0f}' if n else '-')" "$ticks" "$(cpu_ticks "$proxy")" "$rps")
      echo "$1 $r $proxy $rps $p99 $err $load $share $cpu_us" >>"$work/runs"
      echo "proxy bench: $1 round $r $proxy: $rps req/s, p99 $p99 ms, $err errors, $cpu_us us CPU/request (load $load, n3 share $share %)" >&2
    done
  done
}

# --- a quiet machine first ------------------------------------------------------------------------
busy=""
deadline=$((SECONDS + load_wait))
while "$py" -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" \
    "$(load1)" "$max_load"; do
  if (( SECONDS >= deadline )); then
    busy="yes"
    echo "proxy bench: load $(load1) still above $max_load after ${load_wait}s; measuring anyway, flagged busy" >&2
    break
  fi
  echo "proxy bench: load $(load1) above $max_load; waiting" >&2
  sleep 10
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the cluster, ARDPX and nginx -------------------------------------------------------------------
echo "proxy bench: starting 3 nodes, ARDPX (standalone) and nginx" >&2
for i in 0 1 2; do start_node "$i"; done
for i in 0 1 2; do await_ok "http://127.0.0.1:${hport[i]}/health/ready" 180; done
mkdir -p "$work/ardpx"
(cd "$work/ardpx" && ALPHAREN_HOME=$home ALPHAREN_JAVA_OPTS="${ARDPX_JAVA_OPTS:-}" exec \
    "${pin_proxy[@]}" "$work/alpha-ren" proxy \
    --join "127.0.0.1:${cport[0]}" --set node.id=ardpx --set "node.dataDir=$work/ardpx/data" \
    --set "cluster.name=$cluster_name" --set cluster.port=0 --set "proxy.port=$ardpx_port" \
    --set "http.port=$admin_port" --set proxy.accessLog=false >>"$work/ardpx/proxy.log" 2>&1) &
proxy_pid=$!
await_ok "http://127.0.0.1:$ardpx_port/health/live" 180
write_nginx_conf "${hport[2]}"
start_nginx

ardpx_url=http://127.0.0.1:$ardpx_port/health/live
nginx_url=http://127.0.0.1:$nginx_port/health/live
# warm NAME URL SECONDS: load in runs of at most 10 s. Each run's end closes wrk's connections,
# which takes a JVM down paths its compiled code has not seen: its hottest methods are
# deoptimized there and compiled again in the next run. Measured rounds should not pay for that.
warm() {
  local left=$3 run
  while (( left > 0 )); do
    run=$(( left < 10 ? left : 10 ))
    measure "$1" "$2" "$run" >/dev/null
    left=$(( left - run ))
  done
}
echo "proxy bench: warming up ${warmup}s each, in runs of 10 s (ARDPX's JIT compiles for ~60 s under load)" >&2
warm warm-ardpx "$ardpx_url" "$warmup"
warm warm-nginx "$nginx_url" "$warmup"
echo "proxy bench: equal nodes, $rounds rounds of ${duration}s each, $connections connections" >&2
: >"$work/runs"
run_case equal

# --- one node 50 ms slower: n3 behind the delaying relay, for both proxies ------------------------
echo "proxy bench: n3 ${delay_ms} ms slower per round trip (TcpRelay on $relay_port)" >&2
"${pin_node[@]}" java -Xmx128m -XX:+UseSerialGC -cp "$work/arclst-tests.jar" bench/lib/SlowRelay.java \
    "$relay_port" "${hport[2]}" "$delay_ms" 2>>"$work/relay.log" &
relay_pid=$!
kill -TERM "${pids[2]}"; wait "${pids[2]}" 2>/dev/null || true
start_node 2 --set "http.advertise=127.0.0.1:$relay_port"
await_ok "http://127.0.0.1:$relay_port/health/ready" 180
stop_nginx
write_nginx_conf "$relay_port"
start_nginx
sleep 3 # ARDPX polls readiness every 500 ms; let it see n3 again
warm warm-slow-ardpx "$ardpx_url" "$duration"
warm warm-slow-nginx "$nginx_url" "$duration"
run_case slow

# --- report ---------------------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
summary=$("$py" - "$work/runs" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1]) if l.strip()]
def pick(case, proxy):
    return [r for r in runs if r[0] == case and r[2] == proxy]
out = []
for case in ("equal", "slow"):
    for proxy in ("ardpx", "nginx"):
        rs = pick(case, proxy)
        rps = statistics.median(float(r[3]) for r in rs)
        p99 = statistics.median(float(r[4]) for r in rs)
        err = sum(int(r[5]) for r in rs)
        each = ", ".join(f"{float(r[3]):.0f}/{float(r[4]):.1f}" for r in rs)
        loads = " ".join(r[6] for r in rs)
        share = " ".join(r[7] for r in rs)
        cpu = statistics.median(float(r[8]) for r in rs)
        out.append(f"{case} {proxy} {rps:.0f} {p99:.2f} {err} {each.replace(' ', '_')} {loads.replace(' ', '_')} {share.replace(' ', '_')} {cpu:.0f}")
print("\n".join(out))
PY
)
row() { # row CASE PROXY -> "rps p99 errors each loads shares"
  awk -v c="$1" -v p="$2" '$1 == c && $2 == p { print $3, $4, $5, $6, $7, $8, $9 }' <<<"$summary"
}
read -r a_rps a_p99 a_err a_each a_load _ a_cpu < <(row equal ardpx)
read -r n_rps n_p99 n_err n_each n_load _ n_cpu < <(row equal nginx)
read -r as_rps as_p99 as_err as_each as_load as_share as_cpu < <(row slow ardpx)
read -r ns_rps ns_p99 ns_err ns_each ns_load _ ns_cpu < <(row slow nginx)
ratio() { "$py" -c "print(f'{$1 / $2:.2f}')"; }
us() { tr '_' ' ' <<<"$1"; }
flag=""
[ -n "$busy" ] && flag=" **Busy machine: the 1-min load stayed above $max_load for ${load_wait} s before the start; read these figures with care.**"
pins=()
[ -n "${PROXY_CPUS:-}" ] && pins+=("each proxy pinned to CPU ${PROXY_CPUS}")
[ -n "${WRK_CPUS:-}" ] && pins+=("wrk to CPU ${WRK_CPUS}")
[ -n "${NODE_CPUS:-}" ] && pins+=("the nodes and the relay to CPU ${NODE_CPUS}")
pinning="not pinned"
marker=proxy # a pinned run has a block of its own in docs/performance.md
(( ${#pins[@]} )) && { pinning=$(IFS=,; echo "${pins[*]}" | sed 's/,/, /g'); marker=proxy-pinned; }
block=$(cat <<MD
Run $(date -u +%F) on $(nproc) cores ($(uname -m), Java $java_version, nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2), wrk $(wrk -v 2>&1 | sed -n 1p | cut -d' ' -f2)); load average $load_start at the start, $load_end at the end.$flag Three nodes (\`roles: [arsrv]\`, \`-Xmx$heap\`), ARDPX standalone as users start it (\`bin/alpha-ren proxy --join\`: \`$launcher_flags\` plus \`jvm.options\` and the class-data archive; access log off), nginx (\`worker_processes auto\`, upstream keepalive 64, the client's Host and the same X-Forwarded-*/Forwarded headers, access log off) and wrk (2 threads, $connections connections, ${duration} s per run, after a ${warmup} s warm-up per proxy and a ${duration} s one per proxy for the second case, each in runs of 10 s) all on this one machine ($pinning). Each case: $rounds rounds alternating which proxy goes first; the table gives the medians.

| case | proxy | requests/s | p99 | errors | proxy CPU per request | each run (req/s / p99 ms) | 1-min load before each run |
| --- | --- | ---: | ---: | ---: | ---: | --- | --- |
| 3 equal nodes | ARDPX | $a_rps | ${a_p99} ms | $a_err | $a_cpu µs | $(us "$a_each") | $(us "$a_load") |
| 3 equal nodes | nginx (round-robin) | $n_rps | ${n_p99} ms | $n_err | $n_cpu µs | $(us "$n_each") | $(us "$n_load") |
| n3 ${delay_ms} ms slower | ARDPX | $as_rps | ${as_p99} ms | $as_err | $as_cpu µs | $(us "$as_each") | $(us "$as_load") |
| n3 ${delay_ms} ms slower | nginx (round-robin) | $ns_rps | ${ns_p99} ms | $ns_err | $ns_cpu µs | $(us "$ns_each") | $(us "$ns_load") |

ARDPX / nginx (medians): requests/s $(ratio "$a_rps" "$n_rps")× (target ≥ 1.0), p99 $(ratio "$a_p99" "$n_p99")× (target ≤ 1.0); with one slow node, p99 $(ratio "$as_p99" "$ns_p99")× (target ≤ 0.2). Share of ARDPX's requests that went to the slow n3, per run: $(us "$as_share") % (round-robin: 33 %).
MD
)
echo "$block"
"$py" - docs/performance.md "$block" "$marker" <<'PY'
import sys
path, block, marker = sys.argv[1], sys.argv[2], sys.argv[3]
doc = open(path).read()
begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
if begin not in doc:
    sys.exit(f"{path} has no {begin} marker")
head, rest = doc.split(begin, 1)
tail = rest.split(end, 1)[1]
open(path, "w").write(head + begin + "\n" + block + "\n" + end + tail)
PY
cp "$work/runs" "${RUNS_OUT:-/dev/null}" 2>/dev/null || true
echo "proxy bench: figures written to docs/performance.md" >&2
