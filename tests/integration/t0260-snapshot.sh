#!/bin/sh
# snapshot, restore and reset on the real engine, checked with the real
# psql and mariadb clients: the snapshot's rows come back and nothing
# else, another database in the same server is untouched, connected
# sessions are ended and counted, two restores racing leave one
# consistent database, the errors have their exit codes, and a CDC
# database still streams what is written after a reset.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
my="${PREFIX}my"
cdc="${PREFIX}cdc"

pg_q() {
	psql "$(dbarena url "$pg")" -X -A -t -v ON_ERROR_STOP=1 -c "$1"
}

# The other database in the same server, as the same user.
pg_other() {
	psql "$(dbarena url "$pg" | sed "s,/dbarena\$,/other,")" -X -A -t \
		-v ON_ERROR_STOP=1 -c "$1"
}

my_q() {
	dbarena inspect "$my" --format json >my.json &&
	mariadb --protocol=tcp -h "$(json_get host <my.json)" \
		-P "$(json_get port <my.json)" -u root \
		-p"$(json_get password <my.json)" -N -B "${2:-dbarena}" -e "$1"
}

# answers WANT COMMAND...: COMMAND prints WANT. For wait_until, which
# must run the query each time, not test the one answer it was given.
answers() {
	_want=$1; shift
	test "$("$@")" = "$_want"
}

# race NAME SNAPSHOT: two restores of it at once; both must succeed.
race() {
	{ dbarena restore "$1" "$2" >r1 2>&1 & p1=$!; } &&
	{ dbarena restore "$1" "$2" >r2 2>&1 & p2=$!; } &&
	wait $p1 && wait $p2
}

test_expect_success 'postgres: restore brings back the snapshot rows and nothing else' '
	dbarena create postgres --name "$pg" >/dev/null &&
	pg_q "CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 3)" &&
	pg_q "CREATE DATABASE other" &&
	pg_other "CREATE TABLE o (a int); INSERT INTO o VALUES (1)" &&
	dbarena snapshot "$pg" >out &&
	grep -q "^$pg: took snapshot default in [0-9]* ms" out &&
	pg_q "INSERT INTO t VALUES (4); CREATE TABLE extra (b int)" &&
	pg_other "INSERT INTO o VALUES (2)" &&
	dbarena restore "$pg" >out &&
	grep -q "^$pg: restored snapshot default in [0-9]* ms, ended 0 sessions$" out &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$ ORDER BY a) FROM t")" = 1,2,3 &&
	test "$(pg_q "SELECT count(*) FROM pg_tables WHERE tablename = \$\$extra\$\$")" = 0 &&
	test "$(pg_other "SELECT count(*) FROM o")" = 2
'

test_expect_success 'postgres: the snapshot is in the server, listed, and nothing else is left' '
	dbarena snapshot list "$pg" --format json >l.json &&
	test "$(json_get 0 name <l.json)" = default &&
	test "$(json_get 0 object <l.json)" = dbarena_snap_dbarena_default &&
	dbarena snapshot ls "$pg" -q >names && test "$(cat names)" = default &&
	pg_q "SELECT datname FROM pg_database ORDER BY 1" >dbs &&
	! grep -q "^dbarena_tmp_\|^dbarena_old_" dbs &&
	grep -qx dbarena_snap_dbarena_default dbs
'

test_expect_success 'postgres: restore ends a connected session and counts it' '
	url=$(dbarena url "$pg") &&
	{ psql "$url" -X -c "SELECT pg_sleep(30)" >sleep.out 2>&1 & } &&
	test_when_finished "kill $! 2>/dev/null" &&
	wait_until 10 answers 1 pg_q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE \$\$%pg_sleep%\$\$ AND pid <> pg_backend_pid()" &&
	dbarena restore "$pg" --format json >r.json &&
	test "$(json_get ended_sessions <r.json)" = 1 &&
	test "$(json_get action <r.json)" = restore &&
	test "$(json_get snapshot <r.json)" = default &&
	test "$(pg_q "SELECT count(*) FROM t")" = 3
'

