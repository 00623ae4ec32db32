#!/usr/bin/env python3
"""Helper of bench/failover.sh (standard library only): free ports, JSON answers of
/api/v1/cluster and /api/v1/health-events, nearest-rank statistics and the docs/performance.md
section.

  failover.py ports N                       N distinct free ports on 127.0.0.1 (TCP and UDP)
  failover.py serve [PASSWORD_FILE]         line protocol on stdin/stdout, for a bash coprocess:
      state VICTIM FILE...                  -> one word per file: ALIVE, SUSPECT, DEAD (as listed
                                               in that /cluster answer), GONE (not listed) or ERR
      poll VICTIM PORT...                   -> the same for GET /api/v1/cluster of 127.0.0.1:PORT,
                                               asked of all ports at once over kept-alive
                                               connections (admin password from PASSWORD_FILE,
                                               1 s timeout); no process is started per poll
      nap MS                                -> "ok" after MS milliseconds
      settled ID,ID,... FILE...             -> "yes" if every file lists exactly these ids, all
                                               ALIVE; else "no" and what differs
  failover.py stats MS...                   "median p99 min max count" (nearest rank), "- - - - 0"
  failover.py suspicions FROM_MS TO_MS FILE...
                                            /health-events answers: ALIVE->SUSPECT transitions
                                            with `at` in [FROM_MS, TO_MS]; prints the count, then
                                            one line per transition
  failover.py section DOC HEADING BLOCK     puts BLOCK (markers included) in place of the failover
                                            markers of DOC, or appends HEADING and BLOCK
"""
import base64
import http.client
import json
import math
import re
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

BEGIN, END = "<!-- failover:begin -->", "<!-- failover:end -->"


def ports(n):
    held, picked = [], []
    try:
        while len(picked) < n:
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.bind(("127.0.0.1", 0))
            held.append(tcp)
            port = tcp.getsockname()[1]
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                udp.close()
                continue
            held.append(udp)
            picked.append(port)
    finally:
        for s in held:
            s.close()
    print(" ".join(map(str, picked)))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def members(path):
    """{id: health state} of a /cluster answer, or None if the file is no such answer."""
    return members_of(load(path))


def members_of(doc):
    if not isinstance(doc, dict) or not isinstance(doc.get("members"), list):
        return None
    seen = {}
    for m in doc["members"]:
        health = m.get("health") or {}
        seen[str(m.get("id"))] = str(health.get("state", "UNKNOWN"))
    return seen


def state(victim, path):
    return state_of(victim, members(path))


def state_of(victim, seen):
    if seen is None:
        return "ERR"
    return seen.get(victim, "GONE")


class Poller:
    """GET /api/v1/cluster of local nodes over one kept-alive connection per port."""

    def __init__(self, password_file):
        with open(password_file, encoding="utf-8") as f:
            token = base64.b64encode(("admin:" + f.read().strip()).encode()).decode()
        self.headers = {"Authorization": "Basic " + token}
        self.connections = {}
        self.pool = ThreadPoolExecutor(max_workers=4)

    def cluster(self, port):
        for attempt in (1, 2):
            conn = self.connections.get(port)
            reused = conn is not None
            if conn is None:
                conn = self.connections[port] = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=1)
            try:
                conn.request("GET", "/api/v1/cluster", headers=self.headers)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    return None
                return members_of(json.loads(body))
            except (OSError, http.client.HTTPException, ValueError) as e:
                conn.close()
                del self.connections[port]
                # a kept-alive connection the node has closed meanwhile: once more, on a new one
                if attempt == 2 or not reused or isinstance(e, TimeoutError):
                    return None
        return None

    def poll(self, victim, ports):
        seen = list(self.pool.map(self.cluster, (int(p) for p in ports)))
        return " ".join(state_of(victim, s) for s in seen)


def settled(ids, paths):
    want = set(ids.split(","))
    problems = []
    for path in paths:
        seen = members(path)
        if seen is None:
            problems.append(f"{path}: no answer")
        elif set(seen) != want or any(s != "ALIVE" for s in seen.values()):
            problems.append(f"{path}: " + ",".join(f"{k}={v}" for k, v in sorted(seen.items())))
    return "yes" if not problems else "no " + "; ".join(problems)


def serve(password_file=None):
    poller = Poller(password_file) if password_file else None
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "state" and len(words) >= 3:
            answer = " ".join(state(words[1], p) for p in words[2:])
        elif words[0] == "poll" and len(words) >= 3 and poller:
            answer = poller.poll(words[1], words[2:])
        elif words[0] == "nap" and len(words) == 2:
            time.sleep(int(words[1]) / 1000)
            answer = "ok"
        elif words[0] == "settled" and len(words) >= 3:
            answer = settled(words[1], words[2:])
        else:
            answer = "ERR unknown request: " + line.strip()
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()


def nearest_rank(sorted_values, p):
    return sorted_values[max(1, math.ceil(p / 100 * len(sorted_values))) - 1]


def stats(values):
    v = sorted(int(x) for x in values)
    if not v:
        print("- - - - 0")
        return
    print(nearest_rank(v, 50), nearest_rank(v, 99), v[0], v[-1], len(v))


def epoch_ms(instant):
    """Java's Instant.toString() (e.g. 2026-01-02T03:04:05.123456789Z) in epoch milliseconds."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(?:\.(\d+))?Z", instant)
    if not m:
        raise ValueError(f"not an instant: {instant!r}")
    base = m.group(1) if m.group(1).count(":") == 2 else m.group(1) + ":00"
    whole = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    fraction = int((m.group(2) or "0")[:3].ljust(3, "0"))
    return int(whole.timestamp()) * 1000 + fraction


def suspicions(start, end, paths):
    found = []
    for path in paths:
        doc = load(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
            print(f"{path}: not a /health-events answer", file=sys.stderr)
            sys.exit(1)
        for e in doc["events"]:
            if e.get("to") == "SUSPECT" and start <= epoch_ms(e["at"]) <= end:
                found.append(f"on {doc.get('node')}: {e.get('node')} {e.get('from')}->SUSPECT"
                             f" at {e['at']} after {e.get('silenceMs')} ms of silence")
    print(len(found))
    for f in found:
        print(f)


def section(doc, heading, block):
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + heading + "\n\n" + block + "\n"
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "ports" and len(args) == 1:
        ports(int(args[0]))
    elif cmd == "serve" and len(args) <= 1:
        serve(*args)
    elif cmd == "stats":
        stats(args)
    elif cmd == "suspicions" and len(args) >= 3:
        suspicions(int(args[0]), int(args[1]), args[2:])
    elif cmd == "section" and len(args) == 3:
        section(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
