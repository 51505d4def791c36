#!/usr/bin/env bash
# `npm run test:cluster`: the cluster mode's own check, on throw-away databases. Starts what
# `npm run start:cluster` starts (Temporal on PostgreSQL, 2 workers, 2 APIs), then
# bench/cluster/failover.ts kills one API and one worker with SIGKILL while journeys are in
# flight and checks that every journey completes with no event or message lost or duplicated.
# It also checks that every journey ran pinned to the workers' build (worker versioning).
# About 2 minutes here once the Temporal server is built; not part of `npm test` (see README).
source "$(dirname "${BASH_SOURCE[0]}")/temporal-postgres.sh"
trap stop_background EXIT

export NODE_ENV=test
# NODE_ENV=test silences the JSON logs (libs/logging), and start_cluster waits for the workers'
# "polling" line: keep the logs (they go to .data/logs/ files).
export LOG_LEVEL="${LOG_LEVEL:-info}"
export DATABASE_URL="${TEST_CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt_cluster_test}"
export TEMPORAL_PG_DB="${TEMPORAL_PG_DB:-temporal_cluster_test}"
export TEMPORAL_PG_VISIBILITY_DB="${TEMPORAL_PG_VISIBILITY_DB:-temporal_visibility_cluster_test}"
export TEMPORAL_CLUSTER_PORT="${TEMPORAL_CLUSTER_PORT:-7333}"
export TEMPORAL_PG_FRESH=1 CLUSTER_FRESH_DATABASE=1
export PORT="${PORT:-3300}"
export JWT_SECRET="${JWT_SECRET:-walt-test-secret-0123456789}"
export INTAKE_RATE_LIMIT_PER_MINUTE=100000
export MESSAGE_QUEUE_PREFIX="${MESSAGE_QUEUE_PREFIX:-walt_cluster_test}"
# Short enough that the journeys a dead worker held move on within the check's time: the sticky
# queue falls back to the shared one after 10 s (the SDK default), an activity it was
# running is retried after its start-to-close timeout (30 s, workflows/journey-steps.ts).
export RECONCILE_INTERVAL_MS=2000 MESSAGE_SWEEP_INTERVAL_MS=5000
source "$WALT_ROOT/infra/start-cluster.sh"

started=$SECONDS
start_cluster
say "cluster up in $((SECONDS - started))s; running bench/cluster/failover.ts"
cd "$WALT_ROOT"
CLUSTER_API_URLS="http://127.0.0.1:$PORT,http://127.0.0.1:$((PORT + 1))" \
  CLUSTER_API_1_PID="${CLUSTER_API_PIDS[0]}" CLUSTER_API_2_PID="${CLUSTER_API_PIDS[1]}" \
  CLUSTER_METRICS_URLS="http://127.0.0.1:$((PORT + 1))/metrics,http://127.0.0.1:$((CLUSTER_WORKER_METRICS_PORT + 1))/metrics" \
  CLUSTER_BUILD_ID="$CLUSTER_BUILD_ID" \
  CLUSTER_WORKER_1_PID="${CLUSTER_WORKER_PIDS[0]}" CLUSTER_WORKER_2_PID="${CLUSTER_WORKER_PIDS[1]}" \
  node dist/bench/cluster/failover.js
say "test:cluster passed in $((SECONDS - started))s"
