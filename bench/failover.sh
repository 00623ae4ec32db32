#!/usr/bin/env bash
# ARHAV failure detection on a 3-node cluster on 127.0.0.1: TRIALS (default 20) SIGSTOP trials
# and TRIALS kill -9 trials, the victim rotating over n1..n3; the two survivors' /api/v1/cluster
# are polled every ~20 ms for the time until both see the victim not ALIVE (SUSPECT) and until
# neither lists it (removed). Then LOAD_MINUTES (default 10) of HTTP load on all three nodes,
# counting the suspicions it caused (should be none). Writes the figures into
# docs/performance.md between the failover markers.
#
#   bench/failover.sh                       measure and update docs/performance.md (~20 min)
#   TRIALS=3 LOAD_MINUTES=1 bench/failover.sh   a quick check (LOAD_MINUTES=0 skips the load run)
#   HEAP=512m bench/failover.sh             heap of each node (default 256m)
#   POLLER=curl bench/failover.sh           observe with one curl per poll instead of the helper's
#                                           kept-alive connections (a curl start costs 30-60 ms
#                                           on a busy 2-core VM, so polls come less often)
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-20}
load_minutes=${LOAD_MINUTES:-10}
heap=${HEAP:-256m}
poller=${POLLER:-python}
poll_ms=20             # observer's polling period
trial_timeout_ms=30000 # a victim not suspected and removed by then is a failed trial
recover_s=90           # a victim not back (3 ALIVE members on every node) by then aborts the run
for knob in trials load_minutes; do
  [[ ${!knob} =~ ^[0-9]+$ ]] || { echo "${knob^^} must be a whole number, was '${!knob}'" >&2; exit 2; }
done
(( trials >= 1 )) || { echo "TRIALS must be at least 1" >&2; exit 2; }
[[ $poller == python || $poller == curl ]] || { echo "POLLER must be python or curl" >&2; exit 2; }

py=$(python3 -c 'import sys; print(sys.executable)') # the interpreter itself, not a slow shim
helper=bench/lib/failover.py
work=$(mktemp -d -t alpha-ren-failover.XXXXXX)
ids=(n1 n2 n3)
pids=(); load_pids=(); jsonq_pid=""

cleanup() {
  local rc=$? pid
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true # a stopped JVM would sit on its SIGTERM
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "$jsonq_pid" ]; then kill "$jsonq_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if (( rc == 0 )); then rm -rf "$work"; else echo "failover: failed; node logs kept in $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "failover: $*" >&2; exit 1; }
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; NOW=$((t / 1000)); } # no fork in the poll loop

# --- the distribution, copied so that a rebuild of arsrv/target cannot change it mid-run ---------
bin/alpha-ren help >/dev/null 2>"$work/build.log" || { cat "$work/build.log" >&2; die "build failed"; }
dist=$work/dist
mkdir -p "$dist"
cp -rp arsrv/target/alpha-ren.jar arsrv/target/jvm.options arsrv/target/lib "$dist/"
read -r -d '' -a jvm_opts <"$dist/jvm.options" || true
jvm_opts=(-Xmx"$heap" -XX:+UseSerialGC "${jvm_opts[@]}")
# the class-data archive bin/alpha-ren uses, made again for the copy (restarts take half as long)
if java "${jvm_opts[@]}" -XX:ArchiveClassesAtExit="$dist/alpha-ren.jsa" -jar "$dist/alpha-ren.jar" \
    train >"$work/train.log" 2>&1 && [ -f "$dist/alpha-ren.jsa" ]; then
  jvm_opts+=(-XX:SharedArchiveFile="$dist/alpha-ren.jsa" -Xshare:auto)
fi
java_version=$(java -version 2>&1 | sed -n 1p | cut -d'"' -f2)

