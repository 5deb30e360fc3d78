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


def _processes():
    """{pid: (starttime, ppid, session)} of every live process."""
    procs = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                procs[int(name)] = (fields[19], int(fields[1]), int(fields[3]))
            except (OSError, IndexError, ValueError):
                continue
    return procs


def run_pss_kib(cli, known):
    """(Sum of Pss, processes, unreadable) over the processes of the run: the CLI, every process
    whose parent is one of the run's, and every process in a session one of them leads. Not the
    CLI's session alone: each fork server calls setsid (server.c, own_session: an autogroup per
    server), and its children inherit the server's session. `known` ({pid: starttime}) carries the
    run's processes from sample to sample, so that an orphan (re-parented to init) still counts."""
    procs = _processes()
    run = {cli} | {pid for pid, (start, _, _) in procs.items() if known.get(pid) == start}
    while True:
        more = {pid for pid, (_, ppid, sid) in procs.items() if pid not in run and (ppid in run or sid in run)}
        if not more:
            break
        run |= more
    known.update({pid: procs[pid][0] for pid in run if pid in procs})
    total, unreadable = 0, 0
    for pid in run:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited since the listing (ESRCH: exiting now)
        except (OSError, StopIteration, ValueError):
            unreadable += 1  # counted: a process whose memory this sampler cannot see
    return total, len(run), unreadable


def one_run(binary, path, jobs):
    """Wall, CPU of the whole tree (wait4's usage of the CLI holds its reaped servers and their
    children), peak PSS of the run's processes sampled every 20 ms, how many processes the
    sampler saw (distinct) and how many of them it could not read."""
    start = time.monotonic()
    p = subprocess.Popen([binary, path, "-o", path + f".out{jobs}", "--jobs", str(jobs)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    peak, known, unreadable = 0, {}, 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        pss, _, missed = run_pss_kib(p.pid, known)
        peak, unreadable = max(peak, pss), max(unreadable, missed)
        time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{binary} --jobs {jobs} exited with {p.returncode}")
    return {"wall_s": time.monotonic() - start, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_pss_mib": peak / 1024,
            "processes_seen": len(known), "unreadable": unreadable}


def measure(binary, jobs_list, repeat, folder):
    path = os.path.join(folder, "startup-16.jsonl")
    small_input(path)
    rows = {j: {"wall_s": [], "cpu_s": [], "peak_pss_mib": [], "processes_seen": [], "unreadable": []} for j in jobs_list}
    for r in range(repeat):  # interleaved, the order rotated: the machine's load drifts
        for j in jobs_list[r % len(jobs_list):] + jobs_list[:r % len(jobs_list)]:
            for key, value in one_run(binary, path, j).items():
                rows[j][key].append(value)
    return {j: {k: statistics.median(v) for k, v in r.items()} | {"runs": r} for j, r in rows.items()}


def report(result):
    jobs = sorted(result)
    print(f"start-up: 16 records over three tiers, median of {len(result[jobs[0]]['runs']['wall_s'])} interleaved runs")
    print(f"  {'--jobs':>6} {'wall s':>8} {'CPU s':>8} {'peak PSS MiB':>13} {'processes':>10} {'unreadable':>10}")
    for j in jobs:
        r, runs = result[j], result[j]["runs"]
        print(f"  {j:>6} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_pss_mib']:13.1f} "
              f"{r['processes_seen']:10.0f} {max(runs['unreadable']):10d}")
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
