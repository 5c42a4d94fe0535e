#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a fresh (empty) database
# and a fresh (empty) bucket, then runs `blankett fsck` on the pair.
#
#   scripts/restore.sh DIR
#
# BLANKETT_DATABASE_URL names the database to restore into: it must exist
# and be empty (createdb NAME). BLANKETT_S3_BUCKET names the bucket: it is
# created when missing and must be empty. Refuses to write over anything.
# The exit status is fsck's: non-zero when the restored pair has problems.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 1 ]; then
	echo "usage: scripts/restore.sh DIR" >&2
	exit 2
fi
in=$1
if [ -z "${BLANKETT_DATABASE_URL:-}" ] && [ -f "$root/.local/env" ]; then
	# shellcheck disable=SC1091
	source "$root/.local/env"
fi
: "${BLANKETT_DATABASE_URL:?set BLANKETT_DATABASE_URL to an empty database}"
: "${BLANKETT_S3_ENDPOINT:?set BLANKETT_S3_ENDPOINT}"
bin=${BLANKETT_BIN:-$root/bin/blankett}
if [ ! -x "$bin" ]; then
	(cd "$root" && go build -o "$bin" ./cmd/blankett)
fi
for f in database.dump bucket/manifest.json; do
	[ -f "$in/$f" ] || { echo "restore: $in/$f missing: not a complete backup" >&2; exit 1; }
done

log() { printf 'restore: %s\n' "$*" >&2; }

tables=$(psql "$BLANKETT_DATABASE_URL" -qtAc "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
if [ "$tables" != 0 ]; then
	echo "restore: the database is not empty ($tables tables): restore into a fresh one" >&2
	exit 1
fi
log "restoring the database"
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction \
	--dbname="$BLANKETT_DATABASE_URL" "$in/database.dump"
log "restoring bucket ${BLANKETT_S3_BUCKET:-blankett}"
"$bin" objects import "$in/bucket"
log "checking the restored pair"
"$bin" fsck
