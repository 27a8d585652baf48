#!/usr/bin/env bash
# The rig's "remote" Docker host over ssh: a real sshd (Debian's
# openssh-server) on 127.0.0.1:2222 with its own config and host key, key
# authentication only; a client key for root; an ssh alias dbarena-devbox in
# a config of its own, Included from /root/.ssh/config so that the docker CLI
# (which runs plain ssh) sees it as dbarena does; and a docker context
# dbarena-ssh with host=ssh://dbarena-devbox. The "remote" host is this one,
# so the daemon behind the context is the rig's own.
#
# Called by setup.sh (needs openssh-server and openssh-client); also runs on
# its own. Idempotent: every step checks before it acts, and nothing outside
# its own files changes but the one Include line it adds to ~/.ssh/config.
set -Eeuo pipefail

STATE=${RIG_STATE:-/var/lib/dbarena-rig}
SSHD_DIR=$STATE/ssh
SSH_PORT=2222
ALIAS=dbarena-devbox
CONTEXT=dbarena-ssh

log() { printf 'rig: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] ||
	die "no sshd: apt-get install openssh-server"
mkdir -p "$SSHD_DIR" /run/sshd
chmod 700 "$SSHD_DIR"

# Keys: the server's host key, and root's client key for the alias.
[ -f "$SSHD_DIR/host_ed25519" ] ||
	ssh-keygen -q -t ed25519 -N '' -C dbarena-rig-host -f "$SSHD_DIR/host_ed25519"
[ -f "$SSHD_DIR/id_ed25519" ] ||
	ssh-keygen -q -t ed25519 -N '' -C dbarena-rig-client -f "$SSHD_DIR/id_ed25519"
cp "$SSHD_DIR/id_ed25519.pub" "$SSHD_DIR/authorized_keys"
printf '%s %s\n' "$ALIAS" "$(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" \
	>"$SSHD_DIR/known_hosts"

# The server: loopback only, keys only, forwarding allowed (dbarena tunnel).
# The docker CLI opens one connection per call, many at once in parallel
# tests: MaxStartups is raised so none is dropped.
cat >"$SSHD_DIR/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_ed25519
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowTcpForwarding yes
MaxStartups 200
MaxSessions 200
LogLevel ERROR
EOF

# The client side: the alias, in a file of its own.
cat >"$SSHD_DIR/client.conf" <<EOF
Host $ALIAS
	HostName 127.0.0.1
	Port $SSH_PORT
	User root
	IdentityFile $SSHD_DIR/id_ed25519
	IdentitiesOnly yes
	HostKeyAlias $ALIAS
	UserKnownHostsFile $SSHD_DIR/known_hosts
	StrictHostKeyChecking yes
	BatchMode yes
EOF
include="Include $SSHD_DIR/client.conf"
mkdir -p /root/.ssh
chmod 700 /root/.ssh
touch /root/.ssh/config
if ! grep -qxF "$include" /root/.ssh/config; then
	# First: an Include after a Host line would belong to that Host.
	{ echo "$include"; cat /root/.ssh/config; } >/root/.ssh/config.new
	mv /root/.ssh/config.new /root/.ssh/config
	log "added $include to /root/.ssh/config"
fi
chmod 600 /root/.ssh/config

sshd_up() {
	[ -f "$SSHD_DIR/sshd.pid" ] && kill -0 "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null &&
		ssh -o ConnectTimeout=5 "$ALIAS" true 2>/dev/null
}
if ! sshd_up; then
	[ -f "$SSHD_DIR/sshd.pid" ] && kill "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null || true
	/usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || die "bad $SSHD_DIR/sshd_config"
	log "starting sshd on 127.0.0.1:$SSH_PORT"
	# sshd daemonizes by itself; setsid keeps it out of our session.
	setsid /usr/sbin/sshd -f "$SSHD_DIR/sshd_config" -E "$STATE/sshd.log" </dev/null
	for _ in $(seq 20); do
		sshd_up && break
		sleep 0.5
	done
	sshd_up || die "sshd does not answer; see $STATE/sshd.log"
fi

if ! docker context inspect "$CONTEXT" >/dev/null 2>&1; then
	docker context create "$CONTEXT" --description "dbarena rig: this host over ssh" \
		--docker "host=ssh://$ALIAS" >/dev/null
	log "created docker context $CONTEXT"
fi
docker --context "$CONTEXT" version >/dev/null ||
	die "docker --context $CONTEXT does not reach the daemon"
log "ssh: $ALIAS on 127.0.0.1:$SSH_PORT, context $CONTEXT"
