#!/usr/bin/python3
"""One contender of the benchmark, run in a process of its own so that its CPU is its own.

    contenders.py NAME CORPUS.jsonl --jobs N [--binary PATH]  ->  one JSON object on stdout

NAME is one of: limit, limit_cache_cleared, published, fresh_process, bwrap, verify_snippets, snippet_benchmark.
The JSON holds, per snippet in corpus order, the normalised output ("raised" for a snippet that
raised, else stdout stripped) and the service time in ms (from the start of that snippet's run in
its worker, process or sandbox child to its result; queueing excluded), plus the timed section's
wall seconds and the CPU seconds of this process and every process below it.

Run with Debian's /usr/bin/python3 (it has sympy/numpy/scipy); bench/run.py does.
"""
import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout

# verify-snippets preloads these (SandboxConfiguration.defaultPreload); the warm contenders get the
# same set so that nobody pays an import the others do not.
PRELOAD = ["math", "cmath", "fractions", "decimal", "itertools", "functools", "statistics",
           "numpy", "sympy", "scipy"]
TIMEOUT = 10  # seconds per snippet, as in the published pipeline
PYTHON = "/usr/bin/python3"
# The sandbox a careful user reaches for. --as-pid-1 makes python the namespace's pid 1: without it
# bwrap's own init reaps python and its CPU never reaches our getrusage (measured: 2 ms instead of
# 490 ms for `import sympy`); it also saves bwrap a process, so it can only flatter bwrap.
# /etc/alternatives holds Debian's libblas.so.3 link (numpy fails to import without it), and
# ld.so.cache spares the loader a search. No --new-session: the kernel's scheduler autogroups by
# session, so on a busy machine each snippet in a session of its own got a fair share of its own
# and bwrap ran 1.7x faster than the same python3 outside it; stdin is /dev/null, so there is no
# terminal for --new-session to protect.
BWRAP = ["bwrap", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
         "--ro-bind", "/etc/alternatives", "/etc/alternatives",
         "--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache",
         "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
         "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
         "--unshare-all", "--as-pid-1", "--die-with-parent", "--clearenv",
         "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "HOME", "/tmp"]
# One BLAS thread per process everywhere: every contender already runs one process per core,
# and verify-snippets sets the same in its children.
CHILD_ENV = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "HOME": "/tmp"}


# --- CPU of this process and everything below it ---------------------------------------------

def _ticks(pid):
    """(start time, utime+stime+cutime+cstime) of a live process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[19], sum(int(x) for x in fields[11:15]), int(fields[1])  # starttime, ticks, ppid


def _descendants():
    """{pid: (starttime, ticks)} of the live processes below this one."""
    procs = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            t = _ticks(int(name))
            if t:
                procs[int(name)] = t
    below, frontier = {}, {os.getpid()}
    while frontier:
        frontier = {pid for pid, t in procs.items() if t[2] in frontier and pid not in below}
        below.update({pid: procs[pid][:2] for pid in frontier})
    return below


class CpuMeter:
    """Self + reaped children (getrusage) + live descendants' deltas (/proc: pool workers that are
    still alive at the end are never reaped inside the timed section)."""

    def __enter__(self):
        self.r0 = self._rusage()
        self.d0 = _descendants()
        return self

    @staticmethod
    def _rusage():
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

    def stop(self):
        d1 = _descendants()
        hz = os.sysconf("SC_CLK_TCK")
        live = sum(t1 - (self.d0[p][1] if p in self.d0 and self.d0[p][0] == st else 0)
                   for p, (st, t1) in d1.items()) / hz
        self.cpu = self._rusage() - self.r0 + live
        return self.cpu

    def __exit__(self, *exc):
        return False


# --- in-process execution (limit and published) ----------------------------------------------

def preload():
    for m in PRELOAD:
        __import__(m)


def exec_snippet(code):
    """exec() in a fresh globals dict with stdout captured: what both warm contenders do."""
    start = time.perf_counter()
    buf = io.StringIO()
    try:
        with redirect_stdout(buf):
            exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
        out = buf.getvalue().strip()
    except BaseException:  # a snippet may raise anything, SystemExit included
        out = "raised"
    return out, (time.perf_counter() - start) * 1000


def run_limit(codes, jobs, _, run=exec_snippet):
    """The limit: warm interpreters, same preload, fresh namespace, no isolation at all."""
    import multiprocessing
    preload()  # in the parent before the fork: workers start warm
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=preload) as pool:
        pool.map(exec_snippet, ["pass"] * jobs * 4)  # every worker up and running
        with CpuMeter() as cpu:
            t0 = time.perf_counter()
            results = pool.map(run, codes, chunksize=1)
            wall = time.perf_counter() - t0
            cpu.stop()
    return results, wall, cpu.cpu


def exec_snippet_cache_cleared(code):
    """exec_snippet after emptying sympy's cache: a warm worker that remembers nothing of earlier
    snippets' sympy results, which a forked child cannot either."""
    import sympy
    sympy.core.cache.clear_cache()
    return exec_snippet(code)


