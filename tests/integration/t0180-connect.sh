#!/bin/sh
# url, env, shell, exec and create --init, against PostgreSQL and MariaDB
# with their real clients.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
my="${PREFIX}my"
# env writes MariaDB's option file under ${TMPDIR:-/tmp}/dbarena-UID
# without a runtime directory of the user's own: here, in the trash.
unset XDG_RUNTIME_DIR
export TMPDIR="$TRASH/tmp"
mkdir "$TMPDIR"
mdir="$TMPDIR/dbarena-$(id -u)/$my"
# What an option file must escape: a quote, a backslash, a comment.
mpw='q"b\s #x'"'"'y'
fd="$TEST_SRCDIR/integration/fault-docker"
export FAULT_LOG="$TRASH/fault.log"
# A quote in the password: env must quote it, url must encode it.
pw="it's-s3cret"
cat >want-env <<'EOF'
export PGPASSWORD='it'\''s-s3cret'
EOF

cat >one.sql <<'EOF'
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
EOF
cat >two.sql <<'EOF'
CREATE TABLE child (id int REFERENCES parent (id));
INSERT INTO child VALUES (2);
EOF
cat >bad.sql <<'EOF'
CREATE TABLE fine (id int);
SELECT 1;
SELEC oops;
CREATE TABLE never (id int);
EOF

test_expect_success 'create --init: two files run in order' '
	dbarena create postgres --name "$pg" --init one.sql --init two.sql \
		--password "$pw" --format json >c.json &&
	url=$(json_get 0 url <c.json) &&
	test "$(psql "$url" -Atc "SELECT count(*) FROM child JOIN parent USING (id)")" = 1
'

test_expect_success 'url: what psql connects with, by unique prefix too' '
	dbarena url "$pg" >u &&
	test "$(cat u)" = "$(json_get 0 url <c.json)" &&
	test "$(dbarena url "${PREFIX}p")" = "$(cat u)" &&
	test "$(psql "$(cat u)" -Atc "SELECT 40 + 2")" = 42
'

test_expect_success 'env: eval it, then psql with no arguments' '
	dbarena env "$pg" >env.sh &&
	grep -qxFf want-env env.sh &&
	test "$( (eval "$(cat env.sh)" && psql -Atc "SELECT current_database()") )" = dbarena
'

test_expect_success 'env --format json: the same variables' '
	dbarena env --format json "$pg" >env.json &&
	test "$(json_get PGPORT <env.json)" = "$(json_get 0 port <c.json)" &&
	test "$(json_get PGUSER <env.json)" = postgres
'

test_expect_success 'exec: the command output and its exit status' '
	dbarena exec "$pg" -- sh -c "echo inside; exit 7" >out; rc=$? &&
	test $rc = 7 && grep -qx inside out &&
	dbarena exec "$pg" true &&
	{ dbarena exec "$pg" no-such-program-here 2>err; test $? -ge 126; }
'

test_expect_success 'exec: psql with no flags is the database user on its database' '
	dbarena exec "$pg" -- psql -Atc "select current_user, current_database()" >out &&
	test "$(cat out)" = "postgres|dbarena"
'

test_expect_success 'shell: SQL piped into the engine client' '
	echo "SELECT count(*) FROM parent;" | dbarena shell "$pg" -- -At >out &&
	test "$(cat out)" = 2
'

test_expect_success 'shell and exec on a terminal get one (-t), off it not' '
	command -v script >/dev/null || { echo "no script(1)"; exit 1; } &&
	script -qec "$DBARENA shell $pg -- -P pager=off -Atc \"SELECT 6 * 7\"" /dev/null </dev/null >tty.out 2>&1 &&
	# The pty echoes the EOF script(1) sends as "^@": match the line end.
	tr -d "\r" <tty.out | grep -q "42$" &&
	script -qec "$DBARENA exec $pg test -t 0; echo tty=\$?" /dev/null </dev/null >tty2.out 2>&1 &&
	grep -q "tty=0" tty2.out &&
	{ dbarena exec "$pg" test -t 0 </dev/null; test $? = 1; }
'

