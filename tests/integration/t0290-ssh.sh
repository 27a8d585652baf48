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

# run's COMMAND: records its mark and forwards' ports, checks that its
# variables name 127.0.0.1 and that a forward runs, then connects.
cat >in-run.sh <<'EOF'
#!/bin/sh
echo "$DBARENA_RUN" >run.mark &&
echo "$PGPORT $MYSQL_TCP_PORT" >ports &&
test "$PGHOST" = 127.0.0.1 && test "$MYSQL_HOST" = 127.0.0.1 &&
pgrep -f "^ssh -N .*-L 127\.0\.0\.1:$PGPORT:" >/dev/null &&
psql "$POSTGRES_URL" -Atc "SELECT 40 + 2" >pg.out &&
psql -Atc "SELECT current_user" >pgenv.out &&
mariadb -N -B -e "SELECT CONCAT(6 * 7, database())" >my.out
EOF

# Nothing of the run whose mark is in file $1 is left: no container,
# volume or network.
run_gone() {
	mark=$(cat "$1") && test -n "$mark" &&
	test -z "$(docker ps -aq --filter "label=dbarena.run=$mark")" &&
	test -z "$(docker volume ls -q --filter "label=dbarena.run=$mark")" &&
	test -z "$(docker network ls -q --filter "label=dbarena.run=$mark")"
}

test_expect_success 'run over ssh: COMMAND reaches both through forwards; nothing left' '
	sshdb run --no-pool postgres mariadb -- sh ./in-run.sh >out 2>err &&
	cat err &&
	test "$(cat pg.out)" = 42 &&
	test "$(cat pgenv.out)" = postgres &&
	test "$(cat my.out)" = 42dbarena &&
	! grep -q "dbarena: " err &&
	read -r pport mport <ports &&
	! forwards "$pport" &&
	! forwards "$mport" &&
	run_gone run.mark
'

test_expect_success 'run over ssh, SIGTERM: forwards closed, databases gone (143)' '
	{ "$DBARENA" --context "$ctx" run --no-pool postgres -- sh -c \
		"echo \$DBARENA_RUN >term.mark; echo \$PGPORT >term.port; exec sleep 60" \
		>out 2>err & } &&
	echo $! >run.pid &&
	test_when_finished "kill \$(cat run.pid) 2>/dev/null" &&
	wait_until 30 test -s term.port &&
	forwards "$(cat term.port)" &&
	kill -TERM "$(cat run.pid)" &&
	test_expect_code 143 wait "$(cat run.pid)" &&
	! forwards "$(cat term.port)" &&
	run_gone term.mark
'

