#!/bin/sh
# Faults, interrupts and races, on the real engine: a wrapper in front of
# the real CLI (fault-docker) fails, hangs or delays chosen calls.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

export FAULT_LOG="$TRASH/calls" FAULT_PLAN="$TRASH/plan"
faulty() {	# plan lines... ; then run dbarena through the wrapper
	: >"$FAULT_LOG"
	printf '%s\n' "$@" >"$FAULT_PLAN"
}
calls() {	# verb -> how many times dbarena ran it
	grep -cx "$1" "$FAULT_LOG"
}
fd="$TEST_SRCDIR/integration/fault-docker"
nothing_left() {
	test -z "$(docker ps -aq --filter "name=^$1")" &&
	test -z "$(docker volume ls -q --filter "name=$1")"
}

test_expect_success 'a daemon that is restarting: ps retried, list works' '
	faulty "ps 1 daemon" "ps 2 daemon" &&
	DBARENA_DOCKER="$fd" dbarena list >/dev/null &&
	test "$(calls ps)" -eq 3
'

test_expect_success 'an EOF mid-request on a read is retried' '
	dbarena create postgres --name "${PREFIX}f1" --quiet >/dev/null &&
	faulty "container 1 eof" &&
	DBARENA_DOCKER="$fd" dbarena inspect "${PREFIX}f1" --format json >i.json &&
	test "$(calls container)" -eq 2 && test "$(json_get password <i.json)" = dbarena
'

test_expect_success 'gives up after three retries with the daemon error, exit 4' '
	faulty "ps 0 daemon" &&
	DBARENA_DOCKER="$fd" test_expect_code 4 dbarena list 2>err &&
	test "$(calls ps)" -eq 4 && grep -q "cannot connect to the docker daemon" err
'

test_expect_success 'connection refused and a TLS handshake timeout are retried' '
	faulty "ps 1 refused" "ps 2 tls" &&
	DBARENA_DOCKER="$fd" dbarena list >/dev/null &&
	test "$(calls ps)" -eq 3
'

test_expect_success 'a 500 on a read is retried' '
	faulty "ps 1 500" &&
	DBARENA_DOCKER="$fd" dbarena list --format json >l.json &&
	test "$(calls ps)" -eq 2 && python3 -m json.tool l.json >/dev/null
'

test_expect_success 'retries back off: each wait longer, 100 ms and up' '
	faulty "ps 0 daemon" &&
	: >"$TRASH/times" &&
	FAULT_TIMES="$TRASH/times" DBARENA_DOCKER="$fd" test_expect_code 4 dbarena list 2>/dev/null &&
	cat "$TRASH/times" &&
	python3 -c "import sys
