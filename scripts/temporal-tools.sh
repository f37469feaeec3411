#!/usr/bin/env bash
# Builds the Temporal binaries SubTracker needs without internet access, idempotently, into a cache
# outside the clone, and links them as .tools/:
#   .tools/temporal               CLI dev server  (go install github.com/temporalio/cli/cmd/temporal)
#   .tools/temporal-test-server   Java time-skipping test server (Maven Central) behind an exec wrapper
# Usage: scripts/temporal-tools.sh [cli|test-server|all]   (default all)
set -euo pipefail

CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TEST_SERVER_VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
CACHE="${SUBTRACKER_TOOLS_CACHE:-$HOME/.cache/subtracker-tools}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-all}"

log() { echo "[temporal-tools] $*" >&2; }

build_cli() {
  local dir="$CACHE/temporal-cli-$CLI_VERSION"
  if [[ -x "$dir/temporal" ]]; then
    log "CLI $CLI_VERSION cached at $dir/temporal"
  else
    command -v go >/dev/null || { log "go is required to build the Temporal CLI"; exit 1; }
    log "building Temporal CLI $CLI_VERSION with go install (about 5 min cold on two cores)"
    local start=$SECONDS
    mkdir -p "$dir.tmp"
    CGO_ENABLED=0 GOBIN="$dir.tmp" go install "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    log "CLI built in $((SECONDS - start)) s"
  fi
  link "$dir/temporal" temporal
}

fetch_test_server() {
  local dir="$CACHE/temporal-test-server-$TEST_SERVER_VERSION"
  if [[ -x "$dir/temporal-test-server" && -d "$dir/lib" ]]; then
    log "test server $TEST_SERVER_VERSION cached at $dir"
  else
    command -v mvn >/dev/null || { log "mvn is required to fetch the Temporal test server"; exit 1; }
    command -v java >/dev/null || { log "java is required to run the Temporal test server"; exit 1; }
    log "fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION with Maven (about 20 s)"
    local start=$SECONDS work
    work="$(mktemp -d)"
    cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.subtracker</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version></dependency>
  </dependencies>
</project>
POM
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/lib"
    mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$dir.tmp/lib"
    # The SDK kills only the pid it started, so the wrapper must exec java, not fork it.
    cat >"$dir.tmp/temporal-test-server" <<'SH'
#!/bin/sh
DIR="$(dirname "$(readlink -f "$0")")"
CDS=""
[ -f "$DIR/test-server.jsa" ] && CDS="-XX:SharedArchiveFile=$DIR/test-server.jsa"
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto $CDS -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$@"
SH
    chmod +x "$dir.tmp/temporal-test-server"
    rm -rf "$dir" "$work" && mv "$dir.tmp" "$dir"
    log "test server fetched in $((SECONDS - start)) s ($(ls "$dir/lib" | wc -l) jars)"
  fi
  [[ -f "$dir/test-server.jsa" ]] || class_data_archive "$dir"
  link "$dir/temporal-test-server" temporal-test-server
}

# The SDK gives an ephemeral server 5 s to answer; a class-data archive of one run cuts the JVM's start from
# about 1.2 s to about 0.45 s here, which keeps a loaded two-core machine inside that window.
class_data_archive() {
  local dir="$1" port=17990 pid
  log "writing a class-data archive for faster test-server starts"
  java -XX:ArchiveClassesAtExit="$dir/test-server.jsa.tmp" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$dir/lib/*" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  sleep 1
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -s "$dir/test-server.jsa.tmp" ]]; then mv "$dir/test-server.jsa.tmp" "$dir/test-server.jsa"; else
    rm -f "$dir/test-server.jsa.tmp"; log "no archive written; the server starts without it"; fi
}

link() {
  mkdir -p "$ROOT/.tools"
  ln -sfn "$1" "$ROOT/.tools/$2"
}

case "$what" in
  cli) build_cli ;;
  test-server) fetch_test_server ;;
  all) build_cli; fetch_test_server ;;
  *) echo "usage: $0 [cli|test-server|all]" >&2; exit 2 ;;
esac
