#!/bin/sh
# The command line without an engine: help, usage errors, exit codes,
# profile errors, and validation before any docker call.
. "$TEST_SRCDIR/integration/lib-test.sh"

# Every docker call in this file would go here, and fail loudly.
export DBARENA_DOCKER="$TRASH/no-such-docker"

test_expect_success 'help lists every command and exits 0' '
	dbarena help >out && grep -q "^  create " out && grep -q "^  volumes " out &&
	dbarena --help >out2 && cmp out out2
'

test_expect_success '--version and version agree' '
	v1=$(dbarena --version) && v2=$(dbarena version) &&
	test "$v1" = "$v2" && echo "$v1" | grep -Eq "^dbarena [0-9]+\.[0-9]+"
'

test_expect_success 'command --help prints usage on stdout' '
	dbarena create --help >out && grep -q "^usage: dbarena create" out &&
	dbarena help destroy | grep -q -- "--remove-volume"
'

# help_has_option HELP SUB NAME LETTER ARG: HELP lists the option, as
# "-L, --NAME ARG" or "    --NAME ARG", with a line of help after it.
help_has_option() {
	label="--$3"
	[ "$5" = - ] || label="$label $5"
	if [ "$4" = - ]; then label="    $label"; else label="$4, $label"; fi
	awk -v l="  $label  " '
		index($0, l) && substr($0, index($0, l) + length(l)) ~ /[^ ]/ {
			found = 1
		}
		END { exit !found }' "$1" ||
	{ echo "help lists no \"$label\" with a line (${2})"; return 1; }
}

test_expect_success 'help create lists every option create takes' '
	dbarena help --options create >opts &&
	dbarena help create >help &&
	grep -q "^option - --dry-run - - 0$" opts &&
	grep -q "^option - --env -e K=V 1$" opts &&
	while read -r kind sub name letter arg rep; do
		test "$kind" != option || {
			test "$sub" = - &&
			help_has_option help - "${name#--}" "$letter" "$arg" &&
			# Taken by create: no word from getopt, whatever value.
			set -- "$name" &&
			{ test "$arg" = - || set -- "$name" x; } &&
			rc=$(dbarena create --dry-run "$@" postgres </dev/null \
			    2>err >/dev/null; echo $?) &&
			! grep -E "unrecognized|invalid option|requires an" err
		} || exit 1
	done <opts
'

test_expect_success 'every command: help lists its options, usage names no other' '
	dbarena help | sed -n "/^Commands:/,/^\$/s/^  \([a-z]*\) .*/\1/p" \
	    >cmds &&
	test "$(wc -l <cmds)" -gt 20 &&
	while read -r cmd; do
		dbarena help --options "$cmd" >opts &&
		dbarena help "$cmd" >help &&
		while read -r kind sub name letter arg rep; do
			test "$kind" != option ||
			help_has_option help "$cmd $sub" "${name#--}" \
			    "$letter" "$arg" || exit 1
		done <opts &&
		sed -n "1,/^\$/{s/\]//g;p;}" help >usage &&
		for o in $(grep -oE -- "--[a-z-]+" usage); do
			grep -q "^option [a-z-]* $o " opts ||
			{ echo "$cmd: $o in the usage, not the table"; exit 1; }
		done || exit 1
	done <cmds
'

test_expect_success 'usage lines fit 80 columns, continued under the first argument' '
	dbarena help create >help &&
	sed -n "1,/^alias:/p" help >usage &&
	test "$(wc -l <usage)" -gt 2 &&
	! awk "length(\$0) > 80" usage | grep . &&
	sed -n "2,/^alias:/{/^alias:/d;p;}" help >cont &&
	! grep -v "^                      \[" cont | grep -v "^                      ENGINE" &&
	tr -s " \n" "  " <usage | grep -q "\[--init FILE\]... \[--format table|json\]" &&
	dbarena help images >help &&
	grep -q "^                      | pull \[--all\]" help
'

test_expect_success 'a subcommand refuses a sibling option by name' '
	test_expect_code 2 dbarena images list --yes 2>err &&
	grep -q "^dbarena: images list does not take --yes$" err &&
	test_expect_code 2 dbarena images -n 2>err &&
	grep -q "^dbarena: images list does not take -n$" err &&
	test_expect_code 2 dbarena pool list --count 2 2>err &&
	grep -q "unrecognized option" err &&
	test_expect_code 2 dbarena volumes frob 2>err &&
	grep -q "^dbarena: unknown volumes command: frob$" err
'