# --- three node configurations ------------------------------------------------------------------
# shellcheck disable=SC2207 # the helper prints space-separated port numbers
ports=($("$py" $helper ports 15))
cluster_name=failover-$$-$RANDOM
password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
(umask 077 # keeps the password off command lines
 printf 'user = "admin:%s"\n' "$password" >"$work/curl.cfg"
 printf '%s\n' "$password" >"$work/password")
cport=(); hport=()
for i in 0 1 2; do cport[i]=${ports[i * 5]}; hport[i]=${ports[i * 5 + 1]}; done
seeds="127.0.0.1:${cport[0]}, 127.0.0.1:${cport[1]}, 127.0.0.1:${cport[2]}"
for i in 0 1 2; do
  dir=$work/${ids[i]}
  mkdir -p "$dir"
  cat >"$dir/node.yaml" <<EOF
node:
  id: ${ids[i]}
  dataDir: $dir/data
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
  port: ${ports[i * 5 + 2]}
proxy:
  port: ${ports[i * 5 + 3]}
dns:
  port: ${ports[i * 5 + 4]}
security:
  adminPassword: "$password"
EOF
done

# --- nodes and their answers ----------------------------------------------------------------------
coproc JSONQ { exec "$py" -u "$helper" serve "$work/password"; }
# shellcheck disable=SC2153 # JSONQ_PID is set by coproc
jsonq_pid=$JSONQ_PID
# ask REQUEST...: one answer line of the helper into REPLY. No read -t: bash 5.2 aborts
# ("longjmp causes uninitialized stack frame") when a trap exits during one; the helper answers
# within ~2 s (1 s HTTP timeouts) or dies, which ends the read.
ask() {
  echo "$*" >&"${JSONQ[1]}"
  read -r -u "${JSONQ[0]}" REPLY || die "the JSON helper has died"
}

start_node() {
  local i=$1 dir=$work/${ids[$1]}
  echo "---- start $(date -u +%FT%T.%3NZ)" >>"$dir/node.log"
  (cd "$dir" && exec java "${jvm_opts[@]}" -jar "$dist/alpha-ren.jar" node \
      --config "$dir/node.yaml" >>"$dir/node.log" 2>&1) &
  pids[i]=$!
  disown "${pids[i]}" # no "Killed" notice from bash after kill -9; gone() waits for the end
}

# gone PID SECONDS: until the process has ended
gone() {
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do
    (( SECONDS < deadline )) || die "process $1 still running after $2 s"
    sleep 0.05
  done
}

# fetch PATH I...: GET PATH from the given nodes at once, into $work/answer-I.json
fetch() {
  local path=$1 i args=()
  shift
  for i in "$@"; do
    rm -f "$work/answer-$i.json"
    args+=("http://127.0.0.1:${hport[i]}$path" -o "$work/answer-$i.json")
  done
  curl -sf -Z --max-time 1 -K "$work/curl.cfg" "${args[@]}" 2>/dev/null || true # -Z shows progress despite -s
}
answers() { local i; for i in "$@"; do printf '%s ' "$work/answer-$i.json"; done; }

all_ready() {
  local i
  for i in 0 1 2; do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:${hport[i]}/health/ready" || return 1
  done
}

# wait_settled SECONDS: until every node is ready and lists n1..n3, all ALIVE
wait_settled() {
  local deadline=$((SECONDS + $1)) i
  while :; do
    for i in 0 1 2; do
      kill -0 "${pids[i]}" 2>/dev/null || { tail -20 "$work/${ids[i]}/node.log" >&2; die "node ${ids[i]} exited"; }
    done
    fetch /api/v1/cluster 0 1 2
    # shellcheck disable=SC2046 # answers prints file names without blanks
    ask settled n1,n2,n3 $(answers 0 1 2)
    if [[ $REPLY == yes ]] && all_ready; then return 0; fi
    (( SECONDS < deadline )) || die "cluster not back to 3 ALIVE members in $1 s: $REPLY"
    sleep 0.2
  done
}

