#!/usr/bin/env bash
# A single Elasticsearch 8 node from Maven Central's integ-test-zip distribution, security off, on 127.0.0.1.
# That distribution is the bare server (modules: x-pack-core, x-pack-security, transport-netty4, apm only): no
# analysis-common, painless, rest-root, ingest, … — see docs/operations.md for what the CI node does not cover.
# Usage: scripts/services/elasticsearch.sh start|stop|url
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ES_ZIP="$CACHE_DIR/elasticsearch-$ES_VERSION.zip"
ES_URL_BASE="https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION"
ES_ROOT="$SERVERS_DIR/elasticsearch"
ES_HOME="$ES_ROOT/elasticsearch-$ES_VERSION"
ES_PID="$ES_ROOT/run/elasticsearch.pid"   # written by Elasticsearch itself (-p), hence under ES_ROOT
ES_USER="${SUYUAN_ES_USER:-suyuan-es}"   # Elasticsearch refuses to run as root

find_java17() {
  if [[ -n ${ES_JAVA_HOME:-} ]]; then echo "$ES_JAVA_HOME"; return; fi
  local candidate
  for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    [[ -x $candidate/bin/java ]] && { echo "$candidate"; return; }
  done
  local java; java="$(command -v java)" || die "elasticsearch: no Java found (need 17..24; set ES_JAVA_HOME)"
  dirname "$(dirname "$(readlink -f "$java")")"
}

download() {
  [[ -s $ES_ZIP ]] && return 0
  log "elasticsearch: downloading $ES_VERSION integ-test-zip from Maven Central"
  curl -fsSL --retry 3 -o "$ES_ZIP.tmp" "$ES_URL_BASE/elasticsearch-$ES_VERSION.zip"
  local expected actual
  expected="$(curl -fsSL --retry 3 "$ES_URL_BASE/elasticsearch-$ES_VERSION.zip.sha1" | cut -c1-40)"
  actual="$(sha1sum "$ES_ZIP.tmp" | cut -c1-40)"
  [[ $expected == "$actual" ]] || { rm -f "$ES_ZIP.tmp"; die "elasticsearch: sha1 mismatch ($actual != $expected)"; }
  mv "$ES_ZIP.tmp" "$ES_ZIP"
}

unpack_and_configure() {
  if [[ ! -x $ES_HOME/bin/elasticsearch ]]; then
    rm -rf "$ES_HOME.tmp" && mkdir -p "$ES_HOME.tmp"
    unzip -q "$ES_ZIP" -d "$ES_HOME.tmp"
    mv "$ES_HOME.tmp/elasticsearch-$ES_VERSION" "$ES_HOME" && rmdir "$ES_HOME.tmp"
  fi
  mkdir -p "$ES_ROOT/data" "$ES_ROOT/logs" "$ES_ROOT/run"
  # Single node, loopback only, security off (dev/CI only: nothing listens beyond 127.0.0.1).
  # The disk threshold is off so a nearly full CI disk does not turn indices read-only mid-run.
  cat >"$ES_HOME/config/elasticsearch.yml" <<CONF
cluster.name: suyuan-ci
node.name: suyuan-ci-1
path.data: $ES_ROOT/data
path.logs: $ES_ROOT/logs
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $((ES_PORT + 100))
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
CONF
  # C1 only: the JIT's second tier costs more start-up time (measured: 24–39 s → 11 s to healthy on 2 cores)
  # than it ever pays back in a test run. Not for production nodes.
  printf -- '-Xms%s\n-Xmx%s\n-XX:TieredStopAtLevel=1\n' "$ES_HEAP" "$ES_HEAP" >"$ES_HOME/config/jvm.options.d/ci.options"
  rm -f "$ES_HOME/config/jvm.options.d/heap.options"
  if [[ $EUID -eq 0 ]]; then
    id -u "$ES_USER" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$ES_ROOT"
    # The user must be able to reach the folder; .ci/servers may sit under a root-only home.
    chmod o+x "$SERVERS_DIR" "$CI_DIR" 2>/dev/null || true
  fi
}

es_healthy() {
  curl -fsS "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null |
    grep -Eq '"status":"(green|yellow)"'
}

start() {
  if pid_alive "$ES_PID" && es_healthy; then
    log "elasticsearch: already running on 127.0.0.1:$ES_PORT"
    return 0
  fi
  if pid_alive "$ES_PID"; then
    log "elasticsearch: process alive but not healthy yet, waiting"
  else
    port_open "$ES_PORT" && die "elasticsearch: port $ES_PORT is taken by another process (set SUYUAN_ES_PORT)"
    download
    unpack_and_configure
    local java_home; java_home="$(find_java17)"
    local -a as_user=()
    # setpriv execs in place (runuser/su would fork and sit in between).
    [[ $EUID -eq 0 ]] && as_user=(setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups)
    rm -f "$ES_PID"
    # -d: the launcher returns once the node has started (or failed) and -p records the server JVM's pid.
    setsid "${as_user[@]}" env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="${ES_JAVA_OPTS:-}" \
      CLI_JAVA_OPTS="${CLI_JAVA_OPTS:--XX:TieredStopAtLevel=1}" \
      "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" >>"$LOG_DIR/elasticsearch.log" 2>&1 </dev/null ||
      die "elasticsearch failed to start; see $LOG_DIR/elasticsearch.log and $ES_ROOT/logs"
  fi
  wait_until 180 "elasticsearch on :$ES_PORT" es_healthy ||
    die "elasticsearch did not become healthy; see $LOG_DIR/elasticsearch.log and $ES_ROOT/logs"
  log "elasticsearch: $ES_VERSION ready on 127.0.0.1:$ES_PORT"
}

stop() { stop_pidfile elasticsearch "$ES_PID" 60; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "http://127.0.0.1:$ES_PORT" ;;
  *) die "usage: $0 start|stop|url" ;;
esac
