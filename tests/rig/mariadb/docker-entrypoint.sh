#!/usr/bin/env bash
# Entrypoint of the rig's stand-in for the official mariadb image.  It follows
# that image's contract (MARIADB_* / MYSQL_* root password, database, user,
# *_FILE secrets, /docker-entrypoint-initdb.d) closely enough for dbarena's
# tests, on top of Debian's MariaDB packages.
set -Eeuo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

# Options only (docker run IMAGE --log-bin) mean "mariadbd with options";
# mysqld is the historical name, still used by many callers.
if [ "${1:0:1}" = '-' ]; then
    set -- mariadbd "$@"
fi
if [ "$1" = mysqld ]; then
    shift
    set -- mariadbd "$@"
fi

if [ "$1" != mariadbd ]; then
    exec "$@"
fi
shift # from here on "$@" holds only the server options

# RIG_SLOW_RESOLVER=1 (a rig knob, not the official image's): the server
# resolves each client's address, as Debian's default without
# skip-name-resolve does, through a resolver that never answers, so every
# connection is greeted only after the lookup times out (2 x 5 s).  The
# resolver is a bound UDP socket on the container's own loopback that never
# replies: queries neither leave the container nor get a quick ICMP refusal.
# The server must not cache the failure (host-cache-size=0 already).
if [ -n "${RIG_SLOW_RESOLVER:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo >&2 "error: RIG_SLOW_RESOLVER needs root"; exit 1; }
    # /etc/resolv.conf is a bind mount: rewrite it in place.
    printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:2\n' >/etc/resolv.conf
    sed -i '/^skip-name-resolve/d' /etc/mysql/mariadb.conf.d/90-docker.cnf
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:53",
            Proto => "udp") or die "rig: resolver: $!\n";
        my $q; 1 while defined $s->recv($q, 512);' &
    for _ in $(seq 50); do
        grep -q ':0035 ' /proc/net/udp && break
        sleep 0.1
    done
    echo "rig: slow resolver on 127.0.0.1:53, name resolution on"
fi

# MARIADB_X wins over MYSQL_X; X_FILE reads the value from a file (secrets).
env_pick() {
    local name=$1 v
    for v in "MARIADB_$name" "MYSQL_$name"; do
        if [ -n "${!v:-}" ]; then printf '%s' "${!v}"; return; fi
        local f=${v}_FILE
        if [ -n "${!f:-}" ]; then cat "${!f}"; return; fi
    done
}

