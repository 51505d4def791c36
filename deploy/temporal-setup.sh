#!/bin/sh
# UNTESTED on the machine it was written on (no Docker engine there): see compose.production.yaml.
# One-shot job in the temporalio/admin-tools image, run before the server starts and again after
# it: the same steps as infra/temporal-postgres.sh (tested here), with the image's tools.
#   temporal-setup.sh schema     creates/updates both schemas (safe to repeat; the databases
#                                are created by postgres-init.sh)
#   temporal-setup.sh namespace  waits for the frontend, creates the namespace and registers
#                                the search attributes the workflows write
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

sql() { db="$1"; shift; SQL_PASSWORD="$POSTGRES_PWD" temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }

case "${1:-}" in
  schema)
    sql "$DBNAME" setup-schema -v 0.0
    sql "$DBNAME" update-schema --schema-name postgresql/v12/temporal
    sql "$VISIBILITY_DBNAME" setup-schema -v 0.0
    sql "$VISIBILITY_DBNAME" update-schema --schema-name postgresql/v12/visibility
    ;;
  namespace)
    : "${TEMPORAL_ADDRESS:?}"
    until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 1; done
    temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 ||
      temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention "${TEMPORAL_RETENTION:-720h}"
    for attribute in JourneyStage Segment Departement; do
      until temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --name "$attribute" --type Keyword; do sleep 1; done
    done
    ;;
  *) echo "usage: $0 schema|namespace" >&2; exit 2 ;;
esac