test_expect_success 'option errors name the program and the whole command' '
	test_expect_code 2 dbarena list --bogus 2>err &&
	grep -q "^dbarena list: unrecognized option .--bogus.$" err &&
	test_expect_code 2 dbarena ls -z 2>err &&
	grep -q "^dbarena list: invalid option -- .z.$" err &&
	test_expect_code 2 dbarena images list --bogus 2>err &&
	grep -q "^dbarena images list: unrecognized option .--bogus.$" err &&
	test_expect_code 2 dbarena images --bogus 2>err &&
	grep -q "^dbarena images list: unrecognized option .--bogus.$" err &&
	test_expect_code 2 dbarena volumes rm --bogus 2>err &&
	grep -q "^dbarena volumes rm: unrecognized option .--bogus.$" err &&
	test_expect_code 2 dbarena create postgres --port 2>err &&
	grep -q "^dbarena create: option .--port. requires an argument$" err &&
	test_expect_code 2 dbarena create postgres --port 0 2>err &&
	grep -q "^dbarena: invalid --port .0.: 1 to 65535$" err &&
	test_expect_code 2 dbarena list --format xml 2>err &&
	grep -q "^dbarena: unknown format .xml." err &&
	test_expect_code 2 "$DBARENA" --bogus 2>err &&
	grep -q "^dbarena: unrecognized option .--bogus.$" err
'

test_expect_success 'unknown command: usage error, exit 2' '
	test_expect_code 2 dbarena frobnicate 2>err &&
	grep -q "^dbarena: unknown command: frobnicate" err &&
	grep -q "^  run .dbarena help. for the commands$" err &&
	! grep -q "did you mean" err
'

test_expect_success 'a typo of a command or subcommand: the nearest suggested' '
	test_expect_code 2 dbarena destory 2>err &&
	grep -q "^dbarena: unknown command: destory$" err &&
	grep -q "^  did you mean destroy?$" err &&
	test_expect_code 2 dbarena crate postgres 2>err &&
	grep -q "^  did you mean create?$" err &&
	test_expect_code 2 dbarena help imagse 2>err &&
	grep -q "^  did you mean images?$" err &&
	test_expect_code 2 dbarena volumes lsit 2>err &&
	grep -q "^dbarena: unknown volumes command: lsit$" err &&
	grep -q "^  did you mean list?$" err &&
	test_expect_code 2 dbarena pool fil 2>err &&
	grep -q "^  did you mean fill?$" err &&
	test_expect_code 2 dbarena pool zzz 2>err &&
	! grep -q "did you mean" err
'

test_expect_success 'ambiguous prefix names the candidates' '
	test_expect_code 2 dbarena s 2>err &&
	grep -q "ambiguous command: s, could be: shell, snapshot, start, stop" err
'

test_expect_success 'unique prefix and alias resolve' '
	dbarena cre --help | grep -q "^usage: dbarena create" &&
	dbarena new --help | grep -q "^usage: dbarena create"
'

test_expect_success 'destroy is never reached by a prefix' '
	test_expect_code 2 dbarena de --all --yes 2>err &&
	grep -q "unknown command: de" err
'

test_expect_success 'engines with a fixed user refuse --user' '
	test_expect_code 3 dbarena create mariadb --user bob --dry-run 2>err &&
	grep -q "mariadb has a fixed user (root)" err &&
	dbarena create postgres --user bob --dry-run | grep -q "POSTGRES_USER=bob"
'

test_expect_success 'no command: usage, exit 2' '
	test_expect_code 2 dbarena 2>err && grep -q "^usage:" err
'

test_expect_success 'bad option values are refused before docker is run' '
	for args in "--port 0" "--port 70000" "--memory lots" "--cpus -1" \
	    "--cpus nan" "--memory 1.5g" "--env =x" "--image=--privileged" \
	    "--registry=-x" \
	    "--name bad;name" "--env NOEQUALS" "--env 1BAD=x" "--env A-B=x" \
	    "--timeout soon" \
	    "--bind not-an-ip" "--format xml"; do
		test_expect_code 2 dbarena create postgres $args 2>err &&
		! grep -q "command not found" err || { cat err; exit 1; }
	done
'

test_expect_success 'what the renderer refuses is refused before docker is run' '
	test_expect_code 3 dbarena create postgres --version 9.6 2>err &&
	! grep -q "command not found" err &&
	test_expect_code 3 dbarena create sqlserver --profile cdc-fast 2>err &&
	! grep -q "command not found" err &&
	test_expect_code 3 dbarena create mariadb --database x \
		--user bob 2>err &&
	! grep -q "command not found" err
'

test_expect_success 'unknown engine, version and profile are config errors' '
	test_expect_code 3 dbarena create nosuchdb --dry-run 2>err &&
	grep -q "unknown engine .nosuchdb." err &&
	test_expect_code 3 dbarena create postgres --version 9.6 \
		--dry-run 2>err &&
	grep -q "unknown version .9.6. of postgres (known: 13, 14" err &&
	test_expect_code 3 dbarena create postgres --profile nosuch \
		--dry-run 2>err &&
	grep -q "unknown profile .nosuch." err
