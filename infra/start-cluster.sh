#!/usr/bin/env bash
# `npm run start:cluster`: the production-like shape on this machine. A Temporal server on
# PostgreSQL (infra/temporal-postgres.sh), 2 worker processes on the same task queue loading the
# pre-built workflow bundle, and 2 API processes on two ports (a load balancer would sit in front
# of them). Same code and variables as production; Ctrl-C stops everything.
# The workers are versioned (worker deployment WORKER_DEPLOYMENT_NAME, default `walt`; build id
# from the bundle, bundleBuildId in apps/worker/src/journey-worker.ts) and their build is made the
# current version before the APIs start: README, "Rolling out a new build".
# Source it for start_cluster (infra/test-cluster.sh does); run it to start and wait.
source "$(dirname "${BASH_SOURCE[0]}")/temporal-postgres.sh"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/walt}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_CLUSTER_PORT"
CLUSTER_API_PORT="${PORT:-3000}" # the second API listens on the next port
# The workers' Prometheus endpoints: this port and the next.
CLUSTER_WORKER_METRICS_PORT="${CLUSTER_WORKER_METRICS_PORT:-$((CLUSTER_API_PORT + 11))}"
export WORKER_DEPLOYMENT_NAME="${WORKER_DEPLOYMENT_NAME:-walt}"
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
  local n i pid port
  for n in 1 2; do
    start_cluster_worker "$n" $((CLUSTER_WORKER_METRICS_PORT + n - 1))
  done
  # 180 s: a worker takes over a minute to start on 2 cores at load 25 (measured, 4 Dec 2026).
  for n in 1 2; do
    for i in $(seq 1 180); do
      grep -q 'polling' "$WALT_DATA/logs/worker-$n.log" 2>/dev/null && break
      kill -0 "${CLUSTER_WORKER_PIDS[$((n - 1))]}" 2>/dev/null || die "worker $n exited during start-up; see $WALT_DATA/logs/worker-$n.log"
      sleep 1
    done
    grep -q 'polling' "$WALT_DATA/logs/worker-$n.log" || die "worker $n is not polling after 180s; see $WALT_DATA/logs/worker-$n.log"
  done
  set_current_build
  for n in 0 1; do
    PORT=$((CLUSTER_API_PORT + n)) node dist/apps/api/src/main.js >"$WALT_DATA/logs/api-$((CLUSTER_API_PORT + n)).log" 2>&1 </dev/null &
    WALT_PIDS+=($!) CLUSTER_API_PIDS+=($!)
  done
  for port in "$CLUSTER_API_PORT" $((CLUSTER_API_PORT + 1)); do
    for i in $(seq 1 60); do
      curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
      for pid in "${WALT_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up; see $WALT_DATA/logs/{api-*,worker-*}.log"; done
      sleep 1
    done
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 || die "the API on port $port is not ready after 60s; see $WALT_DATA/logs/api-$port.log"
  done
}

# start_cluster_worker <name> <metrics-port>: one worker on dist/ (its build: the bundle's, or
# WORKER_BUILD_ID), log worker-<name>.log.
start_cluster_worker() {
  WORKER_METRICS_ADDRESS="127.0.0.1:$2" node "$WALT_ROOT/dist/apps/worker/src/main.js" >"$WALT_DATA/logs/worker-$1.log" 2>&1 </dev/null &
  WALT_PIDS+=($!) CLUSTER_WORKER_PIDS+=($!)
}

# set_current_build: the build of the workers just started (dist/'s bundle, or WORKER_BUILD_ID)
# becomes the current version: new workflows go to its workers from now on, while workflows
# pinned to an older build stay on that build's workers until they complete (drain).
# Sets CLUSTER_BUILD_ID.
set_current_build() {
  local log="$WALT_DATA/logs/worker-deployment.log"
  node "$WALT_ROOT/dist/infra/set-current-build.js" >>"$log" 2>&1 || die "cannot make the workers' build current; see $log"
  CLUSTER_BUILD_ID="$(sed -n 's/^\[rollout\] [^/]*\/\(.*\) is the current version$/\1/p' "$log" | tail -1)"
  say "build $CLUSTER_BUILD_ID is the current version of worker deployment $WORKER_DEPLOYMENT_NAME"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  trap stop_background EXIT
  start_cluster
  cat >&2 <<MSG

  Walt is running in cluster mode.
    APIs         http://127.0.0.1:$CLUSTER_API_PORT/v1 and http://127.0.0.1:$((CLUSTER_API_PORT + 1))/v1 (pids ${CLUSTER_API_PIDS[*]})
    Workers      2 on task queue journeys, bundle dist/workflow-bundle.js (pids ${CLUSTER_WORKER_PIDS[*]}),
                 worker deployment $WORKER_DEPLOYMENT_NAME, build $CLUSTER_BUILD_ID (current)
    Metrics      APIs :$CLUSTER_API_PORT/metrics :$((CLUSTER_API_PORT + 1))/metrics, workers :$CLUSTER_WORKER_METRICS_PORT/metrics :$((CLUSTER_WORKER_METRICS_PORT + 1))/metrics, Temporal :$TEMPORAL_CLUSTER_METRICS_PORT/metrics
    Temporal     $TEMPORAL_ADDRESS on PostgreSQL ($TEMPORAL_PG_DB, $TEMPORAL_PG_VISIBILITY_DB)
    Logs         $WALT_DATA/logs/
  Ctrl-C stops everything.

MSG
  # A worker may stop on purpose (its build drained after a rollout): the rest keeps running.
  # Temporal or an API stopping ends everything.
  stopped=" "
  while :; do
    alive=()
    for pid in "${WALT_PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then
        alive+=("$pid")
      elif [[ " ${CLUSTER_WORKER_PIDS[*]} " != *" $pid "* ]]; then
        say "process $pid stopped; shutting down (logs in $WALT_DATA/logs/)"
        exit 1
      elif [[ "$stopped" != *" $pid "* ]]; then
        say "worker $pid stopped; the rest keeps running"
        stopped+="$pid "
      fi
    done
    wait -n "${alive[@]}" || true
  done
fi
