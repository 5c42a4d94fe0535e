#!/usr/bin/env bash
# Backs up Blankett: the database (pg_dump, custom format) and a copy of
# every object in the bucket, into a new directory.
#
#   scripts/backup.sh DIR
#
# Uses BLANKETT_DATABASE_URL and BLANKETT_S3_* from the environment (else
# .local/env). The database is dumped first and the bucket copied after: an
# object is always put before its row commits, so every row in the dump
# finds its object in the copy. Objects newer than the dump are harmless
# extras (fsck lists them as young orphans). BLANKETT_BIN names the binary
# (default bin/blankett, built when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 1 ]; then
	echo "usage: scripts/backup.sh DIR" >&2
	exit 2
fi
out=$1
if [ -z "${BLANKETT_DATABASE_URL:-}" ] && [ -f "$root/.local/env" ]; then
	# shellcheck disable=SC1091
	source "$root/.local/env"
fi
: "${BLANKETT_DATABASE_URL:?set BLANKETT_DATABASE_URL (or run scripts/services.sh)}"
: "${BLANKETT_S3_ENDPOINT:?set BLANKETT_S3_ENDPOINT}"
bin=${BLANKETT_BIN:-$root/bin/blankett}
if [ ! -x "$bin" ]; then
	(cd "$root" && go build -o "$bin" ./cmd/blankett)
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
	echo "backup: $out exists and is not empty" >&2
	exit 1
fi
mkdir -p "$out"
chmod 700 "$out"

log() { printf 'backup: %s\n' "$*" >&2; }

log "dumping the database"
pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$BLANKETT_DATABASE_URL"
log "copying bucket ${BLANKETT_S3_BUCKET:-blankett}"
"$bin" objects export "$out/bucket"
{
	echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "bucket=${BLANKETT_S3_BUCKET:-blankett}"
	echo "pg_dump=$(pg_dump --version)"
} >"$out/BACKUP"
log "done: $out"