test_expect_success 'postgres: reset without --init gives the empty database' '
	dbarena reset "$pg" --format json >r.json &&
	test "$(json_get snapshot <r.json)" = None &&
	test "$(pg_q "SELECT count(*) FROM pg_tables WHERE schemaname = \$\$public\$\$")" = 0 &&
	test "$(pg_other "SELECT count(*) FROM o")" = 2 &&
	dbarena snapshot ls "$pg" -q | grep -qx default
'

test_expect_success 'postgres: two restores racing leave one consistent database' '
	pg_q "CREATE TABLE t (a int); INSERT INTO t VALUES (7)" &&
	dbarena snapshot "$pg" race >/dev/null &&
	pg_q "INSERT INTO t VALUES (8)" &&
	race "$pg" race &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM t")" = 7 &&
	test "$(pg_q "SELECT count(*) FROM pg_database WHERE datname LIKE \$\$dbarena_tmp%\$\$ OR datname LIKE \$\$dbarena_old%\$\$")" = 0
'

# Ends the session holding the lock (its client gone, the server would
# sleep on with it). An advisory lock is the database's: the holder takes
# it where dbarena does, in connect_database.
pg_unhold() {
	pg_q "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'" >/dev/null
}

test_expect_success 'postgres: a lock held by another session: exit 6 after DBARENA_LOCK_WAIT' '
	{ psql "$(dbarena url "$pg" | sed "s,/dbarena\$,/postgres,")" -X -q \
		-c "SELECT pg_advisory_lock(hashtext(\$\$dbarena:dbarena\$\$))" \
		-c "SELECT pg_sleep(60)" >hold.out 2>&1 & } &&
	test_when_finished "kill $! 2>/dev/null; pg_unhold" &&
	wait_until 10 answers 1 pg_q "SELECT count(*) FROM pg_locks WHERE locktype = \$\$advisory\$\$ AND granted" &&
	test_expect_code 6 env DBARENA_LOCK_WAIT=2 timeout 40 "$DBARENA" restore "$pg" race 2>err &&
	grep -q "restore: $pg: another snapshot, restore or clone holds its lock" err &&
	test_expect_code 6 env DBARENA_LOCK_WAIT=1 timeout 40 "$DBARENA" clone "$pg" 2>err &&
	DBARENA_LOCK_WAIT=soon dbarena snapshot ls "$pg" 2>err >/dev/null &&
	grep -q "DBARENA_LOCK_WAIT=soon: not 1 to 86400 seconds" err
'

test_expect_success 'postgres: the exec fallback restores the same way' '
	pg_q "INSERT INTO t VALUES (9)" &&
	DBARENA_SQL=exec dbarena restore "$pg" race --format json >r.json &&
	test "$(json_get via <r.json)" = exec &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM t")" = 7
'

# Over the exec fallback, a docker that fails under the client (here its
# daemon, for every exec) is docker's failure, exit 4 as anywhere else,
# not the server refusing a statement (1).
test_expect_success 'exec fallback: docker failing under the client is exit 4, said as such' '
	: >calls &&
	printf "exec 0 daemon\n" >plan &&
	test_expect_code 4 env FAULT_LOG="$PWD/calls" FAULT_PLAN="$PWD/plan" \
		DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
		DBARENA_SQL=exec "$DBARENA" restore "$pg" race 2>err &&
	grep -q "cannot connect to the docker daemon" err &&
	! grep -q "the server refused" err &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM t")" = 7
'

test_expect_success 'errors: unknown snapshot 5, taken 6, bad name 2, no database 5' '
	test_expect_code 5 dbarena restore "$pg" nosuch 2>err &&
	grep -q "restore: $pg has no snapshot .nosuch." err &&
	test_expect_code 5 dbarena snapshot rm "$pg" nosuch 2>err &&
	test_expect_code 6 dbarena snapshot "$pg" race 2>err &&
	grep -q "already has a snapshot .race." err &&
	test_expect_code 2 dbarena snapshot "$pg" Bad_Name 2>err &&
	test_expect_code 5 dbarena reset "${PREFIX}nosuch" 2>err &&
	dbarena snapshot rm "$pg" race >out &&
	grep -q "removed snapshot race of $pg" out &&
	! dbarena snapshot ls "$pg" -q | grep -qx race
