#!/usr/bin/env python3
"""Run a command and print its own peak RSS in KiB (VmHWM), sampled from
/proc until it exits. Unlike getrusage's children figure, this leaves
out the programs it runs (the docker CLI is a 20+ MiB Go binary)."""
import subprocess
import sys
import time

p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    try:
        with open("/proc/%d/status" % p.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.002)
print(peak)
sys.exit(p.returncode)
