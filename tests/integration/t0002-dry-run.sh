#!/bin/sh
# create --dry-run prints exactly what create runs, shell-quoted.
. "$TEST_SRCDIR/integration/lib-test.sh"
unset DBARENA_REGISTRY

# A dry run makes no docker call: a recording docker comes first on PATH
# and the last test checks that dbarena never ran it. A test that runs
# the docker of a dry run's output on purpose records elsewhere
# (DOCKER_CALLS), never erasing what dbarena may have done before it.
mkdir -p "$TRASH/bin"
cat >"$TRASH/bin/docker" <<EOF
#!/bin/sh
echo called >>"\${DOCKER_CALLS:-$TRASH/called}"
for a; do printf '%s\n' "\$a"; done
[ -z "\${GREETING+set}" ] || printf 'env GREETING=%s\n' "\$GREETING"
EOF
chmod +x "$TRASH/bin/docker"
export PATH="$TRASH/bin:$PATH"

test_expect_success 'postgres cdc-fast renders the promised flags' '
	dbarena create postgres --profile cdc-fast --dry-run >out &&
	grep -q "wal_level=logical" out && grep -q "fsync=off" out &&
	grep -q -- "--tmpfs /var/lib/postgresql/data:rw,size=1g" out &&
	grep -q -- "--memory 512m" out &&
	grep -q -- "--label dbarena.managed=true" out &&
	grep -q -- "--publish 127.0.0.1:[0-9]*:5432" out &&
	grep -q -- " -e POSTGRES_PASSWORD " out &&
	! sed "s/^POSTGRES_PASSWORD=dbarena //" out | grep -q "PASSWORD=" &&
	grep -q " postgres:16-alpine postgres " out
'

test_expect_success 'mysql, mariadb and sqlserver render too' '
	dbarena create mysql --profile cdc-fast --dry-run | grep -q -- "--binlog-format=ROW" &&
	dbarena create mariadb --dry-run | grep -q " mariadb:11 mariadbd " &&
	dbarena create sqlserver --dry-run >out &&
	grep -q "ACCEPT_EULA=Y" out && ! grep -q -- "--tmpfs" out &&
	grep -q "mcr.microsoft.com/mssql/server:2022-latest" out
'

test_expect_success 'sqlserver 2019 and 2022 both reach sqlcmd in mssql-tools18, with -C' '
	for v in 2019 2022; do
		dbarena create sqlserver --version $v --dry-run | tail -1 >out &&
		grep -q -- "--health-cmd '\''/opt/mssql-tools18/bin/sqlcmd -C " out || exit 1
	done
'

test_expect_success 'a CDC profile on an engine with no CDC flags is refused, not ignored' '
	test_expect_code 3 dbarena create sqlserver --profile cdc-fast \
		--dry-run >out 2>err &&
	grep -q "sqlserver.ini: profile cdc-fast asks for CDC, but sqlserver has no \[flags\] cdc_on" err &&
	test ! -s out
'

test_expect_success 'the dry run says the pull a missing image costs, as a comment' '
	dbarena create postgres --dry-run >out &&
	grep -qx "# if the image is not cached, create first runs: docker pull postgres:16-alpine" out
'

test_expect_success 'the dry-run line is valid shell that rebuilds the argv' '
	dbarena create postgres --env "GREETING=it'\''s \$(here); ok" \
		--name quote-test --dry-run >out &&
	# Through a shell, to the recording docker, which prints its argv.
	DOCKER_CALLS="$TRASH/sh-called" sh out >argv &&
	test -s "$TRASH/sh-called" &&
	grep -qx "env GREETING=it'\''s \$(here); ok" argv &&
	grep -qx GREETING argv && grep -qx "quote-test" argv
'

test_expect_success 'persistent and durable create a labelled volume first' '
	dbarena create postgres --persistent --name p1 --dry-run >out &&
	head -1 out | grep -q "^docker volume create --label dbarena.managed=true .* dbarena-p1-data$" &&
	grep -q -- "--volume dbarena-p1-data:/var/lib/postgresql/data" out &&
	dbarena create postgres --durable --name d1 --dry-run | grep -q "fsync=on"
'

test_expect_success 'registry mirror and --image rewrite the reference' '
	dbarena create postgres --registry 127.0.0.1:5000 --dry-run | grep -q " 127.0.0.1:5000/postgres:16-alpine " &&
	DBARENA_REGISTRY=mirror.local dbarena create sqlserver --dry-run | grep -q " mirror.local/mssql/server:2022-latest" &&
	dbarena create postgres --image my/pg:x --dry-run | grep -q " my/pg:x postgres "
'

test_expect_success '--context goes to every docker call' '
	dbarena --context ctx1 create postgres --dry-run | grep -q "docker --context ctx1 run"
'

test_expect_success 'no dry run above ran docker' '
	test ! -e "$TRASH/called"
'

test_done
