#!/usr/bin/env bash
# Redis for BullMQ: Debian's redis-server, run with our own config on 127.0.0.1 (never as a system service).
# Usage: scripts/services/redis.sh start|stop|url
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

REDIS_DIR="$SERVERS_DIR/redis"
REDIS_PID="$RUN_DIR/redis.pid"
REDIS_CONF="$REDIS_DIR/redis.conf"

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "redis-server is missing; install it (apt-get install redis-server) or run this as root"
  log "redis: installing from Debian packages"
  # Debian's maintainer scripts start the system service unless policy-rc.d forbids it; we only want the binary.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
  fi
  local status=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } || status=$?
  ((added_policy)) && rm -f "$policy"
  ((status == 0)) || die "redis: apt-get failed ($status)"
}

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

start() {
  install_redis
  if pid_alive "$REDIS_PID" && redis_ping; then
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  port_open "$REDIS_PORT" && die "redis: port $REDIS_PORT is taken by another process (set SUYUAN_REDIS_PORT)"
  mkdir -p "$REDIS_DIR"
  # noeviction: BullMQ must never lose keys under memory pressure. No RDB/AOF: CI data is disposable.
  cat >"$REDIS_CONF" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID
dir $REDIS_DIR
logfile $LOG_DIR/redis.log
save ""
appendonly no
maxmemory-policy noeviction
CONF
  redis-server "$REDIS_CONF"
  wait_until 20 "redis on :$REDIS_PORT" redis_ping || die "redis did not start; see $LOG_DIR/redis.log"
  log "redis: $(redis-server --version | grep -o 'v=[0-9.]*') ready on 127.0.0.1:$REDIS_PORT"
}

stop() { stop_pidfile redis "$REDIS_PID"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "redis://127.0.0.1:$REDIS_PORT" ;;
  *) die "usage: $0 start|stop|url" ;;
esac