'

test_expect_success 'errors: a stopped database is 9 and says so' '
	dbarena stop "$pg" >/dev/null &&
	test_expect_code 9 dbarena reset "$pg" 2>err &&
	grep -q "reset: $pg is not running" err &&
	test_expect_code 9 dbarena snapshot ls "$pg" 2>err &&
	dbarena destroy "$pg" >/dev/null
'

test_expect_success 'persistent: a snapshot is kept across stop and start, and restores' '
	kp="${PREFIX}keep" &&
	test_when_finished "dbarena destroy --remove-volume --yes $kp >/dev/null 2>&1; :" &&
	dbarena create postgres --persistent --name "$kp" -q >/dev/null &&
	psql "$(dbarena url "$kp")" -X -q -c "CREATE TABLE k (v int); INSERT INTO k VALUES (1)" &&
	dbarena snapshot "$kp" one >/dev/null &&
	psql "$(dbarena url "$kp")" -X -q -c "INSERT INTO k VALUES (2)" &&
	dbarena stop "$kp" >/dev/null &&
	dbarena start "$kp" >/dev/null &&
	dbarena snapshot list -q "$kp" >snaps &&
	grep -qx one snaps &&
	dbarena restore "$kp" one >/dev/null &&
	test "$(psql "$(dbarena url "$kp")" -X -A -t -c "SELECT count(*) * 10 + max(v) FROM k")" = 11
'

test_expect_success 'an engine file without [snapshot] cannot: exit 14, nothing run' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	sed "/^\[snapshot\]/,/^\[version /{/^\[version /!d}" \
		"$TEST_SRCDIR/../engines/postgres.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/nosnap.ini" &&
	! grep -q "^\[snapshot\]" "$XDG_CONFIG_HOME/dbarena/engines/nosnap.ini" &&
	dbarena create nosnap --name "${PREFIX}nosnap" >/dev/null &&
	test_expect_code 14 dbarena snapshot "${PREFIX}nosnap" 2>err &&
	grep -q "snapshot: ${PREFIX}nosnap: nosnap cannot snapshot: .*nosnap.ini has no \[snapshot\] section" err &&
	test_expect_code 14 dbarena reset "${PREFIX}nosnap" 2>err &&
	dbarena destroy "${PREFIX}nosnap" >/dev/null
'

# The session unit goes to the client the same way on both exec routes,
# or a long unit would run without it.
test_expect_success 'an engine file whose exec_stdin leaves out {session}: exit 3' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	sed "/^exec_stdin = /,/-N -B\$/c\\
exec_stdin = mariadb -N -B" "$TEST_SRCDIR/../engines/mariadb.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/halfsession.ini" &&
	grep -q "^exec_stdin = mariadb -N -B\$" "$XDG_CONFIG_HOME/dbarena/engines/halfsession.ini" &&
	dbarena create halfsession --name "${PREFIX}half" >/dev/null &&
	test_expect_code 3 dbarena snapshot ls "${PREFIX}half" 2>err &&
	grep -q "exec and exec_stdin must both name {session}, or neither" err &&
	dbarena destroy "${PREFIX}half" >/dev/null
'

test_expect_success 'postgres --init: reset goes back to what the scripts made' '
	printf "CREATE TABLE seed (a int);\nINSERT INTO seed VALUES (1);\n" >seed.sql &&
	dbarena create postgres --name "$pg" --init seed.sql >/dev/null &&
	dbarena snapshot ls "$pg" -q | grep -qx initial &&
	pg_q "INSERT INTO seed VALUES (2); CREATE TABLE junk (a int)" &&
	dbarena reset "$pg" >out &&
	grep -q "reset to snapshot initial" out &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	test "$(pg_q "SELECT count(*) FROM pg_tables WHERE tablename = \$\$junk\$\$")" = 0
'