t=[int(x) for x in open(sys.argv[1])]
g=[b-a for a,b in zip(t,t[1:])]
print(\"gaps\", g)
assert len(g)==3, g
assert g[0]>=100 and g[1]>=200 and g[2]>=400, g
assert g[2]>g[0], g" "$TRASH/times"
'

test_expect_success 'no such image on pull is permanent: one pull, exit 7, nothing left' '
	faulty "pull 0 nosuchimage" &&
	DBARENA_DOCKER="$fd" test_expect_code 7 dbarena create postgres --no-pool \
		--name "${PREFIX}f4" --image "$DBARENA_REGISTRY/postgres:nope" 2>err &&
	test "$(calls pull)" -eq 1 && nothing_left "${PREFIX}f4"
'

test_expect_success 'a bad flag is permanent: one run, not retried, nothing left' '
	faulty "run 0 badflag" &&
	! DBARENA_DOCKER="$fd" dbarena create postgres --no-pool --name "${PREFIX}f5" 2>err &&
	cat err && test "$(calls run)" -eq 1 &&
	grep -q "unknown flag" err && nothing_left "${PREFIX}f5"
'

test_expect_success 'a 5xx on run is not retried (it may have run): nothing left' '
	faulty "run 1 5xx" &&
	DBARENA_DOCKER="$fd" test_expect_code 1 dbarena create postgres \
		--no-pool --name "${PREFIX}f2" 2>err &&
	test "$(calls run)" -eq 1 && grep -q "502 Bad Gateway" err &&
	nothing_left "${PREFIX}f2"
'

test_expect_success 'a permanent error (name conflict) is not retried' '
	faulty "run 1 conflict" &&
	DBARENA_DOCKER="$fd" test_expect_code 6 dbarena create postgres \
		--no-pool --name "${PREFIX}f3" 2>err &&
	test "$(calls run)" -eq 1
'

test_expect_success 'a hung docker is killed and reported with what it was doing' '
	faulty "ps 0 hang" &&
	t0=$(now_ms) &&
	DBARENA_DOCKER="$fd" DBARENA_DOCKER_TIMEOUT=2s test_expect_code 4 dbarena list 2>err &&
	t1=$(now_ms) && cat err &&
	grep -q "did not answer in time while listing databases" err &&
	test $((t1 - t0)) -lt 20000
'

# Interrupts: the pid file names the process that becomes dbarena.
start_bg() {
	rm -f pid
	sh -c 'echo $$ >pid; exec "$0" "$@"' "$DBARENA" "$@" 2>err &
	bg=$!
	wait_until 30 test -s pid || return 1
	pid=$(cat pid)
}

test_expect_success 'SIGINT while pulling: exit 130, nothing left' '
	faulty "pull 0 hang" && export DBARENA_DOCKER="$fd" &&
	start_bg create postgres --no-pool --persistent \
		--name "${PREFIX}i1" --image "$DBARENA_REGISTRY/postgres:absent" &&
	{ wait_until 60 grep -qx pull "$FAULT_LOG" || { kill -9 $pid; exit 1; }; } &&
	kill -INT $pid &&
	{ wait $bg; rc=$?; } &&
	cat err &&
	test $rc -eq 130 && nothing_left "${PREFIX}i1"
'

test_expect_success 'SIGTERM just after docker run returned: exit 143, nothing left' '
	faulty "run 1 after 3" && export DBARENA_DOCKER="$fd" &&
	start_bg create postgres --no-pool --persistent --name "${PREFIX}i2" &&
	{ wait_until 60 sh -c "docker ps -aq --filter name=^${PREFIX}i2\\$ | grep -q ." ||
		{ kill -9 $pid; exit 1; }; } &&
	kill -TERM $pid &&
	{ wait $bg; rc=$?; } &&
	cat err &&
	test $rc -eq 143 && grep -q "interrupted: removed ${PREFIX}i2 and its volume" err &&
	nothing_left "${PREFIX}i2"
'

test_expect_success 'concurrent destroys of one name: one wins, the rest exit 5' '
	dbarena create postgres --no-pool --name "${PREFIX}d1" --quiet >/dev/null &&
	for i in 1 2 3; do
		(dbarena destroy "${PREFIX}d1" >/dev/null 2>e$i; echo $? >rc$i) &
	done &&
	wait &&
	echo "exit codes: $(cat rc1 rc2 rc3 | tr "\n" " ")" && cat e1 e2 e3 &&
	test "$(cat rc1 rc2 rc3 | grep -cx 0)" -eq 1 &&
	test "$(cat rc1 rc2 rc3 | grep -cx 5)" -eq 2 &&
	cat e1 e2 e3 | grep -q "no such database: ${PREFIX}d1"
'

test_expect_success 'a destroy that lost its race after listing: exit 5, not "destroyed"' '
	dbarena create postgres --no-pool --name "${PREFIX}d2" --quiet >/dev/null &&
	faulty "rm 1 delay 2" &&
	{ (DBARENA_DOCKER="$fd" dbarena destroy "${PREFIX}d2" >slow.out 2>slow.err; echo $? >slow.rc) & } &&
	wait_until 30 grep -qx rm "$FAULT_LOG" &&
	dbarena destroy "${PREFIX}d2" >/dev/null && wait &&
	cat slow.out slow.err &&
	test "$(cat slow.rc)" -eq 5 && grep -q "no such database: ${PREFIX}d2" slow.err &&
	! grep -q destroyed slow.out
'

test_expect_success 'twenty concurrent creates for one preferred port all get their own' '
	tag="dbarena-test/${PREFIX%-}:pg" &&
	test_when_finished "docker rm -f -v \$(docker ps -aq --filter name=^${PREFIX}p) >/dev/null 2>&1; docker rmi -f $tag >/dev/null 2>&1" &&
	dbarena images build postgres --tag "$tag" >/dev/null 2>&1 &&
	for i in $(seq 20); do
		dbarena create postgres --no-pool --image "$tag" --name "${PREFIX}p$i" \
			--timeout 240s --format json >p$i.json 2>p$i.err &
	done &&
	wait &&
	cat p*.err &&
	python3 -c "import json,glob; ports=[json.load(open(f))[0][\"port\"] for f in glob.glob(\"p*.json\")]; assert len(ports)==20 and len(set(ports))==20, ports" &&
	for i in 1 7 20; do
		psql "$(json_get 0 url <p$i.json)" -Atc "SELECT $i" | grep -qx $i || exit 1
	done
'

test_expect_success 'no secret in any docker argv: they travel in the environment' '
	faulty &&
	FAULT_ARGV="$TRASH/argv" FAULT_ENV="$TRASH/env" DBARENA_DOCKER="$fd" \
		dbarena create postgres --no-pool --persistent --password random \
		--name "${PREFIX}sec" --format json >s.json &&
	pw=$(json_get 0 password <s.json) && test ${#pw} -eq 24 &&
	grep -q " run .* -e POSTGRES_PASSWORD " "$TRASH/argv" &&
	! grep -qF -- "$pw" "$TRASH/argv" &&
	grep -qxF "POSTGRES_PASSWORD=$pw" "$TRASH/env" &&
	psql "$(json_get 0 url <s.json)" -Atc "SELECT 1" | grep -qx 1 &&
	dbarena inspect "${PREFIX}sec" --format json | json_get password | grep -qxF "$pw" &&
	! dbarena list --format json | grep -qF -- "$pw" &&
	! dbarena list | grep -qF -- "$pw"
'

test_expect_success 'a destroy that fails midway never removes the volume' '
	faulty "rm 1 5xx" &&
	: >"$TRASH/argv18" &&
	! FAULT_ARGV="$TRASH/argv18" DBARENA_DOCKER="$fd" \
		dbarena destroy --remove-volume --yes "${PREFIX}sec" 2>err &&
	cat err &&
	grep -q "fault-docker rm " "$TRASH/argv18" &&
	! grep -q "fault-docker volume rm " "$TRASH/argv18" &&
	docker volume inspect "dbarena-${PREFIX}sec-data" >/dev/null &&
	dbarena destroy --remove-volume --yes "${PREFIX}sec" >/dev/null &&
	! docker volume inspect "dbarena-${PREFIX}sec-data" >/dev/null 2>&1
'

test_expect_success 'no hung docker outlived the dbarena that ran it' '
	sleep 1 && ! pgrep -f "^sleep 3600$" >/dev/null
'

test_done
