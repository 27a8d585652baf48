#!/bin/sh
# A failed, timed-out or interrupted create removes only what it made
# itself, proven by the mark (label dbarena.owner) it put on it: never a
# container or volume that merely has the name it asked for. Each test
# checks the bystander's identity and data afterwards.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

export FAULT_LOG="$TRASH/calls" FAULT_PLAN="$TRASH/plan"
fd="$TEST_SRCDIR/integration/fault-docker"
faulty() {	# plan lines...
	: >"$FAULT_LOG" &&
	printf '%s\n' "$@" >"$FAULT_PLAN"
}
id_of() {
	docker inspect --format '{{.Id}}' "$1"
}
rows() {	# NAME -> the row count of table t, through a real client
	psql "$(dbarena url "$1")" -tAc 'select count(*) from t'
}
# A database of our own holding 42 rows; its ID in NAME.id.
with_rows() {
	dbarena create postgres --no-pool --name "$1" --quiet >/dev/null &&
	psql "$(dbarena url "$1")" -qc \
		"create table t as select generate_series(1, 42) as n" &&
	id_of "$1" >"$1.id"
}
nothing_left() {
	test -z "$(docker ps -aq --filter "name=^$1\$")" &&
	test -z "$(docker volume ls -q --filter "name=$1")"
}
# Start dbarena in the background: $pid is dbarena itself (the valgrind
# wrapper execs). A signal may come after it has ended on its own.
start_bg() {
	"$DBARENA" "$@" >out 2>err &
	pid=$!
}
signal() {	# SIG MS
	sleep "$(printf "%d.%03d" $(($2 / 1000)) $(($2 % 1000)))" &&
	{ kill -"$1" $pid 2>/dev/null || true; }
}

test_expect_success 'a foreign container keeps its name when a create over it fails' '
	docker run -d --name "${PREFIX}victim" -e POSTGRES_PASSWORD=x \
		"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null &&
	before=$(id_of "${PREFIX}victim") && echo "$before" >victim.id &&
	! dbarena create postgres --name "${PREFIX}victim" --no-pool \
		--cpus 1000 2>err &&
	cat err &&
	test "$(id_of "${PREFIX}victim")" = "$before" &&
	test_expect_code 6 dbarena create postgres --name "${PREFIX}victim" \
		--no-pool 2>err &&
	cat err &&
	test "$(id_of "${PREFIX}victim")" = "$before"
'

test_expect_success 'a dbarena database and its rows survive failed creates of its name' '
	with_rows "${PREFIX}it" && before=$(cat "${PREFIX}it.id") &&
	for opts in "--cpus 1000" "--memory 1b" "--port 1"; do
		{ dbarena create postgres --no-pool --name "${PREFIX}it" $opts \
			2>err; rc=$?; } &&
		echo "$opts: exit $rc" && cat err &&
		test $rc -ne 0 && test "$(id_of "${PREFIX}it")" = "$before" &&
		test "$(rows "${PREFIX}it")" -eq 42 || return 1
	done
'

test_expect_success 'Ctrl-C at many points into a create of a taken name removes nothing' '
	with_rows "${PREFIX}it2" && before=$(cat "${PREFIX}it2.id") &&
	for ms in 0 10 20 30 40 60 90 130 200 300 500; do
		start_bg create postgres --no-pool --name "${PREFIX}it2" &&
		signal INT $ms && rc=0 && { wait $pid || rc=$?; } &&
		echo "after $ms ms: exit $rc" && cat err &&
		{ test $rc -eq 130 || test $rc -eq 6; } &&
		test "$(id_of "${PREFIX}it2")" = "$before" &&
		test "$(rows "${PREFIX}it2")" -eq 42 || return 1
	done
'

test_expect_success 'a docker run that times out removes nothing it did not make' '
	with_rows "${PREFIX}it3" && faulty "run 1 hang" &&
	DBARENA_DOCKER="$fd" DBARENA_DOCKER_TIMEOUT=2 test_expect_code 4 \
		dbarena create postgres --no-pool --name "${PREFIX}it3" 2>err &&
	cat err && grep -q "did not answer in time" err &&
	test "$(id_of "${PREFIX}it3")" = "$(cat "${PREFIX}it3.id")" &&
	test "$(rows "${PREFIX}it3")" -eq 42 &&
	test "$(id_of "${PREFIX}victim")" = "$(cat victim.id)"
'

test_expect_success 'interrupts at many points into a persistent create leave nothing, exit 130/143' '
	i=0 &&
	for ms in 0 20 40 60 80 100 130 160 200 300 450 700; do
		i=$((i + 1)) && sig=INT && want=130 &&
		if [ $((i % 2)) -eq 0 ]; then sig=TERM && want=143; fi &&
		start_bg create postgres --no-pool --persistent \
			--name "${PREFIX}p$i" &&
		signal $sig $ms && rc=0 && { wait $pid || rc=$?; } &&
		echo "$sig after $ms ms: exit $rc" && cat err &&
		if [ $rc -eq 0 ]; then
			dbarena destroy --remove-volume --yes "${PREFIX}p$i" >/dev/null
		else
			test $rc -eq $want && nothing_left "${PREFIX}p$i" &&
			! grep -q "no message" err
		fi || return 1
	done
'

# A server that logs its ready line but listens on no TCP port: create
# waits for ever (for --timeout), following its log.
deaf="deaf${PREFIX%-}"
mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
printf '[profile]\ninherits = fast\n[server]\nflags = -c listen_addresses=\n' \
	>"$XDG_CONFIG_HOME/dbarena/profiles/$deaf.ini"
extra_cleanup() {
	ids=$(docker ps -aq --filter "label=dbarena.profile=$deaf" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
}
# How many docker logs --follow of $1 run (pgrep from a function: no
# shell around it whose own command line would match).
following() {
	pgrep -fc -- "logs --follow $1" || true
}
none_following() {
	test "$(following "$1")" -eq 0
}
is_following() {
	test "$(following "$1")" -ge 1
}
deaf_two() {
	test "$(deaf_count)" -eq 2
}
# The deaf server has said all it will say: its final ready line.
server_done() {
	docker logs "$1" 2>&1 | sed -n "/init process complete/,\$p" |
		grep -q "ready to accept connections"
}
deaf_count() {
	docker ps -aq --filter "label=dbarena.profile=$deaf" | wc -l
}
no_deaf() {
	test "$(deaf_count)" -eq 0
}

test_expect_success 'no child outlives a SIGKILLed create: docker logs --follow dies with it' '
	start_bg create postgres --no-pool --profile "$deaf" --timeout 300 \
		--name "${PREFIX}k1" &&
	wait_until 60 is_following "${PREFIX}k1" &&
	wait_until 120 server_done "${PREFIX}k1" && sleep 1 &&
	kill -KILL $pid && { wait $pid || true; } &&
	wait_until 5 none_following "${PREFIX}k1" &&
	docker rm -f -v "${PREFIX}k1" >/dev/null
'

test_expect_success 'a SIGKILLed parallel create: each child removes what it made' '
	start_bg create postgres postgres --no-pool --profile "$deaf" --timeout 300 &&
	wait_until 60 deaf_two &&
	names=$(docker ps -a --filter "label=dbarena.profile=$deaf" \
		--format "{{.Names}}") &&
	for n in $names; do
		wait_until 60 is_following "$n" &&
		wait_until 120 server_done "$n" || return 1
	done && sleep 1 &&
	kill -KILL $pid && { wait $pid || true; } &&
	wait_until 30 no_deaf &&
	for n in $names; do
		wait_until 5 none_following "$n" || return 1
	done
'

test_done
