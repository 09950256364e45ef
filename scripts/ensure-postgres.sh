#!/usr/bin/env bash
# A local Postgres for the test suites: installs Debian's postgresql when missing, starts a cluster
# on 127.0.0.1:5432 with trust auth for local connections, and prints the DATABASE_URL to use.
# Idempotent: quiet when Postgres already answers. Needs root (apt-get, the cluster's config).
# Use: export DATABASE_URL="$(bash scripts/ensure-postgres.sh)"
set -euo pipefail
url="postgres://postgres@127.0.0.1:5432/postgres"
say() { echo "[postgres] $*" >&2; }

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then echo "$url"; exit 0; fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing Debian's postgresql"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || { say "apt-get install postgresql failed"; exit 1; }
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
conf="/etc/postgresql/$version/main"
if [ ! -d "$conf" ]; then
  say "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
fi

# Trust for local connections only (a throwaway test database on loopback).
cat > "$conf/pg_hba.conf" <<'EOF'
local   all all              trust
host    all all 127.0.0.1/32 trust
host    all all ::1/128      trust
EOF
# Loopback only, the default port; enough connections for parallel engines in the suites.
cat > "$conf/conf.d/huitou.conf" <<'EOF'
listen_addresses = '127.0.0.1'
port = 5432
max_connections = 200
EOF

say "starting cluster $version/main on 127.0.0.1:5432"
pg_ctlcluster "$version" main restart >/dev/null 2>&1 || pg_ctlcluster "$version" main start
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then echo "$url"; exit 0; fi
  sleep 0.5
done
say "Postgres did not answer on 127.0.0.1:5432; see /var/log/postgresql/postgresql-$version-main.log"
exit 1
