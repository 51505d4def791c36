#!/usr/bin/env bash
# The Temporal web UI for a server other than the dev server (the CLI's UI serves only its own
# start-dev): the UI server v2.42.1 (the one the CLI v1.5.1 embeds, and the temporalio/ui image's
# code) built with `go install` the first time into ~/.cache/walt/temporal-ui-server/<version>/,
# run with the image's own configuration template (config/docker.yaml of the module), so the
# variables are the image's: TEMPORAL_ADDRESS (default 127.0.0.1:$TEMPORAL_CLUSTER_PORT, 7233),
# TEMPORAL_UI_PORT (8080), TEMPORAL_CODEC_ENDPOINT, TEMPORAL_AUTH_*, … Bound to 127.0.0.1.
#   bash infra/temporal-ui.sh     # foreground; Ctrl-C stops it
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEMPORAL_UI_VERSION="${TEMPORAL_UI_VERSION:-v2.42.1}"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/walt/temporal-ui-server/$TEMPORAL_UI_VERSION"
if [ ! -x "$dir/server" ]; then
  command -v go >/dev/null || die "Go is needed to build the Temporal UI server (https://go.dev/dl); or run the temporalio/ui image (README)."
  say "building the Temporal UI server $TEMPORAL_UI_VERSION with go install (first time only, several minutes)"
  mkdir -p "$dir"
  GOBIN="$dir" go install "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION" >"$WALT_DATA/logs/temporal-ui-build.log" 2>&1 ||
    die "building the UI server failed; see $WALT_DATA/logs/temporal-ui-build.log"
fi
template="$(go env GOMODCACHE 2>/dev/null || echo "$HOME/go/pkg/mod")/github.com/temporalio/ui-server/v2@$TEMPORAL_UI_VERSION/config/docker.yaml"
[ -f "$template" ] || die "no $template (it comes with the module the build downloaded)"
root="$WALT_DATA/temporal-ui"
mkdir -p "$root/config"
{ echo '# enable-template'; echo 'host: 127.0.0.1'; grep -v '^# enable-template' "$template"; } >"$root/config/docker.yaml"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:${TEMPORAL_CLUSTER_PORT:-7233}}"
export TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8080}"
export TEMPORAL_CORS_ORIGINS="${TEMPORAL_CORS_ORIGINS:-http://127.0.0.1:$TEMPORAL_UI_PORT}"
say "Temporal UI on http://127.0.0.1:$TEMPORAL_UI_PORT for $TEMPORAL_ADDRESS (Ctrl-C stops it)"
exec "$dir/server" --root "$root" --config config --env docker start
