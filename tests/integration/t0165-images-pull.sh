#!/bin/sh
# images pull, list and prune, on images only this run knows: two private
# engine files name repositories under this run's prefix in the test
# registry, so that nothing here can remove an image another test uses.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

reg=$DBARENA_REGISTRY
eng=${PREFIX}pg		# versions a (default), b, gone (no such tag)
eng2=${PREFIX}my	# version c (default)
repo=$reg/$eng
repo2=$reg/$eng2
user=${PREFIX}user

extra_cleanup() {
	docker rm -f -v "$user" >/dev/null 2>&1
	docker rmi "$repo:a" "$repo:b" "$repo2:c" >/dev/null 2>&1
}

mkdir -p "$XDG_CONFIG_HOME/dbarena/engines"
for e in "$eng:a:a b gone" "$eng2:c:c"; do
	name=${e%%:*} rest=${e#*:}
	{
		printf '[engine]\nimage = %s\ndefault_version = %s\n' \
			"$name" "${rest%%:*}"
		printf 'port = 5432\ndata_dir = /var/lib/postgresql/data\n'
		for v in ${rest#*:}; do
			tag=$v
			[ "$v" = gone ] && tag=no-such-tag
			printf '[version "%s"]\ntag = %s\n' "$v" "$tag"
		done
	} >"$XDG_CONFIG_HOME/dbarena/engines/$name.ini"
done

# a and c are one image, b another, both made here from the postgres
# stand-in with a label of this run: IDs no other test's container uses.
test_expect_success 'setup: private repositories in the test registry' '
	docker pull -q "$reg/postgres:16-alpine" >/dev/null &&
	docker create --name "${PREFIX}base" "$reg/postgres:16-alpine" >/dev/null &&
	docker commit --change "LABEL dbarena.test=${PREFIX}a" \
		"${PREFIX}base" "$repo:a" >/dev/null &&
	docker tag "$repo:a" "$repo2:c" &&
	docker commit --change "LABEL dbarena.test=${PREFIX}b" \
		"${PREFIX}base" "$repo:b" >/dev/null &&
	docker rm "${PREFIX}base" >/dev/null &&
	docker push -q "$repo:a" >/dev/null &&
	docker push -q "$repo:b" >/dev/null &&
	docker push -q "$repo2:c" >/dev/null &&
	docker rmi "$repo:a" "$repo:b" "$repo2:c" >/dev/null
'

test_expect_success 'images list: every version, none cached yet' '
	dbarena images list "$eng" >out &&
	head -1 out | grep -q "^ENGINE  *VERSION  *IMAGE  *CACHED  *SIZE" &&
	grep -q "^$eng  *a  *$repo:a  *no  *-\$" out &&
	grep -q "^$eng  *b  *$repo:b  *no " out &&
	grep -q "^$eng  *gone  *$repo:no-such-tag  *no " out &&
	test $(wc -l <out) -eq 4
'

test_expect_success 'images lists without a subcommand, options first too' '
	dbarena images list "$eng" >want &&
	dbarena images "$eng" >out && cmp want out &&
	dbarena images --format json "$eng" >l.json &&
	test "$(json_get 0 image <l.json)" = "$repo:a" &&
	test "$(json_get 0 cached <l.json)" = False &&
	dbarena images --format json >all.json &&
	json_get 0 engine <all.json >/dev/null
'

two_pulls() {
	test "$(wc -l <pulls)" -ge 2
}

# A pull that hangs: the wrapper records each pull's PID and becomes a
# sleep in its place (exec keeps the PID), so dbarena must end it.
test_expect_success 'images pull interrupted: no pull left running, 130' '
	printf "#!/bin/sh\nif [ \"\$1\" = pull ]; then echo \$\$ >>\"%s/pulls\"; exec sleep 300; fi\nexec docker \"\$@\"\n" \
		"$TRASH" >hang-docker && chmod +x hang-docker &&
	: >pulls &&
	{ DBARENA_DOCKER=$TRASH/hang-docker \
		sh -c "echo \$\$ >pid; exec \"$DBARENA\" images pull \"$eng\" \"$eng2\"" \
		>out 2>err & } &&
	bg=$! &&
	wait_until 30 test -s pid &&
	test_when_finished "kill -INT $(cat pid) 2>/dev/null" &&
	wait_until 30 two_pulls &&
	kill -INT "$(cat pid)" &&
	{ wait $bg; rc=$?; } &&
	test "$(wc -l <pulls)" -eq 2 && test "$rc" = 130 &&
	for p in $(cat pulls); do ! kill -0 "$p" 2>/dev/null || exit 1; done &&
	grep -q "interrupted: pulls still running stopped" err &&
	grep -qx "pulled 0 of 2 images in [0-9.]* s" out
'

test_expect_success 'images pull: two engines in parallel, a line each' '
	dbarena images pull "$eng" "$eng2" >out 2>err &&
	grep -q "^pulled $repo:a in [0-9.]* s\$" out &&
	grep -q "^pulled $repo2:c in [0-9.]* s\$" out &&
	grep -q "^pulled 2 of 2 images in" out &&
	! grep -q . err &&
	docker image inspect "$repo:a" >/dev/null &&
	docker image inspect "$repo2:c" >/dev/null
'

test_expect_success 'images list: cached with a size, in JSON too' '
	dbarena images list "$eng" >out &&
	grep -q "^$eng  *a  *$repo:a  *yes  *[0-9.]*[kMG]B\$" out &&
	grep -q "^$eng  *b  *$repo:b  *no " out &&
	dbarena images list "$eng" --format json >l.json &&
	test "$(json_get 0 image <l.json)" = "$repo:a" &&
	test "$(json_get 0 cached <l.json)" = True &&
	test "$(json_get 0 size <l.json)" -gt 1000000 &&
	test "$(json_get 1 cached <l.json)" = False &&
	test "$(json_get 1 size <l.json)" = None
'

test_expect_success 'images pull: an absent tag fails clearly, exit 7' '
	test_expect_code 7 dbarena images pull "$eng" \
		--version gone >out 2>err &&
	grep -q "image not found while pulling $repo:no-such-tag" err &&
	! grep -q "^pulled" out
'

test_expect_success 'images pull --format json: a summary naming the failure' '
	test_expect_code 3 dbarena images pull "$eng" "$eng2" --version gone \
		--format json >p.json 2>err &&
	grep -q "unknown version .gone. of $eng2" err &&
	dbarena images pull "$eng" --version b --format json >p.json &&
	test "$(json_get pulled <p.json)" = 1 &&
	test "$(json_get images 0 status <p.json)" = pulled &&
	test "$(json_get images 0 image <p.json)" = "$repo:b" &&
	test_expect_code 7 dbarena images pull "$eng" \
		--version gone --format json >p.json 2>err &&
	test "$(json_get failed <p.json)" = 1 &&
	json_get images 0 error <p.json | grep -q "not found"
'

test_expect_success 'images pull: misuse is a usage error' '
	test_expect_code 2 dbarena images pull 2>err &&
	grep -q "needs an engine, or --all" err &&
	test_expect_code 2 dbarena images pull --all "$eng" 2>err &&
	test_expect_code 2 dbarena images list --yes 2>err &&
	grep -q "images list does not take --yes" err &&
	test_expect_code 2 dbarena images list --version 16 2>err &&
	grep -q "images list does not take --version\$" err &&
	test_expect_code 2 dbarena images --version 16 2>err &&
	grep -q "images list does not take --version\$" err &&
	test_expect_code 2 dbarena images list -n 2>err &&
	grep -q "images list does not take -n\$" err
'

test_expect_success 'images prune refuses off a terminal without --yes' '
	docker create --name "$user" "$repo:a" >/dev/null &&
	test_expect_code 10 dbarena images prune "$eng" </dev/null >out 2>err &&
	grep -q "not confirmed: nothing removed" err &&
	docker image inspect "$repo:b" >/dev/null
'

test_expect_success 'images prune --dry-run: what would go, nothing goes' '
	dbarena images prune --dry-run "$eng" >out &&
	grep -qx "would remove $repo:b ([0-9.]*[kMG]B)" out &&
	grep -qx "kept $repo:a: in use" out &&
	docker image inspect "$repo:b" >/dev/null
'

test_expect_success 'images prune --yes: removes the unused, keeps the used' '
	dbarena images prune --yes "$eng" --format json >j.json &&
	test "$(json_get 0 image <j.json)" = "$repo:a" &&
	test "$(json_get 0 in_use <j.json)" = True &&
	test "$(json_get 0 removed <j.json)" = False &&
	test "$(json_get 1 image <j.json)" = "$repo:b" &&
	test "$(json_get 1 removed <j.json)" = True &&
	! docker image inspect "$repo:b" >/dev/null 2>&1 &&
	docker image inspect "$repo:a" >/dev/null &&
	dbarena images prune --yes "$eng" >out &&
	grep -qx "nothing to prune" out
'

test_expect_success 'images prune: a stopped container of another tag keeps it' '
	docker rm -f -v "$user" >/dev/null &&
	docker create --name "$user" "$repo2:c" >/dev/null &&
	dbarena images prune --yes "$eng" >out &&
	grep -qx "kept $repo:a: in use" out &&
	docker image inspect "$repo:a" >/dev/null &&
	docker rm -f -v "$user" >/dev/null &&
	dbarena images prune --yes "$eng" >out &&
	grep -q "^removed $repo:a (" out &&
	! docker image inspect "$repo:a" >/dev/null 2>&1 &&
	docker image inspect "$repo2:c" >/dev/null
'

test_done
