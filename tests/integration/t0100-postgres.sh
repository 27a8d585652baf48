#!/bin/sh
# PostgreSQL end to end on the real engine, checked with real clients.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
# A password found nowhere else, so that any argument vector carrying it
# is caught; "dbarena" is in every label name.
pw="pw-${PREFIX}s3cret"
# Every docker call dbarena makes in this script goes through
# fault-docker, with no plan the real CLI, which records its whole
# command line (as ps shows it to any user) and its PASSWORD variables.
export FAULT_LOG="$TRASH/calls" FAULT_ARGV="$TRASH/argv" FAULT_ENV="$TRASH/env"
export DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker"

test_expect_success 'create postgres (cdc-fast) prints a URL that psql uses' '
	dbarena create postgres --profile cdc-fast --name "$pg" --password "$pw" >out &&
	grep -q "^$pg ready in [0-9.]*s" out &&
	url=$(sed -n "s/^  URL: *//p" out) &&
	test "$(psql "$url" -Atc "SHOW wal_level")" = logical &&
	test "$(psql "$url" -Atc "SHOW fsync")" = off
'

test_expect_success 'pg_recvlogical can create and drop a slot' '
	url=$(dbarena inspect "$pg" --format json | json_get url) &&
	pg_recvlogical -d "$url" --slot t_slot --create-slot -P test_decoding &&
	psql "$url" -Atc "SELECT slot_name FROM pg_replication_slots" | grep -qx t_slot &&
	pg_recvlogical -d "$url" --slot t_slot --drop-slot
'

test_expect_success 'the password is in no docker argv, only in the environment' '
	grep -q " run .* -e POSTGRES_PASSWORD " "$TRASH/argv" &&
	! grep -qF -- "$pw" "$TRASH/argv" &&
	grep -qxF "POSTGRES_PASSWORD=$pw" "$TRASH/env" &&
	cid=$(docker ps -q --filter "name=^$pg\$") &&
	docker inspect --format "{{json .Config.Env}}" "$cid" | grep -qF "\"POSTGRES_PASSWORD=$pw\"" &&
	docker inspect --format "{{json .Path}}{{json .Args}}{{json .Config.Cmd}}{{json .Config.Entrypoint}}{{json .Config.Labels}}{{json .Config.Healthcheck}}" "$cid" >ci &&
	test -s ci && ! grep -qF -- "$pw" ci
'

test_expect_success 'list and inspect --format json parse, and list hides the password' '
	dbarena list --format json >list.json &&
	python3 -c "import json,sys; l=json.load(open(\"list.json\")); assert any(d[\"name\"]==\"$pg\" for d in l); assert all(\"password\" not in d for d in l)" &&
	dbarena inspect "$pg" --format json >one.json &&
	test "$(json_get engine <one.json)" = postgres &&
	test "$(json_get password <one.json)" = "$pw" &&
	dbarena list >table && grep -q "^$pg  *postgres  *16 " table &&
	! grep -qF -- "$pw" table
'

test_expect_success 'list copes with a container that has never started' '
	# No State.Health yet: a create in flight looks like this.
	docker create --name "${PREFIX}raw" --label dbarena.managed=true \
		"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null &&
	dbarena list --all >table && grep -q "^${PREFIX}raw .* stopped " table &&
	docker rm "${PREFIX}raw" >/dev/null
'

test_expect_success 'inspect and destroy take a unique prefix' '
	dbarena inspect "${PREFIX}p" | grep -q "^$pg$"
'

test_expect_success 'logs shows the server log' '
	dbarena logs --tail 50 "$pg" 2>&1 | grep -q "ready to accept connections"
'

test_expect_success 'stop, then list --all says stopped; start waits until ready' '
	dbarena stop "$pg" >/dev/null &&
	dbarena list --all --format json | python3 -c "import json,sys; assert [d for d in json.load(sys.stdin) if d[\"name\"]==\"$pg\"][0][\"status\"]==\"stopped\"" &&
	! dbarena list | grep -q "^$pg " &&
	dbarena start "$pg" >/dev/null &&
	url=$(dbarena inspect "$pg" --format json | json_get url) &&
	test "$(psql "$url" -Atc "SELECT 1")" = 1
'

test_expect_success 'restart comes back ready' '
	dbarena restart "$pg" >/dev/null &&
	url=$(dbarena inspect "$pg" --format json | json_get url) &&
	test "$(psql "$url" -Atc "SELECT 2")" = 2
'

test_expect_success 'destroy removes it' '
	t0=$(now_ms) && dbarena destroy "$pg" >/dev/null && t1=$(now_ms) &&
	echo "$((t1 - t0))" >"$TRASH/destroy-ms" &&
	test -z "$(docker ps -aq --filter "name=^$pg\$")"
'
# Speed is a goal measured in bench/, never asserted here; shown for the log.
say "destroy of an ephemeral postgres took $(cat "$TRASH/destroy-ms" 2>/dev/null) ms"

test_expect_success 'no docker call of this script had the password in its argv' '
	cat "$TRASH/calls" | sort | uniq -c &&
	test "$(grep -c . "$TRASH/argv")" -ge 10 &&
	grep -q " stop " "$TRASH/argv" && grep -q " rm " "$TRASH/argv" &&
	! grep -F -- "$pw" "$TRASH/argv"
'

test_expect_success 'a second destroy says no such database, exit 5' '
	test_expect_code 5 dbarena destroy "$pg" 2>err &&
	grep -q "no such database: $pg" err
'

test_done