echo "cluster '$cluster_name': nodes on http ports ${hport[*]}, cluster ports ${cport[*]}"
for i in 0 1 2; do start_node "$i"; done
wait_settled 120
echo "3 nodes ready, each listing 3 ALIVE members"

# --- trials ----------------------------------------------------------------------------------------
stop_suspect=(); stop_removed=(); kill_suspect=(); kill_removed=(); failed=()
polls=0; poll_ms_total=0 # the observer's achieved polling period

# trial N SIGNAL: signal the victim, measure both survivors' view of it, bring it back
trial() {
  local n=$1 sig=$2 v=$(( ($1 - 1) % 3 )) a b t0 deadline sa sb \
      sus_a="" sus_b="" rem_a="" rem_b="" sus="" rem="" back polls_here=0 last_round=0
  a=$(( (v + 1) % 3 )); b=$(( (v + 2) % 3 ))
  local answers_ab
  answers_ab=$(answers "$a" "$b")
  t0=$(date +%s%3N)
  kill -"$sig" "${pids[v]}"
  deadline=$((t0 + trial_timeout_ms))
  while :; do
    now_ms; local round=$NOW
    if (( polls_here > 0 )); then poll_ms_total=$((poll_ms_total + round - last_round)); polls=$((polls + 1)); fi
    polls_here=$((polls_here + 1)); last_round=$round
    if [[ $poller == python ]]; then
      ask poll "${ids[v]}" "${hport[a]}" "${hport[b]}"
    else
      fetch /api/v1/cluster "$a" "$b"
      # shellcheck disable=SC2086 # two file names without blanks
      ask state "${ids[v]}" $answers_ab
    fi
    read -r sa sb <<<"$REPLY"
    now_ms
    if [[ -z $sus_a && $sa != ALIVE && $sa != ERR ]]; then sus_a=$NOW; fi
    if [[ -z $sus_b && $sb != ALIVE && $sb != ERR ]]; then sus_b=$NOW; fi
    if [[ -z $rem_a && $sa == GONE ]]; then rem_a=$NOW; fi
    if [[ -z $rem_b && $sb == GONE ]]; then rem_b=$NOW; fi
    if [[ -n $rem_a && -n $rem_b ]] || (( NOW > deadline )); then break; fi
    local left=$((round + poll_ms - NOW))
    if (( left > 0 )); then ask nap "$left"; fi # the helper sleeps: no process started
  done
  if [[ -n $sus_a && -n $sus_b ]]; then sus=$(( (sus_a > sus_b ? sus_a : sus_b) - t0 )); fi
  if [[ -n $rem_a && -n $rem_b ]]; then rem=$(( (rem_a > rem_b ? rem_a : rem_b) - t0 )); fi
  local name=SIGSTOP
  if [[ $sig == KILL ]]; then name="kill -9"; fi
  if [[ $sig == STOP ]]; then
    if [[ -n $sus ]]; then stop_suspect+=("$sus"); fi
    if [[ -n $rem ]]; then stop_removed+=("$rem"); fi
  else
    if [[ -n $sus ]]; then kill_suspect+=("$sus"); fi
    if [[ -n $rem ]]; then kill_removed+=("$rem"); fi
  fi
  if [[ -z $rem ]]; then
    failed+=("$name #$n on ${ids[v]} (last seen by ${ids[a]}: $sa, by ${ids[b]}: $sb)")
  fi
  # back to three members
  back=$SECONDS
  if [[ $sig == STOP ]]; then
    kill -CONT "${pids[v]}"
  else
    gone "${pids[v]}" 10
    start_node "$v"
  fi
  wait_settled "$recover_s"
  printf '%-7s %2d/%d on %s: not ALIVE on both survivors after %s ms, removed after %s ms; back in %d s\n' \
    "$name" "$n" "$trials" "${ids[v]}" "${sus:-(timeout)}" "${rem:-(timeout)}" $((SECONDS - back))
  sleep 1 # let the probes of the rejoined node settle before the next trial
}

