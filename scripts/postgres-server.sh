#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 21): `.ci/run` starts one, and so can you.
#
#   eval "$(bash scripts/postgres-server.sh start)"   # exports TEST_POSTGRES_URL and MTD_POSTGRES_DIR
#   npx tap --disable-coverage test-pg/               # or any test with TEST_POSTGRES_URL set
#   bash scripts/postgres-server.sh stop              # stops it and removes its folder ($MTD_POSTGRES_DIR)
#
# start: the newest /usr/lib/postgresql/*/bin; when there is none and this runs as root with apt-get,
# Debian's `postgresql` package is installed first. A new cluster in a temporary folder owned by the
# `postgres` user (as root; a normal user owns it directly), trust authentication on 127.0.0.1 and the
# folder's own socket only, a free port, and one role `mtd` (LOGIN, CREATEDB, not a superuser: what the
# portal gets in production), with pg_signal_backend for the tests' `drop database ... with (force)`,
# which must end an autovacuum worker that happens to be in the test's database (it runs as no role, so
# an ordinary role may not end it otherwise). Durability is off (fsync, synchronous_commit): the data is
# thrown away.
# Its lines on stdout are `export NAME=value`, for eval; everything else goes to stderr.
set -euo pipefail

say() { echo "postgres-server: $*" >&2; }

bin_dir() { # the newest installed server's bin folder, or nothing
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4n | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_owner() { # runs a server binary as the cluster's owner: postgres when we are root, ourselves otherwise
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() { # a port nothing listens on now (node is on every machine that runs the tests)
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}

start() {
  local bin
  bin=$(bin_dir || true)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      say "no PostgreSQL server installed: installing Debian's postgresql package"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq --no-install-recommends postgresql >&2
      bin=$(bin_dir || true)
    fi
    [ -n "$bin" ] || { say "no PostgreSQL server in /usr/lib/postgresql/*/bin (install Debian's postgresql package)"; exit 1; }
  fi
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mtd-postgres.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  say "$("$bin/postgres" --version) in $dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # Only the folder's socket and 127.0.0.1; nothing from any other address.
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
  local port tries=0
  until
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
  do
    # Another process took the port between the check and the start: try another one.
    tries=$((tries + 1))
    [ "$tries" -lt 3 ] || { cat "$dir/server.log" >&2; exit 1; }
  done
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    -c 'create role mtd login createdb nosuperuser' -c 'grant pg_signal_backend to mtd' >&2
  echo "export MTD_POSTGRES_DIR=$dir"
  echo "export TEST_POSTGRES_URL=postgres://mtd@127.0.0.1:$port/postgres"
  say "listening on 127.0.0.1:$port (stop: bash scripts/postgres-server.sh stop $dir)"
}

stop() {
  local dir=${1:-${MTD_POSTGRES_DIR:-}} bin
  [ -n "$dir" ] || { say "stop: which server? (give its folder, or set MTD_POSTGRES_DIR)"; exit 1; }
  case $dir in */mtd-postgres.*) ;; *) say "stop: $dir is not a folder this script made"; exit 1 ;; esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(bin_dir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
  fi
  rm -rf "$dir"
  say "stopped; $dir removed"
}

case ${1:-} in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [folder]" >&2; exit 2 ;;
esac
