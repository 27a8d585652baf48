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

# Claimed members keep their pool label; a fresh create without --name
# has neither the pool label nor our prefix, but it has our profile.
extra_cleanup() {
	ids=$( (docker ps -aq --filter "label=dbarena.pool=$key"
		docker ps -aq --filter "label=dbarena.profile=$prof") 2>/dev/null |
		sort -u)
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
}

# The docker verbs a command ran, against the ones expected.
test_cmp_calls() {
	echo "docker calls:" $(cat "$2") &&
	diff "$1" "$2"
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

# Four claimants for three members, two asking for a name and two not:
# every one must end with a database of its own. (docker rename is not a
# compare-and-swap; two claimants once both "won" one member here.)
test_expect_success 'four concurrent creates: three claims and one fresh, all distinct' '
	dbarena pool fill postgres -n 2 --profile "$prof" >/dev/null &&
	test "$(members)" -eq 3 &&
	for i in 1 2; do
		dbarena create postgres --profile "$prof" --name "${PREFIX}r$i" --format json >r$i.json 2>err$i &
	done &&
	for i in 3 4; do
		dbarena create postgres --profile "$prof" --format json >r$i.json 2>err$i &
	done &&
	wait &&
	cat err1 err2 err3 err4 &&
	test "$(members)" -eq 0 &&
	for i in 1 2 3 4; do
		json_get 0 name <r$i.json >>claimed &&
		psql "$(json_get 0 url <r$i.json)" -Atc "SELECT $i" | grep -qx $i || exit 1
	done &&
	test "$(sort -u claimed | wc -l)" -eq 4 &&
	for n in $(cat claimed); do
		test -n "$(docker ps -q --filter "name=^$n\$")" || exit 1
	done &&
	test "$(grep -c "^${PREFIX}r[12]\$" claimed)" -eq 2
'

test_expect_success 'create --no-pool and a create with options leave the pool alone' '
	dbarena pool fill postgres -n 1 --profile "$prof" >/dev/null &&
	dbarena create postgres --profile "$prof" --no-pool --name "${PREFIX}np" --quiet >/dev/null &&
	dbarena create postgres --profile "$prof" --env TZ=UTC --name "${PREFIX}env" --quiet >/dev/null &&
	test "$(members)" -eq 1
'

# What the README and dbarena(1) promise: a claim is docker ps and one
# rename, and one more rename with --name.
test_expect_success 'a claim takes three docker calls, four with --name' '
	dbarena pool fill postgres -n 2 --profile "$prof" >/dev/null &&
	test "$(members)" -eq 3 &&
	FAULT_LOG="$TRASH/calls1" DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
		dbarena create postgres --profile "$prof" --format json >k1.json &&
	json_get 0 name <k1.json | grep -q "^dbarena-postgres-16-" &&
	printf "ps\nrename\ncontainer\n" >want1 && test_cmp_calls want1 "$TRASH/calls1" &&
	FAULT_LOG="$TRASH/calls2" DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
		dbarena create postgres --profile "$prof" --name "${PREFIX}k2" >/dev/null &&
	printf "ps\nrename\nrename\ncontainer\n" >want2 && test_cmp_calls want2 "$TRASH/calls2" &&
	test "$(members)" -eq 1
'

test_expect_success 'pool drain removes the members, and only them' '
	dbarena pool drain --profile "$prof" postgres | grep -q "^drained [1-9]" &&
	test "$(members)" -eq 0 &&
	test -n "$(docker ps -q --filter "name=^${PREFIX}np\$")"
'

test_expect_success 'a drain racing two creates never removes a database they handed out' '
	for round in 1 2 3; do
		dbarena pool fill postgres -n 2 --profile "$prof" >/dev/null &&
		{ dbarena create postgres --profile "$prof" --format json \
			>d$round.a 2>/dev/null & } &&
		{ dbarena create postgres --profile "$prof" \
			--name "${PREFIX}dr$round" --format json >d$round.b 2>/dev/null & } &&
		dbarena pool drain --profile "$prof" postgres >/dev/null &&
		wait &&
		for f in d$round.a d$round.b; do
			if [ -s $f ]; then
				psql "$(json_get 0 url <$f)" -Atc "select $round" |
					grep -qx $round
			fi || return 1
		done || return 1
	done &&
	test "$(members)" -eq 0
'

test_expect_success 'a pool of persistent databases is refused' '
	test_expect_code 2 dbarena pool fill postgres \
		--profile persistent 2>err &&
	grep -q "a pool holds throwaway databases" err
'

test_done
