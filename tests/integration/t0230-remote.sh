#!/bin/sh
# Where the engine is: a context whose endpoint is the local socket is
# local (readiness by protocol probe on the published port); a tcp://
# endpoint, through DOCKER_HOST or a context, is remote: readiness is
# confirmed inside the container, and no address is printed that does
# not work from here: a port on the remote host's loopback (the default
# bind) gets none (url exits 12), one published with --bind 0.0.0.0 the
# endpoint's host. The "remote" engine is this one behind socat on a TCP
# port, reached as "localhost" so that the host dbarena prints is the
# endpoint's, not its default 127.0.0.1. (Over ssh: t0290.)
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

fd="$TEST_SRCDIR/integration/fault-docker"
export FAULT_LOG="$TRASH/fault.log"
tcpport=$((30000 + $$ % 10000))
local_ctx="${PREFIX}local"
remote_ctx="${PREFIX}remote"

extra_cleanup() {
	[ -f "$TRASH/socat.pid" ] && kill "$(cat "$TRASH/socat.pid")" 2>/dev/null
	docker context rm -f "$local_ctx" "$remote_ctx" >/dev/null 2>&1
}

# The docker calls one dbarena command made, one a line.
calls() {
	: >"$FAULT_LOG" && : >"$TRASH/argv" &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" dbarena "$@"
}

test_expect_success 'setup: a TCP endpoint and two contexts' '
	command -v socat >/dev/null || { echo "no socat (tests/rig/setup.sh)"; exit 1; } &&
	# -t: keep the other direction open after the CLI half-closes its
	# side, or docker exec reads the exit code of a command still running
	# (always 0) and readiness inside the container would be believed.
	{ sh -c "echo \$\$ >\"$TRASH/socat.pid\"; exec socat -t 3600 \
		TCP-LISTEN:$tcpport,bind=127.0.0.1,reuseaddr,fork \
		UNIX-CONNECT:/var/run/docker.sock" & } &&
	wait_until 5 env DOCKER_HOST=tcp://localhost:$tcpport \
		docker version >/dev/null &&
	docker context create "$local_ctx" \
		--docker host=unix:///var/run/docker.sock >/dev/null &&
	docker context create "$remote_ctx" \
		--docker host=tcp://localhost:$tcpport >/dev/null
'

test_expect_success 'a context on the local socket is local: probed, 127.0.0.1' '
	calls --context "$local_ctx" create postgres --name "${PREFIX}lc" \
		--format json >lc.json &&
	! grep -q " context inspect " "$TRASH/argv" &&
	! grep -q " exec " "$TRASH/argv" &&
	test "$(json_get 0 host <lc.json)" = 127.0.0.1 &&
	psql "$(json_get 0 url <lc.json)" -Atc "SELECT 1" | grep -qx 1
'

test_expect_success 'DOCKER_HOST=tcp://localhost: readiness inside, no URL on its loopback' '
	DOCKER_HOST=tcp://localhost:$tcpport calls create postgres \
		--name "${PREFIX}dh" --format json >dh.json &&
	grep -q " exec " "$TRASH/argv" &&
	! grep -q " context inspect " "$TRASH/argv" &&
	test "$(json_get 0 reach <dh.json)" = none &&
	test "$(json_get 0 url <dh.json)" = None &&
	DOCKER_HOST=tcp://localhost:$tcpport test_expect_code 12 \
		"$DBARENA" url "${PREFIX}dh" >out 2>err &&
	test ! -s out &&
	grep -q -- "--bind ADDR" err &&
	DOCKER_HOST=tcp://localhost:$tcpport "$DBARENA" inspect "${PREFIX}dh" |
		grep "Host:" | grep -q "127.0.0.1:[0-9]* on localhost only"
'

test_expect_success '--bind 0.0.0.0 on a remote engine refuses the default password' '
	test_expect_code 3 dbarena --context "$remote_ctx" create postgres \
		--name "${PREFIX}open" --bind 0.0.0.0 2>err &&
	grep -q "default password" err &&
	test_expect_code 3 dbarena --context "$remote_ctx" create postgres \
		--name "${PREFIX}open" --bind 0.0.0.0 --password dbarena 2>err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}open")"
'

test_expect_success 'run on its loopback: exit 12 before COMMAND, nothing left' '
	test_expect_code 12 dbarena --context "$remote_ctx" run --no-pool \
		--name "${PREFIX}run" postgres -- sh -c "echo ran >ran" >out 2>err &&
	test ! -e ran &&
	grep -q "^dbarena: run: sh not started: it would not reach ${PREFIX}run" err &&
	grep -q -- "--bind ADDR" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}run\$")"
'

test_expect_success 'a context with a tcp endpoint is remote the same way' '
	calls --context "$remote_ctx" create postgres --name "${PREFIX}rc" \
		--bind 0.0.0.0 --password random --format json >rc.json &&
	! grep -q " context inspect " "$TRASH/argv" &&
	grep -q " exec " "$TRASH/argv" &&
	test "$(json_get 0 host <rc.json)" = localhost &&
	dbarena --context "$remote_ctx" inspect "${PREFIX}rc" --format json >ri.json &&
	test "$(json_get host <ri.json)" = localhost &&
	test "$(dbarena --context "$remote_ctx" url "${PREFIX}rc" | sed "s/.*@//; s/:.*//")" = localhost &&
	psql "$(json_get 0 url <rc.json)" -Atc "SELECT 3" | grep -qx 3
'

test_expect_success 'DOCKER_CONTEXT names a context as --context does' '
	DOCKER_CONTEXT="$remote_ctx" dbarena inspect "${PREFIX}rc" --format json >e.json &&
	test "$(json_get host <e.json)" = localhost &&
	DOCKER_CONTEXT="$local_ctx" dbarena inspect "${PREFIX}rc" --format json >l.json &&
	test "$(json_get host <l.json)" = 127.0.0.1
'

test_expect_success 'so does the context docker context use chose' '
	mkdir -p dc && cp -r "${DOCKER_CONFIG:-$HOME/.docker}/contexts" dc/ &&
	printf "{\"currentContext\": \"%s\"}\n" "$remote_ctx" >dc/config.json &&
	DOCKER_CONFIG=$PWD/dc dbarena inspect "${PREFIX}rc" --format json >u.json &&
	test "$(json_get host <u.json)" = localhost
'

test_expect_success 'an unknown context is an error that names it' '
	dbarena --context "${PREFIX}nope" list 2>err; test $? -ne 0 &&
	grep -q "${PREFIX}nope" err
'

test_done
