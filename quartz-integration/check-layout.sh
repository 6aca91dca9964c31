#!/usr/bin/env bash
# check-layout.sh: proves quartz/sparky.layout.ts works in a real Quartz 4.5.2 site.
#
#   quartz-integration/check-layout.sh [CONTENT_DIR]
#
# Wires the layout into the organisation's docs site (the quartz-site kit: Quartz 4.5.2 with the
# site's own quartz.layout.ts) as quartz-integration/README.md says, type-checks it with the
# site's TypeScript, builds the site with Sparky's reports (CONTENT_DIR, else the demo
# organisation built by `sparky build`, plus a month without commits), then loads pages in
# headless Chromium and fails on any console error, an empty explorer, reports out of order, or
# an empty report among the latest reports.
#
# Needs the quartz-site kit ($SPARKY_QUARTZ_KIT, else ../shared/quartz-site beside the
# repository), set up (its setup.sh), and Chromium. Without the
# kit it says so and exits 0 (skipped). `SPARKY=/path/to/sparky` uses that binary, else
# `cargo build` makes one.
# Exit: 0 clean or skipped; 1 a check failed; 2 the kit is not set up or Chromium is missing.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"

KIT_SRC=""
for k in "${SPARKY_QUARTZ_KIT:-}" "$ROOT/../shared/quartz-site"; do
  if [[ -n "$k" && -x "$k/build.sh" && -f "$k/site/quartz.layout.ts" ]]; then
    KIT_SRC="$(cd "$k" && pwd)"
    break
  fi
done
if [[ -z "$KIT_SRC" ]]; then
  echo "check-layout: skipped: no quartz-site kit (set SPARKY_QUARTZ_KIT to its folder)"
  exit 0
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/sparky-check-layout.XXXXXX")"
HTTP_PID=""
CHROME_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$CHROME_PID" ]]; then
    kill -TERM -- "-$CHROME_PID" 2>/dev/null || kill -TERM "$CHROME_PID" 2>/dev/null || true
    wait "$CHROME_PID" 2>/dev/null || true
  fi
  if [[ -n "$HTTP_PID" ]]; then
    kill -TERM "$HTTP_PID" 2>/dev/null || true
    wait "$HTTP_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "check-layout: kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. A copy of the kit whose site has the layout wired in (the kit itself stays read-only).
