#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: builds the compose CLI plugin once with go install
# (about 3 min cold; newer tags refuse go install), caches it beside the Temporal tools, links it as
# ~/.docker/cli-plugins/docker-compose, then runs `docker compose config -q` with .env.example.
set -euo pipefail

VERSION="${DOCKER_COMPOSE_VERSION:-v2.28.1}"
CACHE="${SUBTRACKER_TOOLS_CACHE:-$HOME/.cache/subtracker-tools}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
dir="$CACHE/docker-compose-$VERSION"
log() { echo "[compose-check] $*" >&2; }

if [[ ! -x "$dir/docker-compose" ]]; then
  log "building the docker compose plugin $VERSION with go install (about 3 min cold)"
  start=$SECONDS
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  CGO_ENABLED=0 GOBIN="$dir.tmp" go install "github.com/docker/compose/v2/cmd@$VERSION"
  mv "$dir.tmp/cmd" "$dir.tmp/docker-compose"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  log "built in $((SECONDS - start)) s"
fi
mkdir -p "$HOME/.docker/cli-plugins"
ln -sfn "$dir/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"

command -v docker >/dev/null || { log "the docker client is missing (apt-get install docker.io provides it)"; exit 1; }
cd "$ROOT"
# .env.example leaves the payload keys empty (compose refuses to start without them): a throwaway key here.
TEMPORAL_PAYLOAD_KEYS="${TEMPORAL_PAYLOAD_KEYS:-check:$(head -c 32 /dev/urandom | base64)}"
export TEMPORAL_PAYLOAD_KEYS
docker compose --env-file .env.example -f docker-compose.yml config -q
log "docker-compose.yml is valid ($(docker compose --env-file .env.example config --services | tr '\n' ' '))"
