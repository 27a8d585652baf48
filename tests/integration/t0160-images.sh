#!/bin/sh
# images build: an image whose database was initialised at build time.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

tag="dbarena-test/${PREFIX%-}:pg"

extra_cleanup() {
	docker rmi -f "$tag" >/dev/null 2>&1
}

test_expect_success 'images build renders and builds a seeded image' '
	dbarena images build postgres --profile cdc-fast --tag "$tag" >out 2>err &&
	grep -qx "$tag" out &&
	docker image inspect --format "{{index .Config.Labels \"dbarena.seeded\"}}" "$tag" |
		grep -qx "postgres/16/cdc-fast"
'

test_expect_success 'create from it skips initialisation and works' '
	dbarena create postgres --profile cdc-fast --image "$tag" --name "${PREFIX}pre" \
		--format json >c.json &&
	url=$(json_get 0 url <c.json) &&
	test "$(psql "$url" -Atc "SHOW wal_level")" = logical &&
	psql "$url" -Atc "SELECT current_database()" | grep -qx dbarena &&
	! docker logs "${PREFIX}pre" 2>&1 | grep -q "init process complete" &&
	docker logs "${PREFIX}pre" 2>&1 | grep -q "database system was shut down"
'

test_expect_success 'each create gets its own copy of the seed' '
	psql "$(json_get 0 url <c.json)" -Atc "CREATE TABLE only_here (x int)" &&
	dbarena create postgres --profile cdc-fast --image "$tag" --name "${PREFIX}pre2" \
		--format json >d.json &&
	! psql "$(json_get 0 url <d.json)" -Atc "SELECT * FROM only_here" 2>/dev/null
'

test_expect_success 'an engine without a template says so' '
	dbarena images build sqlserver 2>err; test $? -eq 3 &&
	grep -q "no image template for sqlserver" err
'

test_done