# The spares of $pg; and a wait until the one a reset left to the server
# is made: its session holds the database's lock until then, an advisory
# lock of the database dbarena connects to (connect_database), postgres.
pg_spares() {
	pg_q "SELECT count(*) FROM pg_database WHERE datname LIKE \$\$dbarena_spare_dbarena_initial_%\$\$"
}
settled() {
	psql "$(dbarena url "$pg" | sed "s,/dbarena\$,/postgres,")" -X -q \
		-c "SELECT pg_advisory_lock(hashtext(\$\$dbarena:dbarena\$\$))" >/dev/null
}

test_expect_success 'postgres --init: reset renames a spare, and the server makes the next' '
	settled &&
	test "$(pg_spares)" = 1 &&
	dbarena snapshot list "$pg" --format json >l.json &&
	test "$(json_get 0 spares <l.json)" = 1 &&
	dbarena snapshot list "$pg" >out &&
	head -n 1 out | grep -q "^SNAPSHOT  *SIZE  *SPARES  *OBJECT$" &&
	grep -q "^initial  *[0-9][0-9]*  *1  *dbarena_snap_dbarena_initial$" out &&
	pg_q "INSERT INTO seed VALUES (3); CREATE TABLE junk (a int)" &&
	dbarena reset "$pg" --format json >r.json &&
	test "$(json_get spare <r.json)" = True &&
	test "$(json_get spare_ahead <r.json)" = True &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	test "$(pg_q "SELECT count(*) FROM pg_tables WHERE tablename = \$\$junk\$\$")" = 0 &&
	settled &&
	test "$(pg_spares)" = 1 &&
	dbarena clone drain "$pg" >/dev/null &&
	pg_q "INSERT INTO seed VALUES (4)" &&
	dbarena reset "$pg" --format json >r.json &&
	test "$(json_get spare <r.json)" = False &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	settled &&
	test "$(pg_spares)" = 1 &&
	pg_q "INSERT INTO seed VALUES (5)" &&
	DBARENA_SQL=exec dbarena reset "$pg" --format json >r.json &&
	test "$(json_get spare <r.json)" = True &&
	test "$(json_get spare_ahead <r.json)" = False &&
	test "$(pg_spares)" = 0 &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	docker logs "$pg" >log 2>&1 &&
	! grep -E "could not send data|connection to client lost" log
'

# A spare of a snapshot that is gone (a snapshot rm that failed part way
# leaves one; here it is made by hand, with other contents) is not a copy
# of a new snapshot of that name: taking the snapshot drops it.
test_expect_success 'postgres: a new snapshot drops spares of an old one of its name' '
	pg_q "CREATE DATABASE dbarena_spare_dbarena_fresh_1" &&
	dbarena snapshot "$pg" fresh >/dev/null &&
	test "$(pg_q "SELECT count(*) FROM pg_database WHERE datname = \$\$dbarena_spare_dbarena_fresh_1\$\$")" = 0 &&
	pg_q "INSERT INTO seed VALUES (6)" &&
	dbarena restore "$pg" fresh --format json >r.json &&
	test "$(json_get spare <r.json)" = False &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	settled &&
	dbarena snapshot rm "$pg" fresh &&
	test "$(pg_q "SELECT count(*) FROM pg_database WHERE datname LIKE \$\$dbarena_spare_dbarena_fresh_%\$\$")" = 0
'

test_expect_success 'postgres: DBARENA_SPARES=0 leaves no spare behind' '
	dbarena clone drain "$pg" >/dev/null &&
	pg_q "INSERT INTO seed VALUES (7)" &&
	DBARENA_SPARES=0 dbarena reset "$pg" --format json >r.json &&
	test "$(json_get spare_ahead <r.json)" = False &&
	test "$(pg_q "SELECT string_agg(a::text, \$\$,\$\$) FROM seed")" = 1 &&
	settled &&
	test "$(pg_spares)" = 0
'

