# A throwaway PostgreSQL cluster on loopback, started as tests/Shared/PostgresCluster.cs starts the tests' own: initdb
# with trust authentication for one role, the server in the background on a given port with its socket in its data folder.
# PostgreSQL refuses to run as root: as root, it runs as Debian's postgres user. Needs prerequisites.sh.

pg_role=tracefleet

# pg_bin: the newest installed major version's programs (Debian keeps them outside PATH), installing Debian's postgresql if none.
pg_bin() {
  local dirs
  dirs=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null) || { apt_install_no_services postgresql && dirs=$(ls -d /usr/lib/postgresql/*/bin); } || return 1
  sort -V <<<"$dirs" | tail -n 1
}

# From / : the postgres user may not be able to enter the caller's folder.
as_postgres() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# pg_start DIR PORT LOG [SETTING...]: a new cluster in DIR (which must not exist), serving 127.0.0.1:PORT, its output in
# LOG, with the settings given (-c name=value); returns once it accepts connections. DIR's parent must let the postgres user through.
pg_start() {
  local dir=$1 port=$2 log=$3 bin
  shift 3
  bin=$(pg_bin) || return 1
  mkdir -m 700 "$dir"
  if is_root; then chown postgres:postgres "$dir"; fi
  as_postgres "$bin/initdb" -D "$dir" -U "$pg_role" -A trust -E UTF8 --no-sync >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  as_postgres "$bin/postgres" -D "$dir" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 "$@" >>"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$pg_role" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  cat "$log" >&2
  return 1
}

# pg_createdb PORT NAME
pg_createdb() {
  "$(pg_bin)/createdb" -h 127.0.0.1 -p "$1" -U "$pg_role" "$2"
}

# pg_stop DIR: fast shutdown (open sessions are ended, not waited for); nothing to do when it is not running.
pg_stop() {
  [[ -f $1/postmaster.pid ]] || return 0
  as_postgres "$(pg_bin)/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}
