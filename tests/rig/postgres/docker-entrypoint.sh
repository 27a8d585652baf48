#!/usr/bin/env bash
# Entrypoint of the rig's stand-in for the official postgres image.  It follows
# that image's contract (POSTGRES_USER/PASSWORD/DB, PGDATA,
# POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, *_FILE secrets,
# /docker-entrypoint-initdb.d) closely enough for dbarena's tests, on top of
# Debian's PostgreSQL packages.
set -Eeuo pipefail

# VAR_FILE=/path reads VAR from a file (docker secrets), as upstream does.
file_env() {
    local var=$1 file=${1}_FILE def=${2:-}
    if [ -n "${!var:-}" ] && [ -n "${!file:-}" ]; then
        echo >&2 "error: both $var and $file are set (but are exclusive)"
        exit 1
    fi
    local val=$def
    if [ -n "${!var:-}" ]; then
        val=${!var}
    elif [ -n "${!file:-}" ]; then
        val=$(<"${!file}")
    fi
    export "$var"="$val"
    unset "$file"
}

# Options only (docker run IMAGE -c fsync=off) mean "postgres with options".
if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" != postgres ]; then
    exec "$@"
fi

export PGDATA=${PGDATA:-/var/lib/postgresql/data}

if [ "$(id -u)" = 0 ]; then
    # PGDATA may be a fresh tmpfs (root-owned, mode 1777) or a named volume;
    # either way the server insists on owning it with mode 0700.
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    mkdir -p /var/run/postgresql
    chown postgres:postgres /var/run/postgresql
    chmod 3775 /var/run/postgresql
    # Re-run ourselves unprivileged: initdb refuses root, and files created
    # below (and the pwfile pipe) must belong to postgres.
    exec setpriv --reuid=postgres --regid=postgres --init-groups bash "${BASH_SOURCE[0]}" "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        cat >&2 <<'EOF'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
EOF
        exit 1
    fi

    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    initdb_args=(--username="$POSTGRES_USER" -E UTF8 --auth-local=trust --auth-host="$auth")
    # Word splitting of POSTGRES_INITDB_ARGS is intended, as upstream.
    # The pwfile pipe must be created on the initdb command line itself (it is
    # closed once that command ends), and is readable because we already run
    # as postgres.
    # shellcheck disable=SC2086
    if [ -n "$POSTGRES_PASSWORD" ]; then
        initdb "${initdb_args[@]}" --pwfile=<(printf %s "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
    else
        initdb "${initdb_args[@]}" $POSTGRES_INITDB_ARGS
    fi

    printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
    # Clients come from outside the container (the docker bridge).  The first
    # line also covers logical replication (pg_recvlogical names a database);
    # the second lets physical replication clients (pg_basebackup) in too.
    {
        echo
        echo "host all all all $auth"
        echo "host replication all all $auth"
    } >>"$PGDATA/pg_hba.conf"

    # Like upstream, finish setup on a temporary server reachable only through
    # the unix socket, so nobody can connect before setup is done.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start

    psql_cmd=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "$POSTGRES_USER")
    if [ "$POSTGRES_DB" != postgres ]; then
        "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db" ;
EOSQL
    fi

    if [ -d /docker-entrypoint-initdb.d ]; then
        for f in /docker-entrypoint-initdb.d/*; do
            # shellcheck disable=SC1090 # sourcing init scripts is the point
            case "$f" in
                *.sh)     echo "$0: running $f"; . "$f" ;;
                *.sql)    echo "$0: running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
                *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" ;;
                *)        ;;
            esac
        done
    fi

    pg_ctl -D "$PGDATA" -m fast -w stop
    echo
    echo 'PostgreSQL init process complete; ready for start up.'
    echo
fi

exec "$@"
