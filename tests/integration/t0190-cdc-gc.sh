#!/bin/sh
# CDC checked after create, "dbarena cdc" feeding a real logical
# replication client, and --ttl with gc. gc only ever runs with this run's
# PREFIX: other tests share the engine.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pgcdc"
my="${PREFIX}mycdc"
bad="${PREFIX}pgbad"
anon="${PREFIX}anon"
keep="${PREFIX}keep"
extra_cleanup() {
	[ -s "$TRASH/anon.vol" ] &&
		docker volume rm "$(cat "$TRASH/anon.vol")" >/dev/null 2>&1
	return 0
}

test_expect_success 'bad --ttl is refused before any docker call' '
	for t in 0s 5x -1h 1w 500ms ""; do
		DBARENA_DOCKER=/nonexistent/docker test_expect_code 2 \
			dbarena create postgres --ttl "$t" 2>err &&
		grep -q "invalid --ttl" err || exit 1
	done
'

test_expect_success 'cdc-fast postgres: verified at create, expiry shown' '
	dbarena create postgres --profile cdc-fast --ttl 1h --name "$pg" \
		--format json >c.json &&
	json_get 0 expires <c.json | grep -q "^20[0-9-]*T[0-9:]*Z$" &&
	dbarena inspect "$pg" >i.txt && grep -q "^  Expires: " i.txt &&
	dbarena inspect "$pg" --format json | json_get expires >e1 &&
	json_get 0 expires <c.json | cmp - e1
'

# Not --endpos: pg_recvlogical stops at the first keepalive past it, which
# can come before the change itself is sent.
seen="table public.cdc_t: INSERT: v\\[text\\]:'seen'"
test_expect_success 'dbarena cdc: pg_recvlogical streams a change with it' '
	dbarena cdc "$pg" >cfg.json &&
	test "$(json_get connector.class <cfg.json)" = \
		io.debezium.connector.postgresql.PostgresConnector &&
	test "$(json_get plugin.name <cfg.json)" = pgoutput &&
	test "$(json_get topic.prefix <cfg.json)" = "$pg" &&
	h=$(json_get database.hostname <cfg.json) &&
	p=$(json_get database.port <cfg.json) &&
	u=$(json_get database.user <cfg.json) &&
	d=$(json_get database.dbname <cfg.json) &&
	s=$(json_get slot.name <cfg.json) &&
	PGPASSWORD=$(json_get database.password <cfg.json) && export PGPASSWORD &&
	pg_recvlogical -h "$h" -p "$p" -U "$u" -d "$d" --slot "$s" \
		--create-slot -P test_decoding &&
	psql -h "$h" -p "$p" -U "$u" -d "$d" -q \
		-c "CREATE TABLE cdc_t (v text); INSERT INTO cdc_t VALUES ('\''seen'\'')" &&
	{ timeout 60 pg_recvlogical -h "$h" -p "$p" -U "$u" -d "$d" \
		--slot "$s" --start --no-loop -F 1 -f stream & } &&
	rp=$! &&
	test_when_finished "kill $rp 2>/dev/null; wait $rp" &&
	wait_until 30 grep -q "$seen" stream
'

test_expect_success 'dbarena cdc refuses a database without CDC' '
	dbarena create postgres --name "$anon" --profile fast --ttl 2s -q >/dev/null &&
	test_expect_code 2 dbarena cdc "$anon" >out 2>err &&
	grep -q "not a CDC database" err && test ! -s out
'

test_expect_success 'cdc-fast mariadb: binlog ROW verified; connector id differs' '
	dbarena create mariadb --profile cdc-fast --ttl 2s --name "$my" -q >/dev/null &&
	dbarena cdc "$my" >my.json &&
	test "$(json_get connector.class <my.json)" = \
		io.debezium.connector.mariadb.MariaDbConnector &&
	test "$(json_get database.server.id <my.json)" = 2 &&
	MYSQL_PWD=$(json_get database.password <my.json) &&
	test "$(MYSQL_PWD=$MYSQL_PWD mariadb --protocol=tcp \
		-h "$(json_get database.hostname <my.json)" \
		-P "$(json_get database.port <my.json)" \
		-u "$(json_get database.user <my.json)" -N -B \
		-e "SELECT @@binlog_format, @@server_id")" = "ROW	1"
'

test_expect_success 'a CDC profile whose flags break CDC fails create, removed' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\ninherits = cdc-fast\n[server]\nflags = -c wal_level=replica\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/cdc-broken.ini" &&
	test_expect_code 9 dbarena create postgres --profile cdc-broken \
		--name "$bad" >out 2>err &&
	grep -q "$bad failed its CDC check (profile cdc-broken)" err &&
	grep -q "wal_level" err && test ! -s out &&
	test -z "$(docker ps -aq --filter "name=^$bad\$")"
'

test_expect_success 'gc: --ttl 2s databases go with anonymous volumes, named kept' '
	printf "[profile]\ninherits = fast\n[storage]\ntype = container\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/onfs.ini" &&
	dbarena destroy "$anon" >/dev/null 2>&1 &&
	dbarena create postgres --profile onfs --ttl 2s --name "$anon" -q >/dev/null &&
	docker inspect -f "{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}}{{end}}{{end}}" \
		"$anon" >anon.vol && test -s anon.vol &&
	dbarena create postgres --persistent --ttl 2s --name "$keep" -q >/dev/null &&
	sleep 3 &&
	dbarena gc --dry-run "$PREFIX" >dry &&
	grep -q "would remove $anon " dry &&
	docker inspect "$anon" >/dev/null &&
	dbarena gc nomatch- "${PREFIX}zz" --format json >none.json &&
	test "$(json_get removed <none.json)" = "[]" &&
	dbarena gc "$PREFIX" --format json >gc.json &&
	python3 -c "import json,sys
r=json.load(open(\"gc.json\"))
names=sorted(x[\"name\"] for x in r[\"removed\"])
assert r[\"dry_run\"] is False, r
assert names==sorted([\"$anon\",\"$keep\",\"$my\"]), names
k=[x[\"kept_volume\"] for x in r[\"removed\"] if x[\"name\"]==\"$keep\"]
assert k==[\"dbarena-$keep-data\"], k" &&
	test -z "$(docker ps -aq --filter "name=^$anon\$")" &&
	test -z "$(docker ps -aq --filter "name=^$my\$")" &&
	test -z "$(docker ps -aq --filter "name=^$keep\$")" &&
	! docker volume inspect "$(cat anon.vol)" >/dev/null 2>&1 &&
	docker volume inspect "dbarena-$keep-data" >/dev/null
'

test_expect_success 'gc never touches a container dbarena did not make' '
	img=$(docker image ls --format "{{.Repository}}:{{.Tag}}" |
		grep "postgres:16-alpine$" | head -1) &&
	docker create --name "${PREFIX}foreign" \
		--label dbarena.expires=2000-01-01T00:00:00Z "$img" >/dev/null &&
	dbarena gc "$PREFIX" >out 2>err &&
	! grep -q foreign out &&
	test -n "$(docker ps -aq --filter "name=^${PREFIX}foreign\$")"
'

test_expect_success 'gc left the unexpired database alone' '
	docker inspect -f "{{.State.Running}}" "$pg" | grep -qx true &&
	dbarena gc "$PREFIX" >out 2>err && test ! -s out &&
	grep -q "removed 0 expired" err &&
	dbarena destroy "$pg" >/dev/null
'

test_done
