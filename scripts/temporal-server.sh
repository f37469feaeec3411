#!/usr/bin/env bash
# A real Temporal Server (the Go server of go.temporal.io/server, not the CLI dev server) on PostgreSQL, with SQL
# visibility and a chosen number of history shards, all on loopback; for CI and the benchmarks. Idempotent.
#   build   go install the server and its sql tool into the cache outside the clone; copy the schema files
#   start   build; install PostgreSQL (Debian) when missing; start a cluster of its own; create and migrate the
#           temporal and temporal_visibility databases; start the server; register the default namespace
#   postgres  only install and start the PostgreSQL cluster
#   reset   stop both and delete the state (databases, config, logs): the next start begins empty
#   stop    stop the server and the PostgreSQL cluster (both started by start)
#   status  say what runs; exit 0 when the server answers
#   pids    print "server=PID postgres=PID" (for CPU accounting)
# Settings (environment): TEMPORAL_SERVER_PORT (frontend gRPC, 7633; the other services use the next ports),
# TEMPORAL_SERVER_SHARDS (8), TEMPORAL_SERVER_PG_PORT (55432), TEMPORAL_SERVER_STATE (/tmp/subtracker-temporal-
# server: config, logs, the PostgreSQL data), TEMPORAL_SERVER_VERSION (v1.29.1), SUBTRACKER_TOOLS_CACHE.
# The shard count is fixed when the databases are created: start with another count drops and recreates them.
set -euo pipefail

VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
PORT="${TEMPORAL_SERVER_PORT:-7633}"
SHARDS="${TEMPORAL_SERVER_SHARDS:-8}"
PG_PORT="${TEMPORAL_SERVER_PG_PORT:-55432}"
STATE="${TEMPORAL_SERVER_STATE:-/tmp/subtracker-temporal-server}"
CACHE="${SUBTRACKER_TOOLS_CACHE:-$HOME/.cache/subtracker-tools}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$CACHE/temporal-server-$VERSION"
PGDATA="$STATE/pgdata"
ADDRESS="127.0.0.1:$PORT"
what="${1:-start}"

log() { echo "[temporal-server] $*" >&2; }
die() { log "$*"; exit 1; }

build() {
  if [[ -x "$DIR/temporal-server" && -x "$DIR/temporal-sql-tool" && -d "$DIR/schema" ]]; then
    log "server $VERSION cached at $DIR"
    return
  fi
  command -v go >/dev/null || die "go is required to build the Temporal server"
  log "building Temporal server $VERSION and its sql tool with go install (about 3-6 min cold on two cores)"
  local start=$SECONDS
  rm -rf "$DIR.tmp" && mkdir -p "$DIR.tmp"
  CGO_ENABLED=0 GOBIN="$DIR.tmp" go install "go.temporal.io/server/cmd/server@$VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$VERSION"
  mv "$DIR.tmp/server" "$DIR.tmp/temporal-server"
  mv "$DIR.tmp/sql" "$DIR.tmp/temporal-sql-tool"
  # The schema ships in the module: keep a copy beside the binaries, so a cleaned module cache does not matter.
  local module
  module="$(go env GOMODCACHE)/go.temporal.io/server@$VERSION"
  mkdir -p "$DIR.tmp/schema"
  cp -r "$module/schema/postgresql" "$DIR.tmp/schema/"
  chmod -R u+w "$DIR.tmp/schema"
  rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
  log "server built in $((SECONDS - start)) s"
}

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -n "$bin" && -x "$bin/initdb" ]] && echo "$bin"
}

ensure_postgres_installed() {
  pg_bin >/dev/null && return
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  pg_bin >/dev/null || die "PostgreSQL did not install"
}

as_postgres() { runuser -u postgres -- "$@"; }

