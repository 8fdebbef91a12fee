#!/usr/bin/env bash
# Mutation testing of the graders: Stryker.NET mutates solutions/ and runs the grading tests
# (tests/TlsLab.Grading.Solutions.Tests) against each mutant. A mutant that survives is a change
# to a reference answer that no grading test noticed: either a check the graders lack, or an
# equivalent mutant (a change that cannot alter behaviour). See README.md in this folder.
#
#   tests/mutation/run.sh            every exercise
#   tests/mutation/run.sh 2 5        exercises 2 and 5 only
#
# Stryker builds and swaps assemblies in the folders it tests, so it runs in a scratch copy of
# this working tree (uncommitted changes included), never in the tree itself.
# Environment: STRYKER_TOOL_PATH (where dotnet-stryker is or gets installed, default
# ~/.cache/tlslab/stryker), MUTATION_OUT (reports, default tests/mutation/out), CONCURRENCY (2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=${STRYKER_TOOL_PATH:-$HOME/.cache/tlslab/stryker}
out=${MUTATION_OUT:-$root/tests/mutation/out}
concurrency=${CONCURRENCY:-2}

# Not in a tool manifest on purpose: attendees restore the repository's tools, and must not
# download a mutation tester they never use.
if [ ! -x "$tool/dotnet-stryker" ]; then
  dotnet tool install dotnet-stryker --version 5.1.0 --tool-path "$tool"
fi

mutate=()
for exercise in "$@"; do
  case "$exercise" in
    [1-9] | [1-9][0-9]) folder=$(cd "$root/solutions" && ls -d "$(printf '%02d' "$exercise")"-*/ 2>/dev/null | head -n 1 || true) ;;
    *) folder= ;;
  esac
  if [ -z "$folder" ]; then
    echo "error: '$exercise' is not an exercise number (the numbers of the folders in solutions/)" >&2; exit 2
  fi
  mutate+=(--mutate "**/solutions/${folder%/}/**/*.cs")
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tlslab-mutation-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# The working tree as it is, without build outputs or git metadata.
(cd "$root" && tar --exclude=./.git --exclude='*/bin' --exclude='*/obj' --exclude=./tests/mutation/out -cf - .) | (cd "$scratch" && tar -xf -)

mkdir -p "$out"
start=$(date +%s)
(cd "$scratch/tests/mutation" && "$tool/dotnet-stryker" --config-file stryker-config.json \
  --concurrency "$concurrency" --output "$scratch/stryker-out" --skip-version-check "${mutate[@]}") \
  > "$out/stryker.log" 2>&1 || { tail -n 40 "$out/stryker.log" >&2; echo "Stryker failed; the full log is $out/stryker.log" >&2; exit 1; }
cp "$scratch/stryker-out/reports/mutation-report.json" "$scratch/stryker-out/reports/mutation-report.html" "$out/"
echo "Stryker took $(( $(date +%s) - start )) s; reports in $out (mutation-report.html, mutation-report.json, stryker.log)."
python3 "$root/tests/mutation/score.py" "$out/mutation-report.json"
