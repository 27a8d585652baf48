# A PostgreSQL image with its data directory initialised at build time,
# rendered by "dbarena images build postgres". Placeholders in braces are
# filled in by dbarena; see dbarena(1), images build.
#
# Stage 1 runs the stock image's own entrypoint once, as a first start
# would, with the profile's server flags, until the real server answers
# on TCP; then stops it cleanly. Its data directory is the seed.
FROM {base} AS seed
ENV PGDATA=/dbarena-seed \
    POSTGRES_USER={user} \
    POSTGRES_DB={database}
ARG POSTGRES_PASSWORD
RUN set -e; \
    ( {entrypoint_sh} postgres -c listen_addresses=127.0.0.1 {flags} & ); \
    i=0; until pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER"; do \
        i=$((i + 1)); [ $i -lt 1200 ] || exit 1; sleep 0.1; done; \
    kill -INT "$(head -1 "$PGDATA/postmaster.pid")"; \
    while [ -e "$PGDATA/postmaster.pid" ]; do sleep 0.1; done

# Stage 2: the stock image, the seed, and a wrapper entrypoint that
# copies the seed into the (empty, tmpfs) data directory at start. Only
# the data directory travels between the stages; nothing else changes.
FROM {base}
COPY --from=seed /dbarena-seed /dbarena-seed
COPY dbarena-seed /usr/local/bin/dbarena-seed
ENV DBARENA_DATA_DIR={data_dir}
LABEL dbarena.seeded="{engine}/{version}/{profile}"
ENTRYPOINT {entrypoint_json}
