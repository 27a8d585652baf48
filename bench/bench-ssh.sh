# Sourced by bench/run.sh: create on the rig's ssh engine (the context
# dbarena-ssh, tests/rig/ssh.sh) against create on the local one, run by
# run, and the docker calls each makes (tests/integration/fault-docker
# counts them): the ssh round trips are the cost, and the number of
# docker calls per create should be the same on both (issue 15).

ssh_calls() {	# context-args... -> the number of docker calls of a create
	local log="$WORK/ssh-calls"
	: >"$log"
	FAULT_LOG="$log" DBARENA_DOCKER="$BENCH_DIR/../tests/integration/fault-docker" \
		"$DBARENA" "$@" create --no-pool postgres --name "${PREFIX}sc" \
		--quiet >/dev/null || return 1
	"$DBARENA" destroy "${PREFIX}sc" >/dev/null 2>&1 || return 1
	wc -l <"$log"
}

bench_ssh() {
	local ctx=dbarena-ssh here=() remote=() i t0 t1 nl nr
	docker --context "$ctx" version >/dev/null 2>&1 ||
		{ echo "bench: no docker context $ctx (tests/rig/setup.sh)"; return 1; }
	for i in $(seq "$RUNS"); do
		t0=$(ns)
		"$DBARENA" --context "$ctx" create --no-pool postgres \
			--name "${PREFIX}s$i" --quiet >/dev/null || return 1
		t1=$(ns); remote+=($(( (t1 - t0) / 1000000 )))
		"$DBARENA" destroy "${PREFIX}s$i" >/dev/null 2>&1 || return 1
		t0=$(ns)
		"$DBARENA" create --no-pool postgres --name "${PREFIX}l$i" \
			--quiet >/dev/null || return 1
		t1=$(ns); here+=($(( (t1 - t0) / 1000000 )))
		"$DBARENA" destroy "${PREFIX}l$i" >/dev/null 2>&1 || return 1
	done
	nr=$(ssh_calls --context "$ctx") || return 1
	nl=$(ssh_calls) || return 1
	raw "create postgres over ssh:" "${remote[@]}"
	raw "create postgres locally:" "${here[@]}"
	local r l q
	r=$(median "${remote[@]}"); l=$(median "${here[@]}")
	q=$(ratio "$r" "$l" 2)
	row "create postgres over ssh" "$(spread ms "${remote[@]}"), $nr docker calls" \
	    "$(spread ms "${here[@]}") locally, $nl docker calls" "-" \
	    "$q x local" "calls <= local" "$(verdict "$nr" le "$nl")"
}

goal ssh bench_ssh
