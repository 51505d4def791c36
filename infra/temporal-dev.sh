#!/usr/bin/env bash
# Runs the Temporal dev server alone (foreground until Ctrl-C), with a SQLite file and the web UI.
source "$(dirname "$0")/lib.sh"
trap stop_background EXIT
start_temporal "${TEMPORAL_PORT:-7233}" "${TEMPORAL_UI_PORT:-8233}" "$WALT_DATA/temporal.sqlite"
say "Temporal UI: http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}  (Ctrl-C to stop)"
wait
