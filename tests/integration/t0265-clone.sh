#!/bin/sh
# clone: per-test databases inside a running server, checked with the
# real psql and mariadb clients at the URLs clone prints: 20 PostgreSQL
# clones made at once are isolated from each other and from the database,
# MariaDB clones too, "clone rm --all" leaves the database and its
# snapshots, and the errors have their exit codes. Spares (clone fill)
# are taken first, isolated like copies, and go with their snapshot.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
my="${PREFIX}my"

pg_q() {
	psql "$1" -X -A -t -v ON_ERROR_STOP=1 -c "$2"
}

my_q() {
	dbarena inspect "$my" --format json >my.json &&
	mariadb --protocol=tcp -h "$(json_get host <my.json)" \
		-P "$(json_get port <my.json)" -u root \
		-p"$(json_get password <my.json)" -N -B "$1" -e "$2"
}

# Each URL in the file $1 holds the seed's one row; the n-th gets the
# row n + 100, seen there only.
isolated() {
	n=0 &&
	while read -r url
	do
		n=$((n + 1)) &&
		test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 1 &&
		pg_q "$url" "INSERT INTO seed VALUES ($n + 100)" >/dev/null || return 1
	done <"$1" &&
	while read -r url
	do
		test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 2 || return 1
	done <"$1"
}

test_expect_success 'postgres: 20 clones at once, each a copy, isolated' '
	printf "CREATE TABLE seed (a int);\nINSERT INTO seed VALUES (1);\n" >seed.sql &&
	dbarena create postgres --name "$pg" --init seed.sql >/dev/null &&
	dbarena clone "$pg" --count 20 -q >urls &&
	test "$(wc -l <urls)" = 20 &&
	test "$(sort -u urls | wc -l)" = 20 &&
	isolated urls &&
	test "$(pg_q "$(dbarena url "$pg")" "SELECT count(*) FROM seed")" = 1 &&
	first=$(head -n 1 urls) &&
	test "$(pg_q "$first" "SELECT max(a) FROM seed")" = 101
'

test_expect_success 'postgres: the URLs differ from the database only by name' '
	base=$(dbarena url "$pg") &&
	sed "s,/dbarena_clone_dbarena_[0-9]*\$,/dbarena," urls | sort -u >bases &&
	test "$(cat bases)" = "$base" &&
	grep -q "/dbarena_clone_dbarena_1\$" urls &&
	grep -q "/dbarena_clone_dbarena_20\$" urls
'

test_expect_success 'postgres: JSON, the table, the listing' '
	dbarena clone "$pg" --format json >c.json &&
	test "$(json_get 0 name <c.json)" = "$pg" &&
	test "$(json_get 0 database <c.json)" = dbarena_clone_dbarena_21 &&
	test "$(json_get 0 snapshot <c.json)" = initial &&
	test "$(json_get 0 url <c.json)" = "$(dbarena url "$pg" | sed "s,/dbarena\$,/dbarena_clone_dbarena_21,")" &&
	python3 -c "import json,sys; v=json.load(sys.stdin); assert len(v) == 1" <c.json &&
	dbarena clone "$pg" >table &&
	head -n 1 table | grep -q "^DATABASE *URL$" &&
	grep -q "^dbarena_clone_dbarena_22 *postgresql://" table &&
	dbarena clone ls "$pg" -q >names &&
	test "$(wc -l <names)" = 22 &&
	test "$(tail -n 1 names)" = dbarena_clone_dbarena_22 &&
	dbarena clone list "$pg" --format json >l.json &&
	test "$(json_get 0 database <l.json)" = dbarena_clone_dbarena_1
'

test_expect_success 'postgres: two clone commands at once get different names' '
	{ dbarena clone "$pg" -n 3 -q >a & p1=$!; } &&
	{ dbarena clone "$pg" -n 3 -q >b & p2=$!; } &&
	wait $p1 && wait $p2 &&
	test "$(cat a b | sort -u | wc -l)" = 6
'

test_expect_success 'postgres: clone rm takes clones only, --all leaves the rest' '
	dbarena snapshot "$pg" keep >/dev/null &&
	dbarena clone rm "$pg" 1 dbarena_clone_dbarena_2 >out &&
	grep -q "^removed clone dbarena_clone_dbarena_1 of $pg$" out &&
	! dbarena clone ls "$pg" -q | grep -qx "dbarena_clone_dbarena_[12]" &&
	test_expect_code 5 dbarena clone rm "$pg" 999 2>err &&
	grep -q "clone rm: $pg has no clone .999." err &&
	test_expect_code 5 dbarena clone rm "$pg" dbarena 2>err &&
	test_expect_code 2 dbarena clone rm "$pg" 2>err &&
	dbarena clone rm "$pg" --all >out &&
	test "$(wc -l <out)" = 26 &&
	test -z "$(dbarena clone ls "$pg" -q)" &&
	dbarena snapshot ls "$pg" -q >snaps &&
	grep -qx initial snaps && grep -qx keep snaps &&
	test "$(pg_q "$(dbarena url "$pg")" "SELECT count(*) FROM seed")" = 1
