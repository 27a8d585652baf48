# Sourced by bench/run.sh: reset in place (issue 12) of a database holding
# 50 tables and 10,000 rows, made by an --init script, so that reset
# restores the initial snapshot create took. PostgreSQL against destroy +
# create of the same database (what users did before); MariaDB against a
# dump and a reload through the clients on this side. Each run of a row
# alternates with its baseline's. The limit of the PostgreSQL row is the
# server's own copy of the template, as the server times it (no client
# start, no login, no session ending, no swap).

# The fixture: 50 tables of 200 rows, in the engine's dialect ($1).
snapshot_fixture() {
	local i
	for i in $(seq 50); do
		if [ "$1" = postgres ]; then
			echo "CREATE TABLE t$i (id int PRIMARY KEY, v text);"
			echo "INSERT INTO t$i SELECT g, md5(g::text) FROM generate_series(1, 200) g;"
		else
			echo "CREATE TABLE t$i (id int PRIMARY KEY, v varchar(40));"
			echo "INSERT INTO t$i SELECT seq, MD5(seq) FROM seq_1_to_200;"
		fi
	done
}

# Waits until the spare a reset or clone left to the server of the URL $1
# is made: that session holds the database's lock until then, an advisory
# lock of the database dbarena connects to, postgres.
settled() {
	psql "${1%/*}/postgres" -X -q -c "SELECT pg_advisory_lock(hashtext('dbarena:dbarena'))" >/dev/null
}

bench_snapshot_pg() {
	local name="${PREFIX}snap" resets=() colds=() remakes=() copies=() i t0 t1 url
	snapshot_fixture postgres >"$WORK/pg.sql"
	"$DBARENA" create --no-pool postgres --name "$name" --init "$WORK/pg.sql" \
	    --quiet >/dev/null || return 1
	url=$("$DBARENA" url "$name")
	for i in $(seq "$RUNS"); do
		# The loop: the spare the last reset (or create) left.
		psql "$url" -X -q -c "INSERT INTO t1 VALUES (100000 + $i, 'x')" || return 1
		t0=$(ns)
		"$DBARENA" reset "$name" >/dev/null || return 1
		t1=$(ns); resets+=($(( (t1 - t0) / 1000000 )))
		# No spare: the reset copies the snapshot on its path.
		settled "$url" && "$DBARENA" clone drain "$name" >/dev/null || return 1
		psql "$url" -X -q -c "INSERT INTO t1 VALUES (200000 + $i, 'x')" || return 1
		t0=$(ns)
		"$DBARENA" reset "$name" >/dev/null || return 1
		t1=$(ns); colds+=($(( (t1 - t0) / 1000000 )))
		settled "$url" || return 1
		# The server's own time for the copy (psql's \timing), without
		# psql's start and login, which here cost more than the copy.
		copies+=($(psql "${url%/*}/postgres" -X -q -c '\timing on' \
		    -c "CREATE DATABASE bench_copy TEMPLATE dbarena_snap_dbarena_initial STRATEGY FILE_COPY" |
		    sed -n 's/^Time: \([0-9]*\).*/\1/p'))
		psql "${url%/*}/postgres" -X -q -c "DROP DATABASE bench_copy" || return 1
		t0=$(ns)
		"$DBARENA" destroy "$name" >/dev/null 2>&1 &&
		"$DBARENA" create --no-pool postgres --name "$name" \
		    --init "$WORK/pg.sql" --quiet >/dev/null || return 1
		t1=$(ns); remakes+=($(( (t1 - t0) / 1000000 )))
		url=$("$DBARENA" url "$name")
	done
	docker rm -f -v "$name" >/dev/null
	local r m
	local c
	r=$(median "${resets[@]}"); m=$(median "${remakes[@]}")
	c=$(median "${colds[@]}")
	row "reset, postgres, 50 tables / 10,000 rows" "$(spread ms "${resets[@]}")" \
	    "$(spread ms "${remakes[@]}") (destroy + create --init)" \
	    "$(spread ms "${copies[@]}") (the server's CREATE DATABASE ... TEMPLATE)" \
	    "$(ratio "$m" "$r" 1) x faster" "<= 60 ms, >= 15x" \
	    "$(python3 -c "print('met' if $r <= 60 and $m / $r >= 15 else 'MISSED')")"
	row "reset, postgres, no spare (copies on its path)" "$(spread ms "${colds[@]}")" \
	    "$(spread ms "${remakes[@]}") (destroy + create --init)" "-" \
	    "$(ratio "$m" "$c" 1) x faster" "<= 60 ms, >= 15x" \
	    "$(python3 -c "print('met' if $c <= 60 and $m / $c >= 15 else 'MISSED')")"
}

