#!/usr/bin/env bash
# versitygw (Apache-2.0): an S3-compatible gateway over a POSIX folder, for the S3 BlobStore adapter. Built from
# the Go module proxy (`go install github.com/versity/versitygw/cmd/versitygw@v1.8.0`, ≈3 min the first time,
# cached under .ci/cache after). Not MinIO: its server is AGPL.
# Usage: scripts/services/versitygw.sh start|stop|url|env
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

VERSITYGW_BIN="$CACHE_DIR/versitygw/$VERSITYGW_VERSION/versitygw"
VERSITYGW_PID="$RUN_DIR/versitygw.pid"
VERSITYGW_DATA="$SERVERS_DIR/versitygw/data"
# Metadata (content type, checksums) in a sidecar folder: the POSIX backend otherwise needs user xattrs,
# which tmpfs and some overlay file systems refuse.
VERSITYGW_META="$SERVERS_DIR/versitygw/meta"

find_go() {
  command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; } ||
    die "versitygw: Go toolchain not found (need Go >= 1.24 to build it)"
}

build() {
  [[ -x $VERSITYGW_BIN ]] && return 0
  local go; go="$(find_go)"
  log "versitygw: building $VERSITYGW_VERSION from the Go module proxy with $("$go" version | cut -d' ' -f3) (≈3 min)"
  local gobin; gobin="$(dirname "$VERSITYGW_BIN")/.build"
  mkdir -p "$gobin"
  GOBIN="$gobin" CGO_ENABLED=0 "$go" install -trimpath "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >&2 ||
    die "versitygw: build failed"
  mv "$gobin/versitygw" "$VERSITYGW_BIN"
  rmdir "$gobin" 2>/dev/null || true
}

start() {
  build
  if pid_alive "$VERSITYGW_PID" && port_open "$VERSITYGW_PORT"; then
    log "versitygw: already running on 127.0.0.1:$VERSITYGW_PORT"
    return 0
  fi
  port_open "$VERSITYGW_PORT" && die "versitygw: port $VERSITYGW_PORT is taken by another process (set SUYUAN_VERSITYGW_PORT)"
  mkdir -p "$VERSITYGW_DATA" "$VERSITYGW_META"
  ROOT_ACCESS_KEY_ID="$VERSITYGW_ACCESS" ROOT_SECRET_ACCESS_KEY="$VERSITYGW_SECRET" spawn_detached "$LOG_DIR/versitygw.log" "$VERSITYGW_PID" \
    "$VERSITYGW_BIN" --port "127.0.0.1:$VERSITYGW_PORT" --region us-east-1 posix --sidecar "$VERSITYGW_META" "$VERSITYGW_DATA"
  wait_until 30 "versitygw on :$VERSITYGW_PORT" port_open "$VERSITYGW_PORT" ||
    die "versitygw did not start; see $LOG_DIR/versitygw.log"
  log "versitygw: $VERSITYGW_VERSION (POSIX backend) ready on 127.0.0.1:$VERSITYGW_PORT"
}

stop() { stop_pidfile versitygw "$VERSITYGW_PID"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "http://127.0.0.1:$VERSITYGW_PORT" ;;
  # The lines start.sh writes into .ci/services.env (test-only keys: the server listens on 127.0.0.1 only).
  env)
    echo "export S3_ENDPOINT=http://127.0.0.1:$VERSITYGW_PORT"
    echo "export S3_ACCESS_KEY=$VERSITYGW_ACCESS"
    echo "export S3_SECRET_KEY=$VERSITYGW_SECRET"
    echo "export S3_REGION=us-east-1"
    echo "export S3_BUCKET=suyuan-test"
    ;;
  *) die "usage: $0 start|stop|url|env" ;;
esac
