#!/usr/bin/env bash
# A Temporal server (1.29.1, all four services in one process) on PostgreSQL: persistence and
# advanced visibility both in PostgreSQL 15, no SQLite, no Elasticsearch. Run it alone
# (`bash infra/temporal-postgres.sh`, foreground until Ctrl-C) or source it for
# start_temporal_postgres (infra/start-cluster.sh does).
#
# What it does, every time (each step is idempotent):
#   1. builds the server and its SQL tool with `go install` the first time, into
#      ~/.cache/walt/temporal-server/<version>/ (outside the repo, reused by every clone);
#   2. creates the databases $TEMPORAL_PG_DB and $TEMPORAL_PG_VISIBILITY_DB if missing;
#   3. sets up and updates both schemas with the SQL tool (schemas embedded in the tool);
#   4. writes the server configuration under $WALT_DATA/temporal-postgres-<port>/;
#   5. starts the server (log file, stopped on exit), then creates the namespace and registers
#      the search attributes JourneyStage, Segment and Departement (Keyword).
#
# Ports are derived from TEMPORAL_CLUSTER_PORT (frontend gRPC, default 7233): history +1,
# matching +2, worker +3, membership +10..+13, frontend HTTP +20, Prometheus metrics +30; each
# can be set on its own to fit a range of ports (TEMPORAL_CLUSTER_HISTORY_PORT, _MATCHING_PORT,
# _WORKER_PORT, _MEMBERSHIP_PORT: the first of four, _HTTP_PORT: `off` for no HTTP API, _METRICS_PORT).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
TEMPORAL_SERVER_CACHE="${TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/walt/temporal-server}"
TEMPORAL_PG_HOST="${TEMPORAL_PG_HOST:-127.0.0.1}"
TEMPORAL_PG_PORT="${TEMPORAL_PG_PORT:-5432}"
TEMPORAL_PG_USER="${TEMPORAL_PG_USER:-postgres}"
TEMPORAL_PG_PASSWORD="${TEMPORAL_PG_PASSWORD:-}"
TEMPORAL_PG_DB="${TEMPORAL_PG_DB:-temporal}"
TEMPORAL_PG_VISIBILITY_DB="${TEMPORAL_PG_VISIBILITY_DB:-temporal_visibility}"
# Connections per pool and per service (4 services, 2 stores): kept small because the machine's
# PostgreSQL (max_connections 100) is shared with the API, the workers and the tests.
TEMPORAL_PG_MAX_CONNS="${TEMPORAL_PG_MAX_CONNS:-8}"
# Fixed when the database is first set up: changing it later needs a new database.
TEMPORAL_HISTORY_SHARDS="${TEMPORAL_HISTORY_SHARDS:-4}"
TEMPORAL_CLUSTER_PORT="${TEMPORAL_CLUSTER_PORT:-7233}"

# The other ports, from TEMPORAL_CLUSTER_PORT unless set; resolved when the server starts, so a
# caller may set TEMPORAL_CLUSTER_PORT after sourcing this file.
resolve_cluster_ports() {
  local port="$TEMPORAL_CLUSTER_PORT"
  TEMPORAL_CLUSTER_HISTORY_PORT="${TEMPORAL_CLUSTER_HISTORY_PORT:-$((port + 1))}"
  TEMPORAL_CLUSTER_MATCHING_PORT="${TEMPORAL_CLUSTER_MATCHING_PORT:-$((port + 2))}"
  TEMPORAL_CLUSTER_WORKER_PORT="${TEMPORAL_CLUSTER_WORKER_PORT:-$((port + 3))}"
  TEMPORAL_CLUSTER_MEMBERSHIP_PORT="${TEMPORAL_CLUSTER_MEMBERSHIP_PORT:-$((port + 10))}"
  TEMPORAL_CLUSTER_HTTP_PORT="${TEMPORAL_CLUSTER_HTTP_PORT:-$((port + 20))}"
  TEMPORAL_CLUSTER_METRICS_PORT="${TEMPORAL_CLUSTER_METRICS_PORT:-$((port + 30))}"
}