'

test_expect_success 'postgres: --snapshot picks one; unknown is 5' '
	pg_q "$(dbarena url "$pg")" "INSERT INTO seed VALUES (2)" &&
	dbarena snapshot "$pg" two >/dev/null &&
	url=$(dbarena clone "$pg" --snapshot two -q) &&
	test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 2 &&
	test_expect_code 5 dbarena clone "$pg" --snapshot nosuch 2>err &&
	grep -q "clone: $pg has no snapshot .nosuch." err &&
	test_expect_code 2 dbarena clone "$pg" --count 0 2>err &&
	dbarena clone rm "$pg" --all >/dev/null
'

test_expect_success 'postgres: the exec fallback clones the same way' '
	url=$(DBARENA_SQL=exec dbarena clone "$pg" -q) &&
	test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 1 &&
	dbarena clone rm "$pg" --all >/dev/null
'

spares_left() {
	pg_q "$(dbarena url "$pg")" "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbarena_spare_%'"
}

# Waits until the spare a clone left to the server is made: its session
# holds the database's lock until then, an advisory lock of the database
# dbarena connects to (connect_database), postgres.
settled() {
	pg_q "$(dbarena url "$pg" | sed "s,/dbarena\$,/postgres,")" "SELECT pg_advisory_lock(hashtext('dbarena:dbarena'))" >/dev/null
}

flags() {
	python3 -c "import json,sys; print(\" \".join(str(c[\"spare\"]) for c in json.load(sys.stdin)))"
}

test_expect_success 'postgres: a clone leaves one spare, which the next clone takes' '
	settled &&
	dbarena clone drain "$pg" >/dev/null &&
	dbarena clone "$pg" --format json >c.json &&
	test "$(flags <c.json)" = False &&
	settled &&
	test "$(spares_left)" = 1 &&
	dbarena clone "$pg" --format json >d.json &&
	test "$(flags <d.json)" = True &&
	settled &&
	test "$(spares_left)" = 1 &&
	{ json_get 0 url <c.json && json_get 0 url <d.json; } >urls &&
	test "$(sort -u urls | wc -l)" = 2 &&
	isolated urls &&
	docker logs "$pg" >log 2>&1 &&
	! grep -E "could not send data|connection to client lost" log &&
	dbarena clone rm "$pg" --all >/dev/null &&
	dbarena clone drain "$pg" >/dev/null
'

test_expect_success 'postgres: fill 20, clone 20: all from spares, isolated, one made again' '
	dbarena clone fill "$pg" -n 20 --format json >f.json &&
	test "$(json_get 0 spares <f.json)" = 20 &&
	test "$(json_get 0 snapshot <f.json)" = initial &&
	test "$(spares_left)" = 20 &&
	test -z "$(dbarena clone ls "$pg" -q)" &&
	dbarena clone "$pg" -n 20 --format json >c.json &&
	test "$(flags <c.json)" = "$(printf "True %.0s" $(seq 20) | sed "s/ \$//")" &&
	settled &&
	test "$(spares_left)" = 1 &&
	python3 -c "import json,sys; [print(c[\"url\"]) for c in json.load(sys.stdin)]" <c.json >urls &&
	test "$(sort -u urls | wc -l)" = 20 &&
	isolated urls &&
	dbarena clone rm "$pg" --all >/dev/null &&
	dbarena clone drain "$pg" >/dev/null
'

test_expect_success 'postgres: fewer spares than asked: the rest are copied' '
	dbarena clone fill "$pg" -n 2 -q >/dev/null &&
	dbarena clone "$pg" -n 3 --format json >c.json &&
	test "$(flags <c.json)" = "True True False" &&
	settled &&
	test "$(spares_left)" = 1 &&
	test "$(pg_q "$(json_get 2 url <c.json)" "SELECT count(*) FROM seed")" = 1 &&
	dbarena clone rm "$pg" --all >/dev/null &&
	dbarena clone drain "$pg" >/dev/null
'

test_expect_success 'postgres: snapshot rm takes its spares, clone rm leaves them, drain' '
	dbarena clone fill "$pg" -s two -n 2 >out &&
	head -n 1 out | grep -q "^NAME *SNAPSHOT *MADE *SPARES$" &&
	grep -q "^$pg *two *2 *2$" out &&
	dbarena clone fill "$pg" -q >/dev/null &&
	test "$(spares_left)" = 3 &&
	url=$(dbarena clone "$pg" -s two -q) &&
	test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 2 &&
	dbarena snapshot rm "$pg" two >/dev/null &&
	test "$(spares_left)" = 1 &&
	dbarena clone rm "$pg" --all >/dev/null &&
	test "$(spares_left)" = 1 &&
	dbarena clone drain "$pg" >out &&
	grep -qx "removed spare dbarena_spare_dbarena_initial_1 of $pg" out &&
	test "$(spares_left)" = 0 &&
	test_expect_code 5 dbarena clone fill "$pg" -s nosuch 2>err &&
	grep -q "clone fill: $pg has no snapshot .nosuch." err &&
	test_expect_code 2 dbarena clone fill "$pg" -n 0 2>err
