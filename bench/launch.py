"""Start bench/run.py's measured processes from a process that stays small.

On Linux, the peak memory the kernel reports for a process (``ru_maxrss`` from
``os.wait4``) counts the memory the process started with: a child begins as a copy of its
parent (or, started with vfork, inside its parent's memory), and the peak of that copy is
kept when it turns into the measured program. bench/run.py grows as it works (it generates
workbooks and reads the outputs it counts), so it would set the floor of every figure
(52 MB for a conversion that peaks at 33 MB). This process stays at a few MB (its own
start counts for nothing: a program's memory starts afresh), and starts each measured
process itself.

One JSON object a line on stdin: ``{"argv", "cwd", "env", "out"}``; for each, one line on
stdout: ``{"wall", "cpu", "maxrss_kb", "status"}``. The measured process's standard output
goes to the file ``out``; its standard error is discarded.
"""

import json
import os
import subprocess
import sys
import time


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        with open(job["out"], "wb") as out, open(os.devnull, "wb") as null:
            started = time.perf_counter()
            process = subprocess.Popen(
                job["argv"], stdout=out, stderr=null, cwd=job["cwd"], env=job["env"]
            )
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not again
        answer = {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss_kb": usage.ru_maxrss,
            "status": process.returncode,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