# Prints the directory holding `server` and `sql`, building them the first time.
ensure_temporal_server() {
  local dir="$TEMPORAL_SERVER_CACHE/$TEMPORAL_SERVER_VERSION" pkg
  if [ -x "$dir/server" ] && [ -x "$dir/sql" ]; then echo "$dir"; return; fi
  command -v go >/dev/null || die "The Temporal server $TEMPORAL_SERVER_VERSION is built with Go, which is not installed
  (https://go.dev/dl). Or put prebuilt 'server' and 'sql' binaries in $dir."
  mkdir -p "$dir"
  for pkg in server tools/sql; do
    [ -x "$dir/${pkg##*/}" ] && continue
    say "building the Temporal $pkg $TEMPORAL_SERVER_VERSION with go install (first time only, about 5 minutes)"
    local started=$SECONDS
    GOBIN="$dir" go install "go.temporal.io/server/cmd/$pkg@$TEMPORAL_SERVER_VERSION" \
      >"$WALT_DATA/logs/temporal-server-build-${pkg##*/}.log" 2>&1 ||
      die "building go.temporal.io/server/cmd/$pkg failed; see $WALT_DATA/logs/temporal-server-build-${pkg##*/}.log"
    say "Temporal $pkg built in $((SECONDS - started))s"
  done
  echo "$dir"
}

temporal_sql() {
  local bin="$1" db="$2"; shift 2
  SQL_PASSWORD="$TEMPORAL_PG_PASSWORD" "$bin/sql" --plugin postgres12 --ep "$TEMPORAL_PG_HOST" -p "$TEMPORAL_PG_PORT" \
    -u "$TEMPORAL_PG_USER" --db "$db" "$@"
}

# Creates both databases if missing (TEMPORAL_PG_FRESH=1: drops them first, for a throw-away
# cluster in a test) and brings both schemas to the tool's version.
setup_temporal_schemas() {
  local bin="$1" url="postgres://$TEMPORAL_PG_USER${TEMPORAL_PG_PASSWORD:+:$TEMPORAL_PG_PASSWORD}@$TEMPORAL_PG_HOST:$TEMPORAL_PG_PORT"
  ensure_postgres "$url/postgres"
  local fresh=""; [ "${TEMPORAL_PG_FRESH:-}" = 1 ] && fresh=fresh
  ensure_database "$url/$TEMPORAL_PG_DB" $fresh
  ensure_database "$url/$TEMPORAL_PG_VISIBILITY_DB" $fresh
  local log="$WALT_DATA/logs/temporal-schema.log"
  {
    temporal_sql "$bin" "$TEMPORAL_PG_DB" setup-schema -v 0.0 &&
      temporal_sql "$bin" "$TEMPORAL_PG_DB" update-schema --schema-name postgresql/v12/temporal &&
      temporal_sql "$bin" "$TEMPORAL_PG_VISIBILITY_DB" setup-schema -v 0.0 &&
      temporal_sql "$bin" "$TEMPORAL_PG_VISIBILITY_DB" update-schema --schema-name postgresql/v12/visibility
  } >"$log" 2>&1 || die "the Temporal schema setup failed; see $log"
}

write_temporal_config() {
  local root="$1" port="$TEMPORAL_CLUSTER_PORT" membership="$TEMPORAL_CLUSTER_MEMBERSHIP_PORT" http=""
  [ "$TEMPORAL_CLUSTER_HTTP_PORT" != off ] && http=", httpPort: $TEMPORAL_CLUSTER_HTTP_PORT"
  mkdir -p "$root/config"
  cat >"$root/config/dynamicconfig.yaml" <<YAML
# Search attributes visible as soon as they are registered (the namespace is created at start).
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
YAML
  temporal_store_yaml() {
    cat <<YAML
      sql:
        pluginName: postgres12
        databaseName: $1
        connectAddr: "$TEMPORAL_PG_HOST:$TEMPORAL_PG_PORT"
        connectProtocol: tcp
        user: "$TEMPORAL_PG_USER"
        password: "$TEMPORAL_PG_PASSWORD"
        maxConns: $2
        maxIdleConns: $2
        maxConnLifetime: 1h
YAML
  }
  cat >"$root/config/development.yaml" <<YAML
# Written by infra/temporal-postgres.sh; edit the script, not this file.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: $TEMPORAL_HISTORY_SHARDS
  datastores:
    postgres-default:
$(temporal_store_yaml "$TEMPORAL_PG_DB" "$TEMPORAL_PG_MAX_CONNS")
    postgres-visibility:
$(temporal_store_yaml "$TEMPORAL_PG_VISIBILITY_DB" 2)
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:$TEMPORAL_CLUSTER_METRICS_PORT"
services:
  frontend:
    rpc: { grpcPort: $port, membershipPort: $membership, bindOnLocalHost: true$http }
  history:
    rpc: { grpcPort: $TEMPORAL_CLUSTER_HISTORY_PORT, membershipPort: $((membership + 1)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $TEMPORAL_CLUSTER_MATCHING_PORT, membershipPort: $((membership + 2)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $TEMPORAL_CLUSTER_WORKER_PORT, membershipPort: $((membership + 3)), bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$port"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$root/config/dynamicconfig.yaml"
  pollInterval: 10s
YAML
}

# start_temporal_postgres: everything above, then the server in the background (WALT_PIDS).
start_temporal_postgres() {
  local bin cli port="$TEMPORAL_CLUSTER_PORT" root="$WALT_DATA/temporal-postgres-$TEMPORAL_CLUSTER_PORT"
  local namespace="${TEMPORAL_NAMESPACE:-default}" log="$WALT_DATA/logs/temporal-postgres-$TEMPORAL_CLUSTER_PORT.log"
  resolve_cluster_ports
  bin="$(ensure_temporal_server)"
  cli="$(ensure_temporal_cli)"
  tcp_open 127.0.0.1 "$port" && die "port $port is already in use; stop what listens there or set TEMPORAL_CLUSTER_PORT."
  setup_temporal_schemas "$bin"
  write_temporal_config "$root"
  "$bin/server" --root "$root" --config config --env development --allow-no-auth start >"$log" 2>&1 </dev/null &
  WALT_PIDS+=($!)
  local i
  for i in $(seq 1 120); do
    "$cli" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1 && break
    kill -0 "${WALT_PIDS[-1]}" 2>/dev/null || die "the Temporal server exited; see $log"
    sleep 0.5
  done
  "$cli" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1 || die "the Temporal server did not answer within 60s; see $log"
  if ! "$cli" operator namespace describe --address "127.0.0.1:$port" -n "$namespace" >/dev/null 2>&1; then
    "$cli" operator namespace create --address "127.0.0.1:$port" -n "$namespace" --retention 72h >>"$log" 2>&1 ||
      die "cannot create the namespace $namespace; see $log"
  fi
  local attribute
  for attribute in JourneyStage Segment Departement; do
    # Registering an attribute that exists with the same type succeeds, so this is safe to repeat.
    for i in $(seq 1 20); do
      "$cli" operator search-attribute create --address "127.0.0.1:$port" -n "$namespace" --name "$attribute" --type Keyword \
        >>"$log" 2>&1 && continue 2
      sleep 0.5 # the namespace may take a moment to reach every service
    done
    die "cannot register the search attribute $attribute; see $log"
  done
  say "Temporal server $TEMPORAL_SERVER_VERSION on PostgreSQL ready on 127.0.0.1:$port" \
    "(namespace $namespace, $TEMPORAL_HISTORY_SHARDS history shards, databases $TEMPORAL_PG_DB + $TEMPORAL_PG_VISIBILITY_DB," \
    "metrics http://127.0.0.1:$TEMPORAL_CLUSTER_METRICS_PORT/metrics, log: $log)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  trap stop_background EXIT
  start_temporal_postgres
  say "Ctrl-C to stop. Web UI: see the README (\"Past one machine\")."
  wait
fi
