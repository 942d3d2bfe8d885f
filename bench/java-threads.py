#!/usr/bin/env python3
"""CPU and heap allocation per Java thread of a running JVM between two snapshots (the bench's THREADS=1).

  java-threads.py snap PID FILE          thread id -> (Java thread name, user, system ticks, bytes allocated) into FILE
  java-threads.py diff PID FILE [CALLS]  CPU and allocation since FILE per thread name (digits folded: one line per
                                         pool), top 12; with CALLS, the allocation per call too

Names and allocation come from `jcmd PID Thread.print -e` (its allocated=, the thread's own count, exact, unlike a
sampling profiler's); CPU from /proc. A thread that ended between the snapshots is not counted.
"""
import json, os, re, subprocess, sys
from collections import defaultdict

HZ = os.sysconf("SC_CLK_TCK")


UNIT = {"B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def names(pid):
    """thread id -> (Java name, bytes allocated)"""
    out = {}
    text = subprocess.run(["jcmd", pid, "Thread.print", "-e"], capture_output=True, text=True).stdout
    for line in text.splitlines():
        m = re.match(r'^"(.*?)".*\bnid=(0x[0-9a-f]+|\d+)', line)
        if m:
            nid = m.group(2)
            a = re.search(r"\ballocated=(\d+)([BKMGT])", line)
            out[str(int(nid, 16) if nid.startswith("0x") else int(nid))] = (
                m.group(1), int(a.group(1)) * UNIT[a.group(2)] if a else 0)
    return out


def ticks(pid, known, allocated):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            f = stat[stat.rindex(")") + 2:].split()
            name = known.get(tid) or open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            out[tid] = [name, int(f[11]), int(f[12]), allocated.get(tid, 0)]
        except (OSError, ValueError):
            pass  # a thread that ended meanwhile
    return out


mode, pid, path = sys.argv[1:4]
calls = int(sys.argv[4]) if len(sys.argv) > 4 else 0
now = names(pid)
if mode == "snap":
    json.dump(ticks(pid, {t: v[0] for t, v in now.items()}, {t: v[1] for t, v in now.items()}), open(path, "w"))
else:
    before = json.load(open(path))
    known = {t: v[0] for t, v in before.items()}
    known.update({t: v[0] for t, v in now.items()})
    after = ticks(pid, known, {t: v[1] for t, v in now.items()})
    by = defaultdict(lambda: [0, 0, 0])
    for tid, (name, u, s, a) in after.items():
        u0, s0, a0 = (before.get(tid) or [name, 0, 0, 0])[1:4]
        key = re.sub(r"\d+", "#", name)
        by[key][0] += u - u0
        by[key][1] += s - s0
        by[key][2] += max(0, a - a0)
    total = sum(u + s for u, s, _ in by.values())
    mb = sum(a for _, _, a in by.values()) / (1 << 20)
    per_call = f", {mb * 1024 / calls:.0f} KB per call of {calls}" if calls else ""
    print(f"CPU s by thread (user+system; total {total / HZ:.1f}), MB allocated (total {mb:.0f}{per_call}):")
    for key, (u, s, a) in sorted(by.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:12]:
        if u + s or a:
            print(f"  {(u + s) / HZ:6.1f} (sys {s / HZ:5.1f}) {a / (1 << 20):7.0f} MB  {key}")