test_expect_success 'mariadb: restore brings back the snapshot rows, keys and all' '
	dbarena create mariadb --name "$my" >/dev/null &&
	my_q "CREATE TABLE p (id int PRIMARY KEY);
		CREATE TABLE c (id int AUTO_INCREMENT PRIMARY KEY, p int,
			FOREIGN KEY (p) REFERENCES p (id));
		INSERT INTO p VALUES (1), (2); INSERT INTO c (p) VALUES (1), (2);
		CREATE DATABASE other; CREATE TABLE other.o (a int);
		INSERT INTO other.o VALUES (1)" &&
	dbarena snapshot "$my" >/dev/null &&
	my_q "INSERT INTO c (p) VALUES (2); CREATE TABLE extra (a int);
		INSERT INTO other.o VALUES (2)" &&
	dbarena restore "$my" >out &&
	grep -q "restored snapshot default" out &&
	test "$(my_q "SELECT GROUP_CONCAT(id ORDER BY id) FROM c")" = 1,2 &&
	test "$(my_q "SHOW TABLES" | tr "\n" " ")" = "c p " &&
	test "$(my_q "SELECT COUNT(*) FROM o" other)" = 2 &&
	my_q "SHOW CREATE TABLE c" | grep -q "FOREIGN KEY (.p.) REFERENCES .p." &&
	test_expect_code 1 my_q "INSERT INTO c (p) VALUES (99)" 2>/dev/null &&
	my_q "SHOW DATABASES" >dbs && ! grep -q "^dbarena_tmp_\|^dbarena_old_" dbs
'

# A generated column cannot be inserted into (the copy's own definition
# computes it), and an INVISIBLE one is not in a SELECT *: both are
# copied by name, the one that holds data.
test_expect_success 'mariadb: generated and INVISIBLE columns come back as they were' '
	my_q "CREATE TABLE g (id int PRIMARY KEY, a int,
		v int AS (a * 2) VIRTUAL, s int AS (a + 1) PERSISTENT,
		h int INVISIBLE DEFAULT 5);
		INSERT INTO g (id, a, h) VALUES (1, 10, 7), (2, 20, 8)" &&
	dbarena snapshot "$my" gen >/dev/null &&
	my_q "UPDATE g SET a = 0, h = 0" &&
	dbarena restore "$my" gen >/dev/null &&
	test "$(my_q "SELECT GROUP_CONCAT(CONCAT_WS(\":\", id, a, v, s, h) ORDER BY id) FROM g")" = "1:10:20:11:7,2:20:40:21:8" &&
	my_q "SHOW CREATE TABLE g" | grep -q "INVISIBLE" &&
	my_q "DROP TABLE g"
'

# A system-versioned table is not a BASE TABLE to information_schema: it
# was left out of the copy and of the swap, and kept its changes through
# a restore that said it had restored. Its current rows are copied now.
test_expect_success 'mariadb: system-versioned tables are restored (their current rows)' '
	my_q "CREATE TABLE sv (id int PRIMARY KEY, a int) WITH SYSTEM VERSIONING;
		CREATE TABLE sp (id int, s TIMESTAMP(6) AS ROW START,
			e TIMESTAMP(6) AS ROW END, PERIOD FOR SYSTEM_TIME (s, e))
			WITH SYSTEM VERSIONING;
		INSERT INTO sv VALUES (1, 10); INSERT INTO sp (id) VALUES (5)" &&
	dbarena snapshot "$my" versioned >/dev/null &&
	my_q "UPDATE sv SET a = 0; DELETE FROM sp" &&
	dbarena restore "$my" versioned >/dev/null &&
	test "$(my_q "SELECT a FROM sv WHERE id = 1")" = 10 &&
	test "$(my_q "SELECT id FROM sp")" = 5 &&
	my_q "SHOW CREATE TABLE sp" | grep -q "WITH SYSTEM VERSIONING" &&
	my_q "DROP TABLE sv, sp"
'

test_expect_success 'mariadb: reset ends a connected session, counts it, empties' '
	dbarena inspect "$my" --format json >my.json &&
	{ mariadb --protocol=tcp -h "$(json_get host <my.json)" \
		-P "$(json_get port <my.json)" -u root \
		-p"$(json_get password <my.json)" dbarena -e "SELECT SLEEP(30)" \
		>sleep.out 2>&1 & } &&
	test_when_finished "kill $! 2>/dev/null" &&
	wait_until 10 answers 1 my_q "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE \"SELECT SLEEP%\"" &&
	dbarena reset "$my" --format json >r.json &&
	test "$(json_get ended_sessions <r.json)" = 1 &&
	test -z "$(my_q "SHOW TABLES")" &&
	test "$(my_q "SELECT COUNT(*) FROM o" other)" = 2
'

test_expect_success 'mariadb: two restores racing, and the exec fallback' '
	my_q "CREATE TABLE t (a int); INSERT INTO t VALUES (7)" &&
	dbarena snapshot "$my" race >/dev/null &&
	my_q "INSERT INTO t VALUES (8)" &&
	race "$my" race &&
	test "$(my_q "SELECT GROUP_CONCAT(a) FROM t")" = 7 &&
	my_q "INSERT INTO t VALUES (9)" &&
	DBARENA_SQL=exec dbarena restore "$my" race --format json >r.json &&
	test "$(json_get via <r.json)" = exec &&
	test "$(my_q "SELECT GROUP_CONCAT(a) FROM t")" = 7
'

# The exec fallback passes a unit as one argument, which Linux caps at
# 128 KiB: 300 tables with long comments make a copy unit of some 150
# KiB, which goes on the client's stdin instead.
test_expect_success 'mariadb: exec fallback: a copy longer than an argument goes on stdin' '
	c=$(printf "%0400d" 0) &&
	seq 300 | sed "s/.*/CREATE TABLE m& (id int PRIMARY KEY, v varchar(10) COMMENT \"$c\"); INSERT INTO m& VALUES (&, \"x\");/" >many.sql &&
	test "$(wc -c <many.sql)" -gt 131072 &&
	dbarena inspect "$my" --format json >my.json &&
	test_when_finished "my_q \"$(seq 300 | sed "s/.*/DROP TABLE IF EXISTS m&;/" | tr -d "\n")\"" &&
	mariadb --protocol=tcp -h "$(json_get host <my.json)" \
		-P "$(json_get port <my.json)" -u root \
		-p"$(json_get password <my.json)" dbarena <many.sql &&
	: >calls && : >argv &&
	FAULT_LOG="$PWD/calls" FAULT_ARGV="$PWD/argv" \
	DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
	DBARENA_SQL=exec dbarena snapshot "$my" many >/dev/null &&
	grep -q " exec -i .* mariadb .*--init-command=" argv &&
	my_q "UPDATE m7 SET v = \"y\"; DROP TABLE m300" &&
	DBARENA_SQL=exec dbarena restore "$my" many >/dev/null &&
	test "$(my_q "SELECT v FROM m7")" = x &&
	test "$(my_q "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \"dbarena\" AND table_name LIKE \"m%\"")" = 300
