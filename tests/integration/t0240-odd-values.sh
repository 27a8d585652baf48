#!/bin/sh
# Values that once broke docker's records: a tab in a password, bytes
# that are not UTF-8, and a stranger's container labelled
# dbarena.managed=true with a tab and a newline in its labels. Every
# command works, or refuses before any docker call; one odd container is
# skipped with a warning naming it, and left alone.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}tab"
other="${PREFIX}other"
foreign="${PREFIX}foreign"
odd="${PREFIX}odd"
img="$DBARENA_REGISTRY/postgres:16-alpine"
fd="$TEST_SRCDIR/integration/fault-docker"
export FAULT_LOG="$TRASH/fault.log"
tab=$(printf '\t')
pw="a${tab}b"

# The strangers live only as long as the test that needs them: other
# runs on this engine meet them too.
strangers() {
	docker run -d --name "$foreign" --label dbarena.managed=true \
		--label "dbarena.engine=a${tab}b" --label "dbarena.x=1
2" --entrypoint sleep "$img" 600 >/dev/null &&
	docker run -d --name "$odd" --label dbarena.managed=true \
		--label "dbarena.engine=postgres" --label "dbarena.port=54
32" --entrypoint sleep "$img" 600 >/dev/null
}
strangers_gone() {
	docker rm -f "$foreign" "$odd" >/dev/null 2>&1
	true
}

test_expect_success 'create --password with a tab: JSON, inspect, url and psql' '
	dbarena create postgres --name "$pg" --password "$pw" --format json >c.json &&
	test "$(json_get 0 password <c.json)" = "$pw" &&
	dbarena inspect --format json "$pg" >i.json &&
	test "$(json_get password <i.json)" = "$pw" &&
	url=$(dbarena url "$pg") &&
	case $url in *:a%09b@*) ;; *) echo "url: $url"; false ;; esac &&
	test "$(psql "$url" -Atc "SELECT 40 + 2")" = 42
'

test_expect_success 'the tab is escaped in text, never printed raw' '
	dbarena inspect "$pg" >i.txt &&
	grep -qxF "  Password: a\\tb" i.txt &&
	! grep -q "$tab" i.txt
'

test_expect_success 'env quotes it for eval; shell and exec pass it on' '
	dbarena env "$pg" >env.sh &&
	test "$( (eval "$(cat env.sh)" && test "$PGPASSWORD" = "$pw" && psql -Atc "SELECT 6 * 7") )" = 42 &&
	dbarena env --format json "$pg" >env.json &&
	test "$(json_get PGPASSWORD <env.json)" = "$pw" &&
	dbarena shell "$pg" -- -h 127.0.0.1 -Atc "SELECT 7" >sh.out &&
	test "$(cat sh.out)" = 7 &&
	dbarena exec "$pg" printenv POSTGRES_PASSWORD >pe &&
	test "$(cat pe)" = "$pw"
'

test_expect_success 'a password not UTF-8, or with a newline, is refused before any docker call' '
	rm -f "$FAULT_LOG" &&
	{ DBARENA_DOCKER="$fd" dbarena create postgres --name "${PREFIX}ff" \
		--password "$(printf "a\377b")" --format json >ff.json 2>ff.err; test $? = 3; } &&
	grep -q "password is not valid UTF-8 (byte 0xff)" ff.err &&
	{ DBARENA_DOCKER="$fd" dbarena create postgres --name "${PREFIX}nl" \
		--password "$(printf "a\nb")" 2>nl.err; test $? = 3; } &&
	grep -q "password holds a control character (0x0a)" nl.err &&
	test ! -s ff.json && test ! -e "$FAULT_LOG"
'

test_expect_success 'JSON output is valid UTF-8 whatever the bytes' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\ninherits = fast\ndescription = caf\351 \377 end\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/${PREFIX}bytes.ini" &&
	dbarena profiles show --format json "${PREFIX}bytes" >p.json &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1],encoding=\"utf-8\")); assert d[\"settings\"][\"profile.description\"][\"value\"] == \"caf\ufffd \ufffd end\", d" p.json
'

test_expect_success 'a stranger with a tab and a newline in its labels: create, list, destroy go on' '
	test_when_finished strangers_gone &&
	strangers &&
	dbarena create postgres --name "$other" 2>create.err >/dev/null &&
	grep -qxF "dbarena: warning: skipping a container docker described oddly: $odd" create.err &&
	dbarena list --all >list.txt 2>list.err &&
	grep -q "^$foreign  *a\\\\tb  " list.txt &&
	! grep -q "$tab" list.txt &&
	grep -q "^$other " list.txt && ! grep -q "^$odd" list.txt &&
	grep -qxF "dbarena: warning: skipping a container docker described oddly: $odd" list.err &&
	dbarena list --all --format json >list.json 2>/dev/null &&
	python3 -c "import json,sys; l=json.load(open(sys.argv[1])); assert any(d[\"name\"] == sys.argv[2] and d[\"engine\"] == \"a\\tb\" for d in l), l" list.json "$foreign" &&
	dbarena inspect "$foreign" >fi.txt 2>&1 &&
	grep -qxF "  Engine:   a\\tb  (profile )" fi.txt &&
	{ dbarena url "$foreign" 2>fu.err; test $? = 3; } &&
	grep -q "unknown engine" fu.err && ! grep -q "$tab" fu.err &&
	dbarena destroy "$other" 2>destroy.err &&
	grep -qF "skipping a container docker described oddly: $odd" destroy.err &&
	test -z "$(docker ps -aq --filter "name=^$other\$")" &&
	test "$(docker inspect --format "{{.State.Running}} {{json (index .Config.Labels \"dbarena.engine\")}}" "$foreign")" = "true \"a\\tb\"" &&
	test "$(docker inspect --format "{{.State.Running}} {{json (index .Config.Labels \"dbarena.port\")}}" "$odd")" = "true \"54\\n32\""
'

test_expect_success 'volumes list escapes a stranger'"'"'s labels' '
	test_when_finished "docker volume rm \"${PREFIX}vol\" >/dev/null 2>&1" &&
	docker volume create --label dbarena.managed=true \
		--label "dbarena.engine=a${tab}b" --label "dbarena.container=x
y" "${PREFIX}vol" >/dev/null &&
	dbarena volumes list >v.txt &&
	grep -qxF "$(printf "%-44s %-10s %s" "${PREFIX}vol" "a\\tb" "x\\ny")" v.txt &&
	! grep -q "^y" v.txt &&
	dbarena volumes list --format json >v.json &&
	python3 -c "import json,sys; l=json.load(open(sys.argv[1])); assert {\"name\": sys.argv[2], \"engine\": \"a\\tb\", \"database\": \"x\\ny\"} in l, l" v.json "${PREFIX}vol"
'

test_expect_success 'destroy the database with the tab password' '
	dbarena destroy "$pg" &&
	test -z "$(docker ps -aq --filter "name=^$pg\$")"
'

test_done