psql_admin() { as_postgres "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# A cluster of its own (own data directory and port), so no system cluster or other user is touched.
start_postgres() {
  local bin
  bin="$(pg_bin)"
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
    log "initialising a PostgreSQL cluster in $PGDATA"
    rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
    as_postgres "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if as_postgres "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on port $PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA -c max_connections=200" start \
      >/dev/null || { tail -20 "$PGDATA/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'temporal'" | grep -q 1 ||
    psql_admin -c "CREATE ROLE temporal LOGIN SUPERUSER PASSWORD 'temporal'"
}

sql_tool() {
  "$DIR/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --pw temporal "$@"
}

# Creates and migrates both databases; a shard count other than the one they were made with recreates them.
migrate() {
  local made="$STATE/shards"
  if [[ -f "$made" && "$(cat "$made")" != "$SHARDS" ]]; then
    log "databases were made for $(cat "$made") shards, $SHARDS asked: dropping them"
    stop_server
    psql_admin -c "DROP DATABASE IF EXISTS temporal WITH (FORCE)" -c "DROP DATABASE IF EXISTS temporal_visibility WITH (FORCE)"
  fi
  local db dir
  for db in temporal temporal_visibility; do
    dir="$DIR/schema/postgresql/v12/$([[ $db == temporal ]] && echo temporal || echo visibility)/versioned"
    if ! psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      log "creating database $db"
      { sql_tool --db "$db" create-database && sql_tool --db "$db" setup-schema -v 0.0; } >"$STATE/migrate-$db.log" 2>&1 ||
        { tail -20 "$STATE/migrate-$db.log" >&2; die "creating $db failed"; }
    fi
    sql_tool --db "$db" update-schema -d "$dir" >>"$STATE/migrate-$db.log" 2>&1 ||
      { tail -20 "$STATE/migrate-$db.log" >&2; die "migrating $db failed"; }
  done
  echo "$SHARDS" >"$made"
  log "databases migrated ($(psql_admin -d temporal -c 'SELECT curr_version FROM schema_version') / $(psql_admin -d temporal_visibility -c 'SELECT curr_version FROM schema_version'))"
}

# The module's config/development-postgres12.yaml with this script's ports, shard count and dynamic config.
write_config() {
  mkdir -p "$STATE/config"
  local p=$PORT
  cat >"$STATE/config/development.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: $SHARDS
  datastores:
    postgres-default:
      sql:
        pluginName: postgres12
        databaseName: temporal
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: tcp
        user: temporal
        password: temporal
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
    postgres-visibility:
      sql:
        pluginName: postgres12
        databaseName: temporal_visibility
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: tcp
        user: temporal
        password: temporal
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:
    rpc: { grpcPort: $p, membershipPort: $((p + 10)), bindOnLocalHost: true, httpPort: $((p + 20)) }
  history:
    rpc: { grpcPort: $((p + 1)), membershipPort: $((p + 11)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $((p + 2)), membershipPort: $((p + 12)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $((p + 3)), membershipPort: $((p + 13)), bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$p"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$STATE/config/dynamicconfig.yaml"
  pollInterval: 10s
YAML
  # SubTracker's server settings (src/temporal/dev-server.ts SERVER_DYNAMIC_CONFIG), as the dev server gets them.
  cat >"$STATE/config/dynamicconfig.yaml" <<'YAML'
system.enableActivityEagerExecution:
  - value: true
limit.maxIDLength:
  - value: 255
frontend.enableExecuteMultiOperation:
  - value: true
YAML
}

server_pid() {
  local pid
  pid="$(cat "$STATE/server.pid" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

cli() {
  local cli="$ROOT/.tools/temporal"
  [[ -x "$cli" ]] || bash "$ROOT/scripts/temporal-tools.sh" cli >&2
  "$cli" "$@"
}

healthy() { cli operator cluster health --address "$ADDRESS" 2>/dev/null | grep -q SERVING; }

start_server() {
  if server_pid >/dev/null && healthy; then
    log "server already running on $ADDRESS (pid $(server_pid))"
  else
    write_config
    log "starting Temporal server $VERSION on $ADDRESS with $SHARDS history shards"
    setsid "$DIR/temporal-server" --root "$STATE" --config config --env development --allow-no-auth start \
      >"$STATE/server.log" 2>&1 </dev/null &
    echo $! >"$STATE/server.pid"
    local deadline=$((SECONDS + 180))
    until healthy; do
      if ! server_pid >/dev/null; then tail -30 "$STATE/server.log" >&2; die "the server exited during start-up"; fi
      ((SECONDS < deadline)) || { tail -30 "$STATE/server.log" >&2; die "the server did not answer in 180 s"; }
      sleep 1
    done
    log "server answers on $ADDRESS"
  fi
  # A new cluster has no namespace; the default one, with a day's retention, is what the app and tests use.
  local deadline=$((SECONDS + 120))
  until cli operator namespace describe --address "$ADDRESS" -n default >/dev/null 2>&1; do
    cli operator namespace create --address "$ADDRESS" -n default --retention 24h >/dev/null 2>&1 || true
    ((SECONDS < deadline)) || die "could not register the default namespace"
    sleep 1
  done
  # The frontend caches namespaces for a few seconds: wait until a call through it succeeds.
  until cli workflow list --address "$ADDRESS" -n default --limit 1 >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "the default namespace is not usable yet"
    sleep 1
  done
  log "namespace default ready"
}

stop_server() {
  local pid
  if pid="$(server_pid)"; then
    log "stopping the server (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/server.pid"
}

stop() {
  stop_server
  local bin
  if bin="$(pg_bin)" && [[ -f "$PGDATA/PG_VERSION" ]] && as_postgres "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_postgres "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
}

pids() {
  local pg=""
  [[ -f "$PGDATA/postmaster.pid" ]] && pg="$(head -1 "$PGDATA/postmaster.pid")"
  echo "server=$(server_pid || true) postgres=$pg"
}

case "$what" in
  build) build ;;
  start)
    build
    ensure_postgres_installed
    start_postgres
    migrate
    start_server
    echo "TEMPORAL_ADDRESS=$ADDRESS"
    ;;
  postgres) ensure_postgres_installed; start_postgres ;;
  stop) stop ;;
  reset)
    stop
    rm -rf "$STATE"
    log "state removed ($STATE)"
    ;;
  status)
    pids
    if healthy; then log "server answers on $ADDRESS"; else log "no server answers on $ADDRESS"; exit 1; fi
    ;;
  pids) pids ;;
  *) echo "usage: $0 [build|start|postgres|stop|reset|status|pids]" >&2; exit 2 ;;
esac
