#!/usr/bin/python3
"""verify-snippets against the published executor, fresh processes, bubblewrap and the limit.

    bench/run.py [--count 2000] [--subset 300] [--seed 1] [--jobs 2] [--repeat 3] [--out bench/out]

Run it with Debian's /usr/bin/python3 (sympy, numpy, scipy), not the pyenv python3 on PATH. It
needs, once:

    apt-get install -y python3-pebble python3-matplotlib bubblewrap

(Debian packages pebble 5.0.3, so nothing is pip-installed and the pyenv python is untouched.)

It builds the engine in release mode, writes both corpora with make_corpus.py, runs every contender
on them (each in a process of its own, see contenders.py), repeats each measurement --repeat times
(interleaved, to spread the noise of a shared machine) and keeps the median, checks that the
outputs agree with the limit's, prints the table and writes OUT/results.json and two plots:
OUT/throughput_vs_jobs.png and OUT/service_time.png.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup  # noqa: E402  (bench/startup.py: the start-up section)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
EXPENSIVE = {"fresh_process", "bwrap"}  # one interpreter per snippet: run on the subset only


def sh(argv, **kw):
    return subprocess.run(argv, check=True, **kw)


def build(scratch):
    """Release build; returns the engine's CLI and whether it is the real CLI (else the
    snippet-benchmark fallback, for a checkout where the CLI has not landed yet)."""
    sh(["swift", "build", "-c", "release", "--scratch-path", scratch], cwd=ROOT,
       stdout=subprocess.DEVNULL)
    rel = os.path.join(scratch, "release")
    cli = os.path.join(rel, "verify-snippets")
    if os.path.exists(os.path.join(ROOT, "Sources", "verify-snippets")) and os.path.exists(cli):
        return "verify_snippets", cli
    return "snippet_benchmark", os.path.join(rel, "snippet-benchmark")


def corpus(path, *args):
    with open(path, "w") as f:
        sh([PY, os.path.join(HERE, "make_corpus.py"), *map(str, args)], stdout=f)
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, records):
    with open(path, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def run_contender(name, path, jobs, binary):
    # A session of its own per contender: the scheduler autogroups by session, so each contender's
    # whole process tree competes as one group with whatever else runs on the machine.
    p = subprocess.run([PY, os.path.join(HERE, "contenders.py"), name, path, "--jobs", str(jobs),
                        "--binary", binary], capture_output=True, text=True, cwd=ROOT,
                       stdin=subprocess.DEVNULL, start_new_session=True)
    if p.returncode != 0:
        sys.exit(f"{name} on {path} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout)


def measure(name, path, jobs, binary, repeat):
    """Runs a contender `repeat` times; the run with the median wall time is kept whole."""
    runs = sorted((run_contender(name, path, jobs, binary) for _ in range(repeat)),
                  key=lambda r: r["wall_s"])
    best = runs[len(runs) // 2]
    best["walls_s"] = [r["wall_s"] for r in runs]
    best["cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
    for k in ("engine_s", "engine_cpu_ms"):
        if best[k] is not None:
            best[k] = statistics.median(r[k] for r in runs if r[k] is not None)
    return best


def agreement(ref, got):
    """(disagreements, examples) between the limit's outputs and another contender's, on the
    snippets both ran. None when the contender reports no outputs (snippet-benchmark)."""
    if got[0] is None:
        return None, []
    bad = [i for i, (a, b) in enumerate(zip(ref, got)) if a != b]
    return len(bad), [{"index": i, "limit": ref[i], "other": got[i]} for i in bad[:3]]


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), "?")
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}


def plots(out, sweep, realistic_rows, engine):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, points in sweep.items():
        js = sorted(int(j) for j in points)
        ax.plot(js, [points[str(j)] for j in js], marker="o", label=name)
    ax.set_xlabel("--jobs (worker processes / fork-server slots)")
    ax.set_ylabel("snippets/s (realistic corpus, median)")
    ax.set_xticks(sorted({int(j) for p in sweep.values() for j in p}))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=.3)
    ax.legend()
    ax.set_title(f"Throughput against --jobs ({engine})")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "throughput_vs_jobs.png"), dpi=110)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for row in realistic_rows:
        ms = sorted(x for x in row["service_ms"] if x is not None)
        if ms:
            ax.step(ms, [(i + 1) / len(ms) for i in range(len(ms))], where="post",
                    label=f"{row['contender']} (p50 {ms[len(ms) // 2]:.1f} ms)")
    ax.set_xscale("log")
    ax.set_xlabel("per-snippet service time, ms (log)")
    ax.set_ylabel("fraction of snippets")
    ax.grid(alpha=.3, which="both")
    ax.legend(fontsize=8)
    ax.set_title("Per-snippet time, realistic corpus (CDF)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "service_time.png"), dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="snippets per corpus")
    ap.add_argument("--subset", type=int, default=300, help="snippets for fresh_process and bwrap")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sweep", default="1,2,4", help="--jobs values for the throughput plot")
    ap.add_argument("--sweep-count", type=int, default=1000, help="realistic snippets per sweep point")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--scratch-path", default=os.path.join(ROOT, ".build"), help="swift build scratch path")
    ap.add_argument("--startup-jobs", default="1,2,4,8", help="--jobs values for the start-up section")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    engine, binary = build(a.scratch_path)
    info = machine()
    print(f"machine: {info['nproc']} cpus, {info['cpu']}, kernel {info['kernel']}, load {' '.join(info['loadavg_at_start'])}")
    print(f"engine: {engine} ({binary})" + ("" if engine == "verify_snippets" else
          "  [the CLI is not in this checkout: snippet-benchmark stands in, outputs not checked]"))

    corpora = {}
    for kind, args in (("realistic", ("realistic", a.count, a.seed)), ("trivial", ("trivial", a.count))):
        records = corpus(os.path.join(a.out, f"{kind}.jsonl"), *args)
        sub = os.path.join(a.out, f"{kind}-subset.jsonl")
        write_jsonl(sub, records[:a.subset])
        corpora[kind] = {"full": os.path.join(a.out, f"{kind}.jsonl"), "subset": sub, "records": records}
    # The engine's fixed cost (servers start, import, warm, freeze): one snippet end to end.
    one = os.path.join(a.out, "one.jsonl")
    write_jsonl(one, corpora["trivial"]["records"][:1])

    contenders = [engine, "limit", "limit_cache_cleared", "published", "fresh_process", "bwrap"]
    rows, t_start = [], time.time()
    for kind, c in corpora.items():
        for name in contenders:
            path = c["subset"] if name in EXPENSIVE else c["full"]
            r = measure(name, path, a.jobs, binary, a.repeat)
            r.update(contender=name, corpus=kind, subset=name in EXPENSIVE)
            rows.append(r)
            print(f"  {kind:9} {name:17} n={r['count']:5} {r['count'] / r['wall_s']:8.1f}/s "
                  f"(runs {', '.join(f'{w:.2f}' for w in r['walls_s'])} s)", flush=True)
    one_snippet = measure(engine, one, a.jobs, binary, a.repeat)

    # The engine without its start-up, from its own measurements (see contenders.py): wall from
    # its own clock, started once the servers are up; CPU after the servers are up.
    for r in [r for r in rows if r["contender"] == engine]:
        s = dict(r, contender=engine + " (excl. start-up)", wall_s=r["engine_s"],
                 cpu_s=(r["engine_cpu_ms"] or float("nan")) * r["count"] / 1000)
        rows.insert(rows.index(r) + 1, s)

    table = []
    for r in rows:
        same = [x for x in rows if x["corpus"] == r["corpus"]]
        limit = next(x for x in same if x["contender"] == "limit")
        bwrap = next(x for x in same if x["contender"] == "bwrap")
        rate = r["count"] / r["wall_s"]
        n = min(len(r["outputs"]), len(limit["outputs"]))
        dis, examples = agreement(limit["outputs"][:n], r["outputs"][:n])
        for e in examples:
            e["code"] = corpora[r["corpus"]]["records"][e["index"]]["code"]
        table.append({
            "contender": r["contender"], "corpus": r["corpus"],
            "n": r["count"] if not r["subset"] else f"{r['count']} (subset)",
            "snippets_per_s": rate, "ms_per_snippet": 1000 / rate,
            "cpu_ms_per_snippet": r["cpu_s"] * 1000 / r["count"],
            # Ratios of per-snippet rates: x limit = how many times the limit's time per snippet;
            # x bwrap = how many times bwrap's rate (bwrap's from its subset, a prefix of the same mix).
            "time_vs_limit": (limit["count"] / limit["wall_s"]) / rate,
            # CPU per snippet against the limit's: steadier than wall time on a busy machine.
            "cpu_vs_limit": (r["cpu_s"] / r["count"]) / (limit["cpu_s"] / limit["count"]),
            "speed_vs_bwrap": rate / (bwrap["count"] / bwrap["wall_s"]),
            "disagreements": dis, "examples": examples})

    # Throughput against --jobs on (a prefix of) the realistic corpus: the engine end to end and
    # without its start-up (which grows with --jobs: three servers a slot), and the limit.
    steady = engine + " (excl. start-up)"
    sweep = {engine: {}, steady: {}, "limit": {}}
    sweep_path = os.path.join(a.out, "realistic-sweep.jsonl")
    write_jsonl(sweep_path, corpora["realistic"]["records"][:a.sweep_count])
    for j in [int(x) for x in a.sweep.split(",")]:
        for name in (engine, "limit"):
            if j == a.jobs and a.sweep_count >= a.count:  # the table's run is the same measurement
                r = next(x for x in rows if x["contender"] == name and x["corpus"] == "realistic")
            else:
                r = measure(name, sweep_path, j, binary, a.repeat)
            sweep[name][str(j)] = r["count"] / r["wall_s"]
            if r["engine_s"]:
                sweep[steady][str(j)] = r["count"] / r["engine_s"]
            print(f"  sweep     jobs={j} {name:17} n={r['count']} {sweep[name][str(j)]:8.1f}/s" +
                  (f"  ({sweep[steady][str(j)]:.1f}/s excl. start-up)" if r["engine_s"] else ""), flush=True)

    print()
    head = (f"{'contender':34} {'corpus':9} {'n':>12} {'snip/s':>8} {'ms/snip':>8} {'CPU ms':>7} "
            f"{'x limit':>8} {'CPU x limit':>11} {'x bwrap':>8} {'disagree':>8}")
    print(head)
    print("-" * len(head))
    for t in table:
        d = "n/a" if t["disagreements"] is None else str(t["disagreements"])
        print(f"{t['contender']:34} {t['corpus']:9} {str(t['n']):>12} {t['snippets_per_s']:8.1f} "
              f"{t['ms_per_snippet']:8.3f} {t['cpu_ms_per_snippet']:7.3f} {t['time_vs_limit']:8.2f} "
              f"{t['cpu_vs_limit']:11.2f} {t['speed_vs_bwrap']:8.1f} {d:>8}")
    print(f"\nengine start-up (one snippet end to end, jobs={a.jobs}): {one_snippet['wall_s']:.2f} s wall, "
          f"{one_snippet['cpu_s']:.2f} s CPU")

    def get(c, k):
        return next(t for t in table if t["contender"] == c and t["corpus"] == k)
    targets = []
    for label in (engine, engine + " (excl. start-up)"):
        r, t = get(label, "realistic"), get(label, "trivial")
        targets += [
            (f"{label}: realistic time <= 2x limit", r["time_vs_limit"] <= 2, f"{r['time_vs_limit']:.2f}x"),
            (f"{label}: realistic time <= 1.5x limit (stretch)", r["time_vs_limit"] <= 1.5, f"{r['time_vs_limit']:.2f}x"),
            (f"{label}: realistic >= 20x bwrap", r["speed_vs_bwrap"] >= 20, f"{r['speed_vs_bwrap']:.1f}x"),
            (f"{label}: trivial CPU < 1 ms/snippet", t["cpu_ms_per_snippet"] < 1, f"{t['cpu_ms_per_snippet']:.3f} ms")]
    print("\ntargets (jobs=%d):" % a.jobs)
    for what, ok, value in targets:
        print(f"  [{'holds' if ok else 'MISSED'}] {what}: {value}")
    # Not a target: the same ratio against a limit that forgets sympy's cache between snippets,
    # as every sandbox child does (what is left is the cost of the sandbox itself).
    cleared = get("limit_cache_cleared", "realistic")
    for label in (engine, engine + " (excl. start-up)"):
        print(f"  [info ] {label}: realistic time vs the limit with sympy's cache cleared per snippet: "
              f"{cleared['snippets_per_s'] / get(label, 'realistic')['snippets_per_s']:.2f}x")
    # Where the time goes: mean service time per snippet kind (no queueing, see README).
    kinds = sorted({r["kind"] for r in corpora["realistic"]["records"]})
    per_kind = {}
    for r in rows:
        if r["corpus"] != "realistic" or "start-up" in r["contender"] or r["service_ms"][0] is None:
            continue
        by = {}
        for rec, ms in zip(corpora["realistic"]["records"], r["service_ms"]):
            by.setdefault(rec["kind"], []).append(ms)
        per_kind[r["contender"]] = {k: statistics.mean(v) for k, v in by.items()}
    print("\nmean per-snippet service time by kind, realistic corpus (ms):")
    print(f"  {'contender':17}" + "".join(f"{k:>18}" for k in kinds))
    for name, by in per_kind.items():
        print(f"  {name:17}" + "".join(f"{by[k]:18.2f}" if k in by else f"{'':18}" for k in kinds))

    # Start-up against --jobs: what a run pays before its first snippets (bench/startup.py).
    starts = None
    if engine == "verify_snippets":
        print()
        starts = startup.measure(binary, [int(j) for j in a.startup_jobs.split(",")], a.repeat, a.out)
        startup.report(starts)

    bad = [t for t in table if t["disagreements"]]
    if bad:
        print("\ndisagreements with the limit (stdout stripped; 'raised' for a snippet that raised):")
        for t in bad:
            print(f"  {t['contender']} on {t['corpus']}: {t['disagreements']}")
            for e in t["examples"]:
                print(f"    #{e['index']}: limit={e['limit']!r} other={e['other']!r}  code={e['code']!r}")

    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"machine": info, "engine": engine, "args": vars(a), "table": table,
                   "targets": [{"target": w, "holds": ok, "value": v} for w, ok, v in targets],
                   "startup": {"wall_s": one_snippet["wall_s"], "cpu_s": one_snippet["cpu_s"]},
                   "startup_vs_jobs": {str(j): r for j, r in (starts or {}).items()},
                   "sweep_snippets_per_s": sweep, "service_ms_by_kind": per_kind, "seconds": time.time() - t_start,
                   "service_ms": {r["contender"]: r["service_ms"] for r in rows if r["corpus"] == "realistic"}},
                  f, indent=1)
    try:
        plots(a.out, sweep, [r for r in rows if r["corpus"] == "realistic"
                             and "start-up" not in r["contender"]], engine)
        if starts:
            startup.plot(starts, a.out)
        print(f"\nwrote {a.out}/results.json, throughput_vs_jobs.png, service_time.png, startup_vs_jobs.png")
    except ImportError:
        print(f"\nwrote {a.out}/results.json; no plots: apt-get install -y python3-matplotlib")


if __name__ == "__main__":
    if shutil.which("bwrap") is None:
        sys.exit("bwrap missing: apt-get install -y bubblewrap")
    main()
