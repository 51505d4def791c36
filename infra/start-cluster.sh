#!/usr/bin/env bash
# `npm run start:cluster`: the production-like shape on this machine. A Temporal server on
# PostgreSQL (infra/temporal-postgres.sh), 2 worker processes on the same task queue loading the
# pre-built workflow bundle, and 2 API processes on two ports (a load balancer would sit in front
# of them). Same code and variables as production; Ctrl-C stops everything.
# Source it for start_cluster (infra/test-cluster.sh does); run it to start and wait.
source "$(dirname "${BASH_SOURCE[0]}")/temporal-postgres.sh"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_CLUSTER_PORT"
CLUSTER_API_PORT="${PORT:-3000}" # the second API listens on the next port
CLUSTER_API_PIDS=()
CLUSTER_WORKER_PIDS=()

start_cluster() {
  ensure_node_modules
  ensure_postgres "$DATABASE_URL"
  ensure_database "$DATABASE_URL" ${CLUSTER_FRESH_DATABASE:+fresh}
  ensure_redis "$REDIS_URL"
  start_temporal_postgres
  cd "$WALT_ROOT"
  say "building (TypeScript, then the workflow bundle)"
  npm run --silent build >"$WALT_DATA/logs/build.log" 2>&1 || die "the build failed; see $WALT_DATA/logs/build.log"
  node dist/libs/persistence/src/migrate.js
  node dist/infra/seed/load-partners.js
  export WORKFLOW_BUNDLE_PATH="$WALT_ROOT/dist/workflow-bundle.js"
  local n
  for n in 1 2; do
    WORKER_METRICS_ADDRESS="127.0.0.1:$((CLUSTER_API_PORT + 10 + n))" node dist/apps/worker/src/main.js >"$WALT_DATA/logs/worker-$n.log" 2>&1 </dev/null &
    WALT_PIDS+=($!) CLUSTER_WORKER_PIDS+=($!)
  done
  for n in 0 1; do
    PORT=$((CLUSTER_API_PORT + n)) node dist/apps/api/src/main.js >"$WALT_DATA/logs/api-$((CLUSTER_API_PORT + n)).log" 2>&1 </dev/null &
    WALT_PIDS+=($!) CLUSTER_API_PIDS+=($!)
  done
  local i pid port
  for port in "$CLUSTER_API_PORT" $((CLUSTER_API_PORT + 1)); do
    for i in $(seq 1 60); do
      curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
      for pid in "${WALT_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up; see $WALT_DATA/logs/{api-*,worker-*}.log"; done
      sleep 1
    done
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 || die "the API on port $port is not ready after 60s; see $WALT_DATA/logs/api-$port.log"
  done
  for n in 1 2; do
    for i in $(seq 1 60); do grep -q 'polling' "$WALT_DATA/logs/worker-$n.log" 2>/dev/null && break; sleep 1; done
    grep -q 'polling' "$WALT_DATA/logs/worker-$n.log" || die "worker $n is not polling after 60s; see $WALT_DATA/logs/worker-$n.log"
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  trap stop_background EXIT
  start_cluster
  cat >&2 <<MSG

  Walt is running in cluster mode.
    APIs         http://127.0.0.1:$CLUSTER_API_PORT/v1 and http://127.0.0.1:$((CLUSTER_API_PORT + 1))/v1 (pids ${CLUSTER_API_PIDS[*]})
    Workers      2 on task queue journeys, bundle dist/workflow-bundle.js (pids ${CLUSTER_WORKER_PIDS[*]})
    Metrics      APIs :$CLUSTER_API_PORT/metrics :$((CLUSTER_API_PORT + 1))/metrics, workers :$((CLUSTER_API_PORT + 11))/metrics :$((CLUSTER_API_PORT + 12))/metrics, Temporal :$((TEMPORAL_CLUSTER_PORT + 30))/metrics
    Temporal     $TEMPORAL_ADDRESS on PostgreSQL ($TEMPORAL_PG_DB, $TEMPORAL_PG_VISIBILITY_DB)
    Logs         $WALT_DATA/logs/
  Ctrl-C stops everything.

MSG
  wait -n "${WALT_PIDS[@]}" || true
  say "a process stopped; shutting down (logs in $WALT_DATA/logs/)"
fi
