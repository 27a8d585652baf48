#!/usr/bin/env bash
# Test rig for dbarena: a local Docker daemon, a registry on 127.0.0.1:5000 and
# stand-in database images pushed to it.
#
# The product pulls postgres:16-alpine, mariadb:11, ... from Docker Hub, which is
# unreachable from the test machines; only the Debian archive is.  So we build
# images from Debian packages (PostgreSQL 15, MariaDB 10.11 in bookworm), push
# them under the names the product asks for when a registry mirror of
# 127.0.0.1:5000 is configured, and let tests point the product at that mirror.
# The tag says 16-alpine / 11 but the content is PG 15 / MariaDB 10.11 on Debian;
# the entrypoints follow the official images' env-var contract, which is what
# the product depends on.
#
# Idempotent: every step checks before it acts, and the expensive debootstrap
# output is cached, so a warm run takes a few seconds.
#
# Environment knobs (all optional):
#   RIG_MIRROR     Debian mirror URI for debootstrap (default: taken from apt's
#                  own sources, so the rig uses whatever the machine may reach)
#   RIG_CACHE      cache dir for rootfs tarballs (default /var/cache/dbarena-rig)
#   RIG_REBUILD=1  ignore cached rootfs tarballs and images, rebuild everything
set -Eeuo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${RIG_CACHE:-/var/cache/dbarena-rig}
STATE=/var/lib/dbarena-rig
REGISTRY=127.0.0.1:5000
REGISTRY_DATA=/var/lib/docker-registry
SUITE=bookworm
# Bump when the rootfs recipe (cleanup below) changes, to invalidate the cache.
ROOTFS_REV=1
LABEL=org.dbarena.rig.hash

