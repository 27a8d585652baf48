#!/bin/sh
# Shell completion: src/completion/dbarena, driven the way bash
# drives it (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT) both without
# and with bash-completion's _init_completion, and src/completion/_dbarena
# under zsh when zsh is installed. Database names need a Docker engine;
# everything else runs the built dbarena only (and a stand-in docker).
. "$TEST_SRCDIR/integration/lib-test.sh"

COMPLETION_DIR="$TEST_SRCDIR/../src/completion"
BASH_COMPLETION="$COMPLETION_DIR/dbarena"
ZSH_COMPLETION="$COMPLETION_DIR/_dbarena"
export BASH_COMPLETION DBARENA

# The completion runs `dbarena` from PATH, as it would once installed.
mkdir -p "$TRASH/bin"
cat >"$TRASH/bin/dbarena" <<'EOF'
#!/bin/sh
exec "$DBARENA" "$@"
EOF
# A stand-in docker that logs its arguments and knows two volumes.
cat >"$TRASH/bin/fakedocker" <<EOF
#!/bin/sh
echo "\$*" >>"$TRASH/docker.log"
case "\$*" in
*"volume ls"*) printf '"dbt-vol-one"\t"dbt-c"\t"postgres"\n"dbt-vol-two"\t""\t"mariadb"\n' ;;
*"network ls"*) printf 'dbt-net-one\ndbt-net-two\n' ;;
esac
EOF
chmod +x "$TRASH/bin/dbarena" "$TRASH/bin/fakedocker"
PATH="$TRASH/bin:$PATH"
export PATH

# A dbarena whose output is hostile: it must come back as plain words,
# never be run.
mkdir -p "$TRASH/evil"
cat >"$TRASH/evil/dbarena" <<'EOF'
#!/bin/sh
case "$*" in
help) printf 'usage: dbarena COMMAND\n\nCommands:\n  create     Create.\n  $(>pwned1) x\n\n' ;;
"help --options create") printf 'option - --version -v V 0\noperand - ENGINE 1\n' ;;
engines) printf 'ENGINE VERSIONS IMAGE\n$(>pwned2) 1 img\n* 1 img\n`>pwned3` $(>pwned4) img\n' ;;
esac
EOF
chmod +x "$TRASH/evil/dbarena"

# comp.bash LINE: what bash completes at the end of LINE, one a line.
# $BCLIB, when set, is bash-completion's main script, loaded first.
cat >"$TRASH/comp.bash" <<'EOF'
if [[ -n ${BCLIB:-} ]]; then
	. "$BCLIB" || exit 1
	declare -F _init_completion >/dev/null || exit 1
