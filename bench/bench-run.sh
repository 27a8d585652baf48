# Sourced by bench/run.sh: what dbarena run costs over doing its work by
# hand, `create` then `destroy`, for a command that does nothing.
# Interleaved run by run, so that load falls on both sides alike.

bench_run() {
	local runs=() manual=() i t0 t1
	for i in $(seq "$RUNS"); do
		t0=$(ns)
		"$DBARENA" run --no-pool --name "${PREFIX}r$i" postgres -- true \
			>/dev/null 2>&1 || return 1
		t1=$(ns); runs+=($(( (t1 - t0) / 1000000 )))
		t0=$(ns)
		"$DBARENA" create --no-pool --name "${PREFIX}m$i" postgres --quiet \
			>/dev/null || return 1
		"$DBARENA" destroy "${PREFIX}m$i" >/dev/null 2>&1 || return 1
		t1=$(ns); manual+=($(( (t1 - t0) / 1000000 )))
	done
	raw "run postgres -- true:" "${runs[@]}"
	raw "create postgres + destroy:" "${manual[@]}"
	local r m q
	r=$(median "${runs[@]}"); m=$(median "${manual[@]}")
	q=$(ratio "$r" "$m" 3)
	row "run postgres -- true" "$(spread ms "${runs[@]}")" \
	    "$(spread ms "${manual[@]}") (create + destroy)" "-" \
	    "$q x baseline" "<= 1.05" "$(verdict "$q" le 1.05)"
}

goal run bench_run
