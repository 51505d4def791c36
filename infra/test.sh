#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, starts a throw-away
# Temporal dev server, prepares the test database, and runs every test once.
source "$(dirname "$0")/lib.sh"
trap stop_background EXIT

export NODE_ENV=test
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt_test}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export TEMPORAL_PORT="${TEST_TEMPORAL_PORT:-7299}"
export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT"
export JWT_SECRET="${JWT_SECRET:-walt-test-secret-0123456789}"
export INTAKE_RATE_LIMIT_PER_MINUTE=100000
export CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE=100000

started=$SECONDS
ensure_node_modules
say "lint (eslint, prettier)"
(cd "$WALT_ROOT" && npm run --silent lint) || die "lint failed: fix the errors above (npm run format applies the formatting)"
ensure_postgres "$DATABASE_URL"
ensure_database "$DATABASE_URL" fresh
ensure_redis "$REDIS_URL"
start_temporal "$TEMPORAL_PORT" headless memory
TEMPORAL_CLI="$(ensure_temporal_cli)"
export TEMPORAL_CLI
say "services ready in $((SECONDS - started))s; running the tests"

cd "$WALT_ROOT"
# The chaos test (test/chaos.e2e.test.ts) runs the built API and worker as processes: build once
# here, before Jest, for it and the browser tests after it (which then skip their own build).
if [ -z "${WALT_SKIP_BUILD:-}" ] && { [ $# -eq 0 ] || [[ " $* " == *chaos* ]]; }; then
  say "building the system (log: $WALT_DATA/logs/build.log)"
  npm run --silent build >"$WALT_DATA/logs/build.log" 2>&1 || { tail -20 "$WALT_DATA/logs/build.log" >&2; die "the build failed; see $WALT_DATA/logs/build.log"; }
  export WALT_SKIP_BUILD=1
fi
# WALT_TEST_NOW="2026-12-03 03:30:00" runs the tests (not the services) on a clock started at that
# instant, to check that no test depends on the hour or the date (infra/test-at-hours.sh).
jest=(npx jest --runInBand)
if [ -n "${WALT_TEST_NOW:-}" ]; then
  command -v faketime >/dev/null || die "WALT_TEST_NOW needs libfaketime: apt-get install -y faketime"
  say "the tests' clock starts at $WALT_TEST_NOW UTC (PostgreSQL, Redis and Temporal keep the real time)"
  jest=(env TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$WALT_TEST_NOW" "${jest[@]}")
fi
# `npm test -- --browser [playwright args]` runs the browser tests alone.
if [ "${1:-}" = "--browser" ]; then
  shift
  bash "$WALT_ROOT/infra/browser-tests.sh" "$@"
  exit
fi
"${jest[@]}" "$@"
# The browser tests (apps/web/e2e) when the whole suite runs, not when Jest is given a few files.
if [ $# -eq 0 ]; then bash "$WALT_ROOT/infra/browser-tests.sh"; fi
