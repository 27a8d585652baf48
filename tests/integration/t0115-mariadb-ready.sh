#!/bin/sh
# Readiness that tells the truth, on the real engine: a MariaDB that greets
# only after resolving its client's address (the rig's RIG_SLOW_RESOLVER:
# name resolution on, a resolver on the container's loopback that never
# answers) is waited for, and one that answers the probe with an error
# packet fails at once, quoting the server. The refusal must come long
# before a generous timeout; how long the server takes to start on a busy
# machine is not ours to bound.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

slow="${PREFIX}slow"
denied="${PREFIX}denied"

test_expect_success 'a slow greeting: ready when a client can log in' '
	t0=$(now_ms) &&
	dbarena create mariadb --name "$slow" --env RIG_SLOW_RESOLVER=1 \
		--format json >s.json &&
	echo $(( $(now_ms) - t0 )) >ready.ms &&
	dbarena logs "$slow" >s.log 2>&1 &&
	grep -q "rig: slow resolver" s.log &&
	t1=$(now_ms) &&
	test "$(mariadb --protocol=tcp -h "$(json_get 0 host <s.json)" \
		-P "$(json_get 0 port <s.json)" -u "$(json_get 0 user <s.json)" \
		-p"$(json_get 0 password <s.json)" -N -B -e "SELECT 1")" = 1 &&
	echo $(( $(now_ms) - t1 )) >login.ms &&
	test "$(cat login.ms)" -ge 5000
'
say "slow greeting: created in $(cat ready.ms 2>/dev/null) ms;" \
	"a login then took $(cat login.ms 2>/dev/null) ms (the lookup)"

test_expect_success 'an error packet fails fast, quoting the server' '
	t0=$(now_ms) &&
	{ dbarena create mariadb --name "$denied" --timeout 240s \
		--env MARIADB_ROOT_HOST=localhost >out 2>err; rc=$?; } &&
	echo $(( $(now_ms) - t0 )) >fail.ms &&
	echo "create exited $rc" && cat err &&
	test "$rc" = 9 &&
	grep -q "^dbarena: $denied refused the connection: Host .* is not allowed to connect to this MariaDB server$" err &&
	test "$(cat fail.ms)" -lt 120000 &&
	test -z "$(docker ps -aq --filter "name=^$denied\$")"
'
say "error packet: failed after $(cat fail.ms 2>/dev/null) ms"

test_expect_success 'destroy the slow one' '
	dbarena destroy "$slow" >out &&
	grep -q "destroyed $slow" out
'

test_done