def run_limit_cache_cleared(codes, jobs, _):
    """The limit without sympy's memory of earlier snippets: how much of the limit's lead on the
    realistic mix is sympy answering repeated sub-problems from its cache."""
    return run_limit(codes, jobs, _, run=exec_snippet_cache_cleared)


def _alarm(signum, frame):
    raise TimeoutError("snippet timed out")


def published_worker(code):
    """The published executor's worker: a signal-based timeout around exec() (their decorator)."""
    import signal
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        return exec_snippet(code)
    finally:
        signal.alarm(0)


def run_published(codes, jobs, _):
    """The published design: a pebble ProcessPool, one reused worker per core, exec() per snippet,
    10 s timeout from both the decorator and the pool."""
    from pebble import ProcessPool
    preload()  # like a script that imports its modules at the top before starting the pool
    with ProcessPool(max_workers=jobs) as pool:
        for f in [pool.schedule(published_worker, ("pass",)) for _ in range(jobs * 4)]:
            f.result()
        with CpuMeter() as cpu:
            t0 = time.perf_counter()
            futures = [pool.schedule(published_worker, (c,), timeout=TIMEOUT) for c in codes]
            results = []
            for f in futures:
                try:
                    results.append(f.result())
                except Exception:  # pool timeout or a dead worker
                    results.append(("raised", TIMEOUT * 1000.0))
            wall = time.perf_counter() - t0
            cpu.stop()
    return results, wall, cpu.cpu


# --- one process per snippet (fresh_process and bwrap) ---------------------------------------

def _run_process(argv):
    start = time.perf_counter()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT,
                           env=CHILD_ENV, cwd="/tmp")
        out = p.stdout.decode(errors="replace").strip() if p.returncode == 0 else "raised"
    except subprocess.TimeoutExpired:
        out = "raised"
    return out, (time.perf_counter() - start) * 1000


def _run_processes(codes, jobs, prefix):
    with CpuMeter() as cpu:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(jobs) as ex:
            results = list(ex.map(lambda c: _run_process(prefix + [PYTHON, "-c", c]), codes))
        wall = time.perf_counter() - t0
        cpu.stop()
    return results, wall, cpu.cpu


def run_fresh_process(codes, jobs, _):
    return _run_processes(codes, jobs, [])


def run_bwrap(codes, jobs, _):
    return _run_processes(codes, jobs, BWRAP)


# --- verify-snippets ------------------------------------------------------------------------