'

# Over the exec fallback the lock lasts one step: clone commands at once
# may pick the same number, and all but one fail on it. A failing one
# drops only what it made itself, never the clone another one printed.
clone_race() {
	DBARENA_SQL=exec "$DBARENA" clone "$pg" -q >c1.out 2>c1.err &
	DBARENA_SQL=exec "$DBARENA" clone "$pg" -q >c2.out 2>c2.err &
	DBARENA_SQL=exec "$DBARENA" clone "$pg" -q >c3.out 2>c3.err &
	wait
}

test_expect_success 'postgres: exec fallback: clones at once never drop one another made' '
	dbarena clone rm "$pg" --all >/dev/null &&
	clone_race &&
	cat c1.out c2.out c3.out >urls &&
	test -s urls &&
	while read -r url
	do
		test "$(pg_q "$url" "SELECT count(*) FROM seed")" = 1 || return 1
	done <urls &&
	test "$(dbarena clone ls "$pg" -q | wc -l)" = "$(wc -l <urls)" &&
	dbarena clone rm "$pg" --all >/dev/null
'

test_expect_success 'postgres: not running is 9' '
	dbarena stop "$pg" >/dev/null &&
	test_expect_code 9 dbarena clone "$pg" 2>err &&
	grep -q "clone: $pg is not running" err &&
	test_expect_code 9 dbarena clone ls "$pg" 2>err &&
	dbarena destroy "$pg" >/dev/null
'

test_expect_success 'mariadb: clones of a snapshot, isolated' '
	dbarena create mariadb --name "$my" >/dev/null &&
	my_q dbarena "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1)" &&
	dbarena snapshot "$my" seed >/dev/null &&
	dbarena clone "$my" --snapshot seed -n 3 --format json >m.json &&
	test "$(json_get 2 database <m.json)" = dbarena_clone_dbarena_3 &&
	my_q dbarena_clone_dbarena_1 "INSERT INTO p VALUES (2)" &&
	test "$(my_q dbarena_clone_dbarena_1 "SELECT COUNT(*) FROM p")" = 2 &&
	test "$(my_q dbarena_clone_dbarena_2 "SELECT COUNT(*) FROM p")" = 1 &&
	test "$(my_q dbarena_clone_dbarena_3 "SELECT COUNT(*) FROM p")" = 1 &&
	test "$(my_q dbarena "SELECT COUNT(*) FROM p")" = 1 &&
	my_q dbarena_clone_dbarena_2 "SHOW CREATE TABLE p" | grep -q "PRIMARY KEY" &&
	dbarena clone rm "$my" --all >/dev/null &&
	my_q dbarena "SHOW DATABASES" >dbs &&
	! grep -q "^dbarena_clone_" dbs &&
	grep -qx dbarena_snap_dbarena_seed dbs
'

test_expect_success 'mariadb: fill 2, clone 2: from spares, isolated' '
	dbarena clone fill "$my" -s seed -n 2 -q >/dev/null &&
	my_q dbarena "SHOW DATABASES" | grep -c "^dbarena_spare_dbarena_seed_" >n &&
	test "$(cat n)" = 2 &&
	dbarena clone "$my" -s seed -n 2 --format json >m.json &&
	test "$(flags <m.json)" = "True True" &&
	test "$(json_get 1 database <m.json)" = dbarena_clone_dbarena_2 &&
	my_q dbarena_clone_dbarena_1 "INSERT INTO p VALUES (2)" &&
	test "$(my_q dbarena_clone_dbarena_1 "SELECT COUNT(*) FROM p")" = 2 &&
	test "$(my_q dbarena_clone_dbarena_2 "SELECT COUNT(*) FROM p")" = 1 &&
	my_q dbarena_clone_dbarena_2 "SHOW CREATE TABLE p" | grep -q "PRIMARY KEY" &&
	my_q dbarena "SHOW DATABASES" >dbs &&
	! grep -q "^dbarena_spare_" dbs &&
	dbarena destroy "$my" >/dev/null
'

test_expect_success 'an engine file without [snapshot] cannot: exit 14' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	sed "/^\[snapshot\]/,/^\[version /{/^\[version /!d}" \
		"$TEST_SRCDIR/../engines/postgres.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/nosnap.ini" &&
	dbarena create nosnap --name "${PREFIX}nosnap" >/dev/null &&
	test_expect_code 14 dbarena clone "${PREFIX}nosnap" 2>err &&
	grep -q "clone: ${PREFIX}nosnap: nosnap cannot snapshot" err &&
	test_expect_code 14 dbarena clone rm "${PREFIX}nosnap" --all 2>err &&
	dbarena destroy "${PREFIX}nosnap" >/dev/null
'

test_done
