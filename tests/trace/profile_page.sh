#!/usr/bin/env bash
# <t>_profile as a user runs it, and its page as a user sees it:
#   profile_page.sh CMAKE BUILD_DIR TARGET PROFILE_DIR [chromium]
# builds <t>_profile, checks profile.json / profile.txt / profile.html against each other, and with `chromium`
# opens the page in headless Chromium: the DOM after its script ran must show one plot per profiled layer, one
# box per (layer, role), the overflow layers highlighted, and no script error; a screenshot is taken.
set -euo pipefail
cmake=$1 build=$2 target=$3 dir=$4 browser=${5:-}
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --build "$build" --target "${target}_profile" >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; fail "${target}_profile failed"; }
cat "$dir.build.log" | sed -n '/layer  *role/,$p'
for f in profile.json profile.txt profile.html; do [[ -s $dir/$f ]] || fail "no $dir/$f"; done
grep -q "${target}_profile: $dir/profile.html" "$dir.build.log" || fail "the build did not name the page"

# The JSON's counts (python3: Debian's, for json only).
read -r layers boxes overflow < <(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(len(j["layers"]), sum(len(l["roles"]) for l in j["layers"]), sum(1 for l in j["layers"] if l["overflow"]))
' "$dir/profile.json")
echo "profile.json: $layers layers, $boxes (layer, role) entries, $overflow layers overflow"
[[ $layers -gt 0 && $boxes -ge $layers ]] || fail "profile.json profiles nothing"
# Every (layer, role) is a row of the text table (plus its header).
[[ $(wc -l <"$dir/profile.txt") -eq $((boxes + 1)) ]] || fail "profile.txt does not have one row per (layer, role)"
# Self-contained: nothing loaded from elsewhere.
! grep -qE '(src|href)=' "$dir/profile.html" || fail "profile.html loads something"
[[ $(grep -o '<svg class="plot"' "$dir/profile.html" | wc -l) -eq $layers ]] || fail "not one plot per layer"

[[ -n $browser ]] || exit 0
[[ $overflow -gt 0 ]] || fail "the page test wants a configuration that overflows somewhere"
chromium=$(command -v chromium || true)
if [[ -z $chromium ]]; then
  [[ -z "${CI:-}" ]] || fail "chromium is not installed (scripts/install-deps.sh installs it)"
  echo "skipped: chromium not installed"; exit 77
fi
prof=$(mktemp -d "$dir/chromium.XXXXXX")
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$prof" --hide-scrollbars)
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$dir/profile.html" >"$dir/profile.dom.html" 2>"$dir/chromium.log" ||
  { cat "$dir/chromium.log"; fail "chromium --dump-dom failed"; }
dom=$dir/profile.dom.html
grep -q "data-plots=\"$layers\"" "$dom" || fail "the page's script did not count $layers plots: $(grep -o '<p id="status"[^<]*' "$dom")"
grep -q "data-boxes=\"$boxes\"" "$dom" || fail "the page's script did not count $boxes boxes"
grep -q "data-overflow=\"$overflow\"" "$dom" || fail "the page does not highlight $overflow overflow layers"
[[ $(grep -o '<g class="box' "$dom" | wc -l) -eq $boxes ]] || fail "the DOM does not hold $boxes boxes"
[[ $(grep -o '<section class="layer overflow"' "$dom" | wc -l) -eq $overflow ]] || fail "overflow layers not marked"
grep -q '<pre id="errors"></pre>' "$dom" || fail "script error: $(grep -o '<pre id="errors">[^<]*' "$dom")"
grep -q "rendered $layers layer plots, $boxes boxes, $overflow layers overflow" "$dom" || fail "status line missing"
timeout 120 "$chromium" "${flags[@]}" --window-size=1000,2200 --screenshot="$dir/profile.png" "file://$dir/profile.html" \
  >>"$dir/chromium.log" 2>&1 || { cat "$dir/chromium.log"; fail "chromium --screenshot failed"; }
[[ $(stat -c %s "$dir/profile.png") -gt 10000 ]] || fail "no screenshot"
rm -rf "$prof"
echo "headless Chromium: $layers plots, $boxes boxes, $overflow overflow layers, no script error; screenshot $dir/profile.png"