bench_snapshot_my() {
	local name="${PREFIX}snapmy" resets=() reloads=() i t0 t1 h p pw
	snapshot_fixture mariadb >"$WORK/my.sql"
	"$DBARENA" create --no-pool mariadb --name "$name" --init "$WORK/my.sql" \
	    --quiet >/dev/null || return 1
	"$DBARENA" inspect "$name" --format json >"$WORK/my.json"
	h=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["host"])' <"$WORK/my.json")
	p=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["port"])' <"$WORK/my.json")
	pw=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])' <"$WORK/my.json")
	for i in $(seq "$RUNS"); do
		MYSQL_PWD=$pw mariadb --protocol=tcp -h "$h" -P "$p" -u root dbarena \
		    -e "INSERT INTO t1 VALUES (100000 + $i, 'x')" || return 1
		t0=$(ns)
		"$DBARENA" reset "$name" >/dev/null || return 1
		t1=$(ns); resets+=($(( (t1 - t0) / 1000000 )))
		t0=$(ns)
		MYSQL_PWD=$pw mariadb-dump --protocol=tcp -h "$h" -P "$p" -u root \
		    dbarena >"$WORK/dump.sql" &&
		MYSQL_PWD=$pw mariadb --protocol=tcp -h "$h" -P "$p" -u root \
		    dbarena <"$WORK/dump.sql" || return 1
		t1=$(ns); reloads+=($(( (t1 - t0) / 1000000 )))
	done
	docker rm -f -v "$name" >/dev/null
	local r b
	r=$(median "${resets[@]}"); b=$(median "${reloads[@]}")
	row "reset, mariadb, 50 tables / 10,000 rows" "$(spread ms "${resets[@]}")" \
	    "$(spread ms "${reloads[@]}") (mariadb-dump + reload)" "-" \
	    "$(ratio "$b" "$r" 1) x faster" "<= 200 ms" "$(verdict "$r" le 200)"
}

# Per-test databases: "dbarena clone NAME" end to end (docker inspect,
# login, lock, the rename of the spare the last clone left, or the copy
# of the initial snapshot when there is none), each followed by the
# smallest test (one psql INSERT into the clone), and "clone --count 20"
# against one copied; each run gives its clones back. The limit is the
# server's own copy (as above).
bench_clone_pg() {
	local name="${PREFIX}clone" ones=() colds=() twenties=() copies=() i t0 t1 url one
	snapshot_fixture postgres >"$WORK/pg.sql"
	"$DBARENA" create --no-pool postgres --name "$name" --init "$WORK/pg.sql" \
	    --quiet >/dev/null || return 1
	url=$("$DBARENA" url "$name")
	for i in $(seq "$RUNS"); do
		settled "$url" && "$DBARENA" clone drain "$name" >/dev/null || return 1
		t0=$(ns)
		one=$("$DBARENA" clone "$name" -q) || return 1
		t1=$(ns); colds+=($(( (t1 - t0) / 1000000 )))
		# The test that uses it, the smallest there is.
		psql "$one" -X -q -c "INSERT INTO t1 VALUES (100000, 'x')" || return 1
		t0=$(ns)
		one=$("$DBARENA" clone "$name" -q) || return 1
		t1=$(ns); ones+=($(( (t1 - t0) / 1000000 )))
		psql "$one" -X -q -c "INSERT INTO t1 VALUES (100000, 'x')" || return 1
		"$DBARENA" clone rm "$name" --all >/dev/null || return 1
		settled "$url" && "$DBARENA" clone drain "$name" >/dev/null || return 1
		t0=$(ns)
		"$DBARENA" clone "$name" --count 20 -q >/dev/null || return 1
		t1=$(ns); twenties+=($(( (t1 - t0) / 1000000 )))
		"$DBARENA" clone rm "$name" --all >/dev/null || return 1
		settled "$url" || return 1
		copies+=($(psql "${url%/*}/postgres" -X -q -c '\timing on' \
		    -c "CREATE DATABASE bench_copy TEMPLATE dbarena_snap_dbarena_initial STRATEGY FILE_COPY" |
		    sed -n 's/^Time: \([0-9]*\).*/\1/p'))
		psql "${url%/*}/postgres" -X -q -c "DROP DATABASE bench_copy" || return 1
	done
	docker rm -f -v "$name" >/dev/null
	local o c t
	o=$(median "${ones[@]}"); c=$(median "${colds[@]}")
	t=$(median "${twenties[@]}")
	row "clone, postgres, one per-test database (the spare the last clone left)" \
	    "$(spread ms "${ones[@]}")" \
	    "60 ms (create from the pool, measured in issue 12)" \
	    "$(spread ms "${copies[@]}") (the server's CREATE DATABASE ... TEMPLATE)" \
	    "-" "<= 40 ms" "$(verdict "$o" le 40)"
	row "clone, postgres, one, no spare (copies on its path)" \
	    "$(spread ms "${colds[@]}")" \
	    "60 ms (create from the pool, measured in issue 12)" "-" "-" \
	    "<= 40 ms" "$(verdict "$c" le 40)"
	row "clone, postgres, 20 at once, no spare (copied)" "$(spread ms "${twenties[@]}")" \
	    "$c ms (one copied)" "-" "$(ratio "$t" "$c" 1) x one" "<= 2x one" \
	    "$(python3 -c "print('met' if $t <= 2 * $c else 'MISSED')")"
}

