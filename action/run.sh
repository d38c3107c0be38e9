#!/usr/bin/env bash
# The step of action.yml: turns the action's inputs (INPUT_* variables) into an
# `encore-cloud deploy` command line and runs it with npx. The command itself writes
# $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY (GITHUB_ACTIONS=true) and exits non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
version="${INPUT_VERSION:-}"
if [ -z "$version" ]; then
  version=$(awk -F'"' '/^version =/{print $2; exit}' "$here/Cargo.toml")
fi

args=(deploy --env "${INPUT_ENV:?the env input is required}")
[ -n "${INPUT_APP:-}" ] && args+=(--app "$INPUT_APP")
if [ -n "${INPUT_BRANCH:-}" ]; then
  args+=(--branch "$INPUT_BRANCH")
elif [ -n "${INPUT_SHA:-}" ]; then
  args+=(--sha "$INPUT_SHA")
fi
case "${INPUT_WAIT:-true}" in
  true) ;;
  false) args+=(--no-wait) ;;
  *) echo "::error title=encore-cloud::the wait input must be true or false, got ${INPUT_WAIT}" >&2; exit 2 ;;
esac
[ -n "${INPUT_TIMEOUT:-}" ] && args+=(--timeout "$INPUT_TIMEOUT")

exec npx --yes "encore-cloud@$version" "${args[@]}"
