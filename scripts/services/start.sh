#!/usr/bin/env bash
# Installs (first time) and starts the servers the distributed adapters are tested against, on 127.0.0.1 only:
#   Redis (Debian package)  ·  FerretDB v1 on SQLite (MongoDB wire protocol)  ·  Elasticsearch 8 (Maven Central)
#   versitygw (S3 over a POSIX folder, Go module proxy)
# then writes .ci/services.env with REDIS_URL, MONGODB_URL, ELASTICSEARCH_URL and S3_ENDPOINT (+ keys). Idempotent: running services
# are left alone. Data, logs and pid files under .ci/servers/, downloads and built binaries under .ci/cache/.
#
#   scripts/services/start.sh && source .ci/services.env      # recommended (CI and developers)
#   source scripts/services/start.sh                          # also works: runs itself in a subshell, then sources
#   scripts/services/stop.sh                                  # stops them all
#
# Only some: SUYUAN_SERVICES="redis ferretdb" scripts/services/start.sh
# Ports: SUYUAN_REDIS_PORT (16379), SUYUAN_FERRETDB_PORT (27117), SUYUAN_ES_PORT (19200), SUYUAN_VERSITYGW_PORT (17070).

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: never let `set -e` or `exit` reach the caller's shell.
  bash "${BASH_SOURCE[0]}" "$@" && source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.ci/services.env"
  return $?
fi

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SERVICES=(${SUYUAN_SERVICES:-redis ferretdb elasticsearch versitygw})
ENV_FILE="$CI_DIR/services.env"
started_all=$SECONDS

# The three start in parallel (apt, the Go build and the JVM boot overlap); each reports its own duration.
declare -A pids=()
for service in "${SERVICES[@]}"; do
  [[ -x "$SERVICES_DIR/$service.sh" ]] || die "unknown service '$service'"
  (
    t0=$SECONDS
    "$SERVICES_DIR/$service.sh" start 2>&1 | sed -u "s/^/[$service] /" >&2
    status=${PIPESTATUS[0]}
    log "$service: $([[ $status -eq 0 ]] && echo ready || echo FAILED) after $((SECONDS - t0))s"
    exit "$status"
  ) &
  pids[$service]=$!
done

failed=()
for service in "${!pids[@]}"; do
  wait "${pids[$service]}" || failed+=("$service")
done
((${#failed[@]} == 0)) || die "failed to start: ${failed[*]} (logs in $LOG_DIR)"

{
  echo "# Written by scripts/services/start.sh — servers on 127.0.0.1 for the contract/integration suites."
  for service in "${SERVICES[@]}"; do
    case "$service" in
      redis) echo "export REDIS_URL=$("$SERVICES_DIR/redis.sh" url)" ;;
      ferretdb) echo "export MONGODB_URL=$("$SERVICES_DIR/ferretdb.sh" url)" ;;
      elasticsearch) echo "export ELASTICSEARCH_URL=$("$SERVICES_DIR/elasticsearch.sh" url)" ;;
      versitygw) "$SERVICES_DIR/versitygw.sh" env ;;
    esac
  done
} >"$ENV_FILE"

log "all services ready in $((SECONDS - started_all))s; environment in ${ENV_FILE#$REPO_ROOT/}:"
sed -n 's/^export /  /p' "$ENV_FILE" >&2
