#!/usr/bin/python3
"""verify-snippets against the published executor, fresh processes, bubblewrap and the limit.

    bench/run.py [--count 2000] [--subset 300] [--seed 1] [--jobs 2] [--repeat 3] [--out bench/out]
                 [--corpora realistic,trivial] [--sweep 1,2,4] [--startup-jobs 1,2,4,8]

Run it with Debian's /usr/bin/python3 (sympy, numpy, scipy), not the pyenv python3 on PATH. It
needs, once:

    apt-get install -y python3-pebble python3-matplotlib bubblewrap

(Debian packages pebble 5.0.3, so nothing is pip-installed and the pyenv python is untouched.)

It builds the engine in release mode, writes both corpora with make_corpus.py, runs every contender
on them (each in a process of its own, see contenders.py) in --repeat interleaved repetitions
(each runs every contender once, the order rotated), checks that the outputs agree with the
limit's, prints the table (medians), the spread of the repetitions, the targets (with paired
per-repetition ratios) and the start-up section (startup.py), and writes OUT/results.json and the
plots OUT/throughput_vs_jobs.png, OUT/service_time.png and OUT/startup_vs_jobs.png.
--corpora trivial runs the trivial corpus alone (no sweep, no realistic targets).
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


# What each repetition of a contender keeps (in repetition order, so that two contenders' values of
# one repetition can be paired: they ran side by side, under the same load).
PER_RUN = ("wall_s", "cpu_s", "engine_s", "engine_cpu_ms")


def summarise(runs):
    """The run with the median wall time kept whole (its outputs and per-snippet times), with the
    medians of the per-run values and the per-run values themselves under "runs"."""
    kept = dict(sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2])
    kept["runs"] = [{k: r[k] for k in PER_RUN} for r in runs]
    for k in PER_RUN:
        values = [r[k] for r in runs if r[k] is not None]
        kept[k] = statistics.median(values) if values else None
    return kept


def measure(plan, jobs, binary, repeat, show=None):
    """Runs every (contender, corpus path) of `plan` `repeat` times, interleaved: repetition r runs
    each contender once, in the plan's order rotated by r so that none always runs first, then
    repetition r+1. The machine's load drifts over minutes; this way it drifts under all of them."""
    runs = {name: [] for name, _ in plan}
    for r in range(repeat):
        turn = plan[r % len(plan):] + plan[:r % len(plan)]
        for name, path in turn:
            runs[name].append(run_contender(name, path, jobs, binary))
        if show:
            print(f"  {show:9} repetition {r + 1}/{repeat}: " +
                  ", ".join(f"{name} {runs[name][-1]['wall_s']:.2f} s" for name, _ in turn), flush=True)
    return {name: summarise(v) for name, v in runs.items()}


def paired(num, den):
    """num's time per snippet over den's, per repetition (the two ran in the same one) and as the
    ratio of the medians; the per-repetition ratios' median and range say how far to trust it."""
    ratios = [(a["wall_s"] / num["count"]) / (b["wall_s"] / den["count"]) for a, b in zip(num["runs"], den["runs"])]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios), "runs": ratios,
            "of_medians": (num["wall_s"] / num["count"]) / (den["wall_s"] / den["count"])}


def show_ratio(p):
    return f"median {p['median']:.2f}x (runs {p['min']:.2f}-{p['max']:.2f}x; ratio of medians {p['of_medians']:.2f}x)"


