#!/usr/bin/env bash
# The real model end to end: one `sparky build --window W` of the demo organisation against a
# running Ollama-API server (the kit in ../shared/llm: `start.sh`), through a proxy that records
# each answer by request hash (bench/llm_record.py) into fixtures/llm/real/<W>.json, replayed by
# tests/suite/llm_real.rs. Prints per section: accepted or not, prompt tokens, seconds, and the
# specific terms of the period's texts (item words beyond ordinary ones) the accepted text names;
# then the total model seconds. Copies the page to bench/work/real/.
#
#   bash bench/real_llm.sh [WINDOW] [OLLAMA_URL]     (defaults: 2025-W44, http://127.0.0.1:11434)
#
# SPARKY_BENCH_ORG=busy runs the busy fixture organisation (fixtures/scenarios/busy-org: 10
# repositories, its busiest week 2025-W46) instead of the demo, recording to <W>-busy.json.
set -euo pipefail
cd "$(dirname "$0")/.."
org=${SPARKY_BENCH_ORG:-demo}
window=${1:-2025-W44}
upstream=${2:-http://127.0.0.1:11434}
model=${SPARKY_BENCH_MODEL:-qwen2.5-coder:1.5b}
if ! curl -sf "$upstream/api/tags" >/dev/null; then
  echo "no model server at $upstream: start one (../shared/llm/start.sh)" >&2
  exit 2
fi
target=${CARGO_TARGET_DIR:-target}
cargo build --quiet --bin sparky
sparky=$target/debug/sparky
[[ $sparky = /* ]] || sparky=$PWD/$sparky
work=$PWD/bench/work/real
rm -rf "$work"
mkdir -p "$work/site" fixtures/llm/real
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SPARKY_NOW=2025-11-24T00:00:00Z
record=$PWD/fixtures/llm/real/$window.json
[ "$org" = busy ] && record=$PWD/fixtures/llm/real/$window-busy.json
rm -f "$record"
python3 bench/llm_record.py "$upstream" "$record" >"$work/url" &
proxy=$!
trap 'kill "$proxy" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$work/url")

cd "$work/site"
llm() {
  printf '\n[llm]\nprovider = "ollama"\nbase_url = "%s"\nmodel = "%s"\nstream = false\n' "$url" "$model"
  printf 'max_in_flight = 2\nbudget_seconds = 900\ntimeout_seconds = 600\n'
}
if [ "$org" = busy ]; then
  export SPARKY_NOW=2025-12-02T12:00:00Z
  scenario=$OLDPWD/fixtures/scenarios/busy-org
  SCENARIO_LIB=$OLDPWD/fixtures/scenarios/lib.sh bash "$scenario/setup.sh" >/dev/null 2>&1
  { cat "$scenario/sparky.toml"; llm; } >sparky.toml
else
  "$sparky" -q build --dry-run >/dev/null
  {
    for r in api infra web; do printf '[[repos]]\npath = ".sparky/demo/%s.git"\n\n' "$r"; done
    printf '[output]\norg_name = "acme (demo)"\nsince = "2025-10-20"\n'
    llm
  } >sparky.toml
fi
start=$(date +%s.%N)
"$sparky" build --window "$window" 2>"$work/stderr" >/dev/null || true
end=$(date +%s.%N)
grep -E '^narrative:|warn' "$work/stderr" || true
page=$(find content -name "*.md" -newer sparky.toml | xargs grep -l "sparky_period: \"$window\"" | head -n 1)
cp "$page" "$work/page.md"
# The verdicts the replay must reproduce.
sed -n 's/^  - "\(\(summary\|highlights\|repos\/[^:]*\): .*\)"$/\1/p' "$page" >"${record%.json}.sections"
printf 'wall time %.0f s\n\n' "$(echo "$end - $start" | bc -l)"
python3 - "$record" "$work/page.md" <<'EOF'
import json, re, sys
records = json.load(open(sys.argv[1]))
page = open(sys.argv[2]).read()
sections = dict(re.findall(r'^  - "([^:]+): (.*)"$', page, re.M))
ordinary = set("""the a an and of in to for with on from by into was were is are this that its it as at
also now new more added adds add work landed changes changed change updated update support supports
improved improve fixed fix fixes released release version their they which while across several""".split())
total = 0.0
print(f"{'section':<14} {'answer':<8} {'accepted':<26} {'prompt tok':>10} {'answer tok':>10} {'seconds':>8} {'terms':>6}")
for k, r in sorted(records.items(), key=lambda kv: (kv[1]["section"], kv[1]["retry"])):
    total += r["seconds"]
    verdict = sections.get(r["section"], "?")
    terms = 0
    if "claims checked" in verdict:
        try:
            texts = " ".join(s["text"] for s in json.loads(r["content"])["sentences"])
        except Exception:
            texts = ""
        words = {w.lower().strip("./-") for w in re.findall(r"[A-Za-z][\w./-]{2,}", texts)}
        source = {w.lower().strip("./-") for w in re.findall(r"[A-Za-z][\w./-]{2,}", " ".join(r["items"]))}
        terms = len([w for w in words & source if w not in ordinary])
    print(f"{r['section']:<14} {'retry' if r['retry'] else 'first':<8} {verdict[:26]:<26} "
          f"{r['prompt_tokens']:>10} {r['answer_tokens']:>10} {r['seconds']:>8.1f} {terms:>6}")
print(f"\nmodel seconds in all: {total:.0f} ({len(records)} answers)")
EOF
