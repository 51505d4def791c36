#!/usr/bin/env bash
# The browser tests (apps/web/e2e, Playwright driving Debian's Chromium) against the real system,
# built as `npm start` builds it: API (serving the web pages) and worker as processes, on a
# database of their own, the Temporal server and Redis of the caller. Run by infra/test.sh after
# Jest (it sets TEMPORAL_ADDRESS, REDIS_URL, DATABASE_URL, JWT_SECRET); alone:
# `bash infra/test.sh --browser-only`. Screenshots go to apps/web/test-results/ (git-ignored).
source "$(dirname "$0")/lib.sh"
trap stop_background EXIT

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
# chromium-l10n: without its French resources, Chromium falls back to en-US for the date inputs
# (mm/dd/yyyy in the screenshots) whatever the page's locale.
FRENCH_PAK=/usr/lib/chromium/locales/fr.pak
ensure_chromium() {
  [ -x "$CHROMIUM" ] && [ -f "$FRENCH_PAK" ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Chromium for the browser tests (apt-get install chromium chromium-l10n fonts-liberation)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-l10n fonts-liberation; } \
      >"$WALT_DATA/logs/chromium-install.log" 2>&1 || die "installing Chromium failed; see $WALT_DATA/logs/chromium-install.log"
  fi
  [ -x "$CHROMIUM" ] || die "the browser tests need Chromium at $CHROMIUM: 'apt-get install -y --no-install-recommends chromium chromium-l10n fonts-liberation' (as root), or set CHROMIUM_PATH."
  [ -f "$FRENCH_PAK" ] || say "warning: $FRENCH_PAK is missing (apt-get install chromium-l10n): date inputs will show in English"
}

started=$SECONDS
ensure_chromium
cd "$WALT_ROOT"
if [ -z "${WALT_SKIP_BUILD:-}" ]; then
  say "building the system and the web pages (log: $WALT_DATA/logs/build-browser.log)"
  npm run --silent build >"$WALT_DATA/logs/build-browser.log" 2>&1 || { tail -20 "$WALT_DATA/logs/build-browser.log" >&2; die "the build failed; see $WALT_DATA/logs/build-browser.log"; }
  grep '^\[web\]' "$WALT_DATA/logs/build-browser.log" >&2 || true
fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt_test}_browser"
export PORT="${BROWSER_TEST_PORT:-3100}"
export HOST=127.0.0.1
export PUBLIC_BASE_URL="http://127.0.0.1:$PORT"
export MESSAGE_QUEUE_PREFIX="${MESSAGE_QUEUE_PREFIX:-walt}_browser"
export NODE_ENV=test
# The worker's Prometheus port is not needed here, and another worker on the machine may hold it.
export WORKER_METRICS_ADDRESS="${WORKER_METRICS_ADDRESS:-off}"
ensure_database "$DATABASE_URL" fresh
node dist/libs/persistence/src/migrate.js >"$WALT_DATA/logs/browser-migrate.log" 2>&1 || die "migrations failed; see $WALT_DATA/logs/browser-migrate.log"
node dist/infra/seed/load-partners.js >>"$WALT_DATA/logs/browser-migrate.log" 2>&1 || die "the partner seed failed; see $WALT_DATA/logs/browser-migrate.log"
tcp_open 127.0.0.1 "$PORT" && die "port $PORT is already in use; set BROWSER_TEST_PORT."

node dist/apps/worker/src/main.js >"$WALT_DATA/logs/browser-worker.log" 2>&1 </dev/null &
WALT_PIDS+=($!)
node dist/apps/api/src/main.js >"$WALT_DATA/logs/browser-api.log" 2>&1 </dev/null &
WALT_PIDS+=($!)
for i in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  for pid in "${WALT_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up; see $WALT_DATA/logs/browser-{api,worker}.log"; done
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 || die "the API is not ready after 60s; see $WALT_DATA/logs/browser-api.log"
say "system for the browser tests up in $((SECONDS - started))s on $PUBLIC_BASE_URL"

export WALT_BASE_URL="$PUBLIC_BASE_URL" CHROMIUM_PATH="$CHROMIUM"
tests_started=$SECONDS
npx playwright test -c apps/web/playwright.config.ts "$@"
say "browser tests passed in $((SECONDS - tests_started))s ($((SECONDS - started))s with the build and start-up)"
