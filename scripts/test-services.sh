#!/usr/bin/env bash
# Installs (Debian packages, when missing) and starts MariaDB and Redis as local processes for the test
# suites, then creates the test user. Idempotent: a server already answering is reused.
# Prints the DATABASE_URL and REDIS_URL to use.
set -euo pipefail

MARIADB_PORT="${TEST_MARIADB_PORT:-3306}"
REDIS_PORT="${TEST_REDIS_PORT:-6379}"
STATE="${TEST_SERVICES_DIR:-/tmp/subtracker-services}"
log() { echo "[test-services] $*" >&2; }

need=()
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server mariadb-client)
command -v redis-server >/dev/null || need+=(redis-server)
if ((${#need[@]})); then
  log "installing ${need[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$STATE"
if ! mariadb-admin --protocol=tcp -h127.0.0.1 -P"$MARIADB_PORT" -uroot ping >/dev/null 2>&1 \
  && ! mariadb-admin -uroot ping >/dev/null 2>&1; then
  log "starting MariaDB on 127.0.0.1:$MARIADB_PORT"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  (mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=127.0.0.1 --port="$MARIADB_PORT" \
    --socket=/run/mysqld/mysqld.sock >"$STATE/mariadb.log" 2>&1 &)
  for _ in $(seq 1 60); do mariadb-admin -uroot ping >/dev/null 2>&1 && break; sleep 0.5; done
  mariadb-admin -uroot ping >/dev/null || { log "MariaDB did not start:"; tail -20 "$STATE/mariadb.log" >&2; exit 1; }
fi
mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'subtracker'@'127.0.0.1' IDENTIFIED BY 'subtracker';
CREATE USER IF NOT EXISTS 'subtracker'@'localhost' IDENTIFIED BY 'subtracker';
GRANT ALL PRIVILEGES ON `subtracker%`.* TO 'subtracker'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `subtracker%`.* TO 'subtracker'@'localhost';
CREATE DATABASE IF NOT EXISTS subtracker_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
FLUSH PRIVILEGES;
SQL

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --logfile "$STATE/redis.log" >/dev/null
  for _ in $(seq 1 40); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null || { log "Redis did not start"; exit 1; }
fi

echo "DATABASE_URL=mysql://subtracker:subtracker@127.0.0.1:$MARIADB_PORT/subtracker_test"
echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
