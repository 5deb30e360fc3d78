#!/bin/bash
# The benchmark on the trivial corpus in a fresh Debian 13 root (Python 3.13, sympy 1.13, numpy 2),
# through the fresh-setup check: a copy of this checkout's tracked files whose README quick start
# is replaced by two commands, set-up (scripts/setup release) and the benchmark (bench/run.py
# --corpora trivial), run one after the other in the same root (FRESH_SEPARATE=0).
#
#     bench/in_trixie.sh [COUNT [REPEAT]]   (default 500 snippets, 3 repetitions; as root)
#
# The check builds the root with debootstrap once (cached in /tmp/checks-cache/debian13-root),
# then installs the engine's dependencies and builds it in release mode: several minutes. It
# prints the two commands' last lines, then the benchmark's lines that matter here; the whole
# output is copied to /tmp/verify-snippets-trixie.log.
set -euo pipefail
count=${1:-500} repeat=${2:-3}
project=$(cd "$(dirname "$0")/.." && pwd)
check=${VERIFY_SNIPPETS_CHECKS:-$project/../shared/checks}/fresh-setup
[[ -x $check ]] || { echo "in_trixie: no fresh-setup check at $check (set VERIFY_SNIPPETS_CHECKS)" >&2; exit 1; }

copy=$(mktemp -d /tmp/verify-snippets-trixie.XXXX)
trap 'rm -rf "$copy"' EXIT
git -C "$project" ls-files -z | (cd "$project" && tar --null -T - -cf -) | tar -xf - -C "$copy"
# The check runs the quick start's two commands and keeps what they print in its log.
cat >"$copy/README.md" <<EOF
## Quick start

\`\`\`sh
scripts/setup release
apt-get install -y -qq python3-pebble >/dev/null && /usr/bin/python3 --version && /usr/bin/python3 bench/run.py --corpora trivial --count $count --subset $((count < 100 ? count : 100)) --repeat $repeat --startup-jobs 1,2 --out /tmp/bench
\`\`\`
EOF
git -C "$copy" init -q
git -C "$copy" add -A
status=0
(cd "$copy" && FRESH_SUITE=trixie FRESH_SEPARATE=0 "$check") || status=$?
# (the check's log folder is fixed: copied at once, before another run of the check empties it)
cp /tmp/checks-fresh-setup-logs/test.log /tmp/verify-snippets-trixie.log
echo "in_trixie: the interpreter, the engine's and the limit's rows, the targets (all in /tmp/verify-snippets-trixie.log):"
grep -E '^(Python |verify_snippets|limit |  \[)' /tmp/verify-snippets-trixie.log || true
exit $status
