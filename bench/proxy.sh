#!/usr/bin/env bash
# ARDPX against nginx in front of the same three node processes on 127.0.0.1, measured by wrk in
# the same run: requests/s and p99 of GET /health/live through each proxy, then the same with one
# of the three nodes 50 ms slower (behind bench/lib/delay_relay.py), where ARDPX's RTT- and
# load-aware choice should keep its p99 far below nginx's round-robin. ARDPX runs standalone
# (`alpha-ren proxy --join`), as nginx does, with its access log off as nginx's is. Writes the
# figures into docs/performance.md between the proxy markers.
#
#   bench/proxy.sh                          measure and update docs/performance.md (~3 min)
#   DURATION=10 CONNECTIONS=64 bench/proxy.sh   seconds per wrk run (default 20), connections (32)
#   HEAP=512m bench/proxy.sh                heap of each node and of ARDPX (default 256m)
#
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
connections=${CONNECTIONS:-32}
heap=${HEAP:-256m}
delay_ms=50
for knob in duration connections; do
  [[ ${!knob} =~ ^[0-9]+$ ]] && (( ${!knob} >= 1 )) \
    || { echo "${knob^^} must be a whole number of at least 1, was '${!knob}'" >&2; exit 2; }
done

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
dist=$work/dist
mkdir -p "$dist"
cp -rp arsrv/target/alpha-ren.jar arsrv/target/jvm.options arsrv/target/lib "$dist/"
read -r -d '' -a jvm_opts <"$dist/jvm.options" || true
jvm_opts=(-Xmx"$heap" -XX:+UseSerialGC "${jvm_opts[@]}")
java_version=$(java -version 2>&1 | head -1 | cut -d'"' -f2)

# --- ports and configurations ---------------------------------------------------------------------
# shellcheck disable=SC2207 # the helper prints space-separated port numbers
ports=($("$py" bench/lib/failover.py ports 12))
cport=(); hport=(); bport=()
for i in 0 1 2; do cport[i]=${ports[i * 3]}; hport[i]=${ports[i * 3 + 1]}; bport[i]=${ports[i * 3 + 2]}; done
ardpx_port=${ports[9]}; nginx_port=${ports[10]}; relay_port=${ports[11]}
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
  (cd "$dir" && exec java "${jvm_opts[@]}" -jar "$dist/alpha-ren.jar" node \
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
    }
  }
}
CONF
}

start_nginx() {
  "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" >>"$work/nginx/out.log" 2>&1 &
  nginx_pid=$!
  await_ok "http://127.0.0.1:$nginx_port/health/live" 30
}

stop_nginx() {
  kill -TERM "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
}

# measure NAME URL: one wrk run; prints "req/s p99_ms errors"
measure() {
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency --timeout 5s "$2" 2>&1) \
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

# --- the cluster, ARDPX and nginx -------------------------------------------------------------------
echo "proxy bench: starting 3 nodes, ARDPX (standalone) and nginx" >&2
for i in 0 1 2; do start_node "$i"; done
for i in 0 1 2; do await_ok "http://127.0.0.1:${hport[i]}/health/ready" 180; done
mkdir -p "$work/ardpx"
(cd "$work/ardpx" && exec java "${jvm_opts[@]}" -jar "$dist/alpha-ren.jar" proxy \
    --join "127.0.0.1:${cport[0]}" --set node.id=ardpx --set "node.dataDir=$work/ardpx/data" \
    --set "cluster.name=$cluster_name" --set cluster.port=0 --set "proxy.port=$ardpx_port" \
    --set proxy.accessLog=false >>"$work/ardpx/proxy.log" 2>&1) &
proxy_pid=$!
await_ok "http://127.0.0.1:$ardpx_port/health/live" 120
write_nginx_conf "${hport[2]}"
start_nginx

ardpx_url=http://127.0.0.1:$ardpx_port/health/live
nginx_url=http://127.0.0.1:$nginx_port/health/live
echo "proxy bench: warming up (JIT) ${duration}s each" >&2
measure warm-ardpx "$ardpx_url" >/dev/null
measure warm-nginx "$nginx_url" >/dev/null
echo "proxy bench: equal backends, ${duration}s each, $connections connections" >&2
read -r a_rps a_p99 a_err < <(measure ardpx "$ardpx_url")
read -r n_rps n_p99 n_err < <(measure nginx "$nginx_url")

# --- one node 50 ms slower: n3 behind the delaying relay, for both proxies ------------------------
echo "proxy bench: n3 ${delay_ms} ms slower (relay on $relay_port)" >&2
"$py" bench/lib/delay_relay.py "$relay_port" "${hport[2]}" "$delay_ms" 2>>"$work/relay.log" &
relay_pid=$!
kill -TERM "${pids[2]}"; wait "${pids[2]}" 2>/dev/null || true
start_node 2 --set "http.advertise=127.0.0.1:$relay_port"
await_ok "http://127.0.0.1:$relay_port/health/ready" 180
stop_nginx
write_nginx_conf "$relay_port"
start_nginx
sleep 3 # ARDPX polls readiness every 500 ms; let it see n3 again
measure warm-slow-ardpx "$ardpx_url" >/dev/null
read -r as_rps as_p99 as_err < <(measure slow-ardpx "$ardpx_url")
read -r ns_rps ns_p99 ns_err < <(measure slow-nginx "$nginx_url")

# --- report ---------------------------------------------------------------------------------------
ratio() { "$py" -c "print(f'{$1 / $2:.2f}')"; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
block=$(cat <<MD
Run $(date -u +%F) on $(nproc) cores ($(uname -m), Java $java_version, nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)); load average before the report $load. Three nodes (\`roles: [arsrv]\`, \`-Xmx$heap\`), ARDPX standalone (\`alpha-ren proxy --join\`, \`-Xmx$heap\`, access log off), nginx (\`worker_processes auto\`, upstream keepalive 64, access log off) and wrk (2 threads, $connections connections, ${duration} s per run after a ${duration} s warm-up) all on this one machine: absolute figures are those of a shared, loaded VM; the comparison within the run is what counts.

| case | proxy | requests/s | p99 | errors |
| --- | --- | ---: | ---: | ---: |
| 3 equal nodes | ARDPX | $a_rps | ${a_p99} ms | $a_err |
| 3 equal nodes | nginx (round-robin) | $n_rps | ${n_p99} ms | $n_err |
| n3 ${delay_ms} ms slower | ARDPX | $as_rps | ${as_p99} ms | $as_err |
| n3 ${delay_ms} ms slower | nginx (round-robin) | $ns_rps | ${ns_p99} ms | $ns_err |

ARDPX / nginx: requests/s $(ratio "$a_rps" "$n_rps")× (target ≥ 1.0), p99 $(ratio "$a_p99" "$n_p99")× (target ≤ 1.0); with one slow node, p99 $(ratio "$as_p99" "$ns_p99")× (target ≤ 0.2).
MD
)
echo "$block"
"$py" - docs/performance.md "$block" <<'PY'
import sys
path, block = sys.argv[1], sys.argv[2]
doc = open(path).read()
begin, end = "<!-- proxy:begin -->", "<!-- proxy:end -->"
if begin not in doc:
    sys.exit(f"{path} has no {begin} marker")
head, rest = doc.split(begin, 1)
tail = rest.split(end, 1)[1]
open(path, "w").write(head + begin + "\n" + block + "\n" + end + tail)
PY
echo "proxy bench: figures written to docs/performance.md" >&2
