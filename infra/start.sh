#!/usr/bin/env bash
# The README's start command (`npm start`): the whole system on embedded defaults — Temporal
# dev server (SQLite file + web UI), migrations, partner seed, worker and API. Ctrl-C stops it.
source "$(dirname "$0")/lib.sh"
trap stop_background EXIT

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export PORT="${PORT:-3000}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"

ensure_node_modules
ensure_postgres "$DATABASE_URL"
ensure_database "$DATABASE_URL"
ensure_redis "$REDIS_URL"
if [ "$TEMPORAL_ADDRESS" = "127.0.0.1:$TEMPORAL_PORT" ]; then
  start_temporal "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$WALT_DATA/temporal.sqlite"
else
  say "using the Temporal service at $TEMPORAL_ADDRESS (no local dev server)"
fi

cd "$WALT_ROOT"
say "building"
npm run --silent build >"$WALT_DATA/logs/build.log" 2>&1 || die "the build failed; see $WALT_DATA/logs/build.log"
node dist/libs/persistence/src/migrate.js
if [ -f dist/infra/seed/load-partners.js ]; then node dist/infra/seed/load-partners.js; fi

node dist/apps/worker/src/main.js >"$WALT_DATA/logs/worker.log" 2>&1 </dev/null &
WALT_PIDS+=($!)
node dist/apps/api/src/main.js >"$WALT_DATA/logs/api.log" 2>&1 </dev/null &
WALT_PIDS+=($!)

for i in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  for pid in "${WALT_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up; see $WALT_DATA/logs/{api,worker}.log"; done
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 || die "the API is not ready after 60s: $(curl -sS "http://127.0.0.1:$PORT/ready" 2>&1)"

first_admin="$(node dist/infra/first-admin.js)" || die "could not prepare the first admin (see above)"
# The worker logs JSON lines; the adapters it chose are the "msg" of its [messaging] lines.
adapters="$(grep -ho '"msg":"\[messaging\][^"]*' "$WALT_DATA/logs/worker.log" 2>/dev/null | sed 's/^"msg":"/    /')"
cat >&2 <<MSG

  Walt is running.
    API          http://127.0.0.1:$PORT/v1      (health: /health, readiness: /ready)
    OpenAPI      http://127.0.0.1:$PORT/docs    (document: /docs-json)
    Web          http://127.0.0.1:$PORT/            (intake form; console: /console/)
$first_admin
    Temporal UI  http://127.0.0.1:$TEMPORAL_UI_PORT
    Logs         $WALT_DATA/logs/
    A token      npm run token -- counsellor   (or partner <id> | manager | admin)
    Demo data    npm run demo                  (a few hundred simulated journeys, for the reports)
  Outbound messages:
${adapters:-    (see $WALT_DATA/logs/worker.log)}
  Ctrl-C stops everything.

MSG
# Stay up while every process is; stop the rest (EXIT trap) as soon as one dies.
wait -n "${WALT_PIDS[@]}" || true
say "a process stopped; shutting down (logs in $WALT_DATA/logs/)"
