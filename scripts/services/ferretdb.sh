#!/usr/bin/env bash
# FerretDB v1 (MongoDB wire protocol) with its SQLite backend, built from our launcher (see ferretdb-launcher/main.go).
# Usage: scripts/services/ferretdb.sh start|stop|url
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

LAUNCHER_SRC="$SERVICES_DIR/ferretdb-launcher"
FERRETDB_PID="$RUN_DIR/ferretdb.pid"
FERRETDB_DATA="$SERVERS_DIR/ferretdb/data"

find_go() {
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } ||
    die "ferretdb: Go toolchain not found (need Go >= 1.24 to build the launcher)"
}

# Prints the path of the launcher binary, building it when its sources changed. The binary is cached under
# .ci/cache keyed by a hash of go.mod, go.sum and main.go, so a warm start skips the (≈1.5 min) build.
build_launcher() {
  local key bin
  key="$(cat "$LAUNCHER_SRC/go.mod" "$LAUNCHER_SRC/go.sum" "$LAUNCHER_SRC/main.go" | sha256sum | cut -c1-16)"
  bin="$CACHE_DIR/ferretdb-launcher/$key/ferretdb-launcher"
  if [[ ! -x $bin ]]; then
    local go; go="$(find_go)"
    log "ferretdb: building launcher (FerretDB $FERRETDB_MODULE_VERSION) with $("$go" version | cut -d' ' -f3)"
    mkdir -p "$(dirname "$bin")"
    (cd "$LAUNCHER_SRC" && GOFLAGS=-mod=readonly CGO_ENABLED=0 "$go" build -trimpath -o "$bin.tmp" .) >&2 ||
      die "ferretdb: launcher build failed"
    mv "$bin.tmp" "$bin"
  fi
  echo "$bin"
}

start() {
  local bin; bin="$(build_launcher)"
  if pid_alive "$FERRETDB_PID" && port_open "$FERRETDB_PORT"; then
    log "ferretdb: already running on 127.0.0.1:$FERRETDB_PORT"
    return 0
  fi
  port_open "$FERRETDB_PORT" && die "ferretdb: port $FERRETDB_PORT is taken by another process (set SUYUAN_FERRETDB_PORT)"
  mkdir -p "$FERRETDB_DATA"
  spawn_detached "$LOG_DIR/ferretdb.log" "$FERRETDB_PID" \
    "$bin" -listen "127.0.0.1:$FERRETDB_PORT" -sqlite-dir "$FERRETDB_DATA" -log-level warn
  wait_until 30 "ferretdb on :$FERRETDB_PORT" port_open "$FERRETDB_PORT" ||
    die "ferretdb did not start; see $LOG_DIR/ferretdb.log"
  log "ferretdb: $FERRETDB_MODULE_VERSION (SQLite backend) ready on 127.0.0.1:$FERRETDB_PORT"
}

stop() { stop_pidfile ferretdb "$FERRETDB_PID"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "mongodb://127.0.0.1:$FERRETDB_PORT/" ;;
  *) die "usage: $0 start|stop|url" ;;
esac
