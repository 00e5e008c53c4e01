#!/usr/bin/env bash
# Stops what scripts/services/start.sh started (by pid file; nothing else is touched). Data stays in .ci/servers/.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
status=0
for service in ${SUYUAN_SERVICES:-versitygw elasticsearch ferretdb redis}; do
  "$dir/$service.sh" stop || status=$?
done
exit "$status"
