#!/bin/sh
# The warm pool: fill starts ready databases, create claims one by
# renaming it (exactly one claimant wins), drain removes the rest.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

# A profile of this run's own, so no other test claims from this pool.
prof="pool${PREFIX%-}"
mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
printf '[profile]\ninherits = fast\n' >"$XDG_CONFIG_HOME/dbarena/profiles/$prof.ini"
key="postgres/16/$prof"

extra_cleanup() {
	ids=$(docker ps -aq --filter "label=dbarena.pool=$key" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
}

members() {
	docker ps -q --filter "label=dbarena.pool=$key" --filter "name=^dbarena-pool-" | wc -l
}

test_expect_success 'pool fill starts ready members that list does not show' '
	dbarena pool fill postgres -n 2 --profile "$prof" >names &&
	test $(wc -l <names) -eq 2 && grep -q "^dbarena-pool-postgres-16-" names &&
	test "$(members)" -eq 2 &&
	dbarena pool list | grep -c "^dbarena-pool-postgres-16-.* $prof " | grep -qx 2 &&
	! dbarena list --all | grep -q "^dbarena-pool-"
'

test_expect_success 'create claims a member: renamed, ready, usable' '
	dbarena create postgres --profile "$prof" --name "${PREFIX}c1" --format json >c1.json &&
	test "$(json_get 0 name <c1.json)" = "${PREFIX}c1" &&
	test "$(members)" -eq 1 &&
	psql "$(json_get 0 url <c1.json)" -Atc "SELECT 1" | grep -qx 1 &&
	dbarena list | grep -q "^${PREFIX}c1 "
'

test_expect_success 'three concurrent creates: two claims and one fresh, all ready' '
	dbarena pool fill postgres -n 1 --profile "$prof" >/dev/null &&
	test "$(members)" -eq 2 &&
	for i in 1 2 3; do
		dbarena create postgres --profile "$prof" --name "${PREFIX}r$i" --quiet >url$i 2>err$i &
	done
	wait
	cat err1 err2 err3
	test "$(members)" -eq 0 &&
	for i in 1 2 3; do psql "$(cat url$i)" -Atc "SELECT $i" | grep -qx $i || exit 1; done &&
	test "$(docker ps -q --filter "name=^${PREFIX}r" | wc -l)" -eq 3
'

test_expect_success 'create --no-pool and a create with options leave the pool alone' '
	dbarena pool fill postgres -n 1 --profile "$prof" >/dev/null &&
	dbarena create postgres --profile "$prof" --no-pool --name "${PREFIX}np" --quiet >/dev/null &&
	dbarena create postgres --profile "$prof" --env TZ=UTC --name "${PREFIX}env" --quiet >/dev/null &&
	test "$(members)" -eq 1
'

test_expect_success 'pool drain removes the members, and only them' '
	dbarena pool drain postgres | grep -q "^drained [1-9]" &&
	test "$(members)" -eq 0 &&
	test -n "$(docker ps -q --filter "name=^${PREFIX}np\$")"
'

test_expect_success 'a pool of persistent databases is refused' '
	dbarena pool fill postgres --profile persistent 2>err; test $? -eq 2 &&
	grep -q "a pool holds throwaway databases" err
'

test_done
