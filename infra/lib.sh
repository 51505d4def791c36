# Shared shell functions for start.sh, test.sh and temporal-dev.sh. Source it; do not run it.
# Every background process writes to a log file under $WALT_DATA (never to our stdout, which
# may be a CI pipe) and is stopped by the caller's EXIT trap.
set -euo pipefail

WALT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WALT_DATA="${WALT_DATA:-$WALT_ROOT/.data}"
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
# Fallbacks the design allows when a tag's modules cannot be had (later tags refuse go install).
TEMPORAL_CLI_FALLBACKS="v1.4.1 v1.3.0"
# Outside the repo and keyed by version, so every clone on the machine reuses one build.
TEMPORAL_CACHE="${TEMPORAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/walt/temporal-cli}"
mkdir -p "$WALT_DATA/logs"

say() { printf '[walt] %s\n' "$*" >&2; }
die() { printf '[walt] ERROR: %s\n' "$*" >&2; exit 1; }

WALT_PIDS=()
stop_background() {
  local pid
  for pid in "${WALT_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${WALT_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}

ensure_node_modules() {
  command -v node >/dev/null || die "Node.js 20+ is required (https://nodejs.org or 'apt-get install nodejs npm')."
  local stamp="$WALT_ROOT/node_modules/.walt-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$WALT_ROOT/package-lock.json" "$stamp"; then
    say "installing npm dependencies (npm ci)"
    (cd "$WALT_ROOT" && npm ci --no-audit --no-fund --loglevel=error >"$WALT_DATA/logs/npm-ci.log" 2>&1) ||
      die "npm ci failed; see $WALT_DATA/logs/npm-ci.log"
    cp "$WALT_ROOT/package-lock.json" "$stamp"
  fi
}

# Prints the path of the Temporal CLI, building it with `go install` the first time.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    [ -x "$TEMPORAL_CLI" ] || die "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file."
    echo "$TEMPORAL_CLI"; return
  fi
  local version
  for version in "$TEMPORAL_CLI_VERSION" $TEMPORAL_CLI_FALLBACKS; do
    if [ -x "$TEMPORAL_CACHE/$version/temporal" ]; then echo "$TEMPORAL_CACHE/$version/temporal"; return; fi
  done
  command -v go >/dev/null || die "The Temporal CLI $TEMPORAL_CLI_VERSION is needed and Go is not installed.
  Either install Go (https://go.dev/dl, then re-run), or download the official binary for your
  platform from https://github.com/temporalio/cli/releases/tag/$TEMPORAL_CLI_VERSION and set
  TEMPORAL_CLI=/path/to/temporal."
  for version in "$TEMPORAL_CLI_VERSION" $TEMPORAL_CLI_FALLBACKS; do
    say "building the Temporal CLI $version with go install (first time only, a few minutes)"
    mkdir -p "$TEMPORAL_CACHE/$version"
    local started=$SECONDS
    if GOBIN="$TEMPORAL_CACHE/$version" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$version" \
        >"$WALT_DATA/logs/temporal-build-$version.log" 2>&1; then
      say "Temporal CLI $version built in $((SECONDS - started))s"
      echo "$TEMPORAL_CACHE/$version/temporal"; return
    fi
    say "building $version failed; see $WALT_DATA/logs/temporal-build-$version.log"
  done
  die "no Temporal CLI could be built ($TEMPORAL_CLI_VERSION $TEMPORAL_CLI_FALLBACKS); see the logs above."
}

# The dev server's SQLite settings on a file (bench/support/temporal-dev-server.ts has the same for the benches).
TEMPORAL_SQLITE_PRAGMAS=(--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal)

# start_temporal <grpc-port> <ui-port|headless> <db-file|memory>: starts the dev server in the background.
start_temporal() {
  local port="$1" ui="$2" db="$3" cli
  cli="$(ensure_temporal_cli)"
  local args=(server start-dev --ip 127.0.0.1 --port "$port" --namespace "${TEMPORAL_NAMESPACE:-default}"
    --search-attribute JourneyStage=Keyword --search-attribute Segment=Keyword --search-attribute Departement=Keyword
    --log-level warn)
  if [ "$ui" = headless ]; then args+=(--headless); else args+=(--ui-port "$ui"); fi
  # On a file, SQLite in WAL mode syncing at checkpoints, not at every commit: each workflow and
  # activity completion is a commit, and a sync each capped journeys at 4.3/s to ENGAGING (14.6/s
  # so, bench/README "programme"). A killed server loses nothing; a power cut can lose the last
  # commits, which a production cluster (Temporal on PostgreSQL, deploy/) does not risk.
  if [ "$db" != memory ]; then args+=(--db-filename "$db" "${TEMPORAL_SQLITE_PRAGMAS[@]}"); fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use; stop what listens there or set TEMPORAL_PORT."
  fi
  "$cli" "${args[@]}" >"$WALT_DATA/logs/temporal-$port.log" 2>&1 </dev/null &
  WALT_PIDS+=($!)
  local i
  for i in $(seq 1 120); do
    if "$cli" operator namespace describe --address "127.0.0.1:$port" -n "${TEMPORAL_NAMESPACE:-default}" >/dev/null 2>&1; then
      say "Temporal dev server ready on 127.0.0.1:$port (log: $WALT_DATA/logs/temporal-$port.log)"
      return
    fi
    kill -0 "${WALT_PIDS[-1]}" 2>/dev/null || die "the Temporal dev server exited; see $WALT_DATA/logs/temporal-$port.log"
    sleep 0.5
  done
  die "the Temporal dev server did not answer within 60s; see $WALT_DATA/logs/temporal-$port.log"
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# host and port of a URL such as postgres://user@host:5432/db or redis://host:6379
url_host() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; echo "${rest%%:*}"; }
url_port() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; [[ "$rest" == *:* ]] && echo "${rest##*:}" || echo "$2"; }