test_expect_success 'run over ssh: a dropped forward is said; COMMAND runs on' '
	{ "$DBARENA" --context "$ctx" run --no-pool --name "${PREFIX}drop" postgres -- \
		sh -c "echo \$DBARENA_RUN >drop.mark; echo \$PGPORT >drop.port;
			while [ ! -e drop.stop ]; do sleep 0.1; done; echo ran on >drop.done" \
		>out 2>err & } &&
	echo $! >run.pid &&
	test_when_finished "kill \$(cat run.pid) 2>/dev/null" &&
	wait_until 30 test -s drop.port &&
	pkill -TERM -f "^ssh -N .*-L 127\.0\.0\.1:$(cat drop.port):" &&
	wait_until 10 grep -q "ssh forward to ${PREFIX}drop dropped" err &&
	: >drop.stop &&
	test_expect_code 0 wait "$(cat run.pid)" &&
	test -s drop.done &&
	run_gone drop.mark
'

test_expect_success 'ssh refuses the key: its own words, exit 4, no hang' '
	docker context create "${PREFIX}nokey" \
		--docker "host=ssh://${PREFIX}nouser@dbarena-devbox" >/dev/null &&
	test_when_finished "docker context rm -f ${PREFIX}nokey >/dev/null" &&
	test_expect_code 4 dbarena --context "${PREFIX}nokey" create postgres 2>err &&
	grep -q "cannot reach the engine over ssh: .*Permission denied (publickey)" err &&
	! grep -q "daemon running" err &&
	test_expect_code 4 dbarena --context "${PREFIX}nokey" list 2>err &&
	grep -q "Permission denied" err
'

# A docker that reaches the engine through the rig's context whatever
# context dbarena names: then only dbarena's own forward meets that
# context's ssh destination.
cat >docker-via-rig <<EOF
#!/bin/sh
[ "\$1" = --context ] && shift 2
exec docker --context $ctx "\$@"
EOF
chmod +x docker-via-rig

test_expect_success 'a forward ssh refuses: its words, exit 13, COMMAND not run' '
	docker context create "${PREFIX}nokey" \
		--docker "host=ssh://${PREFIX}nouser@dbarena-devbox" >/dev/null &&
	test_when_finished "docker context rm -f ${PREFIX}nokey >/dev/null" &&
	test_expect_code 13 dbarena --docker ./docker-via-rig \
		--context "${PREFIX}nokey" tunnel "$pg" >out 2>err &&
	grep -q "no ssh forward to $pg: .*Permission denied (publickey)" err &&
	test_expect_code 13 dbarena --docker ./docker-via-rig \
		--context "${PREFIX}nokey" run --no-pool --name "${PREFIX}nk" \
		postgres -- sh -c "echo ran >nokey.ran" 2>err &&
	grep -q "Permission denied (publickey)" err &&
	test ! -e nokey.ran &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}nk\$")"
'

test_expect_success 'pool over ssh: create claims a member, ready through a forward' '
	prof="sshpool${PREFIX%-}" &&
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\ninherits = fast\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/$prof.ini" &&
	test_when_finished "sshdb pool drain --profile $prof postgres >/dev/null 2>&1; :" &&
	sshdb pool fill postgres --profile "$prof" >/dev/null &&
	test "$(sshdb pool list -q postgres | grep -c .)" -ge 1 &&
	before=$(sshdb pool list -q postgres | grep -c .) &&
	sshdb create postgres --profile "$prof" --name "${PREFIX}claim" \
		--format json >cl.json &&
	test "$(json_get 0 reach <cl.json)" = tunnel &&
	test "$(sshdb pool list -q postgres | grep -c .)" -eq $((before - 1)) &&
	sshdb destroy "${PREFIX}claim" >/dev/null
'

test_expect_success 'gc over ssh: an expired database is collected' '
	sshdb create postgres --name "${PREFIX}ttl" --ttl 2s -q >/dev/null &&
	sleep 3 &&
	sshdb gc "${PREFIX}ttl" >out 2>err &&
	! sshdb list -q | grep -qx "${PREFIX}ttl"
'

test_expect_success '--bind 0.0.0.0 over ssh: a real password asked for; the URL names the host ssh reaches' '
	test_expect_code 3 sshdb create postgres --bind 0.0.0.0 \
		--name "${PREFIX}open" >out 2>err &&
	grep -q "password" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}open\$")" &&
	sshdb create postgres --bind 0.0.0.0 --password random \
		--name "${PREFIX}open" -q >/dev/null &&
	test_when_finished "sshdb destroy ${PREFIX}open >/dev/null 2>&1; :" &&
	url=$(sshdb url "${PREFIX}open") &&
	host=$(ssh -G dbarena-devbox | awk "/^hostname /{print \$2}") &&
	case "$url" in *"@$host:"*) ;; *) echo "url $url names not $host"; exit 1 ;; esac &&
	test "$(psql "$url" -Atc "SELECT 1")" = 1
'

test_expect_success 'doctor says how readiness and connections work over ssh' '
	sshdb doctor >doc.out &&
	grep -q "^ok   context .*remote over ssh: .*probed through an ssh forward" doc.out
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
