#!/bin/sh
# dbarena run on the real engine: COMMAND sees working variables for each
# database, its exit status comes back, and whatever way it ends (normally,
# failing, Ctrl-C on a terminal, SIGTERM) nothing the run made is left:
# no container, volume or network carrying the run's mark. --keep keeps,
# and gc removes what a SIGKILL left behind once the run is gone.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

ptyrun="$TEST_SRCDIR/integration/pty-run"

# Nothing carries the run's mark (the file COMMAND wrote it to).
nothing_left() {
	m=$(cat "$1") &&
	test -n "$m" &&
	test -z "$(docker ps -aq --filter "label=dbarena.run=$m")" &&
	test -z "$(docker volume ls -q --filter "label=dbarena.run=$m")" &&
	test -z "$(docker network ls -q --filter "label=dbarena.run=$m")"
}

# A run whose names are not ours to choose is removed by its mark, should
# a test fail half way.
extra_cleanup() {
	for f in "$TRASH"/*.mark; do
		[ -s "$f" ] || continue
		ids=$(docker ps -aq --filter "label=dbarena.run=$(cat "$f")")
		[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
	done
}

test_expect_success 'postgres and mariadb: COMMAND connects to both, then both go' '
	dbarena run --no-pool --persistent postgres mariadb -- sh -c "
		echo \"\$DBARENA_RUN\" >two.mark &&
		docker volume ls -q --filter \"label=dbarena.run=\$DBARENA_RUN\" >vols &&
		psql \"\$POSTGRES_URL\" -Atc \"SELECT 40 + 2\" >pg.out &&
		psql -Atc \"SELECT current_user\" >pgenv.out &&
		mariadb -N -B -e \"SELECT CONCAT(6 * 7, database())\" >my.out &&
		echo \"\$MARIADB_HOME\" >my.home &&
		echo \"\$MARIADB_URL\" >my.url &&
		echo \"\${DATABASE_URL-unset}\" >db.url &&
		echo \"\$POSTGRES_NAME \$MARIADB_NAME\" >names" >out 2>err &&
	cat err &&
	test "$(wc -l <vols)" = 2 &&
	test "$(cat pg.out)" = 42 &&
	test "$(cat pgenv.out)" = postgres &&
	test "$(cat my.out)" = 42dbarena &&
	test -n "$(cat my.home)" && ! test -e "$(cat my.home)" &&
	grep -q "^mysql://" my.url &&
	test "$(cat db.url)" = unset &&
	! grep -q "dbarena: " err &&
	nothing_left two.mark &&
	read -r pgname myname <names &&
	test -z "$(docker ps -aq --filter "name=^$pgname\$")" &&
	test -z "$(docker ps -aq --filter "name=^$myname\$")"
'

test_expect_success 'one database: DATABASE_URL; COMMAND exit 3 comes back as 3' '
	test_expect_code 3 dbarena run --no-pool --name "${PREFIX}three" postgres -- \
		sh -c "echo \"\$DBARENA_RUN\" >three.mark &&
			psql \"\$DATABASE_URL\" -Atc \"SELECT 1\" >one.out && exit 3" &&
	test "$(cat one.out)" = 1 &&
	nothing_left three.mark
'

test_expect_success 'a failing COMMAND, killed or not: its status, and nothing left' '
	test_expect_code 1 dbarena run --no-pool --name "${PREFIX}fail" postgres -- \
		sh -c "echo \"\$DBARENA_RUN\" >fail.mark; false" &&
	nothing_left fail.mark &&
	test_expect_code 137 dbarena run --no-pool --name "${PREFIX}kill" postgres -- \
		sh -c "echo \"\$DBARENA_RUN\" >kill.mark; kill -KILL \$\$" &&
	nothing_left kill.mark
'

test_expect_success 'COMMAND not found: 127; not executable: 126; databases removed' '
	test_expect_code 127 dbarena run --no-pool --name "${PREFIX}nf" postgres -- \
		"${PREFIX}no-such-command" arg 2>err &&
	cat err &&
	grep -q "^dbarena: run: ${PREFIX}no-such-command: command not found" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}nf\$")" &&
	printf "#!/bin/sh\necho ran\n" >notexec && chmod -x notexec &&
	test_expect_code 126 dbarena run --no-pool --name "${PREFIX}nx" postgres -- \
		./notexec >out 2>err &&
	cat err &&
	grep -q "^dbarena: run: ./notexec: cannot run it: Permission denied" err &&
	! grep -q ran out &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}nx\$")"
'

test_expect_success 'a create that fails runs no COMMAND and leaves nothing' '
	echo "SELECT nonsense FROM nowhere;" >bad.sql &&
	test_expect_code 11 dbarena run --no-pool --name "${PREFIX}bad" --init bad.sql \
		postgres -- sh -c "echo ran >ran" 2>err &&
	test ! -e ran &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}bad\$")"
'

test_expect_success 'Ctrl-C on a terminal: COMMAND gets SIGINT, dbarena waits, then cleans up' '
	test_expect_code 5 "$ptyrun" --answer "$(printf "\003")" --when READY -- \
		"$DBARENA" run --no-pool --name "${PREFIX}int" postgres -- sh -c "
		echo \"\$DBARENA_RUN\" >int.mark
		trap \"echo SAW-INT; sleep 1; echo >int.done; exit 5\" INT
		echo READY
		while :; do sleep 0.1; done" >tty &&
	cat tty &&
	grep -q SAW-INT tty &&
	test -e int.done &&
	grep -q "removed 1 database" tty &&
	nothing_left int.mark
'

test_expect_success 'SIGTERM to dbarena reaches COMMAND; its status; then cleanup' '
	{ "$DBARENA" run --no-pool --name "${PREFIX}term" postgres -- sh -c "
		trap \"echo got-term >term.got; exit 7\" TERM
		echo \"\$DBARENA_RUN\" >term.mark
		while :; do sleep 0.1; done" >/dev/null 2>&1 & } &&
	pid=$! &&
	wait_until 120 test -s term.mark &&
	kill -TERM $pid &&
	{ wait $pid; rc=$?; } &&
	test "$rc" = 7 &&
	grep -q got-term term.got &&
	nothing_left term.mark
'

test_expect_success '--keep leaves the database, says how to reach it; gc leaves it too' '
	test_when_finished "docker rm -f -v ${PREFIX}kept >/dev/null 2>&1" &&
	dbarena run --keep --no-pool --name "${PREFIX}kept" postgres -- true >out 2>err &&
	cat out err &&
	grep -q "postgresql://" out &&
	grep -q "dbarena destroy ${PREFIX}kept" err &&
	dbarena gc "${PREFIX}kept" >gc.out 2>&1 &&
	docker inspect "${PREFIX}kept" >/dev/null &&
	psql "$(dbarena url "${PREFIX}kept")" -Atc "SELECT 1" >/dev/null &&
	dbarena destroy "${PREFIX}kept" >/dev/null &&
	dbarena run --keep --no-pool --name "${PREFIX}kj" --format json postgres -- true >kj.json &&
	test "$(json_get 0 name <kj.json)" = "${PREFIX}kj" &&
	dbarena destroy "${PREFIX}kj" >/dev/null
'

test_expect_success 'gc: a run killed by SIGKILL leaves its database for gc, not before' '
	{ "$DBARENA" run --no-pool --name "${PREFIX}gc" postgres -- sh -c "
		echo \"\$DBARENA_RUN\" >gc.mark; exec sleep 300" >/dev/null 2>&1 & } &&
	pid=$! &&
	wait_until 120 test -s gc.mark &&
	dbarena gc "${PREFIX}gc" >alive.out 2>&1 &&
	docker inspect "${PREFIX}gc" >/dev/null &&
	kill -KILL $pid &&
	{ wait $pid; test $? = 137; } &&
	docker inspect "${PREFIX}gc" >/dev/null &&
	dbarena gc --format json "${PREFIX}gc" >gc.json &&
	test "$(json_get removed 0 reason <gc.json)" = "run gone" &&
	nothing_left gc.mark
'

test_expect_success '--network: the database joins it; a network dbarena made goes with the run' '
	net="${PREFIX}runnet" &&
	test_when_finished "docker network rm $net >/dev/null 2>&1 || :" &&
	dbarena run --no-pool --network "$net" postgres -- sh -c "
		echo \"\$DBARENA_RUN\" >net.mark &&
		docker network inspect -f {{.Driver}} $net >driver &&
		psql \"\$DATABASE_URL\" -Atc \"SELECT 7\" >net.out" &&
	test "$(cat driver)" = bridge &&
	test "$(cat net.out)" = 7 &&
	nothing_left net.mark &&
	test -z "$(docker network ls -q --filter "name=^$net\$")"
'

test_expect_success '--network: a network dbarena did not make stays after the run' '
	net="${PREFIX}theirs" &&
	docker network create "$net" >/dev/null &&
	test_when_finished "docker network rm $net >/dev/null 2>&1 || :" &&
	dbarena run --no-pool --network "$net" postgres -- true &&
	test -n "$(docker network ls -q --filter "name=^$net\$")"
'

test_expect_success 'usage: no command, options after the engines' '
	test_expect_code 2 dbarena run postgres 2>err &&
	grep -q "no command" err &&
	test_expect_code 2 dbarena run postgres --keep -- true 2>err &&
	grep -q "options go before the engines" err &&
	test_expect_code 2 dbarena run --format json postgres -- true 2>err &&
	grep -q "add --keep" err
'

test_done
