# A throwaway PostgreSQL cluster for the tests: `source` this file, then `start_test_postgres`.
# It creates a cluster in a temp dir with initdb (as the current user; when that is root, as CI
# runs, as the unprivileged `postgres` user, or `candor-pg` created for the purpose, since
# PostgreSQL refuses to run as root), starts it on a free loopback port with its unix socket in
# the temp dir, creates the database `candor` and exports
#
#   CANDOR_TEST_POSTGRES_URL=postgres://candor:<random password>@127.0.0.1:<port>/candor
#
# The cluster is stopped and its folder removed when the shell exits (trap). Also sets
# PG_MAJOR and PG_PORT for summaries. Needs Debian's `postgresql` package (the server binaries
# live in /usr/lib/postgresql/<version>/bin, which is not on PATH).
#
# By hand: bash -c 'source scripts/lib/postgres.bash && start_test_postgres && cargo test --release --test store'

# The newest installed server's bin folder, or nothing.
postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    printf '%s\n' "$dir"
  fi
}

start_test_postgres() {
  local bin
  bin=$(postgres_bin_dir)
  if [ -z "$bin" ]; then
    echo "error: no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    return 1
  fi
  PG_MAJOR=$("$bin/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')

  # PostgreSQL will not run as root: use an unprivileged account then.
  _pg_as=()
  local owner
  owner=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    if ! id -u "$owner" >/dev/null 2>&1; then
      owner=candor-pg
      id -u "$owner" >/dev/null 2>&1 ||
        useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    fi
    _pg_as=(runuser -u "$owner" --)
  fi

  # Under /tmp when root (the account must be able to reach it; root's TMPDIR may be private).
  if [ "$(id -u)" -eq 0 ]; then
    _pg_dir=$(mktemp -d /tmp/candor-pg.XXXXXX)
  else
    _pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/candor-pg.XXXXXX")
  fi
  _pg_bin=$bin
  trap stop_test_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir "$_pg_dir/sock"
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$_pg_dir/pwfile"
  chmod 700 "$_pg_dir"
  chown -R "$owner" "$_pg_dir"

  "${_pg_as[@]}" "$bin/initdb" --pgdata="$_pg_dir/data" --username=candor \
    --pwfile="$_pg_dir/pwfile" --auth=scram-sha-256 --encoding=UTF8 --no-locale --no-sync \
    >"$_pg_dir/initdb.log" 2>&1 || {
    cat "$_pg_dir/initdb.log" >&2
    return 1
  }
  rm -f "$_pg_dir/pwfile"

  # A free port: try a few random ones (the server reports a port in use and exits).
  local attempt port=""
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if "${_pg_as[@]}" "$bin/pg_ctl" --pgdata="$_pg_dir/data" --log="$_pg_dir/server.log" \
      --wait --timeout=60 --silent \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $_pg_dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    echo "error: the test PostgreSQL did not start:" >&2
    cat "$_pg_dir/server.log" >&2
    return 1
  fi
  PG_PORT=$port
  PGPASSWORD=$password "$bin/createdb" --host=127.0.0.1 --port="$port" --username=candor candor
  export CANDOR_TEST_POSTGRES_URL="postgres://candor:$password@127.0.0.1:$port/candor"
}

stop_test_postgres() {
  if [ -n "${_pg_dir:-}" ] && [ -d "$_pg_dir" ]; then
    if [ -f "$_pg_dir/data/postmaster.pid" ]; then
      "${_pg_as[@]}" "$_pg_bin/pg_ctl" --pgdata="$_pg_dir/data" --mode=immediate --silent stop \
        >/dev/null 2>&1 || true
    fi
    rm -rf "$_pg_dir"
  fi
  _pg_dir=""
}
