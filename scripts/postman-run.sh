#!/usr/bin/env bash
# Starts SubTracker on embedded defaults (own ports and data dir), waits until it is ready, runs the Postman
# collection with newman against it, and stops it. Fails on any failed assertion. With NEWMAN_REPORT set, newman
# also writes its JSON report to that path (CI adds its assertions to its closing tally).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PORT="${POSTMAN_PORT:-3100}"
data="$(mktemp -d)"
log="$data/server.log"

if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
  echo "port $PORT already answers: stop that server or set POSTMAN_PORT"; exit 1
fi
# One node process (tsx as a loader, not the npx/tsx wrappers), so the signal below reaches the server itself.
PORT="$PORT" DATA_DIR="$data" TEMPORAL_DEV_PORT="${POSTMAN_TEMPORAL_PORT:-7300}" \
  TEMPORAL_UI_PORT="${POSTMAN_TEMPORAL_UI_PORT:-8300}" DEV_ENDPOINTS=true LOG_LEVEL=warn \
  APP_BASE_URL="http://localhost:$PORT" node --import tsx src/entry/dev.ts >"$log" 2>&1 &
server=$!
cleanup() {
  kill -INT "$server" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$server" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "server exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "server not ready:"; tail -50 "$log"; exit 1; }

npx newman run postman/subtracker.postman_collection.json \
  -e postman/subtracker.postman_environment.json \
  --env-var "baseUrl=http://127.0.0.1:$PORT" \
  --bail failure --color off ${NEWMAN_REPORT:+--reporters cli,json --reporter-json-export "$NEWMAN_REPORT"} \
  ${NEWMAN_FLAGS:-}
