#!/bin/sh
# images build: an image whose database was initialised at build time.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

tag="dbarena-test/${PREFIX%-}:pg"

extra_cleanup() {
	docker rmi -f "$tag" "${tag}-int" >/dev/null 2>&1
	ids=$(docker ps -aq --filter "label=dbarena.test=$PREFIX")
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
	# What the interrupted build left: its steps before the RUN.
	ids=$(docker images -aq --filter "label=dbarena.test=$PREFIX")
	[ -n "$ids" ] && docker rmi -f $ids >/dev/null 2>&1
	return 0
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

build_running() {
	test -n "$(docker ps -q --filter "label=dbarena.test=$PREFIX")"
}
no_build_running() {
	! build_running
}

# A build that takes minutes, so that it is surely running when dbarena is
# interrupted: the user's template wins, the label keeps it out of any
# cache, and a wrapper records the docker CLI's PID (exec keeps it).
test_expect_success 'images build interrupted: build stopped, context gone, 130' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/templates" tmp &&
	printf "FROM {base}\nLABEL dbarena.test=%s\nRUN sleep 300\n" "$PREFIX" \
		>"$XDG_CONFIG_HOME/dbarena/templates/postgres.Dockerfile" &&
	printf "#!/bin/sh\n[ \"\$1\" = build ] && echo \$\$ >\"%s/build.pid\"\nexec docker \"\$@\"\n" \
		"$TRASH" >wrap-docker && chmod +x wrap-docker &&
	{ TMPDIR=$TRASH/tmp DBARENA_DOCKER=$TRASH/wrap-docker \
		sh -c "echo \$\$ >pid; exec \"$DBARENA\" images build postgres --tag \"${tag}-int\"" \
		>out 2>err & } &&
	bg=$! &&
	wait_until 30 test -s pid &&
	test_when_finished "kill -INT $(cat pid) 2>/dev/null" &&
	wait_until 60 build_running &&
	ls tmp | grep -q "^dbarena-build\." && kill -0 "$(cat build.pid)" &&
	kill -INT "$(cat pid)" &&
	{ wait $bg; rc=$?; } &&
	cat err &&
	test "$rc" = 130 &&
	grep -q "interrupted: nothing built" err &&
	! kill -0 "$(cat build.pid)" 2>/dev/null &&
	test -z "$(ls tmp)" &&
	wait_until 30 no_build_running &&
	! docker image inspect "${tag}-int" >/dev/null 2>&1
'
rm -f "$XDG_CONFIG_HOME/dbarena/templates/postgres.Dockerfile"

test_expect_success 'an engine without a template says so' '
	test_expect_code 3 dbarena images build sqlserver 2>err &&
	grep -q "no image template for sqlserver" err
'

test_done
