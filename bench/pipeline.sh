#!/usr/bin/env bash
# HTTP in -> durable queue -> route -> HTTP out on one node, under sustained overload: accepted
# requests/s (2xx), delivered messages/s (counted by an HTTP sink) and the queue's depth, for
#   1. an ALPHA-REN node running the pipeline as an integration (queue bounded by the
#      integration, so a full queue answers 503 + Retry-After: back-pressure), and
#   2. the same pipeline hand-rolled on bare Camel + an embedded Artemis with the same journal
#      settings (NIO, synced on every commit), in the same run, one after the other.
# wrk drives POST /in with CONNECTIONS connections for DURATION seconds after a WARMUP. Writes the
# figures into docs/performance.md between the pipeline markers.
#
#   bench/pipeline.sh                         measure and update docs/performance.md (~2 min)
#   DURATION=60 CONNECTIONS=32 bench/pipeline.sh
#   CONSUMERS=4 bench/pipeline.sh             JMS consumers of both pipelines (default 4)
#   QUEUE_BOUND=2000 bench/pipeline.sh        the integration's queue.maxMessages (default 2000)
#   FULL_POLICY=FAIL bench/pipeline.sh        the integration's queue.fullPolicy (default BLOCK:
#                                             wrk ignores Retry-After, see docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-30}
warmup=${WARMUP:-10}
connections=${CONNECTIONS:-16}
consumers=${CONSUMERS:-4}
bound=${QUEUE_BOUND:-2000}
policy=${FULL_POLICY:-BLOCK}
[[ $policy == BLOCK || $policy == FAIL ]] || { echo "FULL_POLICY must be BLOCK or FAIL, was '$policy'" >&2; exit 2; }
heap=${HEAP:-256m}
for knob in duration warmup connections consumers bound; do
  [[ ${!knob} =~ ^[1-9][0-9]*$ ]] || { echo "${knob^^} must be a whole number > 0, was '${!knob}'" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "pipeline: wrk is missing; install it: apt-get install -y wrk" >&2; exit 2; }

sink_port=${SINK_PORT:-18091}
node_port=${NODE_PORT:-18092}
bare_port=${BARE_PORT:-18093}
work=$(mktemp -d -t alpha-ren-pipeline.XXXXXX)
pids=()
cleanup() {
  local rc=$? pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if (( rc == 0 )); then rm -rf "$work"; else echo "pipeline: failed; logs kept in $work" >&2; fi
}
trap cleanup EXIT
die() { echo "pipeline: $*" >&2; exit 1; }

bin/alpha-ren help >/dev/null 2>"$work/build.log" || { cat "$work/build.log" >&2; die "build failed"; }
lib=arsrv/target/lib

await_http() { # url pid what
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; see $work"
    sleep 0.1
  done
  die "$3 did not answer $1 within 60 s"
}

java -Xmx256m -XX:+UseSerialGC bench/lib/HttpSink.java "$sink_port" >"$work/sink.log" 2>&1 &
pids+=($!)
await_http "http://127.0.0.1:$sink_port/count" "$!" "the HTTP sink"
sink_count() { curl -sf "http://127.0.0.1:$sink_port/count"; }

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"order": 12345, "item": "bench", "quantity": 1}'
wrk.headers["Content-Type"] = "application/json"
LUA