fi
. "$BASH_COMPLETION" || exit 1
spec=$(complete -p dbarena) || exit 1
func=${spec#*-F }
func=${func%% *}
COMP_LINE=$1
COMP_POINT=${#COMP_LINE}
COMP_WORDS=()
# Split as bash does: at blanks, and around the = of COMP_WORDBREAKS.
read -r -a w <<<"$COMP_LINE"
for x in "${w[@]}"; do
	while [[ $x == *=* ]]; do
		[[ -n ${x%%=*} ]] && COMP_WORDS+=("${x%%=*}")
		COMP_WORDS+=("=")
		x=${x#*=}
	done
	[[ -n $x ]] && COMP_WORDS+=("$x")
done
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
"$func" dbarena "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
rc=$?
[[ ${#COMPREPLY[@]} -gt 0 ]] && printf '%s\n' "${COMPREPLY[@]}"
exit $rc
EOF

# comp LINE: the completions into ./out; dbarena's errors never show.
comp() {
	bash "$TRASH/comp.bash" "$1" >out 2>err || { cat err; return 1; }
	test ! -s err || { echo "stderr:"; cat err; return 1; }
}

# only WORD...: out holds exactly these words, in any order.
only() {
	if [ $# -eq 0 ]; then
		test ! -s out || { echo "want nothing, got:"; cat out; return 1; }
		return
	fi
	printf '%s\n' "$@" | sort >want && sort out >got
	cmp -s want got || { echo "want: $*"; echo "got:"; cat out; return 1; }
}

# has WORD...: out holds each of them; hasnt WORD...: none of them.
has() {
	for w in "$@"; do
		grep -qxF -- "$w" out || { echo "no $w in:"; cat out; return 1; }
	done
}
hasnt() {
	for w in "$@"; do
		if grep -qxF -- "$w" out; then
			echo "$w in:"; cat out; return 1
		fi
	done
}

# A laptop without zsh or bash-completion skips those tests; CI, whose
# rig installs both, fails them instead, so nothing is skipped silently.
test_skip() {
	test_count=$((test_count + 1))
	if [ "${CI:-}" = true ]; then
		echo "not ok $test_count - $1 ($2; tests/rig/setup.sh installs it)"
		test_failed=$((test_failed + 1))
	else
		echo "ok $test_count - $1 # SKIP $2"
	fi
}

test_expect_success 'the bash completion parses and registers _dbarena' '
	bash -n "$BASH_COMPLETION" &&
	bash -c ". \"\$BASH_COMPLETION\" && complete -p dbarena" >out &&
	grep -q -- "-F _dbarena dbarena$" out
'

# The same checks without and with bash-completion.
BCLIB=
BCLIB_SYSTEM=
for f in /usr/share/bash-completion/bash_completion \
    /etc/bash_completion /usr/local/share/bash-completion/bash_completion; do
	if [ -r "$f" ]; then
		BCLIB_SYSTEM=$f
		break
	fi
done
export BCLIB

for mode in plain bash-completion; do
	if [ $mode = bash-completion ]; then
		if [ -z "$BCLIB_SYSTEM" ]; then
			test_skip "$mode: all of the above" "bash-completion not installed"
			continue
		fi
		BCLIB=$BCLIB_SYSTEM
	fi

	test_expect_success "$mode: commands come from dbarena help" '
		comp "dbarena cr" && only create &&
		comp "dbarena " &&
		has create destroy engines help inspect list logs profiles \
		    restart start stop version volumes &&
		comp "dbarena help cr" && only create
	'

	test_expect_success "$mode: global options" '
		comp "dbarena --con" && only --context &&
		comp "dbarena -" && only --context --docker --help --quiet --version &&
		comp "dbarena --docker fakedoc" && has fakedocker &&
		comp "dbarena --docker $TRASH/bin/fakedoc" &&
		only "$TRASH/bin/fakedocker" &&
		comp "dbarena --quiet --docker fakedocker --context x cr" && only create
	'

	test_expect_success "$mode: engines and options of create" '
		comp "dbarena create po" && only postgres &&
		comp "dbarena create " && only mariadb mysql postgres sqlserver &&
		comp "dbarena create postgres --ver" && only --version &&
		comp "dbarena new --d" && only --database --dry-run --durable &&
		comp "dbarena cre --fo" && only --format &&
		comp "dbarena --quiet create po" && only postgres
	'

	test_expect_success "$mode: versions of the engine on the line" '
		comp "dbarena create postgres --version 1" &&
		only 13 14 15 16 17 18 &&
		comp "dbarena create mariadb --version " && only 10.11 11 11.4 &&
		comp "dbarena create sqlserver --name x --version 2" &&
		only 2022 2019 &&
		comp "dbarena create --version=8" && only 8.0 8.4 &&
		comp "dbarena create mysql --version=5" && only 5.7 &&
		comp "dbarena create --version 1 mysq" && only mysql
	'

	test_expect_success "$mode: profiles, by name or file" '
		comp "dbarena create postgres --profile cdc" && only cdc-fast &&
		comp "dbarena create --profile " &&
		only cdc-fast durable fast persistent &&
		mkdir -p sub && : >sub/mine.ini && : >other.ini &&
		comp "dbarena create --profile sub/" && only sub/mine.ini &&
		comp "dbarena create --profile other.ini" && only other.ini
	'

	test_expect_success "$mode: --format values" '
		comp "dbarena create --format " && only json table &&
		comp "dbarena list --format=j" && only json &&
		comp "dbarena engines --format t" && only table
	'

	test_expect_success "$mode: subcommands and their operands" '
		comp "dbarena profiles " && only list ls show &&
		comp "dbarena profiles show du" && only durable &&
		comp "dbarena profiles show --" && only --format &&
		comp "dbarena profiles ls --format " && only json table &&
		comp "dbarena volumes " && only list ls rm remove &&
		comp "dbarena volumes rm --" && only --yes
	'

	test_expect_success "$mode: run: create's options, then any command after --" '
		comp "dbarena run --ke" && only --keep &&
		comp "dbarena run --pers" && only --persistent &&
		comp "dbarena run po" && only postgres &&
		comp "dbarena run postgres -- ech" && has echo &&
		! grep -qx postgres out
	'

	test_expect_success "$mode: no completion for what dbarena refuses" '
		comp "dbarena de " && only &&
		comp "dbarena frobnicate " && only &&
		comp "dbarena version " && only
	'
done
BCLIB=

test_expect_success '--docker and --context on the line reach docker' '
	rm -f "$TRASH/docker.log" &&
	comp "dbarena --docker $TRASH/bin/fakedocker --context ctx1 stop " &&
	only && test "$(wc -l <"$TRASH/docker.log")" -eq 1 &&
	grep -q "^--context ctx1 ps " "$TRASH/docker.log" &&
	comp "dbarena -d$TRASH/bin/fakedocker --context=ctx2 volumes rm dbt-" &&
	only dbt-vol-one dbt-vol-two &&
	grep -q "^--context ctx2 volume ls" "$TRASH/docker.log" &&
	comp "dbarena -qd fakedocker volumes remove dbt-vol-o" &&
	only dbt-vol-one &&
	comp "dbarena -d fakedocker --context ctx3 create --network dbt-net-" &&
	only dbt-net-one dbt-net-two &&
	grep -q "^--context ctx3 network ls" "$TRASH/docker.log" &&
	comp "dbarena -d fakedocker url --network dbt-net-t" && only dbt-net-two
'

test_expect_success 'output of dbarena is never run or globbed' '
	PATH="$TRASH/evil:$PATH" comp "dbarena create " &&
	only "\$(>pwned2)" "*" "\`>pwned3\`" &&
	PATH="$TRASH/evil:$PATH" comp "dbarena create x --version " &&
	only 1 "\$(>pwned4)" &&
	PATH="$TRASH/evil:$PATH" comp "dbarena " && only create &&
	! ls pwned* 2>/dev/null
'

# Database names: `dbarena list --all` asks the Docker engine.
CNAME=dbt-complete-$$
IMAGE="$DBARENA_REGISTRY/postgres:16-alpine"
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
	test_skip "database names come from dbarena list --all" \
	    "no Docker engine answers"
elif ! docker image inspect "$IMAGE" >/dev/null 2>&1 &&
    ! docker pull -q "$IMAGE" >/dev/null 2>&1; then
	test_skip "database names come from dbarena list --all" \
	    "$IMAGE cannot be pulled"
else
	trap 'docker rm -f -v "$CNAME" >/dev/null 2>&1; cleanup' EXIT
	test_expect_success 'database names come from dbarena list --all' '
		docker create --name "$CNAME" --label dbarena.managed=true \
		    "$IMAGE" >/dev/null &&
		comp "dbarena start dbt-complete-" && has "$CNAME" &&
		comp "dbarena destroy --yes dbt-complete-" && has "$CNAME" &&
		comp "dbarena logs --tail 5 dbt-complete-" && has "$CNAME" &&
		comp "dbarena inspect --format json dbt-complete-" && has "$CNAME" &&
		docker rm -f -v "$CNAME" >/dev/null &&
		comp "dbarena start dbt-complete-" && hasnt "$CNAME"
	'
fi

# zsh: the file parses, defines _dbarena under compinit, and completes
# (driven through zpty, as an interactive zsh would be).
if ! command -v zsh >/dev/null 2>&1; then
	test_skip "zsh: the completion parses and loads" "zsh not installed"
	test_skip "zsh: completions" "zsh not installed"
else
	test_expect_success 'zsh: the completion parses and loads' '
		zsh -n "$ZSH_COMPLETION" &&
		ZDOTDIR="$TRASH" zsh -fc "autoload -U compinit &&
		    compinit -u -d \"$TRASH/zcompdump\" &&
		    source \"$ZSH_COMPLETION\" &&
		    (( \$+functions[_dbarena] )) &&
		    [[ \$_comps[dbarena] == _dbarena ]]" >out 2>&1 &&
		test ! -s out
	'

	mkdir -p "$TRASH/zfunc"
	cp "$ZSH_COMPLETION" "$TRASH/zfunc/_dbarena"
	# zcomp.zsh LINE: the words zsh would offer at the end of LINE.
	cat >"$TRASH/zcomp.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z 'PROMPT= ; fpath=("$ZFUNC" $fpath); autoload -U compinit; compinit -u -d "$ZFUNC/.zcompdump"'
zpty -w z 'bindkey "^I" complete-word; zstyle ":completion:*" insert-tab false'
zpty -w z 'null-line() { echo -E - $'"'"'\0'"'"' }; compprefuncs=(null-line); comppostfuncs=(null-line exit)'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -rl -- $__hits; }'
zpty -w z "$1"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
	if [[ $line == *$'\0\r' ]]; then
		(( tog++ )) && exit 0 || continue
	fi
	(( tog )) && print -r -- "${line%$'\r'}"
done
exit 2
EOF
	# zcomp LINE: the completions into ./out.
	TIMEOUT=
	command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 30"
	zcomp() {
		ZFUNC="$TRASH/zfunc" $TIMEOUT zsh -f "$TRASH/zcomp.zsh" "$1" >out
	}
	if ! zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		test_skip "zsh: completions" "no zsh/zpty module"
	else
		test_expect_success 'zsh: completions' '
			zcomp "dbarena cr" && only create &&
			zcomp "dbarena " && has create destroy engines volumes &&
			zcomp "dbarena --con" && only --context &&
			zcomp "dbarena create po" && only postgres &&
			zcomp "dbarena create postgres --ver" && only --version &&
			zcomp "dbarena create postgres --version 1" &&
			only 13 14 15 16 17 18 &&
			zcomp "dbarena create mariadb --version " &&
			only 10.11 11 11.4 &&
			zcomp "dbarena create --version 1 mysq" && only mysql &&
			zcomp "dbarena create postgres --profile cdc" &&
			only cdc-fast &&
			zcomp "dbarena create --format " && only json table &&
			zcomp "dbarena profiles " && only list ls show &&
			zcomp "dbarena profiles show du" && only durable &&
			zcomp "dbarena run --ke" && only --keep &&
			zcomp "dbarena run postgres -- ech" && has echo &&
			zcomp "dbarena -d fakedocker volumes rm dbt-vol-t" &&
			only dbt-vol-two &&
			zcomp "dbarena -d fakedocker cdc --network dbt-net-o" &&
			only dbt-net-one &&
			PATH="$TRASH/evil:$PATH" zcomp "dbarena create " &&
			test "$(wc -l <out)" -eq 3 && ! ls pwned* 2>/dev/null
		'
	fi
fi

test_done