for n in $(seq 1 "$trials"); do trial "$n" STOP; done
for n in $(seq 1 "$trials"); do trial "$n" KILL; done

# --- load run --------------------------------------------------------------------------------------
false_suspicions=-; rps=-; load_errors=0; load_desc="not run (LOAD_MINUTES=0)"
if (( load_minutes > 0 )); then
  secs=$((load_minutes * 60))
  load_start=$(date +%s%3N)
  if command -v wrk >/dev/null; then
    load_tool="one wrk -t1 -c4 per node"
    for i in 0 1 2; do
      wrk -t1 -c4 -d"${secs}s" --timeout 2s "http://127.0.0.1:${hport[i]}/health/ready" \
        >"$work/load-$i.txt" 2>&1 &
      load_pids+=($!)
    done
  else
    load_tool="curl, 4 loops per node"
    for i in 0 1 2; do
      for c in 1 2 3 4; do
        (end=$((SECONDS + secs))
         while (( SECONDS < end )); do
           curl -s --max-time 1 -o /dev/null -w '%{http_code}\n' \
             "http://127.0.0.1:${hport[i]}/health/ready?[1-100]" || true
         done) >"$work/load-$i-$c.txt" 2>/dev/null &
        load_pids+=($!)
      done
    done
  fi
  load_desc="$load_tool on \`/health/ready\` of all three nodes at once, $load_minutes min"
  echo "load: $load_tool on /health/ready for $load_minutes min"
  for pid in "${load_pids[@]}"; do wait "$pid" || true; done
  load_pids=()
  load_end=$(date +%s%3N)
  if command -v wrk >/dev/null; then
    rps=$(awk '/^Requests\/sec:/ {s += $2} END {printf "%d", s}' "$work"/load-*.txt)
    load_errors=$(awk '/^ *Non-2xx/ {s += $NF} /Socket errors:/ {gsub(",", ""); s += $4 + $6 + $8 + $10}
      END {print s + 0}' "$work"/load-*.txt)
  else
    rps=$(cat "$work"/load-*.txt | awk -v ms=$((load_end - load_start)) 'END {printf "%d", NR * 1000 / ms}')
    load_errors=$(cat "$work"/load-*.txt | grep -cv '^200$' || true)
  fi
  sleep 2 # a suspicion the load caused at its very end shows within suspectAfter
  fetch /api/v1/health-events 0 1 2
  # shellcheck disable=SC2046 # answers prints file names without blanks
  "$py" $helper suspicions "$load_start" "$(date +%s%3N)" $(answers 0 1 2) >"$work/suspicions.txt" \
    || die "cannot read /api/v1/health-events"
  false_suspicions=$(head -1 "$work/suspicions.txt")
  tail -n +2 "$work/suspicions.txt"
  wait_settled 30
  echo "load: $rps requests/s, $load_errors failed requests, $false_suspicions false suspicion(s)"
fi

# --- summary ---------------------------------------------------------------------------------------
# row LABEL TARGET_KIND(median|p99|none) TARGET_MS FAILED_COUNT MS...: prints a line, sets ROW
row() {
  local label=$1 kind=$2 target=$3 nfailed=$4 med p99 lo hi count met=— goal=—
  shift 4
  read -r med p99 lo hi count <<<"$("$py" $helper stats "$@")"
  if [[ $kind != none ]]; then
    goal="$kind ≤ $target ms"
    local fig=$med
    if [[ $kind == p99 ]]; then fig=$p99; fi
    if [[ $fig != - ]] && (( fig <= target && nfailed == 0 )); then met=yes; else met=no; fi
  fi
  printf '%-45s median %5s ms, p99 %5s ms (%s–%s ms, %d trial(s)); target %s: %s\n' \
    "$label" "$med" "$p99" "$lo" "$hi" "$count" "$goal" "$met"
  if [[ $med == - ]]; then
    ROW="| $label | — | — | — | $goal | $met |"
  else
    ROW="| $label | $med ms | $p99 ms | $lo–$hi ms | $goal | $met |"
  fi
}
n_stop_fail=$((trials - ${#stop_removed[@]})); n_kill_fail=$((trials - ${#kill_removed[@]}))
echo "---- summary: $trials SIGSTOP and $trials kill -9 trials, $((n_stop_fail + n_kill_fail)) failed"
rows=()
row "SIGSTOP → not ALIVE on both survivors" median 1000 $((trials - ${#stop_suspect[@]})) "${stop_suspect[@]}"; rows+=("$ROW")
row "SIGSTOP → removed on both survivors" p99 3000 "$n_stop_fail" "${stop_removed[@]}"; rows+=("$ROW")
row "kill -9 → SUSPECT or gone on both survivors" none 0 0 "${kill_suspect[@]}"; rows+=("$ROW")
row "kill -9 → removed on both survivors" median 1000 "$n_kill_fail" "${kill_removed[@]}"; rows+=("$ROW")
for f in "${failed[@]}"; do echo "failed trial: $f"; done
if [[ $false_suspicions == - ]]; then
  load_row="| false suspicions under load | not run (LOAD_MINUTES=0) | | | 0 | — |"
else
  fs_met=no
  if (( false_suspicions == 0 )); then fs_met=yes; fi
  echo "false suspicions under load ($load_minutes min, $rps req/s): $false_suspicions; target 0: $fs_met"
  load_row="| false suspicions under load ($rps requests/s, $load_errors failed) | $false_suspicions | | | 0 | $fs_met |"
fi

failed_note=none
(( ${#failed[@]} == 0 )) || failed_note=$(IFS=';'; echo "${failed[*]}")
cadence=$(( polls > 0 ? poll_ms_total / polls : 0 ))
echo "observer: $polls polls of both survivors, one every $cadence ms on average"
poll_how="kept-alive connections (\`bench/lib/failover.py\`)"
[[ $poller == curl ]] && poll_how="one curl per poll"
block="<!-- failover:begin -->
For comparison: with its defaults Hazelcast drops a silent (frozen, unplugged) member only after
~60 s (\`hazelcast.max.no.heartbeat.seconds\` = 60), and Apache NiFi disconnects a node after 8
missed 5 s heartbeats, 40 s. ARHAV's defaults: probe every 100 ms, SUSPECT after 900 ms, DEAD and
removed after 2.2 s.

- measured: $(date -u +%Y-%m-%d) on $(nproc) cores, Java $java_version; 3 nodes on 127.0.0.1, heap $heap each
- trials: $trials SIGSTOP and $trials kill -9, observer polling every $cadence ms on average
- failed trials (victim not removed within $((trial_timeout_ms / 1000)) s): $failed_note
- load: $load_desc

| figure | median | p99 | range | target | met |
| --- | --- | --- | --- | --- | --- |
${rows[0]}
${rows[1]}
${rows[2]}
${rows[3]}
$load_row

How: t0 is taken (\`date +%s%3N\`) just before \`kill -STOP\` / \`kill -9\` of the victim, which
rotates over n1..n3. The observers are both survivors: their \`GET /api/v1/cluster\` is polled
every ~20 ms (both at once, 1 s timeout) over $poll_how.
A time is when the later of the two was first seen to report the victim not ALIVE (SUSPECT,
DEAD, or not listed) or not listed at all, so the figures include up to ~20 ms of polling
granularity plus one poll's round trip. p99 is the nearest rank (with fewer than 100 trials, the
slowest). After a SIGSTOP trial the victim gets SIGCONT and merges back, after kill -9 it is
restarted with its config; the next trial starts once all three nodes are ready and list three
ALIVE members. The load runs after the trials; a false suspicion is a transition to SUSPECT in
any node's \`/api/v1/health-events\` from the load's start until 2 s after its end.
<!-- failover:end -->"
doc=docs/performance.md
"$py" $helper section "$doc" "## Failure detection (\`bench/failover.sh\`)" "$block"
echo "updated $doc"
