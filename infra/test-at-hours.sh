#!/usr/bin/env bash
# Runs the test suite (or the files given) once per instant below, the tests' clock started at
# that instant by libfaketime, to show that no test depends on the hour or the date: inside and
# outside the SMS quiet hours of Paris and of the Antilles, a DST change, a month end, 29
# February. The services (PostgreSQL, Redis, Temporal) keep the real time, so what still fails
# compares two machines' clocks (a skew of hours), not the hour itself. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
INSTANTS=("${WALT_TEST_INSTANTS[@]:-}")
if [ -z "${INSTANTS[0]:-}" ]; then
  INSTANTS=("2026-12-03 03:30:00" "2027-03-28 00:59:30" "2027-03-31 21:59:30" "2028-02-29 12:37:00" "2027-10-31 19:00:00")
fi
command -v faketime >/dev/null || { echo "needs libfaketime: apt-get install -y faketime" >&2; exit 1; }
status=0
for instant in "${INSTANTS[@]}"; do
  echo "=== tests at $instant UTC" >&2
  WALT_TEST_NOW="$instant" bash infra/test.sh "$@" || status=1
done
exit $status
