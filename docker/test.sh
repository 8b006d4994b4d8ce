#!/usr/bin/env bash
# npm run test:docker: builds the images, runs one operator's node with compose.node.yml (secret
# from a file; non-root, healthy, metrics, clean stop), then brings the whole stack up with
# compose.stack.yml, runs the example app against it (npm run demo) and tears everything down. Needs a running Docker engine and the npm registry (the image build
# runs npm ci). Not part of npm test.
#
# BASE: the base image. Unset, a local stand-in for node:20-bookworm-slim is built (no image
# registry needed): Debian bookworm from debootstrap (local/bookworm:base, made once if missing)
# plus this machine's node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }

docker info >/dev/null 2>&1 || { echo "no Docker engine answers (start dockerd, e.g. dockerd &)"; exit 1; }
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
STACK=(-f docker/compose.stack.yml -p dan-node-test)
NODE=(-f docker/compose.node.yml -p dan-node-test-node)
WORK=$(mktemp -d)
cleanup() {
  "${COMPOSE[@]}" "${NODE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  "${COMPOSE[@]}" "${STACK[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${BASE:-}" ]; then
  BASE=local/node:20-bookworm
  step "stand-in base image $BASE"
  if ! docker image inspect local/bookworm:base >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || { echo "debootstrap is needed to make local/bookworm:base (apt-get install -y debootstrap)"; exit 1; }
    debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian
    tar -C "$WORK/rootfs" -c . | docker import - local/bookworm:base
  fi
  mkdir -p "$WORK/base/npm"
  cp "$(readlink -f "$(command -v node)")" "$WORK/base/node"
  cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/." "$WORK/base/npm/"
  # This machine's CA bundle too: the way to the npm registry may pass a TLS proxy with its own CA.
  cp /etc/ssl/certs/ca-certificates.crt "$WORK/base/ca-certificates.crt"
  cat > "$WORK/base/Dockerfile" <<'DOCKERFILE'
FROM local/bookworm:base
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
DOCKERFILE
  docker build -q --network host -t "$BASE" "$WORK/base"
fi
export BASE

step "one operator's node (compose.node.yml): init, start, healthy, non-root, metrics, clean stop"
head -c 32 /dev/urandom | base64 > "$WORK/secret" && chmod 0644 "$WORK/secret"
export DAN_NODE_SECRET_PATH="$WORK/secret"
"${COMPOSE[@]}" "${NODE[@]}" build 2>&1 | tail -n 2
"${COMPOSE[@]}" "${NODE[@]}" run --rm node init --home /var/lib/dan-node --network docker-test --listen /ip4/127.0.0.1/tcp/7690 --no-secret-file
"${COMPOSE[@]}" "${NODE[@]}" up -d
CONTAINER=$("${COMPOSE[@]}" "${NODE[@]}" ps -q node)
for _ in $(seq 60); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER")" = healthy ] && break
  sleep 2
done
echo "health: $(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER")"
[ "$(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER")" = healthy ]
echo "user in the container: $(docker exec "$CONTAINER" id)"
[ "$(docker exec "$CONTAINER" id -u)" = 10001 ]
curl -sf http://127.0.0.1:9464/metrics | grep -E '^dan_build_info|^process_resident_memory_bytes'
"${COMPOSE[@]}" "${NODE[@]}" stop -t 30
echo "stopped: exit code $(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")" = 0 ]
"${COMPOSE[@]}" "${NODE[@]}" down -v

step "build and start the whole stack (compose.stack.yml)"
"${COMPOSE[@]}" "${STACK[@]}" build 2>&1 | tail -n 3
"${COMPOSE[@]}" "${STACK[@]}" up -d
MASTER=$("${COMPOSE[@]}" "${STACK[@]}" ps -q master)
echo "waiting for the master key (the nodes are up and connected first)"
[ "$(docker wait "$MASTER")" = 0 ] || { "${COMPOSE[@]}" "${STACK[@]}" logs master; exit 1; }
"${COMPOSE[@]}" "${STACK[@]}" ps

step "npm run demo against the stack"
docker cp "$("${COMPOSE[@]}" "${STACK[@]}" ps -q node0)":/devnet/devnet.json "$WORK/devnet.json"
DEVNET_JSON="$WORK/devnet.json" npm run --silent demo | tee "$WORK/demo.out"
tail -n 1 "$WORK/demo.out" | grep -q '"success":true'

step "tear down"
"${COMPOSE[@]}" "${STACK[@]}" down -v --remove-orphans
echo "test:docker passed in ${SECONDS}s"
