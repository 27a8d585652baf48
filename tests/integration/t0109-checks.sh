#!/bin/sh
# What can be checked before docker is, with no docker call at all; what
# only the engine knows is classified by what docker says, exactly.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

export FAULT_LOG="$TRASH/calls" FAULT_PLAN="$TRASH/plan"
fd="$TEST_SRCDIR/integration/fault-docker"
faulty() {	# plan lines...
	: >"$FAULT_LOG" &&
	printf '%s\n' "$@" >"$FAULT_PLAN"
}
mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
profile() {	# NAME LINES...: a profile of this run's
	_p=$1 && shift &&
	printf '%s\n' "[profile]" "inherits = fast" "$@" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/$_p.ini"
}

test_expect_success '--memory below docker'\''s 6 MiB is refused before any docker call' '
	faulty && export DBARENA_DOCKER="$fd" &&
	for m in 1b 5m 6291455; do
		test_expect_code 2 dbarena create postgres --no-pool --memory $m \
			2>err &&
		cat err && grep -q "6m or more" err || return 1
	done &&
	test ! -s "$FAULT_LOG" &&
	dbarena create postgres --memory 6m --dry-run >/dev/null
'

test_expect_success 'a profile'\''s memory and registry are checked like the options' '
	profile lowmem "[resources]" "memory = 1b" &&
	profile badreg "[image]" "registry = -x y" &&
	faulty && export DBARENA_DOCKER="$fd" &&
	test_expect_code 3 dbarena create postgres --profile lowmem 2>err &&
	cat err && grep -q "lowmem.ini:4: .*6m or more" err &&
	test_expect_code 3 dbarena create postgres --profile badreg 2>err &&
	cat err && grep -q "badreg.ini:4: .*registry host" err &&
	test_expect_code 2 dbarena create postgres --registry "a b" 2>err &&
	cat err && test ! -s "$FAULT_LOG"
'

test_expect_success 'a CPU count only the engine knows: exit 2 quoting docker, nothing left' '
	test_expect_code 2 dbarena create postgres --no-pool --cpus 1000 \
		--name "${PREFIX}cpu" 2>err &&
	cat err && grep -q "docker refused it.*CPUs" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}cpu\$")"
'

test_expect_success 'a docker that is not executable: exit 4, and it says why' '
	export DBARENA_DOCKER=/etc/passwd &&
	test_expect_code 4 dbarena list 2>err &&
	cat err && grep -q "cannot run /etc/passwd: Permission denied" err &&
	! grep -q "no message" err
'

test_expect_success 'an EOF during run is a broken connection, not a missing daemon' '
	faulty "run 1 eof" && export DBARENA_DOCKER="$fd" &&
	test_expect_code 4 dbarena create postgres --no-pool \
		--name "${PREFIX}eof" 2>err &&
	cat err && grep -q "connection to the docker daemon broke" err &&
	! grep -q "cannot connect" err && test "$(grep -cx run "$FAULT_LOG")" -eq 1
'

test_done
