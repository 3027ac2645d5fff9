#!/usr/bin/env bash
# Runs one robustness case (issue #19): kml-convert on a bad input must end clean.
#
#   run_case.sh --kml BIN --case DIR --work DIR [options] -- ARG...
#
# The command `BIN ARG...` runs in a fresh, empty work directory (so relative outputs such as `-o out` land
# there).  In ARG, @CASE@ stands for the case directory (inputs are read from there in place) and @WORK@ for
# the work directory.  The case passes when
#   - the exit code is the expected one (default: any code from 1 to 125, i.e. non-zero and not a signal,
#     not a timeout, not the shell's "cannot run");
#   - it ends within --timeout seconds (default 20);
#   - stderr is exactly one line (no sanitizer report, no HDF5 diagnostic stack, no second message) and it
#     matches the extended regex --regex; stdout is empty (unless --rc 0);
#   - no file appeared or disappeared in the work directory nor in the case directory (nothing left behind:
#     no project, no staging directory), except the paths given with --expect-new (relative to the work dir),
#     which must exist afterwards.
# Options:
#   --regex RE        extended regex (grep -E) the single stderr line must match
#   --rc N            expected exit code (e.g. 0 for a case that must now succeed; then stderr may be empty)
#   --timeout S       seconds before the run counts as a hang (default 20)
#   --copy F          copy F (relative to the case dir, or absolute) into the work dir before the run
#                     (for cases whose output path collides with an input); repeatable
#   --setup CMD       shell command run in the work dir before the run (e.g. `mkdir d; touch f`)
#   --check CMD       shell command run in the work dir after the run; must exit 0 (extra assertions)
#   --expect-new P    path that must appear in the work dir (excluded from the "nothing left" check); repeatable
#   --stderr-lines N  number of stderr lines expected (default 1; 0 with --rc 0)
#   --escapes         expand backslash escapes in ARG as printf %b does (e.g. caf\351 for a non-UTF-8 byte)
#   --skip-if-absent  exit 77 ("skipped") when the case directory does not exist (cases read in place from
#                     the shared reference data, which a developer's machine may not have)
set -u
kml= case_dir= work= regex= rc_expected= timeout_s=20 stderr_lines= skip_absent=0 escapes=0
copies=() setups=() checks=() expect_new=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kml) kml=$2; shift 2 ;;
    --case) case_dir=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --regex) regex=$2; shift 2 ;;
    --rc) rc_expected=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --copy) copies+=("$2"); shift 2 ;;
    --setup) setups+=("$2"); shift 2 ;;
    --check) checks+=("$2"); shift 2 ;;
    --expect-new) expect_new+=("$2"); shift 2 ;;
    --stderr-lines) stderr_lines=$2; shift 2 ;;
    --skip-if-absent) skip_absent=1; shift ;;
    --escapes) escapes=1; shift ;;
    --) shift; break ;;
    *) echo "run_case.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$kml" ] && [ -n "$case_dir" ] && [ -n "$work" ] || { echo "run_case.sh: --kml, --case and --work are required" >&2; exit 2; }
if [ ! -d "$case_dir" ]; then
  if [ "$skip_absent" = 1 ]; then echo "skipped: $case_dir is absent (shared reference data not available)"; exit 77; fi
  echo "FAIL: case directory $case_dir does not exist" >&2; exit 1
fi
case_dir=$(cd "$case_dir" && pwd)
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 1
meta=$(mktemp -d "${TMPDIR:-/tmp}/kml-robust.XXXXXX") || exit 1
trap 'rm -rf "$meta"' EXIT

args=()
for a in "$@"; do
  a=${a//@CASE@/$case_dir}; a=${a//@WORK@/$work}
  [ "$escapes" = 1 ] && a=$(printf '%bx' "$a") && a=${a%x}
  args+=("$a")
done
for c in "${copies[@]+"${copies[@]}"}"; do
  case "$c" in /*) src=$c ;; *) src=$case_dir/$c ;; esac
  cp -a "$src" "$work/" || { echo "FAIL: cannot copy $src" >&2; exit 1; }
done
for s in "${setups[@]+"${setups[@]}"}"; do (cd "$work" && eval "$s") || { echo "FAIL: setup '$s' failed" >&2; exit 1; }; done

listing() {  # every path (and its type) under the work and case directories, minus the expected new ones
  { (cd "$work" && find . -mindepth 1 -printf 'work %y %p\n'); (cd "$case_dir" && find . -mindepth 1 -printf 'case %y %p\n'); } |
    { if [ ${#expect_new[@]} -gt 0 ]; then
        grep -v -E "^work . \./($(printf '%s|' "${expect_new[@]}" | sed 's/[.[\*^$()+?{}]/\\&/g; s/|$//'))(/|$)"
      else cat; fi; } | LC_ALL=C sort
}
listing > "$meta/before"

echo "+ (cd $work && ${args[*]})"
start=$(date +%s%N)
(cd "$work" && exec timeout -k 5 "$timeout_s" "$kml" "${args[@]}") > "$meta/stdout" 2> "$meta/stderr"
rc=$?
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf 'exit code %d after %d.%03d s\n--- stdout\n' "$rc" $((ms / 1000)) $((ms % 1000))
cat "$meta/stdout"
echo "--- stderr"
cat "$meta/stderr"
echo "---"

fail=0
bad() { echo "FAIL: $*"; fail=1; }
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then bad "no answer within $timeout_s s (hang)"
elif [ -n "$rc_expected" ]; then [ "$rc" = "$rc_expected" ] || bad "exit code $rc, expected $rc_expected"
elif [ "$rc" = 0 ]; then bad "exit code 0: the bad input was accepted"
elif [ "$rc" -gt 125 ]; then bad "exit code $rc: killed by a signal or could not run"
fi
if [ -z "$stderr_lines" ]; then
  if [ "$rc_expected" = 0 ]; then stderr_lines=0; else stderr_lines=1; fi
fi
n=$(wc -l < "$meta/stderr")
[ -s "$meta/stderr" ] && [ "$(tail -c1 "$meta/stderr" | od -An -c | tr -d ' ')" != '\n' ] && n=$((n + 1))
[ "$n" = "$stderr_lines" ] || bad "stderr has $n lines, expected $stderr_lines"
[ "$rc_expected" != 0 ] && [ -s "$meta/stdout" ] && bad "stdout is not empty"
if [ -n "$regex" ] && ! grep -q -E -- "$regex" "$meta/stderr"; then bad "stderr does not match /$regex/"; fi
listing > "$meta/after"
if ! cmp -s "$meta/before" "$meta/after"; then
  bad "files appeared or disappeared (left behind):"
  diff "$meta/before" "$meta/after" | sed -n 's/^[<>] /  /p'
fi
for p in "${expect_new[@]+"${expect_new[@]}"}"; do [ -e "$work/$p" ] || bad "expected $p to exist afterwards"; done
for c in "${checks[@]+"${checks[@]}"}"; do (cd "$work" && eval "$c") || bad "check '$c' failed"; done
[ "$fail" = 0 ] && echo "PASS"
exit "$fail"