log() { printf 'rig: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
on_err() { local rc=$?; log "error: command failed (exit $rc) at line $1: $2"; exit "$rc"; }
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

# Run a noisy command with its output in a log file; show the tail only on
# failure so CI logs stay short but failures stay diagnosable.
run_logged() {
    local logfile=$1; shift
    if ! "$@" >"$logfile" 2>&1; then
        log "error: '$*' failed; last lines of $logfile:"
        tail -n 30 "$logfile" | sed 's/^/rig:   /' >&2
        return 1
    fi
}

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"
mkdir -p "$CACHE" "$STATE"

# --- a. host packages ------------------------------------------------------
HOST_PKGS=(docker.io docker-registry debootstrap debian-archive-keyring
           postgresql-client mariadb-client iproute2 procps curl ca-certificates
           build-essential autoconf automake pkg-config libinih-dev
           libpcre2-dev libcmocka-dev libpq-dev libmariadb-dev python3 mandoc
           podman socat zsh bash-completion openssh-server openssh-client)

missing=()
for p in "${HOST_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    # Another apt run (e.g. a provisioning step) may hold the dpkg lock.
    while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do sleep 2; done
    log "installing ${missing[*]}"
    run_logged "$STATE/apt.log" apt-get update
    run_logged "$STATE/apt.log" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The docker 28 CLI (if installed in /usr/local/bin) defaults to BuildKit via the
# buildx plugin, which is not packaged here; the classic builder is enough.
if ! docker buildx version >/dev/null 2>&1; then
    export DOCKER_BUILDKIT=0
fi

# --- b. docker daemon --------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
    log "starting dockerd"
    # No systemd in the container; setsid+nohup detach it from this script's
    # session so it outlives us, and </dev/null because CI may give no stdin.
    # iptables is unavailable/unwanted here; published ports still work via
    # docker-proxy.
    setsid nohup dockerd --iptables=false --ip-masq=false \
        >/var/log/dbarena-rig-dockerd.log 2>&1 </dev/null &
    for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && break
        sleep 1
    done
    docker info >/dev/null 2>&1 ||
        die "dockerd did not come up in 60 s; see /var/log/dbarena-rig-dockerd.log"
fi

# --- c. registry on 127.0.0.1:5000 -------------------------------------------
if ! curl -fsS -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null; then
    log "starting registry on $REGISTRY"
    # Debian's /etc/docker/registry/config.yml enables htpasswd auth and listens
    # on all interfaces; we want an open registry on loopback only, so use our
    # own config.  Docker allows plain HTTP to 127.0.0.0/8 without daemon config.
    mkdir -p "$REGISTRY_DATA"
    cat >"$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $REGISTRY_DATA
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
    setsid nohup docker-registry serve "$STATE/registry.yml" \
        >/var/log/dbarena-rig-registry.log 2>&1 </dev/null &
    for _ in $(seq 30); do
        curl -fsS -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null && break
        sleep 1
    done
    curl -fsS -o /dev/null "http://$REGISTRY/v2/" ||
        die "registry did not answer on $REGISTRY; see /var/log/dbarena-rig-registry.log"
fi

# --- c2. podman (t0220 runs the lifecycle on it) ----------------------------
# Rootful podman 4.3 with netavark. Its runtime here may not raise rlimits
# above the container's own, so containers get fixed ones; and it pulls the
# stand-ins straight from the registry, over plain HTTP, like docker does.
PODMAN_CONF=/etc/containers/containers.conf.d/50-dbarena-rig.conf
PODMAN_REGS=/etc/containers/registries.conf.d/50-dbarena-rig.conf
write_if_changed() {
    local f=$1 want
    want=$(cat)
    [ -f "$f" ] && [ "$(cat "$f")" = "$want" ] && return 0
    mkdir -p "$(dirname "$f")"
    printf '%s\n' "$want" >"$f"
    log "wrote $f"
}
write_if_changed "$PODMAN_CONF" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
EOF
write_if_changed "$PODMAN_REGS" <<EOF
[[registry]]
location = "$REGISTRY"
insecure = true
EOF

# podman_sync REPO HASH TAG...: podman's store holds this build of each tag.
podman_sync() {
    local repo=$1 hash=$2 tag ref; shift 2
    for tag in "$@"; do
        ref=$REGISTRY/$repo:$tag
        [ "$(podman image inspect -f "{{index .Labels \"$LABEL\"}}" "$ref" 2>/dev/null)" = "$hash" ] && continue
        log "podman: pulling $ref"
        run_logged "$STATE/podman-pull.log" podman pull "$ref"
    done
}

# --- c3. sshd, an ssh alias and a docker context over ssh (t0290) -----------
"$RIG_DIR/ssh.sh"

# --- d. stand-in images --------------------------------------------------------

# Mirror for debootstrap: the bookworm entry of apt's own sources, so we never
# hard-code a host and always use what this machine is allowed to reach.
# Prints "URI [KEYRING]"; the keyring is the stanza's Signed-By when that is a
# file path (otherwise debootstrap's default keyring applies).
find_mirror() {
    if [ -n "${RIG_MIRROR:-}" ]; then echo "$RIG_MIRROR"; return; fi
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        # deb822: stanzas separated by blank lines; take the first URI of a
        # "Types: deb" stanza whose Suites include exactly "bookworm".
        uri=$(awk -v suite="$SUITE" '
            function flush() {
                if (deb && hit && uri != "") { print uri, key; found = 1; exit }
                deb = hit = 0; uri = key = ""
            }
            /^[[:space:]]*$/ { flush(); next }
            /^[[:space:]]*#/ { next }
            tolower($1) == "types:"     { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
            tolower($1) == "suites:"    { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
            tolower($1) == "uris:"      { uri = $2 }
            tolower($1) == "signed-by:" { if ($2 ~ /^\//) key = $2 }
            END { if (!found) flush() }' "$f")
        if [ -n "$uri" ]; then echo "$uri"; return; fi
    done
    # One-line format: "deb [opts] URI bookworm components..."
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -e "$f" ] || continue
        uri=$(sed -E 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }')
        if [ -n "$uri" ]; then echo "$uri"; return; fi
    done
    return 1
}

# Unmount anything debootstrap left mounted under $1 (it mounts /proc, /sys
# and possibly /dev in the target), deepest first, so that neither tar nor
# rm ever walks into the host's pseudo filesystems.
unmount_under() {
    local m
    awk -v d="$1" 'index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

cleanup_root() {
    local dir=$1
    [ -d "$dir" ] || return 0
    unmount_under "$dir"
    rm -rf --one-file-system "$dir"
}

# Remove what a database server never needs at runtime, to keep the image small.
slim_root() {
    local r=$1
    rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* \
           "$r"/usr/share/lintian "$r"/usr/share/linda \
           "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/* "$r"/var/cache/debconf/*-old \
           "$r"/var/lib/dpkg/*-old "$r"/var/cache/ldconfig/aux-cache
    # Translations are useless in a C.UTF-8 container.
    find "$r"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    find "$r"/var/log -type f -delete
    # Package postinsts initialise default data directories; the entrypoints
    # create their own on first start, on the (possibly empty) mounted volume.
    rm -rf "$r"/var/lib/postgresql/[0-9]* "$r"/etc/postgresql/[0-9]*
    if [ -d "$r"/var/lib/mysql ]; then find "$r"/var/lib/mysql -mindepth 1 -delete; fi
    # PostgreSQL's JIT provider drags in LLVM (~100 MB); without the provider
    # the server silently runs with JIT unavailable, which tests don't care about.
    rm -rf "$r"/usr/lib/postgresql/*/lib/llvmjit* "$r"/usr/lib/postgresql/*/lib/bitcode
    rm -f "$r"/usr/lib/*-linux-gnu/libLLVM-*.so* "$r"/usr/lib/*-linux-gnu/libz3.so*
    # Locale sources are only for locale-gen; C.UTF-8 is built into glibc.
    rm -rf "$r"/usr/share/i18n
    # Avoid a stale apt sources file pointing at the build-time mirror.
    : >"$r"/etc/apt/sources.list
}

# ensure_rootfs NAME PACKAGES -> prints path of a cached rootfs tarball.
ensure_rootfs() {
    local name=$1 pkgs=$2 hash tarball mirror keyring work args
    hash=$(printf '%s|%s|%s|%s' "$SUITE" "$pkgs" "$ROOTFS_REV" "$(declare -f slim_root)" | sha256sum | cut -c1-12)
    tarball=$CACHE/rootfs-$name-$hash.tar
    if [ -s "$tarball" ] && [ -z "${RIG_REBUILD:-}" ]; then echo "$tarball"; return; fi
    read -r mirror keyring < <(find_mirror) || true
    [ -n "$mirror" ] || die "no '$SUITE' entry in apt sources; set RIG_MIRROR"
    work=$CACHE/work-$name
    cleanup_root "$work"
    log "debootstrap $name ($pkgs); takes a few minutes, log in $CACHE/debootstrap-$name.log"
    # minbase + --include installs only Depends (no Recommends), as wanted.
    # --cache-dir keeps the .debs so a recipe change does not refetch them.
    args=(--variant=minbase --include="$pkgs" --cache-dir="$CACHE/debs")
    if [ -n "$keyring" ] && [ -f "$keyring" ]; then args+=(--keyring="$keyring"); fi
    mkdir -p "$CACHE/debs"
    if ! run_logged "$CACHE/debootstrap-$name.log" debootstrap "${args[@]}" "$SUITE" "$work" "$mirror"; then
        cleanup_root "$work"
        die "debootstrap of the $name rootfs from $mirror failed"
    fi
    unmount_under "$work"
    slim_root "$work"
    # Device nodes and pseudo filesystems are provided by the container runtime.
    tar --numeric-owner --xattrs -C "$work" \
        --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./run/* \
        -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    cleanup_root "$work"
    # Drop tarballs of older recipes.
    find "$CACHE" -maxdepth 1 -name "rootfs-$name-*.tar" ! -name "${tarball##*/}" -delete
    log "cached $tarball ($(du -h "$tarball" | cut -f1))"
    echo "$tarball"
}

# Digest of REPO:TAG in the registry (empty if absent).
registry_digest() {
    curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null |
        tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

# Whether the image config of REPO:TAG in the registry carries label hash HASH.
# (Responses are captured first: `curl | grep -q` can fail under pipefail.)
registry_has_hash() {
    local manifest cfg config
    manifest=$(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null) || return 1
    # In a schema 2 manifest the config descriptor comes before the layers.
    cfg=$(grep -o '"digest": *"sha256:[0-9a-f]*"' <<<"$manifest" | grep -o 'sha256:[0-9a-f]*') || return 1
    config=$(curl -fsS "http://$REGISTRY/v2/$1/blobs/${cfg%%$'\n'*}" 2>/dev/null) || return 1
    grep -q "\"$LABEL\": *\"$3\"" <<<"$config"
}

local_hash() {
    docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true
}

# ensure_image REPO PACKAGES TAG... : make every REGISTRY/REPO:TAG exist locally
# and in the registry, built from tests/rig/REPO with a rootfs of PACKAGES.
ensure_image() {
    local repo=$1 pkgs=$2; shift 2
    local tags=("$@") ctx=$RIG_DIR/$repo hash tag ref need_build="" tarball base digest
    [ -f "$ctx/Dockerfile" ] || die "missing $ctx/Dockerfile"
    # The image is identified by its inputs: rootfs recipe + build context.
    hash=$( { printf '%s|%s|%s|%s\n' "$SUITE" "$pkgs" "$ROOTFS_REV" "$(declare -f slim_root)"
              (cd "$ctx" && find . -type f | LC_ALL=C sort | xargs sha256sum); } | sha256sum | cut -c1-16)
    if [ -n "${RIG_REBUILD:-}" ]; then need_build=1; fi

    if [ -z "$need_build" ]; then
        for tag in "${tags[@]}"; do
            ref=$REGISTRY/$repo:$tag
            [ "$(local_hash "$ref")" = "$hash" ] && continue
            # Deleted locally (e.g. by a cold-pull test) but current in the
            # registry: pulling is much cheaper than building.
            if registry_has_hash "$repo" "$tag" "$hash"; then
                log "pulling $ref"
                run_logged "$STATE/pull.log" docker pull "$ref"
                continue
            fi
            need_build=1
        done
    fi

    if [ -n "$need_build" ]; then
        tarball=$(ensure_rootfs "$repo" "$pkgs") || exit 1
        base=dbarena-rig/$repo-rootfs:$hash
        log "building $repo image"
        run_logged "$STATE/import-$repo.log" docker import "$tarball" "$base"
        local tflags=()
        for tag in "${tags[@]}"; do tflags+=(-t "$REGISTRY/$repo:$tag"); done
        run_logged "$STATE/build-$repo.log" docker build --build-arg "BASE=$base" \
            --label "$LABEL=$hash" "${tflags[@]}" "$ctx"
        # Untag the bare rootfs so removing the REGISTRY tags really frees the
        # layers (tests doing a cold pull rely on that); drop superseded builds.
        docker rmi "$base" >/dev/null
        docker image prune -f --filter "label=$LABEL" >/dev/null
    fi

    # Push unless the registry already serves exactly this local image.
    local repo_digests
    for tag in "${tags[@]}"; do
        ref=$REGISTRY/$repo:$tag
        digest=$(registry_digest "$repo" "$tag") || digest=""
        repo_digests=$(docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$ref")
        if [ -n "$digest" ] && grep -qx "$REGISTRY/$repo@$digest" <<<"$repo_digests"; then
            continue
        fi
        log "pushing $ref"
        run_logged "$STATE/push.log" docker push "$ref"
    done
    podman_sync "$repo" "$hash" "${tags[@]}"
    log "$repo: ${tags[*]} up to date"
}

ensure_image postgres "postgresql" 16-alpine 15-alpine
ensure_image mariadb "mariadb-server" 11 10.11

# --- e. done -------------------------------------------------------------------
log "ready"
