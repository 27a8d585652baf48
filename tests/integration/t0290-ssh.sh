#!/bin/sh
# A remote engine over ssh, as users reach one: the rig's docker context
# dbarena-ssh (host=ssh://dbarena-devbox, an alias in ~/.ssh/config for a
# real sshd on 127.0.0.1:2222; see tests/rig/ssh.sh). Its databases
# publish on the remote host's loopback, so create is ready by a wire
# probe through an ssh forward (no docker exec), url and env refuse to
# print an address nothing reaches, and dbarena tunnel prints URLs on
# 127.0.0.1 that psql and mariadb use while it runs; it leaves no ssh
# behind and reports a forward that drops.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

ctx=dbarena-ssh
fd="$TEST_SRCDIR/integration/fault-docker"
export FAULT_LOG="$TRASH/fault.log"
pg="${PREFIX}pg"
my="${PREFIX}my"

if ! docker context inspect "$ctx" >/dev/null 2>&1 ||
    ! docker --context "$ctx" version >/dev/null 2>&1; then
	[ "${CI:-}" = true ] && { echo "1..1"; echo "not ok 1 - no context $ctx (tests/rig/setup.sh)"; exit 1; }
	skip_all "no docker context $ctx; run tests/rig/setup.sh"
fi

sshdb() {
	dbarena --context "$ctx" "$@"
}

# The ssh forwards to a local port, as pgrep sees them.
forwards() {
	pgrep -f "^ssh -N .*-L 127\.0\.0\.1:$1:" >/dev/null
}

# Start dbarena tunnel in the background; its pid in tunnel.pid (its own:
# not a subshell's, as a function run with & would give).
tunnel_bg() {
	"$DBARENA" --context "$ctx" tunnel "$@" >tun.out 2>tun.err &
	echo $! >tunnel.pid
}

test_expect_success 'create over ssh: ready by a probe through a forward' '
	: >"$FAULT_LOG" && : >argv &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		sshdb create postgres --name "$pg" --format json >c.json &&
	! grep -q " context inspect " argv &&
	! grep -q " exec " argv &&
	test "$(json_get 0 reach <c.json)" = tunnel &&
	test "$(json_get 0 url <c.json)" = None &&
	port=$(json_get 0 port <c.json) &&
	! pgrep -f "^ssh -N .*:127\.0\.0\.1:$port " &&
	sshdb inspect "$pg" | grep "Host:" | grep -q "dbarena tunnel $pg"
'

test_expect_success 'url and env refuse: the port is on the remote loopback' '
	test_expect_code 12 sshdb url "$pg" >out 2>err &&
	test ! -s out &&
	grep -q "dbarena tunnel $pg" err &&
	test_expect_code 12 sshdb env "$pg" >out 2>err &&
	test ! -s out
'

test_expect_success 'psql connects to the URL dbarena tunnel prints' '
	tunnel_bg "$pg" &&
	test_when_finished "kill \$(cat tunnel.pid) 2>/dev/null" &&
	wait_until 20 grep -q "postgresql://" tun.out &&
	url=$(awk "NR == 2 { print \$3 }" tun.out) &&
	echo "$url" | grep -q "@127\.0\.0\.1:" &&
	test "$(psql "$url" -Atc "SELECT 40 + 2")" = 42
'

test_expect_success 'SIGTERM ends tunnel with 0, and no ssh is left' '
	tunnel_bg "$pg" --format json &&
	test_when_finished "kill \$(cat tunnel.pid) 2>/dev/null" &&
	wait_until 20 grep -q "url" tun.out &&
	lport=$(json_get 0 port <tun.out) &&
	forwards "$lport" &&
	kill -TERM "$(cat tunnel.pid)" &&
	test_expect_code 0 wait "$(cat tunnel.pid)" &&
	! forwards "$lport"
'

test_expect_success 'a SIGKILLed tunnel leaves no ssh either' '
	tunnel_bg "$pg" --format json &&
	test_when_finished "kill \$(cat tunnel.pid) 2>/dev/null" &&
	wait_until 20 grep -q "url" tun.out &&
	lport=$(json_get 0 port <tun.out) &&
	kill -KILL "$(cat tunnel.pid)" &&
	wait_until 5 eval "! forwards $lport"
'

test_expect_success 'a dropped forward is reported, not hung on (exit 13)' '
	tunnel_bg "$pg" &&
	test_when_finished "kill \$(cat tunnel.pid) 2>/dev/null" &&
	wait_until 20 grep -q "postgresql://" tun.out &&
	pkill -TERM -P "$(cat tunnel.pid)" -x ssh &&
	test_expect_code 13 wait "$(cat tunnel.pid)" &&
	grep -q "ssh forward to $pg dropped" tun.err
'

test_expect_success 'mariadb connects through a tunnel too' '
	sshdb create mariadb --name "$my" >/dev/null &&
	tunnel_bg "$my" --format json &&
	test_when_finished "kill \$(cat tunnel.pid) 2>/dev/null" &&
	wait_until 20 grep -q "url" tun.out &&
	sshdb inspect "$my" --format json >mi.json &&
	test "$(mariadb --protocol=tcp -h "$(json_get 0 host <tun.out)" \
		-P "$(json_get 0 port <tun.out)" -u "$(json_get user <mi.json)" \
		-p"$(json_get password <mi.json)" -N -B -e "SELECT 7")" = 7
'

test_expect_success 'list and destroy work on the context' '
	sshdb list -q >names &&
	grep -qx "$pg" names &&
	grep -qx "$my" names &&
	sshdb destroy "$pg" "$my" >/dev/null &&
	sshdb list -q >names &&
	! grep -q "$PREFIX" names
'

test_expect_success 'on a local engine tunnel says none is needed' '
	dbarena create postgres --name "${PREFIX}loc" >/dev/null &&
	dbarena tunnel "${PREFIX}loc" >out 2>err &&
	grep -q "no tunnel needed" err &&
	grep -q "postgresql://.*@127\.0\.0\.1:" out
'

test_done
