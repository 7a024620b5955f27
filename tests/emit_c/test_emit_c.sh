#!/usr/bin/env bash
# xformer --emit-c: the emitted runners (C with weights inside, C with a
# params file, C++) give the same bytes as `xai run` on the optimised
# model; bad directories and names fail with one line.
# Usage: test_emit_c.sh BUILD_DIR XFORMER XAI DEMO_MODEL RUNNER...
set -uo pipefail
dir="$1" xformer="$2" xai="$3" demo="$4"
shift 4
gen="$dir/gen" work="$dir/work"
rm -rf "$work" && mkdir -p "$work"
fail=0
check() { echo "FAIL: $*" >&2; fail=1; }

for runner in "$@"; do
  r="$dir/$runner"
  case "$runner" in
    *model_p) model="$gen/model_p.tflite"; params=("$gen/model_p.params") ;;
    *) model="$gen/model_c.tflite"; params=() ;;
  esac
  "$r" "$work/in.bin" "$work/out.bin" "${params[@]}" >"$work/log" 2>&1 \
    || { check "$runner: $(cat "$work/log")"; continue; }
  pargs=()
  [ ${#params[@]} -gt 0 ] && pargs=(--params "${params[0]}")
  "$xai" run "$model" --input "$work/in.bin" --output "$work/ref.bin" \
    "${pargs[@]}" --quiet || { check "$runner: xai run failed"; continue; }
  cmp -s "$work/out.bin" "$work/ref.bin" || check "$runner: outputs differ from xai run"
  echo "ok: $runner $(head -1 "$work/log")"
done

grep -q "MODEL_P_PARAMS_HASH 0x" "$gen/model_p.h" || check "model_p.h has no params hash"
grep -q "MODEL_C_PARAMS_SIZE 0u" "$gen/model_c.h" || check "model_c.h claims params"

# default name from the output file; one line per error, non-zero exit
"$xformer" "$demo" -o "$work/my-model.v2.tflite" --emit-c "$work" --quiet \
  && [ -f "$work/my_model.c" ] && [ -f "$work/my_model.h" ] \
  || check "default name my_model not written"
expect_error() { # WHAT PATTERN ARGS...
  local what="$1" pattern="$2"
  shift 2
  "$xformer" "$demo" -o "$work/e.tflite" --quiet "$@" 2>"$work/err" \
    && { check "$what: accepted"; return; }
  [ "$(wc -l <"$work/err")" -eq 1 ] || check "$what: not one line: $(cat "$work/err")"
  grep -q -- "$pattern" "$work/err" || check "$what: '$(cat "$work/err")' lacks '$pattern'"
  [ -e "$work/e.tflite" ] && check "$what: output written anyway"
  echo "ok: $what: $(cat "$work/err")"
}
expect_error "missing dir" "no such directory" --emit-c "$work/nope"
touch "$work/afile"
expect_error "file as dir" "not a directory" --emit-c "$work/afile"
expect_error "bad name" "not a C identifier" --emit-c "$work" --emit-c-name 9lives
expect_error "keyword name" "not a C identifier" --emit-c "$work" --emit-c-name static
expect_error "name with dash" "not a C identifier" --emit-c "$work" --emit-c-name a-b
expect_error "unwritable dir" "cannot write" --emit-c /proc
[ $fail -eq 0 ] && echo "emit_c: all passed"
exit $fail
