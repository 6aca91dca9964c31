#!/usr/bin/env bash
# Fault injection: runs `sparky build` on a small organisation of two repositories while
# breaking things the way CI and disks do, and prints each case with what happened (exit code,
# what the published week says, what stayed intact) in one table. Uses the debug binary unless
# SPARKY names another. The full disk uses a small tmpfs when run as root, else it is skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SPARKY:-}" ]; then
  cargo build --quiet
  SPARKY=$PWD/target/debug/sparky
fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SPARKY_NOW=2025-11-20T00:00:00Z
work=$(mktemp -d)
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT

repo() { # NAME FILES...: a repository with one commit per file in week 2025-W46
  local dir=$work/src/$1; shift
  git init -q -b main "$dir"
  local i=0
  for f in "$@"; do
    i=$((i + 1))
    mkdir -p "$dir/$(dirname "$f")"
    printf 'line %s\n' $(seq "$i") > "$dir/$f"
    git -C "$dir" add -A
    GIT_AUTHOR_DATE="2025-11-1${i}T10:00:00Z" GIT_COMMITTER_DATE="2025-11-1${i}T10:00:00Z" \
      git -C "$dir" -c user.name=Ann -c user.email=ann@example.com commit -q -m "feat: $f"
  done
}
site() { # DIR URL_OR_PATH...: a fresh docs folder with a config listing the sources
  local dir=$1; shift
  mkdir -p "$dir"
  printf '[output]\nsince = "2025-11-10"\nperiods = ["week"]\n\n' > "$dir/sparky.toml"
  for src in "$@"; do
    local key=url
    case $src in /*) key=path ;; esac
    printf '[[repos]]\n%s = "%s"\n\n' "$key" "$src" >> "$dir/sparky.toml"
  done
}
build() { (cd "$1" && shift && "$SPARKY" build --no-progress "$@" 2>"$work/err"); echo $?; }
week() { python3 - "$1/content/blog/2025/11/week-2025-46.json" <<'PY'
import json, sys
try:
    f = json.load(open(sys.argv[1]))
except Exception:
    print("no week page"); sys.exit()
stale = ",".join(s["name"] for s in f.get("stale_repos", []))
failed = ",".join(s["name"] for s in f["failed_repos"])
print(f'{f["org"]["commits"]} commits in {",".join(r["name"] for r in f["repos"])}'
      + (f"; stale {stale}" if stale else "") + (f"; failed {failed}" if failed else ""))
PY
}
tree_sum() { (cd "$1" && find . -type f ! -name '*.lock' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12); }
row() { printf '| %-44s | %4s | %-44s | %s\n' "$1" "$2" "$3" "$4"; }

repo api src/a.rs src/b.rs README
repo web index.html app.js
printf '| %-44s | %4s | %-44s | %s\n' case exit "published week" note
printf '|%s|%s|%s|%s\n' "$(printf -- '-%.0s' {1..46})" "------" "$(printf -- '-%.0s' {1..46})" "---"

d=$work/base; site "$d" "file://$work/src/api" "file://$work/src/web"
row "clean build" "$(build "$d")" "$(week "$d")" "reference"
good=$(tree_sum "$d/content")

# 1. tampered manifest
m=$(grep -l 'week-2025-46.md"' "$d"/.sparky/output/*.json)
python3 - "$m" "$d/sparky.toml" <<'PY'
import json, sys, hashlib
m = json.load(open(sys.argv[1]))
sha = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
m["files"]["../sparky.toml"] = {"sha256": sha, "role": "chart", "period": "2025-W46", "listing": None}
json.dump(m, open(sys.argv[1], "w"))
PY
code=$(build "$d")
row "manifest names ../sparky.toml" "$code" "$(week "$d")" "$([ -f "$d/sparky.toml" ] && echo 'sparky.toml intact' || echo 'SPARKY.TOML DELETED')"

# 2. remote unreachable for one run
mv "$work/src/web" "$work/src/web.away"
code=$(build "$d")
row "remote unreachable, mirror present" "$code" "$(week "$d")" "$(grep -o 'stale web: data as of [^ ]*' "$work/err" | head -1)"
mv "$work/src/web.away" "$work/src/web"
code=$(build "$d")
row "remote back" "$code" "$(week "$d")" "$([ "$(tree_sum "$d/content")" = "$good" ] && echo 'bytes equal the clean build' || echo 'BYTES DIFFER')"

# 3. remote and mirror gone
rm -rf "$d/.sparky/mirrors/web.git"; mv "$work/src/web" "$work/src/web.away"
code=$(build "$d")
row "remote and mirror gone" "$code" "$(week "$d")" "$(grep -o '^kept [^:]*' "$work/err" | head -1)"
mv "$work/src/web.away" "$work/src/web"; build "$d" >/dev/null

# 4. truncated pack in a mirror
for p in "$d"/.sparky/mirrors/api.git/objects/pack/*.pack; do truncate -s 200 "$p"; done
rm -rf "$d/.sparky/history"
code=$(build "$d")
row "mirror pack truncated" "$code" "$(week "$d")" "$([ "$(tree_sum "$d/content")" = "$good" ] && echo 'mirror rebuilt, bytes equal' || echo 'BYTES DIFFER')"

# 5. missing blob in a local repository
cp -r "$work/src/api" "$work/api-damaged"
blob=$(git -C "$work/api-damaged" rev-parse HEAD:README)
rm -f "$work/api-damaged/.git/objects/${blob:0:2}/${blob:2}"
d5=$work/damaged; site "$d5" "$work/api-damaged" "file://$work/src/web"
code=$(build "$d5")
row "local repository missing a blob" "$code" "$(week "$d5")" "$(grep -o 'is damaged[^(]*' "$work/err" | head -1)"

# 6. shallow clone
git clone -q --depth 1 "file://$work/src/api" "$work/api-shallow"
d6=$work/shallow; site "$d6" "$work/api-shallow"
code=$(build "$d6")
row "shallow clone (--repo .)" "$code" "$(week "$d6")" "$(grep -o 'git fetch --unshallow' "$work/err" | head -1)"

# 7. killed builds, then a clean run
git -C "$work/src/api" -c user.name=Ann -c user.email=ann@example.com commit -q --allow-empty -m "chore: bump" --date 2025-11-14T12:00:00Z
d7=$work/killed; site "$d7" "file://$work/src/api" "file://$work/src/web"; build "$d7" >/dev/null
git -C "$work/src/api" -c user.name=Ann -c user.email=ann@example.com commit -q --allow-empty -m "chore: again" --date 2025-11-14T13:00:00Z
for ms in 5 20 50 80 120 160 200 300; do
  (cd "$d7" && "$SPARKY" build -q --no-progress 2>/dev/null & pid=$!; sleep "0.$(printf '%03d' "$ms")"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null)
done
code=$(build "$d7")
orphans=$(find "$d7" -name '.sparky-*' -o -name '.tmp*' | wc -l)
row "8 builds killed (-9), then a normal run" "$code" "$(week "$d7")" "$(grep -c '^skipped' "$work/err") skipped, $orphans orphans"

# 8. two builds at once
d8=$work/twice; site "$d8" "file://$work/src/api" "file://$work/src/web"
(cd "$d8" && { "$SPARKY" build --no-progress & "$SPARKY" build --no-progress; wait; }) 2>"$work/err"
row "two builds at once" "$?" "$(week "$d8")" "$(grep -c 'waiting for another' "$work/err") waited, $(grep -c '^wrote' "$work/err") finished"

# 9. full disks
if [ "$(id -u)" = 0 ] && mkdir -p "$work/full" && mount -t tmpfs -o size=256k tmpfs "$work/full" 2>/dev/null; then
  d9=$work/fullcache; site "$d9" "$work/src/api" "$work/src/web"
  mkdir -p "$d9/.sparky/history" && mount -t tmpfs -o size=64k tmpfs "$d9/.sparky/history"
  head -c 100000 /dev/zero > "$d9/.sparky/history/filler" 2>/dev/null
  code=$(build "$d9")
  row "history cache disk full (tmpfs)" "$code" "$(week "$d9")" "$(grep -c 'history cache could not be saved' "$work/err") cache warnings"
  umount "$d9/.sparky/history"
  d10=$work/fullcontent; site "$d10" "$work/src/api" "$work/src/web"
  head -c 240000 /dev/zero > "$work/full/filler"
  code=$(cd "$d10" && "$SPARKY" build --no-progress --out "$work/full/content" 2>"$work/err"; echo $?)
  rm -f "$work/full/filler"
  code2=$(cd "$d10" && "$SPARKY" build --no-progress --out "$work/full/content" 2>"$work/err"; echo $?)
  row "content disk full (tmpfs), then space again" "$code/$code2" "" "$(grep -c '^skipped' "$work/err") skipped after"
else
  row "full disk" "-" "" "skipped: needs root for a tmpfs"
fi

# 10. token over plain http
d11=$work/http; site "$d11" "http://example.invalid/acme/api.git"
code=$(cd "$d11" && SPARKY_GIT_TOKEN=hunter2 "$SPARKY" mirror --no-progress 2>"$work/err"; echo $?)
row "token with an http:// remote" "$code" "" "$(grep -o 'refusing to send the git token' "$work/err" | head -1)"