ensure_postgres() {
  local url="$1" host port
  host="$(url_host "$url")"; port="$(url_port "$url" 5432)"
  tcp_open "$host" "$port" && return
  if [[ "$host" =~ ^(127\.0\.0\.1|localhost)$ ]] && command -v pg_ctlcluster >/dev/null; then
    say "PostgreSQL is stopped; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -1)" main start >"$WALT_DATA/logs/postgres-start.log" 2>&1 || true
    local i; for i in $(seq 1 30); do tcp_open "$host" "$port" && return; sleep 0.5; done
  fi
  die "PostgreSQL is not reachable at $host:$port. Start it (Debian: 'pg_ctlcluster 15 main start'; or 'apt-get install postgresql') or set DATABASE_URL."
}

# ensure_database <url> [fresh]: creates the database named in the URL when the server has
# none; with `fresh`, drops it first (the test command starts every run from an empty schema).
ensure_database() {
  local url="$1" fresh="${2:-}" name
  name="${url##*/}"; name="${name%%\?*}"
  (cd "$WALT_ROOT" && node -e '
    const { Client } = require("pg");
    const [url, name, fresh] = process.argv.slice(1);
    const admin = new Client({ connectionString: url.replace(/\/[^/?]+(\?.*)?$/, "/postgres$1") });
    const quoted = `"${name.replace(/"/g, "")}"`;
    (async () => {
      await admin.connect();
      if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!rowCount) { await admin.query(`CREATE DATABASE ${quoted}`); if (!fresh) console.error(`[walt] created database ${name}`); }
      await admin.end();
    })().catch((e) => { console.error(`[walt] ERROR: cannot prepare database ${name}: ${e.message}`); process.exit(1); });
  ' "$url" "$name" "$fresh")
}

ensure_redis() {
  local url="$1" host port
  host="$(url_host "$url")"; port="$(url_port "$url" 6379)"
  tcp_open "$host" "$port" && return
  if [[ "$host" =~ ^(127\.0\.0\.1|localhost)$ ]] && command -v redis-server >/dev/null; then
    say "Redis is stopped; starting a local redis-server"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --logfile "$WALT_DATA/logs/redis.log" >/dev/null 2>&1 || true
    local i; for i in $(seq 1 20); do tcp_open "$host" "$port" && return; sleep 0.5; done
  fi
  die "Redis is not reachable at $host:$port. Start it ('redis-server --daemonize yes'; or 'apt-get install redis-server') or set REDIS_URL."
}