cp -r "$KIT_SRC" "$TMP/kit"
chmod -R u+w "$TMP/kit"
KIT="$TMP/kit"
# shellcheck source=/dev/null
source "$KIT/lib/common.sh"
if ! is_set_up; then not_set_up_hint check-layout; exit 2; fi
cp "$HERE/quartz/sparky.layout.ts" "$KIT/site/sparky.layout.ts"
"$NODE_BIN/node" - "$KIT/site/quartz.layout.ts" <<'EOF'
// The wiring quartz-integration/README.md describes, applied to the site's own layout.
const fs = require("node:fs")
const file = process.argv[2]
let s = fs.readFileSync(file, "utf8")
const explorers = s.split("Component.Explorer()").length - 1
if (explorers !== 2) throw new Error(`expected 2 Component.Explorer() in ${file}, found ${explorers}`)
s = s.replaceAll("Component.Explorer()", "sparkyExplorer")
const imp = 'import * as Component from "./quartz/components"\n'
if (!s.includes(imp)) throw new Error("no components import")
s = s.replace(imp, imp + 'import { sparkyExplorer, sparkyRecentReports } from "./sparky.layout"\n')
const right = /(defaultContentPageLayout[\s\S]*?right: \[\n)/
if (!right.test(s)) throw new Error("no right column in defaultContentPageLayout")
s = s.replace(right, "$1    sparkyRecentReports,\n")
fs.writeFileSync(file, s)
EOF

# 2. Content: Sparky's reports, with at least one of a period without commits.
if [[ $# -ge 1 ]]; then
  CONTENT="$(cd "$1" && pwd)"
else
  if [[ -z "${SPARKY:-}" ]]; then
    (cd "$ROOT" && cargo build --quiet --locked)
    SPARKY="${CARGO_TARGET_DIR:-$ROOT/target}/debug/sparky"
  fi
  mkdir -p "$TMP/demo"
  (
    cd "$TMP/demo"
    "$SPARKY" -q build --out content --cache-dir .sparky
    "$SPARKY" -q build --out content --cache-dir .sparky --window 2024-01
  )
  CONTENT="$TMP/demo/content"
fi
{ grep -rl --include='*.md' -e '^description: "No commits' "$CONTENT" || true; } |
  sed -e "s#^$CONTENT/##" -e 's#\.md$##' | LC_ALL=C sort >"$TMP/empty-reports.txt"
echo "check-layout: $(find "$CONTENT" -name '*.md' | wc -l) pages in $CONTENT, $(wc -l <"$TMP/empty-reports.txt") of periods without commits"

# 3. Build the site with the layout, and type-check the layout with the site's TypeScript.
"$KIT/build.sh" --no-og "$CONTENT" "$TMP/out" >"$TMP/build.out" 2>&1 || {
  tail -n 30 "$TMP/build.out"
  echo "check-layout: FAIL: the site did not build with the layout"
  exit 1
}
grep -E '^(html pages|warnings/errors|time|RESULT)' "$TMP/build.out" | sed 's/^/  /'
# (Only errors in the two layout files count: the site's own code has some of its own.)
(cd "$TMP/out/site" && "$NODE_BIN/node" node_modules/typescript/bin/tsc --noEmit -p . >"$TMP/tsc.out" 2>&1) || true
if grep -E '^(sparky|quartz)\.layout\.ts' "$TMP/tsc.out"; then
  echo "check-layout: FAIL: tsc --noEmit finds errors in the layout"
  exit 1
fi
echo "  tsc --noEmit: no errors in the layout ($(grep -c 'error TS' "$TMP/tsc.out" || true) in the site's own code)"

# 4. Serve it, and load pages in headless Chromium.
find_chromium || { echo "check-layout: no Chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 2; }
PUB="$TMP/out/site/public"
PYTHONDONTWRITEBYTECODE=1 python3 "$KIT/lib/serve.py" --dir "$PUB" --port 0 \
  --port-file "$TMP/http.port" --quiet >"$TMP/http.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 100); do [[ -s "$TMP/http.port" ]] && break; sleep 0.1; done
[[ -s "$TMP/http.port" ]] || { cat "$TMP/http.log" >&2; exit 2; }
setsid "$CHROME" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --no-default-browser-check --disable-extensions --disable-sync \
  --disable-background-networking --disable-component-update --mute-audio \
  --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 \
  --user-data-dir="$TMP/profile" --window-size=1280,1000 about:blank >"$TMP/chrome.log" 2>&1 &
CHROME_PID=$!
for _ in $(seq 300); do [[ -s "$TMP/profile/DevToolsActivePort" ]] && break; sleep 0.1; done
[[ -s "$TMP/profile/DevToolsActivePort" ]] || { tail -n 20 "$TMP/chrome.log" >&2; exit 2; }

newest="$(grep -E '^blog/[0-9]{4}/[0-9]{2}/' "$TMP/out/pages.txt" | sed 's#\.html$##' | grep -v '/index$' | LC_ALL=C sort | tail -n 1)"
pages=(index blog "$newest" tags/sparky)
while IFS= read -r empty; do pages+=("$empty"); break; done <"$TMP/empty-reports.txt"
echo "check-layout: $("$CHROME" --version 2>/dev/null | tail -n 1)"
"$NODE_BIN/node" "$HERE/check-layout.mjs" "$(head -n 1 "$TMP/profile/DevToolsActivePort")" \
  "$(cat "$TMP/http.port")" "$TMP/empty-reports.txt" "${pages[@]}"