def run_verify_snippets(codes, jobs, binary):
    """The real CLI, end to end: write flat records, run it, read its output records. Wall and
    CPU cover the whole process tree, server start-up included. Without start-up: the CLI's own
    clock (its summary's "seconds": read, execute, compare, write, once the servers are up) and
    the tree's CPU after its first output record (a snapshot of /proc when the output file first
    has a line) divided by the records still to come."""
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.jsonl"), os.path.join(d, "out.jsonl")
        summary, err = os.path.join(d, "summary.json"), os.path.join(d, "stderr")
        with open(inp, "w") as f:
            for i, c in enumerate(codes):
                f.write(json.dumps({"id": i, "code": c, "result": ""}) + "\n")
        with CpuMeter() as cpu, open(err, "w") as errf:
            t0 = time.perf_counter()
            p = subprocess.Popen([binary, inp, "-o", outp, "--jobs", str(jobs), "--summary-json", summary],
                                 stdout=subprocess.DEVNULL, stderr=errf)
            snap_cpu, snap_done = 0.0, 0
            while p.poll() is None:  # cheap polling: a stat every 5 ms
                if os.path.exists(outp) and os.path.getsize(outp) > 0:
                    snap_cpu = sum(t for _, t in _descendants().values()) / os.sysconf("SC_CLK_TCK")
                    with open(outp, "rb") as f:
                        snap_done = f.read().count(b"\n")
                    break
                time.sleep(0.005)
            p.wait()
            wall = time.perf_counter() - t0
            cpu.stop()
        if p.returncode != 0:
            sys.exit(f"verify-snippets failed ({p.returncode}): {open(err).read()[-2000:]}")
        results = []
        with open(outp) as f:
            for line in f:
                r = json.loads(line)
                v = r.get("verification", {})
                out = "raised" if v.get("outcome") != "completed" else r.get("execution_output", "").strip()
                results.append((out, v.get("wall_ms", 0.0)))
        with open(summary) as f:
            engine_s = json.load(f)["seconds"]
    rest = len(codes) - snap_done
    steady_cpu_ms = (cpu.cpu - snap_cpu) * 1000 / rest if snap_cpu and rest > 0 else None
    return results, wall, cpu.cpu, {"engine_s": engine_s, "engine_cpu_ms": steady_cpu_ms}


def run_snippet_benchmark(codes, jobs, binary):
    """Fallback while the CLI is not on main: the engine through snippet-benchmark. It prints no
    per-snippet output, so these results carry none (agreement is not checked). Without start-up:
    its own snippets_per_second and cpu_ms_per_snippet (servers and children, timed once the
    servers are up)."""
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.jsonl")
        with open(inp, "w") as f:
            for i, c in enumerate(codes):
                f.write(json.dumps({"id": i, "code": c}) + "\n")
        with CpuMeter() as cpu:
            t0 = time.perf_counter()
            p = subprocess.run([binary, inp, "--jobs", str(jobs)], capture_output=True, text=True)
            wall = time.perf_counter() - t0
            cpu.stop()
    if p.returncode != 0:
        sys.exit(f"snippet-benchmark failed: {p.stderr[-2000:]}")
    stats = dict(line.split(": ", 1) for line in p.stdout.splitlines() if ": " in line)
    return [(None, None)] * len(codes), wall, cpu.cpu, {
        "engine_s": len(codes) / float(stats["snippets_per_second"]),
        "engine_cpu_ms": float(stats["cpu_ms_per_snippet"])}


CONTENDERS = {"limit": run_limit, "limit_cache_cleared": run_limit_cache_cleared, "published": run_published, "fresh_process": run_fresh_process,
              "bwrap": run_bwrap, "verify_snippets": run_verify_snippets,
              "snippet_benchmark": run_snippet_benchmark}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", choices=CONTENDERS)
    ap.add_argument("corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--binary", default="")
    a = ap.parse_args()
    with open(a.corpus) as f:
        codes = [json.loads(line)["code"] for line in f if line.strip()]
    results, wall, cpu, *engine = CONTENDERS[a.name](codes, a.jobs, a.binary)
    engine = engine[0] if engine else {"engine_s": None, "engine_cpu_ms": None}
    json.dump({"name": a.name, "jobs": a.jobs, "count": len(codes), "wall_s": wall, "cpu_s": cpu, **engine,
               "outputs": [r[0] for r in results], "service_ms": [r[1] for r in results]},
              sys.stdout)


if __name__ == "__main__":
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads, see CHILD_ENV
    main()
