#!/bin/sh
# What a user meets when things go wrong: one clear line, a documented
# exit code, and nothing left behind.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

# The deaf server of the test below logged ready after its init process.
deaf_said_ready() {
	docker logs "$1" 2>&1 | sed -n "/init process complete/,\$p" |
	grep -q "ready to accept connections"
}

nothing_left() {
	test -z "$(docker ps -aq --filter "name=^$1")" &&
	test -z "$(docker volume ls -q --filter "name=$1")"
}

test_expect_success 'cold start: a missing image is pulled from the registry' '
	img="$DBARENA_REGISTRY/postgres:15-alpine" &&
	{ docker rmi "$img" >/dev/null 2>&1 || :; } &&
	! docker image inspect "$img" >/dev/null 2>&1 &&
	dbarena create postgres --version 15 --name "${PREFIX}cold" >out 2>err &&
	grep -q "pulling $img" err &&
	docker image inspect "$img" >/dev/null &&
	dbarena destroy "${PREFIX}cold" >/dev/null
'

test_expect_success 'an image that exists nowhere: exit 7, nothing left' '
	test_expect_code 7 dbarena create postgres --persistent \
		--name "${PREFIX}noimg" \
		--image "$DBARENA_REGISTRY/postgres:no-such-tag" 2>err &&
	grep -q "^dbarena: image not found" err &&
	nothing_left "${PREFIX}noimg"
'

test_expect_success 'a name in use: exit 6, the first one untouched' '
	dbarena create postgres --name "${PREFIX}dup" >/dev/null &&
	test_expect_code 6 dbarena create postgres --name "${PREFIX}dup" 2>err &&
	grep -q "^dbarena: name already in use" err &&
	test -n "$(docker ps -q --filter "name=^${PREFIX}dup\$")" &&
	dbarena destroy "${PREFIX}dup" >/dev/null
'

test_expect_success 'a persistent create on a taken name leaves that container alone' '
	docker run -d --name "${PREFIX}theirs" "$DBARENA_REGISTRY/postgres:16-alpine" \
		sleep 300 >/dev/null &&
	test_expect_code 6 dbarena create postgres --persistent \
		--no-pool --name "${PREFIX}theirs" 2>err &&
	test -n "$(docker ps -q --filter "name=^${PREFIX}theirs\$")" &&
	! docker volume inspect "dbarena-${PREFIX}theirs-data" >/dev/null 2>&1 &&
	docker rm -f -v "${PREFIX}theirs" >/dev/null
'

test_expect_success 'a ready line alone is not trusted; SIGTERM cleans up' '
	# The server logs "ready to accept connections" but listens on its
	# socket only: the protocol probe never succeeds, so create keeps
	# waiting - until SIGTERM, when it removes what it made and exits 143.
	printf "[profile]\ninherits = persistent\n[server]\nflags = -c listen_addresses=\n" >deaf.ini &&
	# The shell writes its own pid, then becomes dbarena: $! may name a
	# shell around it (bash forks one here), the pid file never does.
	{ sh -c '\''echo $$ >pid; exec "$0" "$@"'\'' "$DBARENA" create postgres \
		--name "${PREFIX}deaf" --profile ./deaf.ini --timeout 120s 2>err & } &&
	bg=$! &&
	wait_until 30 test -s pid &&
	pid=$(cat pid) &&
	test_when_finished "kill -9 $pid 2>/dev/null" &&
	wait_until 120 deaf_said_ready "${PREFIX}deaf" &&
	# Two seconds after the ready line, create still waits.
	sleep 2 && kill -0 $pid &&
	kill -TERM $pid &&
	{ wait $bg; rc=$?; } &&
	cat err && echo "rc=$rc" &&
	test $rc -eq 143 &&
	grep -q "^dbarena: interrupted: removed ${PREFIX}deaf and its volume" err &&
	nothing_left "${PREFIX}deaf"
'

test_expect_success 'not ready in time: exit 9 with the last log lines, nothing left' '
	test_expect_code 9 dbarena create postgres --profile ./deaf.ini \
		--name "${PREFIX}slow" --timeout 3s 2>err &&
	cat err && grep -q "not ready after 3s" err &&
	grep -q "^  last lines from ${PREFIX}slow:" err &&
	# Whatever the server had said by then (a busy machine may not have
	# finished initdb): its own lines, indented under the heading.
	sed -n "/^  last lines from/,\$p" err | grep -q "^    [[:alnum:]]" &&
	nothing_left "${PREFIX}slow"
'

# A port that a listener holds, and an engine (a file, no C) whose whole
# port range is held: port errors before and after docker is asked.
hold_ports() {	# first count -> a listener on 127.0.0.1 holding them
	rm -f held
	python3 -c "import socket,sys,time
ss=[]
for p in range(int(sys.argv[1]), int(sys.argv[1])+int(sys.argv[2])):
    s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((\"127.0.0.1\", p)); s.listen(1); ss.append(s)
open(\"held\", \"w\").close(); time.sleep(120)" "$1" "$2" &
	holder=$!
	test_when_finished "kill $holder 2>/dev/null"
	wait_until 30 test -e held
}

test_expect_success 'a --port someone listens on: exit 8, the port named, nothing left' '
	hold_ports 29321 1 &&
	test_expect_code 8 dbarena create postgres --no-pool --persistent \
		--port 29321 --name "${PREFIX}held" 2>err &&
	grep -q "29321" err && nothing_left "${PREFIX}held"
'

test_expect_success 'every port of the range taken: exit 8 before a container is made' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	sed "s/^port = 5432/port = 29400/" "$TEST_SRCDIR/../engines/postgres.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/pgfar.ini" &&
	hold_ports 29400 100 &&
	: >"$TRASH/calls" &&
	FAULT_LOG="$TRASH/calls" DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
		test_expect_code 8 dbarena create pgfar --no-pool \
		--name "${PREFIX}far" 2>err &&
	grep -q "no free port from 29400 to 29499" err &&
	! grep -qx run "$TRASH/calls" && nothing_left "${PREFIX}far"
'

test_expect_success 'a server that exits at once: exit 9, its error shown' '
	test_expect_code 9 dbarena create postgres --name "${PREFIX}bad" \
		--env POSTGRES_PASSWORD= 2>err &&
	grep -q "stopped before it was ready" err &&
	nothing_left "${PREFIX}bad"
'

test_expect_success 'the daemon down: a clear message, exit 4, nothing left' '
	DOCKER_HOST=unix://$TRASH/no-daemon.sock test_expect_code 4 dbarena create postgres \
		--name "${PREFIX}nod" 2>err &&
	grep -q "^dbarena: cannot connect to the docker daemon" err &&
	grep -q "is the docker daemon running" err &&
	DOCKER_HOST=unix://$TRASH/no-daemon.sock test_expect_code 4 dbarena list 2>err &&
	nothing_left "${PREFIX}nod"
'

test_expect_success 'no docker binary: exit 4, nothing left' '
	DBARENA_DOCKER=/nonexistent/docker test_expect_code 4 dbarena create postgres \
		--name "${PREFIX}nobin" 2>err &&
	grep -q "command not found" err &&
	nothing_left "${PREFIX}nobin"
'

test_done
