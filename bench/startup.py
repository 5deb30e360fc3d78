#!/usr/bin/python3
"""What a run pays before and around its first snippets, against --jobs: wall time, CPU of the
whole process tree and peak PSS of every process the run starts, for a 16-record input that uses
every preload tier (standard library, numpy, sympy), end to end through the CLI.

    /usr/bin/python3 bench/startup.py [--jobs 1,2,4,8] [--repeat 3] [--binary PATH] [--out bench/out]

Targets (issue 13): at --jobs 8 against --jobs 1, at most 1.5x the CPU and at most 2x the memory.
bench/run.py calls this as its start-up section.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def small_input(path):
    """16 records: a third each on the standard-library, numpy and sympy tiers."""
    codes = ["print(2 + 3)", "import numpy\nprint(int(numpy.int64(5)))", "import sympy\nprint(sympy.Integer(5))"]
    with open(path, "w") as f:
        for i in range(16):
            f.write(json.dumps({"id": i, "code": codes[i % 3], "result": "$5$"}) + "\n")


def session_pss_kib(sid):
    """Sum of Pss over the processes of session `sid` (the run, its servers, their children)."""
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[3]) != sid:  # field 6, the session
                continue
            with open(f"/proc/{name}/smaps_rollup") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        except (OSError, StopIteration, IndexError, ValueError):
            continue
    return total


def one_run(binary, path, jobs):
    """Wall, CPU of the whole tree (wait4's usage of the CLI holds its reaped servers and their
    children) and peak PSS of the session, sampled every 20 ms."""
    start = time.monotonic()
    p = subprocess.Popen([binary, path, "-o", path + f".out{jobs}", "--jobs", str(jobs)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    peak = 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        peak = max(peak, session_pss_kib(p.pid))
        time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{binary} --jobs {jobs} exited with {p.returncode}")
    return {"wall_s": time.monotonic() - start, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_pss_mib": peak / 1024}


def measure(binary, jobs_list, repeat, folder):
    path = os.path.join(folder, "startup-16.jsonl")
    small_input(path)
    rows = {j: {"wall_s": [], "cpu_s": [], "peak_pss_mib": []} for j in jobs_list}
    for _ in range(repeat):  # interleaved: the machine's load drifts
        for j in jobs_list:
            for key, value in one_run(binary, path, j).items():
                rows[j][key].append(value)
    return {j: {k: statistics.median(v) for k, v in r.items()} | {"runs": r} for j, r in rows.items()}


def report(result):
    jobs = sorted(result)
    print(f"start-up: 16 records over three tiers, median of {len(result[jobs[0]]['runs']['wall_s'])} interleaved runs")
    print(f"  {'--jobs':>6} {'wall s':>8} {'CPU s':>8} {'peak PSS MiB':>13}")
    for j in jobs:
        r = result[j]
        print(f"  {j:>6} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_pss_mib']:13.1f}")
    lo, hi = result[jobs[0]], result[jobs[-1]]
    cpu, mem = hi["cpu_s"] / lo["cpu_s"], hi["peak_pss_mib"] / lo["peak_pss_mib"]
    print(f"  [{'holds' if cpu <= 1.5 else 'MISSED'}] CPU at --jobs {jobs[-1]} <= 1.5x --jobs {jobs[0]}: {cpu:.2f}x")
    print(f"  [{'holds' if mem <= 2 else 'MISSED'}] peak PSS at --jobs {jobs[-1]} <= 2x --jobs {jobs[0]}: {mem:.2f}x")
    return cpu, mem


def plot(result, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    jobs = sorted(result)
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.6))
    ax[0].plot(jobs, [result[j]["cpu_s"] for j in jobs], marker="o", label="CPU (process tree)")
    ax[0].plot(jobs, [result[j]["wall_s"] for j in jobs], marker="o", label="wall")
    ax[0].set_xlabel("--jobs"); ax[0].set_ylabel("seconds"); ax[0].legend(); ax[0].grid(alpha=.3)
    ax[1].plot(jobs, [result[j]["peak_pss_mib"] for j in jobs], marker="o", color="C2")
    ax[1].set_xlabel("--jobs"); ax[1].set_ylabel("peak PSS, MiB"); ax[1].grid(alpha=.3)
    for a in ax:
        a.set_xticks(jobs); a.set_ylim(bottom=0)
    fig.suptitle("Start-up against --jobs (16 records, three tiers)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "startup_vs_jobs.png"), dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", default="1,2,4,8")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "verify-snippets"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    result = measure(a.binary, [int(j) for j in a.jobs.split(",")], a.repeat, a.out)
    report(result)
    with open(os.path.join(a.out, "startup.json"), "w") as f:
        json.dump({str(j): r for j, r in result.items()}, f, indent=1)
    try:
        plot(result, a.out)
    except ImportError:
        print("no plot: apt-get install -y python3-matplotlib")


if __name__ == "__main__":
    main()