'

# A transaction left open on the database's table, from a session whose
# default database is another (so not one that restore ends), holds a
# metadata lock that the swap's RENAME TABLE waits on: for the session's
# lock_wait_timeout, a day unless dbarena sets it. DBARENA_LOCK_WAIT makes
# the wait short; "timeout" turns a hang into a failure.
test_expect_success 'mariadb: a metadata lock held elsewhere fails the restore after the wait' '
	my_q "INSERT INTO t VALUES (10)" &&
	dbarena inspect "$my" --format json >my.json &&
	{ mariadb --protocol=tcp -h "$(json_get host <my.json)" \
		-P "$(json_get port <my.json)" -u root \
		-p"$(json_get password <my.json)" other \
		-e "BEGIN; SELECT COUNT(*) FROM dbarena.t; SELECT SLEEP(60)" \
		>hold.out 2>&1 & } &&
	test_when_finished "kill $! 2>/dev/null" &&
	wait_until 10 answers 1 my_q "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE \"SELECT SLEEP%\"" &&
	test_expect_code 1 env DBARENA_LOCK_WAIT=2 timeout 40 "$DBARENA" restore "$my" race 2>err &&
	grep -q "Lock wait timeout" err &&
	test "$(my_q "SELECT GROUP_CONCAT(a ORDER BY a) FROM t")" = 7,10 &&
	my_q "SHOW DATABASES" >dbs && ! grep -q "^dbarena_tmp_\|^dbarena_old_" dbs &&
	dbarena destroy "$my" >/dev/null
