#!/usr/bin/env python3
"""The fork server linked against the shared libpython (the default) and the static
libpython3.X-pic.a (VERIFY_SNIPPETS_STATIC_PYTHON=1), side by side: CPU and wall per snippet of
the engine alone (snippet-benchmark), on the trivial and the realistic corpus, in interleaved
repetitions (this machine's load varies from minute to minute); median and range of each.

    /usr/bin/python3 bench/links.py [--count 1000] [--repeat 5] [--jobs 2]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LINKS = {"shared": (".build", {}), "static": (".build-static", {"VERIFY_SNIPPETS_STATIC_PYTHON": "1"})}


def build(scratch, extra_env):
    """The snippet-benchmark of this link, or None when it does not build here (the static
    archive of Debian 13's Python 3.13 needs objects its -pic.a does not hold)."""
    env = dict(os.environ, **extra_env)
    for product in ("snippet-server", "snippet-benchmark"):
        if subprocess.run(["swift", "build", "-c", "release", "--scratch-path", os.path.join(ROOT, scratch),
                           "--product", product], cwd=ROOT, env=env, stdout=sys.stderr, stderr=sys.stderr).returncode:
            return None
    return os.path.join(ROOT, scratch, "release", "snippet-benchmark")


def run(binary, corpus, count, jobs):
    out = subprocess.run([binary, corpus, "--count", str(count), "--jobs", str(jobs)],
                         check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return float(fields["cpu_ms_per_snippet"]), 1000 / float(fields["snippets_per_second"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    binaries = {name: build(scratch, env) for name, (scratch, env) in LINKS.items()}
    for name in [n for n, b in binaries.items() if b is None]:
        print(f"{name}: does not build with this interpreter; left out")
        del binaries[name]
    folder = tempfile.mkdtemp(prefix="verify-snippets-links-")
    corpora = {}
    for kind, args in (("trivial", [str(a.count)]), ("realistic", [str(a.count), "1"])):
        corpora[kind] = os.path.join(folder, kind + ".jsonl")
        with open(corpora[kind], "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), kind] + args, stdout=f, check=True)
    results = {(link, kind): [] for link in binaries for kind in corpora}
    for _ in range(a.repeat):
        for kind, corpus in corpora.items():
            for link, binary in binaries.items():
                results[(link, kind)].append(run(binary, corpus, a.count, a.jobs))
    print(f"python: {subprocess.run(['pkg-config', '--modversion', 'python3-embed'], capture_output=True, text=True).stdout.strip()}, "
          f"{a.count} snippets, --jobs {a.jobs}, {a.repeat} interleaved repetitions (median [min-max])")
    print(f"{'corpus':<10} {'link':<7} {'CPU ms/snippet':>24} {'wall ms/snippet':>24}")
    for kind in corpora:
        for link in binaries:
            cpu = [r[0] for r in results[(link, kind)]]
            wall = [r[1] for r in results[(link, kind)]]
            show = lambda v: f"{statistics.median(v):.3f} [{min(v):.3f}-{max(v):.3f}]"
            print(f"{kind:<10} {link:<7} {show(cpu):>24} {show(wall):>24}")
        if len(binaries) == 2:
            shared = statistics.median(r[0] for r in results[("shared", kind)])
            static = statistics.median(r[0] for r in results[("static", kind)])
            print(f"{kind:<10} static/shared CPU: {static / shared:.3f}")


if __name__ == "__main__":
    main()
