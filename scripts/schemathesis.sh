#!/usr/bin/env bash
# Generated-input hardening: schemathesis (from PyPI, in a cached venv outside the clone) against openapi.yaml
# on a live server on embedded defaults (own port and data dir, like postman-run.sh), authenticated with a
# real token from a registered user. Every check (`--checks all`): no 5xx, every status, header, content type
# and body as the contract says, invalid input rejected, valid input accepted, auth enforced.
# Runs: every operation but the three that can end the caller's session, then each of those three on its own
# with a user of its own (POST /logout, DELETE /users/me and DELETE /users/me/sessions/{sid}: schemathesis
# reuses the sid it reads from GET /users/me/sessions, and once it had deleted the caller's own session the
# rest of the run, 2,000 requests, met only 401s). After the main run its token must still be accepted.
# One schemathesis worker: with two, Hypothesis' lambda-source cache raced once (a tool error, not a finding).
# Prints schemathesis' report (its pytest-style banners as plain text); exits non-zero on any failure. With
# SCHEMATHESIS_REPORT_DIR set, each run also writes a JUnit report there, schemathesis-NAME.xml (one test case
# per operation; CI adds them to its closing tally).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PORT="${SCHEMATHESIS_PORT:-3200}"
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-40}"
SEED="${SCHEMATHESIS_SEED:-$RANDOM}"
VENV="${SUBTRACKER_TOOLS_CACHE:-$HOME/.cache/subtracker-tools}/schemathesis-venv"
log() { echo "[schemathesis] $*" >&2; }

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$VERSION"; then
  log "installing schemathesis $VERSION from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi

data="$(mktemp -d)"
log="$data/server.log"
# node itself (not the npx/tsx wrappers) in its own process group: the stop reaches the server and the
# Temporal dev server it spawned.
PORT="$PORT" DATA_DIR="$data" TEMPORAL_DEV_PORT="${SCHEMATHESIS_TEMPORAL_PORT:-7400}" \
  TEMPORAL_UI_PORT="${SCHEMATHESIS_TEMPORAL_UI_PORT:-8400}" DEV_ENDPOINTS=true LOG_LEVEL="${SCHEMATHESIS_LOG_LEVEL:-warn}" \
  ACCESS_TOKEN_TTL_SECONDS=7200 APP_BASE_URL="http://localhost:$PORT" \
  setsid node --import tsx src/entry/dev.ts >"$log" 2>&1 &
server=$!
cleanup() {
  kill -INT "$server" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$server" 2>/dev/null || true
  if [[ -n "${SCHEMATHESIS_KEEP_LOG:-}" ]]; then cp "$log" "$SCHEMATHESIS_KEEP_LOG"; fi
  rm -rf "$data"
}
trap cleanup EXIT

base="http://127.0.0.1:$PORT"
for _ in $(seq 1 180); do
  if curl -fsS "$base/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "server exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null || { echo "server not ready:"; tail -50 "$log"; exit 1; }

# A real account and a real (fresh) access token.
token_for() {
  local email="$1" password="schemathesis-pw-1"
  curl -fsS -X POST "$base/register" -H 'content-type: application/json' \
    -d "{\"username\":\"fuzzer\",\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
  curl -fsS -X POST "$base/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" |
    "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
# The session enders: excluded from the main run, then one run each.
enders=('POST /logout' 'DELETE /users/me/sessions/{sid}' 'DELETE /users/me')
run() {
  local token="$1" name="$2"
  shift 2
  local report=()
  if [[ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]]; then
    report=(--report junit --report-junit-path "$SCHEMATHESIS_REPORT_DIR/schemathesis-$name.xml")
  fi
  "$VENV/bin/schemathesis" --config-file scripts/schemathesis.toml run openapi.yaml --url "$base" --checks all --workers 1 \
    --max-examples "$EXAMPLES" --seed "$SEED" --no-color --request-timeout 10 \
    --suppress-health-check too_slow,filter_too_much \
    -H "Authorization: Bearer $token" "${report[@]}" "$@" | sed -E -f scripts/schemathesis-banners.sed
}

status=0
# Every account before the fuzzing: the main run's POST /register calls spend the per-IP registration budget,
# and an ender that could not register would run with no token, meeting only 401s (a run that cannot fail).
main_token="$(token_for "fuzz-main@example.com")"
ender_tokens=()
for n in 1 2 3; do
  token="$(token_for "fuzz-ender-$n@example.com")"
  [[ -n "$token" ]] || { log "FAILED: no token for fuzz-ender-$n"; exit 1; }
  ender_tokens+=("$token")
done
excluded=()
for ender in "${enders[@]}"; do excluded+=(--exclude-name "$ender"); done
log "run 1: every operation but the session enders (max examples $EXAMPLES, seed $SEED)"
run "$main_token" main "${excluded[@]}" || status=$?
if ! curl -fsS -o /dev/null "$base/users/me" -H "Authorization: Bearer $main_token"; then
  log "FAILED: the main run's token is no longer accepted (a session ender ran in it)"
  status=1
fi
n=0
for ender in "${enders[@]}"; do
  n=$((n + 1))
  log "run $((n + 1)): $ender, as a user of its own"
  run "${ender_tokens[$((n - 1))]}" "ender-$n" --include-name "$ender" || status=$?
done
if ((status)); then
  log "FAILED (schemathesis exit $status); server log tail:"
  tail -40 "$log"
fi
exit "$status"