def spread(values, fmt="{:.2f}"):
    """median [min-max] of the values that are there (a run can lack a value, see contenders.py)."""
    v = [x for x in values if x is not None and x == x]
    if not v:
        return "n/a"
    return f"{fmt.format(statistics.median(v))} [{fmt.format(min(v))}-{fmt.format(max(v))}]"


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
    """Writes the plots there is data for (none without the realistic corpus); returns their names."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if not realistic_rows:
        return []

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
    return ["throughput_vs_jobs.png", "service_time.png"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="snippets per corpus")
    ap.add_argument("--subset", type=int, default=300, help="snippets for fresh_process and bwrap")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sweep", default="1,2,4", help="--jobs values for the throughput plot")
    ap.add_argument("--sweep-count", type=int, default=1000, help="realistic snippets per sweep point")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved repetitions of every measurement")
    ap.add_argument("--corpora", default="realistic,trivial", choices=["realistic,trivial", "realistic", "trivial"],
                    help="the corpora to run (the sweep and the realistic targets need realistic)")
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
    for kind in a.corpora.split(","):
        args = {"realistic": ("realistic", a.count, a.seed), "trivial": ("trivial", a.count)}[kind]
        records = corpus(os.path.join(a.out, f"{kind}.jsonl"), *args)
        sub = os.path.join(a.out, f"{kind}-subset.jsonl")
        write_jsonl(sub, records[:a.subset])
        corpora[kind] = {"full": os.path.join(a.out, f"{kind}.jsonl"), "subset": sub, "records": records}
    # The engine's fixed cost (servers start, import, warm, freeze): one snippet end to end.
    one = os.path.join(a.out, "one.jsonl")
    write_jsonl(one, [{"id": 0, "code": "print(2 + 3)", "kind": "trivial"}])

    contenders = [engine, "limit", "limit_cache_cleared", "published", "fresh_process", "bwrap"]
    rows, t_start = [], time.time()
    for kind, c in corpora.items():
        plan = [(name, c["subset"] if name in EXPENSIVE else c["full"]) for name in contenders]
        for name, r in measure(plan, a.jobs, binary, a.repeat, show=kind).items():
            r.update(contender=name, corpus=kind, subset=name in EXPENSIVE)
            rows.append(r)
    one_snippet = measure([(engine, one)], a.jobs, binary, a.repeat)[engine]

    # The engine without its start-up, from its own measurements (see contenders.py): wall from
    # its own clock, started once the servers are up; CPU after the servers are up.
    steady = engine + " (excl. start-up)"

    def without_start_up(run, count):
        return {"wall_s": run["engine_s"], "cpu_s": (run["engine_cpu_ms"] or float("nan")) * count / 1000}
    for r in [r for r in rows if r["contender"] == engine]:
        s = dict(r, contender=steady, **without_start_up(r, r["count"]),
                 runs=[without_start_up(x, r["count"]) for x in r["runs"]])
        rows.insert(rows.index(r) + 1, s)
    row = {(r["contender"], r["corpus"]): r for r in rows}

    table = []
    for r in rows:
        limit, bwrap = row[("limit", r["corpus"])], row[("bwrap", r["corpus"])]
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
            "runs": [dict(x, cpu_ms_per_snippet=x["cpu_s"] * 1000 / r["count"]) for x in r["runs"]],
            # Ratios of per-snippet times, per repetition (paired) and of the medians: x limit = how
            # many times the limit's time per snippet; x bwrap = how many times bwrap's rate
            # (bwrap's from its subset, a prefix of the same mix).
            "time_vs_limit": paired(r, limit),
            # CPU per snippet against the limit's: steadier than wall time on a busy machine.
            "cpu_vs_limit": (r["cpu_s"] / r["count"]) / (limit["cpu_s"] / limit["count"]),
            "speed_vs_bwrap": paired(bwrap, r),
            "disagreements": dis, "examples": examples})

    # Throughput against --jobs on (a prefix of) the realistic corpus: the engine end to end and
    # without its start-up (which grows with --jobs: three servers a slot), and the limit.
    sweep = {engine: {}, steady: {}, "limit": {}}
    sweep_path = os.path.join(a.out, "realistic-sweep.jsonl")
    if "realistic" in corpora:
        write_jsonl(sweep_path, corpora["realistic"]["records"][:a.sweep_count])
    for j in [int(x) for x in a.sweep.split(",") if x] if "realistic" in corpora else []:
        if j == a.jobs and a.sweep_count >= a.count:  # the table's run is the same measurement
            point = {name: row[(name, "realistic")] for name in (engine, "limit")}
        else:
            point = measure([(engine, sweep_path), ("limit", sweep_path)], j, binary, a.repeat, show=f"jobs={j}")
        for name, r in point.items():
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
              f"{t['ms_per_snippet']:8.3f} {t['cpu_ms_per_snippet']:7.3f} {t['time_vs_limit']['of_medians']:8.2f} "
              f"{t['cpu_vs_limit']:11.2f} {t['speed_vs_bwrap']['of_medians']:8.1f} {d:>8}")
    print(f"(medians of {a.repeat} interleaved repetitions; x limit and x bwrap: ratios of the medians)")
    print(f"\nspread over the {a.repeat} repetitions, median [min-max]; x limit paired: per-repetition ratios")
    head = f"{'contender':34} {'corpus':9} {'wall s':>22} {'CPU ms/snippet':>26} {'x limit paired':>20}"
    print(head)
    print("-" * len(head))
    for t in table:
        ratio = t["time_vs_limit"]
        print(f"{t['contender']:34} {t['corpus']:9} {spread([x['wall_s'] for x in t['runs']], '{:.3f}'):>22} "
              f"{spread([x['cpu_ms_per_snippet'] for x in t['runs']], '{:.3f}'):>26} "
              f"{spread(ratio['runs']):>20}")
    print(f"\nengine start-up (one snippet end to end, jobs={a.jobs}): {one_snippet['wall_s']:.2f} s wall, "
          f"{one_snippet['cpu_s']:.2f} s CPU (median of {a.repeat}; runs "
          f"{spread([x['wall_s'] for x in one_snippet['runs']])} s wall)")

    def get(c, k):
        return next(t for t in table if t["contender"] == c and t["corpus"] == k)
    targets, infos = [], []
    if "realistic" in corpora:
        for label, aim in ((engine, "start-up included"), (steady, "start-up excluded")):
            r = get(label, "realistic")
            lim, bw = r["time_vs_limit"], r["speed_vs_bwrap"]
            # Issue 13's targets are end to end, start-up included; the rest is there to explain.
            if label == engine:
                targets += [(f"{engine}: realistic time <= 1.5x limit, {aim}", lim["median"] <= 1.5, show_ratio(lim)),
                            (f"{engine}: realistic >= 20x bwrap per process, {aim}", bw["median"] >= 20, show_ratio(bw))]
            else:
                infos += [(f"{engine}: realistic time vs limit, {aim}", None, show_ratio(lim)),
                          (f"{engine}: realistic speed vs bwrap per process, {aim}", None, show_ratio(bw))]
        # The limit that forgets sympy's cache between snippets, as every sandbox child does: what
        # is left is the cost of the sandbox itself.
        cleared = row[("limit_cache_cleared", "realistic")]
        for label in (engine, steady):
            infos.append((f"{label}: realistic time vs the limit with sympy's cache cleared per snippet", None,
                          show_ratio(paired(row[(label, "realistic")], cleared))))
    if "trivial" in corpora:
        cpu = {label: get(label, "trivial") for label in (engine, steady)}
        runs = {label: spread([x["cpu_ms_per_snippet"] for x in t["runs"]], "{:.3f}") for label, t in cpu.items()}
        targets.append((f"{engine}: trivial CPU < 1 ms/snippet, excluding start-up (tree's CPU after the first "
                        "record / records left)", cpu[steady]["cpu_ms_per_snippet"] < 1, f"{runs[steady]} ms"))
        infos.append((f"{engine}: trivial CPU per snippet, end to end, start-up included (tree's CPU / n)", None,
                      f"{runs[engine]} ms"))
    print("\ntargets (jobs=%d, %d interleaved repetitions):" % (a.jobs, a.repeat))
    for what, ok, value in targets:
        print(f"  [{'holds' if ok else 'MISSED'}] {what}: {value}")
    for what, _, value in infos:
        print(f"  [info ] {what}: {value}")
    # Where the time goes: mean service time per snippet kind (no queueing, see README).
    per_kind = {}
    if "realistic" in corpora:
        kinds = sorted({r["kind"] for r in corpora["realistic"]["records"]})
        for r in rows:
            if r["corpus"] != "realistic" or "start-up" in r["contender"] or r["service_ms"][0] is None:
                continue
            by = {}
            for rec, ms in zip(corpora["realistic"]["records"], r["service_ms"]):
                by.setdefault(rec["kind"], []).append(ms)
            per_kind[r["contender"]] = {k: statistics.mean(v) for k, v in by.items()}
        print("\nmean per-snippet service time by kind, realistic corpus (ms; the median run of each):")
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
                   "info": [{"what": w, "value": v} for w, _, v in infos],
                   "startup": {k: one_snippet[k] for k in ("wall_s", "cpu_s", "runs")},
                   "startup_vs_jobs": {str(j): r for j, r in (starts or {}).items()},
                   "sweep_snippets_per_s": sweep, "service_ms_by_kind": per_kind, "seconds": time.time() - t_start,
                   "service_ms": {r["contender"]: r["service_ms"] for r in rows if r["corpus"] == "realistic"}},
                  f, indent=1)
    try:
        written = plots(a.out, sweep, [r for r in rows if r["corpus"] == "realistic"
                                       and "start-up" not in r["contender"]], engine)
        if starts:
            startup.plot(starts, a.out)
            written.append("startup_vs_jobs.png")
        print(f"\nwrote {a.out}/results.json" + "".join(", " + w for w in written))
    except ImportError:
        print(f"\nwrote {a.out}/results.json; no plots: apt-get install -y python3-matplotlib")


if __name__ == "__main__":
    if shutil.which("bwrap") is None:
        sys.exit("bwrap missing: apt-get install -y bubblewrap")
    main()
