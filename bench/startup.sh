#!/usr/bin/env bash
# Start -> ready time and resident memory of one node started by bin/alpha-ren with embedded
# defaults (ports moved off the defaults so a running node does not disturb it). Median of RUNS
# (default 5). Writes the figures into docs/performance.md between the startup markers.
#
#   bench/startup.sh            measure and update docs/performance.md
#   RUNS=9 bench/startup.sh     more runs
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
http_port=${HTTP_PORT:-18080}
cluster_port=${CLUSTER_PORT:-15701}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin/alpha-ren help >/dev/null 2>&1 # builds the distribution (and its CDS archive) if stale

ready_ms=(); rss_mb=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  start=$(date +%s%N)
  (cd "$work" && exec "$OLDPWD/bin/alpha-ren" node --set http.port="$http_port" \
      --set cluster.port="$cluster_port" >"$work/node.log" 2>&1) &
  pid=$!
  deadline=$((start + 60000000000))
  until curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || (( $(date +%s%N) > deadline )); then
      echo "node did not become ready; log:" >&2; cat "$work/node.log" >&2; exit 1
    fi
    sleep 0.01
  done
  end=$(date +%s%N)
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  ready_ms+=($(( (end - start) / 1000000 )))
  rss_mb+=($(( rss_kb / 1024 )))
  echo "run $i: ready in ${ready_ms[-1]} ms, RSS ${rss_mb[-1]} MB"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_ready=$(median "${ready_ms[@]}"); m_rss=$(median "${rss_mb[@]}")
echo "median of $runs: ready in $m_ready ms, RSS $m_rss MB"

table="<!-- startup:begin -->
| measured | runs | start → ready (median) | RSS at ready (median) | each run (ms) | target |
| --- | --- | --- | --- | --- | --- |
| $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | sed -n 1p | cut -d'"' -f2) | $runs | $m_ready ms | $m_rss MB | ${ready_ms[*]} | ≤ 3000 ms, ≤ 350 MB |
<!-- startup:end -->"
doc=docs/performance.md
if grep -q '<!-- startup:begin -->' "$doc"; then
  python3 - "$doc" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'<!-- startup:begin -->.*?<!-- startup:end -->', lambda m: table, text, flags=re.S)
open(path, 'w').write(text)
PY
else
  printf '\n%s\n' "$table" >> "$doc"
fi
echo "updated $doc"
