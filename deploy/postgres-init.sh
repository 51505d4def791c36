#!/bin/sh
# UNTESTED on the machine it was written on (no Docker engine there): see compose.production.yaml.
# Run once by the postgres image on an empty data directory: a role and database for walt, a
# role owning Temporal's two databases (passwords from the compose environment).
set -eu
psql -v ON_ERROR_STOP=1 -U postgres \
  -v walt_password="$WALT_PASSWORD" -v temporal_password="$TEMPORAL_PASSWORD" <<'SQL'
CREATE ROLE walt LOGIN PASSWORD :'walt_password';
CREATE DATABASE walt OWNER walt;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
