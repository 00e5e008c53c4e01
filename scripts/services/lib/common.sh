# Shared helpers for scripts/services/*.sh (sourced, not executed).
# Everything lives under the repository's .ci/ folder: servers/ (data, logs, pid files) and cache/ (downloads,
# built binaries) — both gitignored, both safe to delete (stop the services first).

SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$SERVICES_DIR/../.." && pwd)"
CI_DIR="$REPO_ROOT/.ci"
SERVERS_DIR="$CI_DIR/servers"
CACHE_DIR="$CI_DIR/cache"
LOG_DIR="$SERVERS_DIR/logs"
RUN_DIR="$SERVERS_DIR/run"

# Ports are deliberately not the engines' defaults, so a developer's own MongoDB/Redis/Elasticsearch keeps running.
REDIS_PORT="${SUYUAN_REDIS_PORT:-16379}"
FERRETDB_PORT="${SUYUAN_FERRETDB_PORT:-27117}"
ES_PORT="${SUYUAN_ES_PORT:-19200}"
ES_VERSION="${SUYUAN_ES_VERSION:-8.19.2}"   # matches @elastic/elasticsearch 8.19.2 in package.json
ES_HEAP="${SUYUAN_ES_HEAP:-768m}"
FERRETDB_MODULE_VERSION="v1.24.2"           # pinned in scripts/services/ferretdb-launcher/go.mod
VERSITYGW_PORT="${SUYUAN_VERSITYGW_PORT:-17070}"
VERSITYGW_VERSION="v1.8.0"                  # go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
VERSITYGW_ACCESS="${SUYUAN_VERSITYGW_ACCESS:-suyuan-test-access}"
VERSITYGW_SECRET="${SUYUAN_VERSITYGW_SECRET:-suyuan-test-secret-key}"

mkdir -p "$SERVERS_DIR" "$CACHE_DIR" "$LOG_DIR" "$RUN_DIR"

log() { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pid_alive <pidfile>: true when the file names a live process.
pid_alive() {
  [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# port_open <port>: true when something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until <seconds> <description> <command...>: polls every 0.5 s until the command succeeds.
wait_until() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# stop_pidfile <name> <pidfile> [grace seconds]: TERM, then KILL after the grace period; removes the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" grace="${3:-20}"
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  local pid; pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "$name: still alive after ${grace}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
  rm -f "$pidfile"
  log "$name: stopped (pid $pid)"
}

# Runs a command detached from the caller's session (survives the script and the CI step's process group).
# The inner shell writes its own pid and then execs, so the pid file names the server itself whether or not
# setsid had to fork.
spawn_detached() {
  local logfile="$1" pidfile="$2"; shift 2
  rm -f "$pidfile"
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  wait_until 5 "pid file $pidfile" test -s "$pidfile"
}