test_expect_success 'no password in any docker argv: it travels in the environment' '
	: >"$FAULT_LOG" && : >"$TRASH/argv" &&
	echo "SELECT 1;" | FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		dbarena shell "$pg" -- -At >out &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		dbarena exec "$pg" sh -c "printf %s \"\$PGPASSWORD\" | md5sum" >sum &&
	test "$(cut -d" " -f1 sum)" = "$(printf %s "$pw" | md5sum | cut -d" " -f1)" &&
	grep -q " exec -i -e PGUSER -e PGPASSWORD -e PGDATABASE $pg psql " "$TRASH/argv" &&
	grep -q " exec -i -e PGUSER -e PGPASSWORD -e PGDATABASE $pg sh -c " "$TRASH/argv" &&
	! grep -qF "s3cret" "$TRASH/argv"
'

test_expect_success 'init failure: file, line and exit 11; nothing left behind' '
	{ dbarena create postgres --name "${PREFIX}bad" --init one.sql \
		--init bad.sql 2>err; test $? = 11; } &&
	grep -q "^dbarena: init bad.sql: psql:bad.sql:3: ERROR: " err &&
	grep -q "was removed" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}bad")"
'

test_expect_success 'init: an unreadable file fails before any docker call' '
	: >"$FAULT_LOG" &&
	{ DBARENA_DOCKER="$fd" dbarena create postgres --name "${PREFIX}nf" \
		--init no-such.sql 2>err; test $? = 2; } &&
	grep -q "no-such.sql: No such file" err &&
	test ! -s "$FAULT_LOG"
'

test_expect_success 'init --dry-run: the exec line, password kept out of argv' '
	dbarena create postgres --name "${PREFIX}dry" --init one.sql --dry-run >dry &&
	grep -q "^PGPASSWORD=dbarena docker exec -i -e PGPASSWORD ${PREFIX}dry psql .*-v ON_ERROR_STOP=1 .* < one.sql$" dry
'

test_expect_success 'mariadb: init, url, env, exec and shell' '
	printf "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2), (3);\n" >m1.sql &&
	dbarena create mariadb --name "$my" --init m1.sql -q >/dev/null &&
	dbarena url "$my" | grep -q "^mysql://root:dbarena@127.0.0.1:" &&
	test "$( (eval "$(dbarena env "$my")" && mariadb -uroot -N -B dbarena -e "SELECT count(*) FROM t") )" = 3 &&
	test "$(echo "SELECT sum(id) FROM t" | dbarena shell "$my" -- -N)" = 6 &&
	dbarena exec "$my" -- sh -c "test \"\$MYSQL_PWD\" = dbarena" &&
	# The client takes root, its user when run as root, and the password.
	test "$(dbarena exec "$my" -- mariadb -N -e "select current_user()")" = root@localhost
'

test_expect_success 'mariadb env: every client here is the engine user on its database' '
	dbarena env "$my" >menv.sh &&
	grep -qxF "export MARIADB_HOME='"'$mdir'"'" menv.sh &&
	grep -qxF "export MYSQL_HOME='"'$mdir'"'" menv.sh &&
	test "$(stat -c %a "$mdir/.." "$mdir" "$mdir/my.cnf" | tr "\n" " ")" = "700 700 600 " &&
	(eval "$(cat menv.sh)" && mariadb -N -B -e "select substring_index(current_user(), \"@\", 1), database()") >out &&
	test "$(cat out)" = "$(printf "root\tdbarena")" &&
	# mariadb-dump and mariadb-admin read no MYSQL_HOST: the file says it.
	(eval "$(cat menv.sh)" && mariadb-dump --skip-extended-insert dbarena t) >dump.sql &&
	test "$(grep -c "^INSERT INTO .t. VALUES" dump.sql)" = 3 &&
	(eval "$(cat menv.sh)" && mariadb-admin ping) | grep -q alive
'

cat >as-user.sh <<'EOF'
eval "$("$DBARENA" env "$1")" &&
printf "%s\n" "$MARIADB_HOME" &&
mariadb -N -B -e 'select substring_index(current_user(), "@", 1), database()'
EOF

