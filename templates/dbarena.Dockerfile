# dbarena in a container: the program, its engines and profiles, and the
# docker command line client it drives, running as an unprivileged user.
#
# Build from a checkout (BuildKit, the default builder since Docker 23):
#
#   docker build -f templates/dbarena.Dockerfile -t dbarena .
#
# Run it against the host's engine through its socket (the group of the
# socket gives the unprivileged user access to it):
#
#   docker run --rm -v /var/run/docker.sock:/var/run/docker.sock \
#       --group-add "$(stat -c %g /var/run/docker.sock)" dbarena list
#
# Stages: deps (compiler, autotools, libraries), build (configure, make,
# make install into /out), docker-cli (Debian's docker.io, of which only the
# client binary is kept) and the final runtime stage.
#
# BASE is the image the build stages start from and RUNTIME_BASE the one the
# final image starts from; both default to Debian 12 slim. Each apt step
# first checks for what it would install and does nothing if it is there,
# so a base that already has the packages needs no network: .ci/build-image
# builds here, with no Docker Hub and no network in build containers, from
# bases it makes with debootstrap. The apt steps use BuildKit cache mounts;
# the classic builder does not know RUN --mount, and .ci/build-image drops
# those flags when it has to use that builder.
#
# The context is a source tree: a git checkout or an unpacked release
# tarball. A tree configured in place is cleaned with make distclean first.

ARG BASE=debian:bookworm-slim
ARG RUNTIME_BASE=${BASE}

# ---------------------------------------------------------------- deps
FROM ${BASE} AS deps
ARG DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    set -eu; \
    missing=; \
    for p in build-essential autoconf automake pkg-config libinih-dev libpcre2-dev; do \
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || \
            missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
        rm -f /etc/apt/apt.conf.d/docker-clean; \
        apt-get update; \
        apt-get install -y --no-install-recommends $missing; \
    fi

# ---------------------------------------------------------------- build
FROM deps AS build
WORKDIR /src
COPY . .
RUN set -eu; \
    if [ -f Makefile ]; then make distclean >/dev/null 2>&1 || true; fi; \
    if [ -f config.status ]; then \
        echo "the build context is a configured tree and make distclean failed;" \
             "build from a clean checkout (git clean -xdf, or git archive)" >&2; \
        exit 1; \
    fi; \
    autoreconf -fi; \
    ./configure --prefix=/usr --sysconfdir=/etc; \
    make -j"$(nproc)"; \
    make install-strip DESTDIR=/out; \
    rm -rf /out/usr/share/man; \
    /out/usr/bin/dbarena --version

# ---------------------------------------------------------------- docker-cli
FROM ${BASE} AS docker-cli
ARG DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    set -eu; \
    if ! dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q 'install ok installed'; then \
        rm -f /etc/apt/apt.conf.d/docker-clean; \
        apt-get update; \
        apt-get install -y --no-install-recommends docker.io; \
    fi; \
    /usr/bin/docker --version

# ---------------------------------------------------------------- runtime
# Without a cache mount (classic builder) apt's lists would stay in the
# final image: they are removed unless /var/lib/apt/lists is a mount.
FROM ${RUNTIME_BASE} AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    set -eu; \
    missing=; \
    for p in libinih1 libpcre2-8-0; do \
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || \
            missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
        apt-get update; \
        apt-get install -y --no-install-recommends $missing; \
        if ! mountpoint -q /var/lib/apt/lists; then rm -rf /var/lib/apt/lists/*; fi; \
    fi; \
    useradd --system --uid 10001 --user-group --create-home \
        --home-dir /home/dbarena --shell /usr/sbin/nologin dbarena

COPY --from=docker-cli /usr/bin/docker /usr/bin/docker
COPY --from=build /out/ /

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="dbarena" \
      org.opencontainers.image.description="Databases in Docker containers, tuned for what you are doing" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="ISC"

# Numeric, so that runtimes can tell it is not root without /etc/passwd.
USER 10001:10001
WORKDIR /home/dbarena
ENTRYPOINT ["dbarena"]
CMD ["--help"]
