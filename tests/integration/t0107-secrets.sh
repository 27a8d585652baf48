#!/bin/sh
# Secrets: every way of giving one keeps it out of every argument vector,
# docker's and dbarena's own; and what create prints is what the server
# really takes.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

export FAULT_LOG="$TRASH/calls" FAULT_ARGV="$TRASH/argv"
fd="$TEST_SRCDIR/integration/fault-docker"
in_env() {	# NAME KEY=VALUE: the container's environment has it
	docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1" |
		grep -qx -- "$2"
}
connects() {	# URL
	psql "$1" -Atc "select 7" | grep -qx 7
}
no_argv_has() {	# TEXT: no docker command line recorded held it
	! grep -q -- "$1" "$FAULT_ARGV"
}

test_expect_success '--env values of any name go by name, never in docker argv' '
	: >"$FAULT_ARGV" &&
	DBARENA_DOCKER="$fd" dbarena create postgres --no-pool \
		--name "${PREFIX}e1" --env DB_PASS=hunter2x --env API_KEY=k3y9z \
		--quiet >/dev/null &&
	in_env "${PREFIX}e1" DB_PASS=hunter2x && in_env "${PREFIX}e1" API_KEY=k3y9z &&
	no_argv_has hunter2x && no_argv_has k3y9z
'

test_expect_success '--env NAME takes the value from the environment' '
	: >"$FAULT_ARGV" &&
	DB_TOKEN=t0k3nq DBARENA_DOCKER="$fd" dbarena create postgres --no-pool \
		--name "${PREFIX}e2" --env DB_TOKEN --quiet >/dev/null &&
	in_env "${PREFIX}e2" DB_TOKEN=t0k3nq && no_argv_has t0k3nq &&
	test_expect_code 2 dbarena create postgres --env NOT_SET_ANYWHERE_X \
		--dry-run
'

test_expect_success '--password-file, --password-stdin and DBARENA_PASSWORD' '
	: >"$FAULT_ARGV" &&
	printf "fil3pw\n" >pwfile &&
	DBARENA_DOCKER="$fd" dbarena create postgres --no-pool \
		--name "${PREFIX}p1" --password-file pwfile --format json >p1.json &&
	connects "$(json_get 0 url <p1.json)" && test "$(json_get 0 password <p1.json)" = fil3pw &&
	printf "stdinpw\n" | DBARENA_DOCKER="$fd" dbarena create postgres \
		--no-pool --name "${PREFIX}p2" --password-stdin --format json >p2.json &&
	connects "$(json_get 0 url <p2.json)" && test "$(json_get 0 password <p2.json)" = stdinpw &&
	DBARENA_PASSWORD=envpw DBARENA_DOCKER="$fd" dbarena create postgres \
		--no-pool --name "${PREFIX}p3" --format json >p3.json &&
	connects "$(json_get 0 url <p3.json)" && test "$(json_get 0 password <p3.json)" = envpw &&
	no_argv_has fil3pw && no_argv_has stdinpw && no_argv_has envpw &&
	test_expect_code 2 dbarena create postgres --password x --password-stdin \
		--dry-run &&
	: >empty && test_expect_code 2 dbarena create postgres \
		--password-file empty --dry-run
'

test_expect_success '--env POSTGRES_PASSWORD is the password create prints and url gives' '
	dbarena create postgres --no-pool --name "${PREFIX}o1" \
		--env POSTGRES_PASSWORD=0verride --format json >o1.json &&
	test "$(json_get 0 password <o1.json)" = 0verride &&
	connects "$(json_get 0 url <o1.json)" &&
	connects "$(dbarena url "${PREFIX}o1")"
'

prof="pw${PREFIX%-}"
extra_cleanup() {
	ids=$(docker ps -aq --filter "label=dbarena.profile=$prof" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
}

test_expect_success 'a pool claim reports the password its member really has' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\ninherits = fast\n[environment]\nPOSTGRES_PASSWORD = pr0filepw\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/$prof.ini" &&
	dbarena pool fill postgres -n 1 --profile "$prof" >/dev/null &&
	dbarena create postgres --profile "$prof" --format json >c.json &&
	json_get 0 name <c.json | grep -q "^dbarena-postgres-" &&
	test "$(json_get 0 password <c.json)" = pr0filepw &&
	connects "$(json_get 0 url <c.json)"
'

test_done
