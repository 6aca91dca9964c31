#!/usr/bin/env bash
# Benchmark: a full `sparky build` of the demo organisation (every day, week and month) with the
# LLM narrative on, against a fake Ollama server (bench/fake_llm.rs) that answers every chat
# after a fixed latency. Release build. Shows that the wall time is bounded by the in-flight
# limit (about N requests x latency / in-flight) and by the time budget, and that a rebuild with
# the same facts sends no request at all.
#
#   bash bench/llm.sh [LATENCY_MS]      (default 400)
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-400}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin sparky --example fake-llm
sparky=$PWD/$target/release/sparky
[ -x "$sparky" ] || sparky=$target/release/sparky
fake=$(dirname "$sparky")/examples/fake-llm
work=$PWD/bench/work/llm
rm -rf "$work"
mkdir -p "$work"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SPARKY_NOW=2025-11-24T00:00:00Z

"$fake" --latency-ms "$latency" >"$work/url" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$work/url")
stats() { curl -s "$url/stats"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# A folder whose sparky.toml reads the demo repositories with the given [llm] settings.
setup() {
  local dir=$work/$1
  mkdir -p "$dir"
  (cd "$dir" && "$sparky" -q build --dry-run >/dev/null)
  {
    for r in api infra web; do printf '[[repos]]\npath = ".sparky/demo/%s.git"\n\n' "$r"; done
    printf '[output]\norg_name = "acme (demo)"\nsince = "2025-10-20"\n\n[llm]\n%s\n' "$2"
  } >"$dir/sparky.toml"
  echo "$dir"
}

# Runs one build; prints: name, wall seconds, chat requests, peak in flight, sections by model.
run() {
  local name=$1 dir=$2; shift 2
  local before peak_before s e err chats
  before=$(stats | field chats)
  s=$(date +%s.%N)
  err=$(cd "$dir" && "$sparky" build "$@" 2>&1 >/dev/null)
  e=$(date +%s.%N)
  chats=$(( $(stats | field chats) - before ))
  narrative=$(printf '%s\n' "$err" | grep -o 'narrative: [0-9]* of [0-9]* sections' | sed 's/narrative: //' || true)
  printf '%-34s %7.2fs  %4s chats  %-18s\n' "$name" "$(echo "$e - $s" | bc -l)" "$chats" "${narrative:-template only}"
}

echo "fake server: $url, ${latency} ms per answer"
base=$(setup template 'provider = "none"')
run "template text (no model)" "$base"
for k in 1 2 4; do
  dir=$(setup "inflight-$k" "provider = \"ollama\"
base_url = \"$url\"
max_in_flight = $k
budget_seconds = 600")
  run "model, max_in_flight = $k" "$dir"
  [ "$k" = 4 ] && run "  same facts again (cache)" "$dir"
done
peak=$(stats | field peak)
for b in 2 5; do
  dir=$(setup "budget-$b" "provider = \"ollama\"
base_url = \"$url\"
max_in_flight = 2
budget_seconds = $b")
  run "model, in flight 2, budget ${b}s" "$dir"
done
echo "most requests in flight at once over the whole run: $peak (the largest limit was 4)"