'

test_expect_success 'refused, nothing run: a table name holding a quote (14)' '
	q="${PREFIX}myq" &&
	dbarena create mariadb --name "$q" -q >/dev/null &&
	test_when_finished "dbarena destroy $q >/dev/null 2>&1; :" &&
	dbarena exec "$q" -- mariadb -e "CREATE TABLE \`x\`\`y\` (v int)" &&
	test_expect_code 14 dbarena snapshot "$q" quoted 2>err &&
	grep -q "has a quote or a semicolon in its name" err &&
	! dbarena snapshot list -q "$q" | grep -qx quoted
'

test_expect_success 'refused: the database the statements run from (14)' '
	dbarena create postgres --database postgres --name "${PREFIX}pgpg" -q >/dev/null &&
	test_when_finished "dbarena destroy ${PREFIX}pgpg >/dev/null 2>&1; :" &&
	test_expect_code 14 dbarena snapshot "${PREFIX}pgpg" 2>err &&
	grep -q "the snapshot statements run from it" err
'

test_expect_success 'cdc-fast postgres: a slot survives reset and streams what comes after' '
	printf "CREATE TABLE ev (a int);\n" >ev.sql &&
	dbarena create postgres --profile cdc-fast --init ev.sql --name "$cdc" >/dev/null &&
	url=$(dbarena url "$cdc") &&
	pg_recvlogical -d "$url" --slot s1 --create-slot -P test_decoding &&
	psql "$url" -X -q -c "INSERT INTO ev VALUES (1)" &&
	dbarena reset "$cdc" --format json >r.json &&
	test "$(json_get recreated_slots <r.json)" = 1 &&
	test "$(psql "$url" -X -A -t -c "SELECT plugin FROM pg_replication_slots WHERE slot_name = \$\$s1\$\$")" = test_decoding &&
	# Flushed at commit: a slot decodes only WAL on disk, and cdc-fast
	# commits asynchronously.
	PGOPTIONS="-c synchronous_commit=on" \
		psql "$url" -X -q -c "INSERT INTO ev VALUES (42)" &&
	end=$(psql "$url" -X -A -t -c "SELECT pg_current_wal_lsn()") &&
	timeout 20 pg_recvlogical -d "$url" --slot s1 --start --endpos "$end" \
		--no-loop -f stream.txt &&
	grep -q "INSERT: a\[integer\]:42" stream.txt &&
	! grep -q "a\[integer\]:1\$" stream.txt
'

test_expect_success 'cdc-fast mariadb: the binlog goes on through a reset and has what comes after' '
	my="${PREFIX}mycdc" &&
	dbarena create mariadb --profile cdc-fast --name "$my" >/dev/null &&
	my_q "CREATE TABLE ev (a int); INSERT INTO ev VALUES (1)" &&
	dbarena snapshot "$my" >/dev/null &&
	my_q "INSERT INTO ev VALUES (2)" &&
	dbarena restore "$my" >/dev/null &&
	my_q "INSERT INTO ev VALUES (42)" &&
	test "$(my_q "SELECT GROUP_CONCAT(a ORDER BY a) FROM ev")" = 1,42 &&
	file=$(my_q "SHOW MASTER STATUS" | cut -f1) &&
	mariadb-binlog --read-from-remote-server --protocol=tcp \
		-h "$(json_get host <my.json)" -P "$(json_get port <my.json)" \
		-u root -p"$(json_get password <my.json)" \
		--base64-output=decode-rows -v "$file" >binlog.txt &&
	sed -n "/RENAME TABLE/,\$p" binlog.txt >after.txt &&
	grep -q "RENAME TABLE .dbarena.\..ev. TO .dbarena_old_dbarena.\..ev." after.txt &&
	grep -q "^### INSERT INTO .dbarena.\..ev." after.txt &&
	grep -q "^###   @1=42" after.txt &&
	! grep -q "^###   @1=2\$" after.txt
'

test_done