'

test_expect_success 'a profile with an unknown key fails with FILE:LINE' '
	printf "[profile]\ninherits = fast\n\n[server]\nfsnyc = off\n" >"$TRASH/bad.ini" &&
	test_expect_code 3 dbarena create postgres --profile "$TRASH/bad.ini" \
		--dry-run 2>err &&
	grep -q "^dbarena: $TRASH/bad.ini:5: unknown key .fsnyc. in \[server\]" err
'

test_expect_success 'user profiles come first on the search path' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\ninherits = fast\ndescription = mine\n[resources]\ncpus = 1.5\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/fast.ini" &&
	dbarena profiles list | grep -q "^fast  *mine" &&
	dbarena create postgres --dry-run | grep -q -- "--cpus 1.5" &&
	dbarena profiles show fast | grep -q "^storage.type  *= tmpfs" &&
	rm "$XDG_CONFIG_HOME/dbarena/profiles/fast.ini"
'

test_expect_success 'profiles list --format json: valid stays a string, ok is a boolean' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	printf "[profile]\nbogus = 1\n" >"$XDG_CONFIG_HOME/dbarena/profiles/zbad.ini" &&
	test_expect_code 3 dbarena profiles list --format json >out 2>err &&
	rm "$XDG_CONFIG_HOME/dbarena/profiles/zbad.ini" &&
	python3 -c "import json,sys
p={x[\"name\"]: x for x in json.load(open(\"out\"))}
assert p[\"fast\"][\"valid\"] == \"yes\" and p[\"fast\"][\"ok\"] is True, p[\"fast\"]
assert p[\"zbad\"][\"valid\"] == \"no\" and p[\"zbad\"][\"ok\"] is False, p[\"zbad\"]"
'

test_expect_success '-q on every listing: the names only, one a line' '
	for cmd in "list -" "volumes list" "pool list" "images list" \
	    "profiles list" "engines -"; do
		set -- $cmd &&
		dbarena help --options "$1" >opts &&
		grep -q "^option $2 --quiet -q - 0$" opts &&
		dbarena help "$1" >help &&
		grep -q "^ *-q, --quiet  *print only the .*names, one a line$" help ||
		{ echo "$cmd: no -q"; exit 1; }
	done &&
	dbarena engines -q >names &&
	dbarena engines --format json | python3 -c "import json,sys
print(\"\\n\".join(e[\"name\"] for e in json.load(sys.stdin)))" >want &&
	cmp want names &&
	dbarena profiles list -q --format json >names &&
	grep -qx fast names && grep -qx cdc-fast names && ! grep -q " " names
'

test_expect_success 'engines lists versions, default first' '
	dbarena engines >out &&
	grep -q "^postgres  *16 13 14 15 17 18  *postgres$" out &&
	grep -q "^sqlserver  *2022 2019 " out &&
	test "$(dbarena engines --format json | json_get 0 name)" = mariadb
'

test_expect_success 'profiles show --format json says where values come from' '
	dbarena profiles show cdc-fast --format json >out &&
	test "$(json_get settings cdc.enabled value <out)" = on &&
	json_get settings storage.type origin <out | grep -q "profiles/fast.ini:"
'

test_expect_success 'no docker binary: a clear message and exit 4' '
	test_expect_code 4 dbarena list 2>err &&
	grep -q "^dbarena: .*no-such-docker: command not found" err &&
	DBARENA_DOCKER= PATH=/nonexistent test_expect_code 4 "$DBARENA" list 2>err &&
	grep -q "^dbarena: docker: command not found" err &&
	# Either program would do: the hint names both.
	grep -q "^  install docker or podman" err
'

test_expect_success '-h after the program, or as an option'"'"'s value, is no help request' '
	dbarena exec -h >out &&
	grep -q "^usage: dbarena exec" out &&
	test_expect_code 4 dbarena exec db ls -h >out 2>err &&
	! grep -q "^usage:" out &&
	grep -q "command not found" err &&
	test_expect_code 4 dbarena shell db -- psql --help >out 2>err &&
	! grep -q "^usage:" out &&
	dbarena create postgres --dry-run --password -h >out &&
	! grep -q "^usage:" out &&
	grep -q "^POSTGRES_PASSWORD=-h [^ ]* run " out
'

test_expect_success 'no shell, system() or popen() in src/' '
	! grep -nE "\b(system|popen|execl|execlp)\s*\(|\"/bin/sh\"|sh -c" \
		"$TEST_SRCDIR"/../src/*.c
'

test_done