test_expect_success 'mariadb env as another user: a file of their own, the engine user' '
	test "$(id -u)" = 0 || { echo "needs root, to become nobody"; exit 1; } &&
	nb=$(mktemp -d /tmp/dbarena-nobody.XXXXXX) &&
	test_when_finished "rm -rf $nb" &&
	chmod 1777 "$nb" && cp as-user.sh "$nb/" &&
	setpriv --reuid=nobody --regid=nogroup \
		--groups="$(stat -c %g /var/run/docker.sock)" \
		env TMPDIR="$nb" HOME="$nb" XDG_CONFIG_HOME="$nb" \
		sh "$nb/as-user.sh" "$my" >out &&
	printf "%s\nroot\tdbarena\n" "$nb/dbarena-$(id -u nobody)/$my" >want &&
	cmp want out &&
	test "$(stat -c %U "$nb/dbarena-$(id -u nobody)/$my/my.cnf")" = nobody
'

test_expect_success 'mariadb env refuses a directory that is not the user'"'"'s alone' '
	mkdir -p open/dbarena-$(id -u) && chmod 755 open/dbarena-$(id -u) &&
	{ TMPDIR=$TRASH/open dbarena env "$my" >out 2>err; test $? = 1; } &&
	grep -q "^dbarena: .*refusing $TRASH/open/dbarena-$(id -u): mode 0755, not 0700" err &&
	test ! -s out && test ! -e open/dbarena-$(id -u)/$my &&
	mkdir link && ln -s "$TRASH" link/dbarena-$(id -u) &&
	{ TMPDIR=$TRASH/link dbarena env "$my" 2>err; test $? = 1; } &&
	grep -q "refusing .*: not a directory" err && test ! -e "$TRASH/$my"
'

test_expect_success 'mariadb exec and shell: client, dump and admin need no flags' '
	test "$(dbarena exec "$my" -- mariadb -N -e "select database()")" = dbarena &&
	dbarena exec "$my" -- mariadb-dump --skip-extended-insert dbarena t >dump2.sql &&
	test "$(grep -c "^INSERT INTO .t. VALUES" dump2.sql)" = 3 &&
	dbarena exec "$my" -- mariadb-admin ping | grep -q alive &&
	test "$(dbarena shell "$my" -- -N -e "select database()")" = dbarena &&
	# A database named to the client is the one it uses.
	test "$(dbarena shell "$my" -- -N -e "select database()" mysql)" = mysql &&
	: >"$FAULT_LOG" && : >"$TRASH/argv" &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" dbarena exec "$my" true &&
	test "$(tail -n 2 "$FAULT_LOG")" = "$(printf "cp\nexec")" &&
	grep -q " cp - $my:/ $" "$TRASH/argv" &&
	grep -q " exec -i -e MYSQL_PWD -e MARIADB_HOME -e MYSQL_HOME $my true $" "$TRASH/argv"
'

test_expect_success 'mariadb init failure names the line' '
	printf "CREATE TABLE u (id int);\nSELEC 1;\n" >mbad.sql &&
	{ dbarena create mariadb --name "${PREFIX}mbad" --init mbad.sql 2>err; test $? = 11; } &&
	grep -q "^dbarena: init mbad.sql: ERROR 1064 .* at line 2" err
'

test_expect_success 'not running: shell and exec say so' '
	dbarena stop "$my" >/dev/null &&
	{ dbarena exec "$my" true 2>err; test $? = 9; } &&
	grep -q "is not running" err
'

test_expect_success 'destroy removes the option file env wrote, nothing else' '
	test -f "$mdir/my.cnf" &&
	dbarena destroy "$my" >/dev/null &&
	test ! -e "$mdir" && test -d "$TMPDIR/dbarena-$(id -u)" &&
	dbarena create mariadb --name "$my" --password "$mpw" -q >/dev/null &&
	dbarena env "$my" >menv.sh && : >"$mdir/mine" &&
	# The password, escaped in both files, still logs in.
	test "$( (eval "$(cat menv.sh)" && mariadb -N -e "select 6 * 7") )" = 42 &&
	test "$(dbarena exec "$my" -- mariadb -N -e "select 6 * 7")" = 42 &&
	dbarena destroy "$my" >/dev/null &&
	test ! -e "$mdir/my.cnf" && test -f "$mdir/mine"
'

test_expect_success 'usage: no name, no command, unknown name' '
	{ dbarena url 2>err; test $? = 2; } &&
	{ dbarena exec "$pg" 2>err; test $? = 2; } &&
	grep -q "no command given" err &&
	{ dbarena env "${PREFIX}nothing" 2>err; test $? = 5; }
'

test_done
