#!/usr/bin/env bash
# The PostgreSQL peer's server: Debian's `postgresql` package, a private cluster under bench/.data/pg (gitignored),
# listening on 127.0.0.1 only. Usage: bench/peers/postgres/pg-server.sh start|stop|url
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
DATA="$ROOT/bench/.data/pg"
PORT="${SUYUAN_BENCH_PG_PORT:-54329}"
LOG="$ROOT/bench/.data/pg.log"

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [[ -z $dir ]]; then
    echo "postgres peer: installing Debian's postgresql package" >&2
    if [[ $(id -u) -ne 0 ]]; then echo "postgres peer: need root to apt-get install postgresql" >&2; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    # Debian starts its own cluster on 5432; the benchmark uses its own, so leave that one alone.
    dir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  echo "$dir"
}

# initdb/postgres refuse to run as root: run them as the package's `postgres` user then.
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  local bin; bin="$(pg_bin)"
  mkdir -p "$DATA"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$DATA"; touch "$LOG"; chown postgres:postgres "$LOG"; fi
  if [[ ! -f $DATA/PG_VERSION ]]; then
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "postgres peer: already running on 127.0.0.1:$PORT" >&2
    return 0
  fi
  # Durability like the ledger's: fsync on, synchronous_commit on (the defaults), WAL on the same disk.
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c shared_buffers=256MB -c max_connections=50" start >/dev/null
  echo "postgres peer: $("$bin/postgres" --version) on 127.0.0.1:$PORT (data $DATA)" >&2
}

stop() {
  local bin; bin="$(pg_bin)"
  if [[ -f $DATA/PG_VERSION ]]; then as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "postgres://postgres@127.0.0.1:$PORT/postgres" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
