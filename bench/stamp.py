#!/usr/bin/env python3
"""Read a `docker logs -t` line on stdin; print its timestamp in ns since
the epoch (docker prints RFC 3339 with nanoseconds, UTC)."""
import calendar
import sys
import time

line = sys.stdin.readline().strip()
if not line:
    sys.exit(1)
stamp = line.split()[0].rstrip("Z")
whole, _, frac = stamp.partition(".")
secs = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
print(secs * 10**9 + int((frac + "000000000")[:9]))