# Clones from spares: "clone fill" first (untimed for the clone rows,
# timed on its own: it is the copies, made ahead as pool fill makes
# containers), then "clone NAME" that renames one, and "clone --count 20"
# that renames 20; the limit is one clone that copies, as above.
bench_spare_pg() {
	local name="${PREFIX}spare" ones=() twenties=() fills=() i t0 t1 url
	snapshot_fixture postgres >"$WORK/pg.sql"
	"$DBARENA" create --no-pool postgres --name "$name" --init "$WORK/pg.sql" \
	    --quiet >/dev/null || return 1
	url=$("$DBARENA" url "$name")
	for i in $(seq "$RUNS"); do
		settled "$url" && "$DBARENA" clone drain "$name" >/dev/null || return 1
		"$DBARENA" clone fill "$name" -q >/dev/null || return 1
		t0=$(ns)
		"$DBARENA" clone "$name" -q >/dev/null || return 1
		t1=$(ns); ones+=($(( (t1 - t0) / 1000000 )))
		"$DBARENA" clone rm "$name" --all >/dev/null || return 1
		settled "$url" && "$DBARENA" clone drain "$name" >/dev/null || return 1
		t0=$(ns)
		"$DBARENA" clone fill "$name" -n 20 -q >/dev/null || return 1
		t1=$(ns); fills+=($(( (t1 - t0) / 1000000 )))
		t0=$(ns)
		"$DBARENA" clone "$name" --count 20 -q >/dev/null || return 1
		t1=$(ns); twenties+=($(( (t1 - t0) / 1000000 )))
		"$DBARENA" clone rm "$name" --all >/dev/null || return 1
	done
	docker rm -f -v "$name" >/dev/null
	local o t
	o=$(median "${ones[@]}"); t=$(median "${twenties[@]}")
	row "clone, one, from a spare" "$(spread ms "${ones[@]}")" \
	    "60 ms (create from the pool, measured in issue 12)" "-" "-" \
	    "<= 40 ms" "$(verdict "$o" le 40)"
	row "clone, 20 at once, from spares" "$(spread ms "${twenties[@]}")" \
	    "$o ms (one from a spare)" "-" "$(ratio "$t" "$o" 1) x one" \
	    "<= 2x one" \
	    "$(python3 -c "print('met' if $t <= 2 * $o else 'MISSED')")"
	row "clone fill, 20 spares (made ahead, not on the clone's path)" \
	    "$(spread ms "${fills[@]}")" "-" "-" "-" "-" "-"
}

goal snapshot bench_snapshot_pg
goal snapshot bench_snapshot_my
goal snapshot bench_clone_pg
goal snapshot bench_spare_pg
