#!/usr/bin/env python3
"""CPU per Java thread of a running JVM between two snapshots (the bench's THREADS=1).

  java-threads.py snap PID FILE      thread id -> (Java thread name from jcmd, user, system ticks) into FILE
  java-threads.py diff PID FILE      CPU since FILE per thread name (digits folded: one line per pool), top 12
"""
import json, os, re, subprocess, sys
from collections import defaultdict

HZ = os.sysconf("SC_CLK_TCK")


def names(pid):
    out = {}
    text = subprocess.run(["jcmd", pid, "Thread.print"], capture_output=True, text=True).stdout
    for line in text.splitlines():
        m = re.match(r'^"(.*?)".*\bnid=(0x[0-9a-f]+|\d+)', line)
        if m:
            nid = m.group(2)
            out[str(int(nid, 16) if nid.startswith("0x") else int(nid))] = m.group(1)
    return out


def ticks(pid, known):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            f = stat[stat.rindex(")") + 2:].split()
            name = known.get(tid) or open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            out[tid] = [name, int(f[11]), int(f[12])]
        except (OSError, ValueError):
            pass  # a thread that ended meanwhile
    return out


mode, pid, path = sys.argv[1:4]
if mode == "snap":
    json.dump(ticks(pid, names(pid)), open(path, "w"))
else:
    before = json.load(open(path))
    known = {t: v[0] for t, v in before.items()}
    known.update(names(pid))
    after = ticks(pid, known)
    by = defaultdict(lambda: [0, 0])
    for tid, (name, u, s) in after.items():
        u0, s0 = before.get(tid, [name, 0, 0])[1:]
        key = re.sub(r"\d+", "#", name)
        by[key][0] += u - u0
        by[key][1] += s - s0
    total = sum(u + s for u, s in by.values())
    print(f"CPU s by thread (user+system; total {total / HZ:.1f}):")
    for key, (u, s) in sorted(by.items(), key=lambda kv: -sum(kv[1]))[:12]:
        if u + s:
            print(f"  {(u + s) / HZ:6.1f} (sys {s / HZ:5.1f})  {key}")
