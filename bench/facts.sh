#!/usr/bin/env bash
# Benchmark: `sparky facts --window all` over a generated repository of N commits (default 20,000),
# cold (empty cache) and warm (nothing new), against `git log --numstat --no-merges` on the same
# repository in the same run. Release build. Prints times, ratios and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-20000}
work=bench/work
repo=$work/large-$commits
mkdir -p "$work"

cargo build --release --quiet
sparky=${CARGO_TARGET_DIR:-$PWD/target}/release/sparky

if [ ! -d "$repo" ]; then
  echo "generating $repo ($commits commits)..." >&2
  python3 fixtures/scripts/gen-large-repo.py --commits "$commits" --out "$repo"
fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

# seconds for one run of a command, wall clock
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
# the best of three runs
best() { local b=""; for _ in 1 2 3; do t=$(wall "$@"); if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi; done; echo "$b"; }
# the best and the median of fifteen runs (a warm run takes tens of milliseconds: one run is mostly noise)
spread() { for _ in $(seq 15); do wall "$@"; done | sort -n | awk '{ v[NR] = $1 } END { print v[1], v[8] }'; }
# peak resident set size (KiB) of one run
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }

n=$(git -C "$repo" rev-list --count HEAD)
git_t=$(best git -C "$repo" log --numstat --no-merges)

cold_runs=()
for _ in 1 2 3; do
  rm -rf "$work/cache"
  cold_runs+=("$(wall "$sparky" -q facts --repo "$repo" --cache-dir "$work/cache" --json)")
done
cold_t=$(printf '%s\n' "${cold_runs[@]}" | sort -n | head -n 1)
read -r warm_t warm_median < <(spread "$sparky" -q facts --repo "$repo" --cache-dir "$work/cache" --json)
rm -rf "$work/cache"
cold_kib=$(peak "$sparky" -q facts --repo "$repo" --cache-dir "$work/cache" --json)
warm_kib=$(peak "$sparky" -q facts --repo "$repo" --cache-dir "$work/cache" --json)

# Totals must agree with git's before any speed counts.
git_lines=$(git -C "$repo" log --numstat --no-merges --format= | awk -F'\t' 'NF==3 { if ($1 != "-") a += $1; if ($2 != "-") d += $2; f++ } END { print a, d, f }')
sparky_lines=$("$sparky" -q facts --repo "$repo" --cache-dir "$work/cache" --json | python3 -c 'import json,sys; l=json.load(sys.stdin)["repos"][0]["lines"]; print(l["added"], l["deleted"], l["files_changed"])')

printf 'repository:        %s commits (%s)\n' "$n" "$repo"
printf 'git log --numstat: %.2fs (best of 3)\n' "$git_t"
printf 'sparky cold:       %.2fs (best of 3)  ratio %.2fx git  peak %s MiB\n' "$cold_t" "$(echo "$cold_t / $git_t" | bc -l)" "$((cold_kib / 1024))"
printf 'sparky warm:       %.3fs (best of 15)  %.1f%% of cold  peak %s MiB\n' "$warm_t" "$(echo "100 * $warm_t / $cold_t" | bc -l)" "$((warm_kib / 1024))"
printf '                   %.3fs (median of 15)  %.1f%% of cold\n' "$warm_median" "$(echo "100 * $warm_median / $cold_t" | bc -l)"
printf 'lines (added deleted files): git %s, sparky %s\n' "$git_lines" "$sparky_lines"