# Quote for SQL string literals and identifiers respectively.
sql_str() { local s=${1//\\/\\\\}; s=${s//\'/\\\'}; printf "'%s'" "$s"; }
# shellcheck disable=SC2016
sql_id()  { printf '`%s`' "${1//\`/\`\`}"; }

as_root=""
if [ "$(id -u)" = 0 ]; then
    as_root=1
    # The datadir may be a fresh tmpfs (root-owned, mode 1777) or a volume.
    mkdir -p "$DATADIR" /run/mysqld
    chown mysql:mysql "$DATADIR" /run/mysqld
fi
user_opt=()
[ -n "$as_root" ] && user_opt=(--user=mysql)

if [ ! -d "$DATADIR/mysql" ]; then
    root_pw=$(env_pick ROOT_PASSWORD)
    allow_empty=$(env_pick ALLOW_EMPTY_ROOT_PASSWORD)
    [ -z "$allow_empty" ] && allow_empty=$(env_pick ALLOW_EMPTY_PASSWORD)
    random_root=$(env_pick RANDOM_ROOT_PASSWORD)
    if [ -z "$root_pw" ] && [ -n "$random_root" ]; then
        root_pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
        echo "GENERATED ROOT PASSWORD: $root_pw"
    fi
    if [ -z "$root_pw" ] && [ -z "$allow_empty" ]; then
        cat >&2 <<'EOF'
error: Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD
EOF
        exit 1
    fi
    root_host=$(env_pick ROOT_HOST)
    root_host=${root_host:-%}
    database=$(env_pick DATABASE)
    db_user=$(env_pick USER)
    db_pw=$(env_pick PASSWORD)

    echo "Initializing database files"
    # Server options (e.g. innodb page size) must match between install and
    # run, so pass them through like upstream; the binlog is not wanted for
    # the system tables.
    mariadb-install-db "${user_opt[@]}" --datadir="$DATADIR" "$@" \
        --skip-test-db --auth-root-authentication-method=normal \
        --skip-log-bin >/tmp/install-db.log 2>&1 ||
        { cat /tmp/install-db.log >&2; exit 1; }

    echo "Starting temporary server"
    # Socket only, so that nobody can connect before the users exist.
    # Caller's options first (--defaults-file must lead), ours override them.
    mariadbd "$@" "${user_opt[@]}" --skip-networking --socket="$SOCKET" \
        --wsrep-on=OFF --skip-slave-start &
    pid=$!
    for _ in $(seq 60); do
        if mariadb-admin --socket="$SOCKET" -uroot --silent ping >/dev/null 2>&1; then break; fi
        kill -0 "$pid" 2>/dev/null || { echo >&2 "error: temporary server died"; exit 1; }
        sleep 1
    done
    mariadb-admin --socket="$SOCKET" -uroot --silent ping >/dev/null ||
        { echo >&2 "error: temporary server did not start"; exit 1; }

    sql="SET @@SESSION.SQL_LOG_BIN=0;"
    # install-db also creates root@127.0.0.1, root@::1, root@<hostname> and
    # anonymous users; upstream keeps only root@localhost plus
    # root@MARIADB_ROOT_HOST (10.11 has no install-db option to skip them).
    sql+="DELETE FROM mysql.global_priv WHERE (User='root' AND Host<>'localhost') OR User='';"
    sql+="DELETE FROM mysql.proxies_priv WHERE User='root' AND Host<>'localhost';"
    sql+="FLUSH PRIVILEGES;"
    sql+="ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_str "$root_pw");"
    if [ "$root_host" != localhost ]; then
        sql+="CREATE USER 'root'@$(sql_str "$root_host") IDENTIFIED BY $(sql_str "$root_pw");"
        sql+="GRANT ALL PRIVILEGES ON *.* TO 'root'@$(sql_str "$root_host") WITH GRANT OPTION;"
        sql+="GRANT PROXY ON ''@'%' TO 'root'@$(sql_str "$root_host") WITH GRANT OPTION;"
    fi
    if [ -n "$database" ]; then
        sql+="CREATE DATABASE IF NOT EXISTS $(sql_id "$database");"
    fi
    if [ -n "$db_user" ] && [ -n "$db_pw" ]; then
        sql+="CREATE USER $(sql_str "$db_user")@'%' IDENTIFIED BY $(sql_str "$db_pw");"
        if [ -n "$database" ]; then
            sql+="GRANT ALL ON $(sql_id "$database").* TO $(sql_str "$db_user")@'%';"
        fi
    fi
    sql+="FLUSH PRIVILEGES;"
    # No password yet for root@localhost when this starts; the ALTER above
    # sets it, so later statements in the same session keep working.
    mariadb --socket="$SOCKET" -uroot --protocol=socket --batch -e "$sql"

    if [ -d /docker-entrypoint-initdb.d ]; then
        client=(mariadb --socket="$SOCKET" -uroot --protocol=socket --batch)
        [ -n "$root_pw" ] && client+=(--password="$root_pw")
        [ -n "$database" ] && client+=(--database="$database")
        for f in /docker-entrypoint-initdb.d/*; do
            # shellcheck disable=SC1090 # sourcing init scripts is the point
            case "$f" in
                *.sh)     echo "$0: running $f"; . "$f" ;;
                *.sql)    echo "$0: running $f"; "${client[@]}" <"$f" ;;
                *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "${client[@]}" ;;
                *)        ;;
            esac
        done
    fi

    echo "Stopping temporary server"
    kill "$pid"
    wait "$pid" || true
    echo
    echo 'MariaDB init process done. Ready for start up.'
    echo
fi

# Listen on all interfaces (Debian's 50-server.cnf says 127.0.0.1).  It goes
# first so that a --bind-address given by the caller still wins, but after
# --defaults-file & co., which the server only accepts as first option.
case "${1:-}" in
    --defaults-file=* | --defaults-extra-file=* | --no-defaults | --defaults-group-suffix=*)
        first=$1; shift
        set -- "$first" "${user_opt[@]}" --bind-address=0.0.0.0 "$@" ;;
    *)
        set -- "${user_opt[@]}" --bind-address=0.0.0.0 "$@" ;;
esac
exec mariadbd "$@"
