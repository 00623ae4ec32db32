#!/usr/bin/env bash
# Cost of recording every exchange as an activity: one node started by bin/alpha-ren runs two
# copies of a simple route (platform-http -> setBody -> transform), one with capture off and one
# with capture all; wrk drives each in turn (ROUNDS rounds, default 3, alternating, after a
# warm-up) at a fixed concurrency of CONNECTIONS (default 8) for SECONDS_EACH (default 20) s each.
# The figures are the median throughput of each, and the median of each round's overhead of all
# against off (paired rounds, robust when the machine's load drifts). Writes them into
# docs/performance.md between the activities markers.
#
#   bench/activities.sh                      measure and update docs/performance.md (~3 min)
#   ROUNDS=7 SECONDS_EACH=10 bench/activities.sh  more, shorter pairs on a busy machine
#   ROUNDS=1 SECONDS_EACH=5 bench/activities.sh   a quick check
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
seconds=${SECONDS_EACH:-20}
connections=${CONNECTIONS:-8}
http_port=${HTTP_PORT:-18090}
cluster_port=${CLUSTER_PORT:-15791}
broker_port=${BROKER_PORT:-16716}
heap=${HEAP:-256m}
for knob in rounds seconds connections; do
  [[ ${!knob} =~ ^[0-9]+$ ]] && (( ${!knob} >= 1 )) \
    || { echo "${knob^^} must be a whole number of at least 1, was '${!knob}'" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

bin/alpha-ren help >/dev/null 2>&1 # builds the distribution if stale

mkdir -p "$work/integrations"
for capture in off all; do
  cat >"$work/integrations/bench-$capture.yaml" <<YAML
# alpharen.capture: $capture
- route:
    from:
      uri: platform-http:/bench-$capture
      steps:
        - setBody:
            simple: "hello \${header.CamelHttpPath}"
        - transform:
            simple: "\${body.toUpperCase()}"
YAML
done

(cd "$work" && ALPHAREN_JAVA_OPTS="-Xmx$heap" exec "$OLDPWD/bin/alpha-ren" node \
    --set http.port="$http_port" --set cluster.port="$cluster_port" \
    --set broker.port="$broker_port" --set proxy.port=0 --set dns.port=0 \
    --set integrations.dir="$work/integrations" >"$work/node.log" 2>&1) &
pid=$!
deadline=$(( $(date +%s) + 300 )) # a stale distribution is built first
until curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || (( $(date +%s) > deadline )); then
    echo "node did not become ready; log:" >&2; cat "$work/node.log" >&2; exit 1
  fi
  sleep 0.2
done
for capture in off all; do
  [[ $(curl -s "http://127.0.0.1:$http_port/bench-$capture") == HELLO* ]] \
    || { echo "route /bench-$capture does not answer; log:" >&2; tail -50 "$work/node.log" >&2; exit 1; }
done

rate() { # requests/s of one wrk run against /bench-$1 for $2 seconds
  wrk -t1 -c"$connections" -d"${2}s" "http://127.0.0.1:$http_port/bench-$1" \
    | awk '/^Requests\/sec:/ {printf "%.0f", $2}'
}
echo "warm-up: 10 s each"
rate off 10 >/dev/null; rate all 10 >/dev/null
off=(); all=(); pair=()
for i in $(seq 1 "$rounds"); do
  off+=($(rate off "$seconds")); all+=($(rate all "$seconds"))
  pair+=($(awk -v o="${off[-1]}" -v a="${all[-1]}" 'BEGIN {printf "%.1f", (o - a) * 100 / o}'))
  echo "round $i: off ${off[-1]} req/s, all ${all[-1]} req/s, overhead ${pair[-1]} %"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_off=$(median "${off[@]}"); m_all=$(median "${all[@]}")
overhead=$(median "${pair[@]}")
written=$(curl -s "http://127.0.0.1:$http_port/metrics" \
  | awk '/^alpharen_activity_written_total/ {printf "%.0f", $2}')
dropped=$(curl -s "http://127.0.0.1:$http_port/metrics" \
  | awk '/^alpharen_activity_dropped_total/ {printf "%.0f", $2}')
echo "median of $rounds: off $m_off req/s, all $m_all req/s, overhead (median of rounds) $overhead %"
echo "activities written $written, dropped $dropped"

table="<!-- activities:begin -->
| measured | rounds × s | capture off (median) | capture all (median) | overhead (median of rounds) | each round off / all (req/s) | overhead of each round (%) | activities written / dropped | target |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| $(date -u +%Y-%m-%d) on $(nproc) cores (shared with other work), wrk -c$connections | $rounds × $seconds | $m_off req/s | $m_all req/s | $overhead % | ${off[*]} / ${all[*]} | ${pair[*]} | $written / $dropped | ≤ 15 % |
<!-- activities:end -->"
doc=docs/performance.md
if grep -q '<!-- activities:begin -->' "$doc"; then
  python3 - "$doc" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'<!-- activities:begin -->.*?<!-- activities:end -->', lambda m: table, text, flags=re.S)
open(path, 'w').write(text)
PY
else
  printf '\n%s\n' "$table" >> "$doc"
fi
echo "updated $doc"
