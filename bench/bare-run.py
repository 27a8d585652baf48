#!/usr/bin/env python3
"""The physical limit of a create: run each COMMAND (a shell command
line, the `docker run --detach` that `dbarena create --dry-run` prints),
all at once, and wait for each server's final ready line: the first line
matching READY after one matching AFTER (the official images print a
temporary server's ready line during initialisation first).

The clock starts after this interpreter's own start-up, just before the
commands, so that only docker's and the servers' work is counted. Each
log is followed by one blocked `docker logs --follow`, never polled, so
that watching takes no CPU from the servers.

Prints one line per command, in ms since the start: when its docker run
returned, docker's own timestamp on the ready line (the server cannot be
usable earlier), and when this process read that line. Exits 1 if a
command fails or no ready line comes within TIMEOUT seconds (default
120); whatever ran stays for the caller to remove, by name."""
import calendar
import os
import re
import subprocess
import sys
import threading
import time


def stamp_ns(line):
    """docker logs -t prints RFC 3339 with nanoseconds, UTC, first."""
    whole, _, frac = line.split()[0].rstrip("Z").partition(".")
    secs = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
    return secs * 10**9 + int((frac + "000000000")[:9])


def watch(cmd, t0, after, ready, out, followers):
    run = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    started = time.time_ns()
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode(errors="replace"))
        return
    cid = run.stdout.decode().split()[-1]
    follow = subprocess.Popen(["docker", "logs", "--follow", "--timestamps",
                               cid], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    followers.append(follow)
    armed = False
    for raw in follow.stdout:
        line = raw.decode(errors="replace")
        if not armed:
            armed = after.search(line) is not None
        elif ready.search(line):
            seen = time.time_ns()
            out.append(((started - t0) // 10**6,
                        (stamp_ns(line) - t0) // 10**6,
                        (seen - t0) // 10**6))
            break
    follow.kill()
    follow.wait()


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: bare-run.py AFTER READY COMMAND...")
    after, ready = re.compile(sys.argv[1]), re.compile(sys.argv[2])
    cmds = sys.argv[3:]
    timeout = float(os.environ.get("TIMEOUT", "120"))
    outs = [[] for _ in cmds]
    followers = []
    t0 = time.time_ns()
    threads = [threading.Thread(target=watch, daemon=True,
                                args=(c, t0, after, ready, o, followers))
               for c, o in zip(cmds, outs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0, timeout - (time.time_ns() - t0) / 1e9))
    for f in followers:
        f.kill()
    if not all(outs):
        sys.exit(1)
    for o in outs:
        print("%d %d %d" % o[0])


main()