# measure NAME URL DEPTH_COMMAND: prints "accepted delivered depth refused"
measure() {
  local name=$1 url=$2 depth_cmd=$3 before after out total non2xx secs
  wrk -t1 -c"$connections" -d"${warmup}s" -s "$work/post.lua" "$url" >"$work/$name-warmup.txt"
  before=$(sink_count)
  out=$(wrk -t1 -c"$connections" -d"${duration}s" -s "$work/post.lua" "$url")
  after=$(sink_count)
  echo "$out" >"$work/$name-wrk.txt"
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  secs=$(awk '/requests in/ {gsub(/[s,]/, "", $4); print $4}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  python3 -c "import sys; t,n,s,b,a=map(float,sys.argv[1:6]); print(round((t-n)/s), round((a-b)/s), sys.argv[6], round(n/s))" \
    "$total" "$non2xx" "$secs" "$before" "$after" "$($depth_cmd)"
}

# --- 1. the node ----------------------------------------------------------------------------------
mkdir -p "$work/node/integrations"
cat >"$work/node/integrations/pipeline.yaml" <<YAML
# alpharen.description: bench/pipeline.sh - HTTP in, durable queue, HTTP out
# alpharen.queue.maxMessages: $bound
# alpharen.queue.fullPolicy: $policy
- route:
    from:
      uri: platform-http:/in
      steps:
        - to:
            uri: jms:queue:bench.in?exchangePattern=InOnly
        - setBody:
            constant: accepted
- route:
    from:
      uri: jms:queue:bench.in?concurrentConsumers=$consumers
      steps:
        - to:
            uri: http://127.0.0.1:$sink_port/out?httpMethod=POST
YAML
(cd "$work/node" && ALPHAREN_JAVA_OPTS="-Xmx$heap" exec "$OLDPWD/bin/alpha-ren" node \
  --set node.id=bench --set http.port="$node_port" --set cluster.port=0 --set broker.port=0 \
  --set dns.port=0 --set proxy.port=0 --set security.adminPassword=bench-admin-password \
  --set integrations.dir="$work/node/integrations" >"$work/node.log" 2>&1) &
node_pid=$!; pids+=($node_pid)
await_http "http://127.0.0.1:$node_port/health/ready" "$node_pid" "the node"
node_depth() {
  curl -sf -u admin:bench-admin-password "http://127.0.0.1:$node_port/api/v1/queues" \
    | python3 -c 'import json,sys; q=[q for q in json.load(sys.stdin)["queues"] if q["name"]=="bench.in"]; print(q[0]["messages"] if q else 0)'
}
echo "node: warming up ${warmup} s, measuring ${duration} s ($connections connections, $consumers consumers, queue bound $bound, $policy)"
read -r n_acc n_del n_depth n_ref < <(measure node "http://127.0.0.1:$node_port/in" node_depth)
echo "node: accepted $n_acc/s, delivered $n_del/s, refused (503) $n_ref/s, depth at end $n_depth"
kill -TERM "$node_pid"; wait "$node_pid" 2>/dev/null || true

# --- 2. bare Camel + Artemis ----------------------------------------------------------------------
java -Xmx"$heap" -XX:+UseSerialGC -cp "$lib/*" bench/lib/BarePipeline.java "$bare_port" \
  "http://127.0.0.1:$sink_port/out" "$work/bare" "$consumers" >"$work/bare.log" 2>&1 &
bare_pid=$!; pids+=($bare_pid)
await_http "http://127.0.0.1:$bare_port/depth" "$bare_pid" "the bare pipeline"
bare_depth() { curl -sf "http://127.0.0.1:$bare_port/depth"; }
echo "bare: warming up ${warmup} s, measuring ${duration} s"
read -r b_acc b_del b_depth b_ref < <(measure bare "http://127.0.0.1:$bare_port/in" bare_depth)
echo "bare: accepted $b_acc/s, delivered $b_del/s, depth at end $b_depth"

ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1])/max(1.0,float(sys.argv[2])):.2f}')" "$n_del" "$b_del")
gap=$(python3 -c "import sys; a,d=map(float,sys.argv[1:3]); print(f'{abs(a-d)/max(1.0,d)*100:.0f}')" "$n_acc" "$n_del")
echo "delivered: node/bare = ${ratio}x; node accepted vs delivered: ${gap} % apart"

table="<!-- pipeline:begin -->
| measured | pipeline | accepted (2xx/s) | refused (503/s) | delivered (msg/s) | queue depth at end | target |
| --- | --- | --- | --- | --- | --- | --- |
| $(date -u +%Y-%m-%d), $(nproc) cores, ${duration} s after ${warmup} s warm-up, $connections connections, $consumers consumers | ALPHA-REN node (queue bound $bound, $policy) | $n_acc | $n_ref | $n_del | $n_depth | delivered ≥ 1.0× bare (${ratio}×); accepted within 10 % of delivered (${gap} %) |
| same run | bare Camel + Artemis | $b_acc | $b_ref | $b_del | $b_depth | |
<!-- pipeline:end -->"
doc=docs/performance.md
if grep -q '<!-- pipeline:begin -->' "$doc"; then
  python3 - "$doc" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'<!-- pipeline:begin -->.*?<!-- pipeline:end -->', lambda m: table, text, flags=re.S)
open(path, 'w').write(text)
PY
else
  printf '\n%s\n' "$table" >> "$doc"
fi
echo "updated $doc"
