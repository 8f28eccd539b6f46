#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the e2e run on PostgreSQL (used by .ci/run).
#   scripts/ci-postgres.sh start DIR   initdb + start on a free loopback port; prints the
#                                      E2E_DATABASE_URL_BASE line (postgres://mfm:…@127.0.0.1:PORT)
#   scripts/ci-postgres.sh stop DIR    stops it (the caller removes DIR)
# Runs the server as the unprivileged "postgres" user when started as root (CI runs as root).
set -euo pipefail
exec </dev/null

cmd="${1:?start|stop}"
dir="${2:?directory}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
  exit 1
fi

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir"
    chmod o+x "$(dirname "$dir")" # the server user must reach its directory
  fi
  password="$(node -e "process.stdout.write(require('crypto').randomBytes(12).toString('hex'))")"
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
  printf '%s\n' "$password" >"$dir/pwfile"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir/pwfile"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U mfm --pwfile="$dir/pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  rm -f "$dir/pwfile"
  # Durability off: a throwaway cluster for tests only.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  echo "E2E_DATABASE_URL_BASE=postgres://mfm:${password}@127.0.0.1:${port}"
  ;;
stop)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
