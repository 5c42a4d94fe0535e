#!/usr/bin/env bash
# Starts (or reuses) the services Blankett needs and writes their settings to
# .local/env. Idempotent: run it as often as you like.
#
#   PostgreSQL: $BLANKETT_DATABASE_URL when set and reachable; else the server
#               on 127.0.0.1:5432 when it answers; else a private cluster made
#               with initdb in .local/pg on port 55432 (also when
#               BLANKETT_PRIVATE_PG=1).
#   MinIO:      the real server, built once into .local/tools, data in
#               .local/minio, listening on 127.0.0.1:9100, with its built-in
#               KMS key (.local/minio-kms.key) so objects are encrypted at
#               rest. A MinIO this script started without the key is
#               restarted with it.
#   Data key:   .local/data.key, the development key that seals personnummer
#               in PostgreSQL (BLANKETT_DATA_KEY_FILE).
#   Tesseract, poppler: installed with apt when missing (as root).
#   axe-core:   from npm into .local/tools/axe-core, for the accessibility tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
local_dir=$root/.local
mkdir -p "$local_dir/tools"

log() { printf 'services: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else log "not root: cannot run $*"; return 1; fi
}

apt_updated=
apt_install() {
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -qq
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- system packages -------------------------------------------------------
need=()
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/swe.traineddata ] || need+=(tesseract-ocr-swe)
[ -f /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || need+=(tesseract-ocr-osd)
[ -f /usr/include/tesseract/baseapi.h ] || need+=(libtesseract-dev)
[ -f /usr/include/leptonica/allheaders.h ] || need+=(libleptonica-dev)
# libjpeg(-turbo) reads grey JPEG scans (extract/jpeg.go), its internal
# header included.
[ -f /usr/include/jpegint.h ] || need+=(libjpeg-dev)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v tiffcp >/dev/null || need+=(libtiff-tools)
# The corpus generator saves some scans as JPEG 2000 (corpus/compression.go).
command -v opj_compress >/dev/null || need+=(libopenjp2-tools)
# libtiff reads the TIFF pages Go's decoder does not (extract/tifflib.go):
# JPEG-compressed, Group 3 2-D faxes, YCbCr.
[ -f /usr/include/x86_64-linux-gnu/tiffio.h ] || [ -f /usr/include/tiffio.h ] || need+=(libtiff-dev)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
# The French model reads the è that the Swedish one lacks (Hélène).
[ -f /usr/share/tesseract-ocr/5/tessdata/fra.traineddata ] || need+=(tesseract-ocr-fra)
# The Norwegian model reads ø and æ, the Spanish one á í ó ú ñ (Løvås,
# Hernández), in names read in doubt.
[ -f /usr/share/tesseract-ocr/5/tessdata/nor.traineddata ] || need+=(tesseract-ocr-nor)
[ -f /usr/share/tesseract-ocr/5/tessdata/spa.traineddata ] || need+=(tesseract-ocr-spa)
# The Latin-script model has every letter of Latin-alphabet names
# (Mikaël, Córdoba, Zürcher): a second, independent reading of each name.
[ -f /usr/share/tesseract-ocr/5/tessdata/Latin.traineddata ] || need+=(tesseract-ocr-script-latn)
# poppler's stand-in for Helvetica: the corpus rasters depend on it.
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation fontconfig)
# The corpus types some forms' values in a word processor's faces
# (corpus/fonts.go): DejaVu Sans, Serif, Mono and Condensed, Carlito
# (Calibri's metrics) and Open Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf ] || need+=(fonts-dejavu-extra)
[ -f /usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf ] || need+=(fonts-crosextra-carlito)
[ -f /usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf ] || need+=(fonts-open-sans)
# The letters are PDF/A: Liberation Sans (above) is embedded in them, and
# their output intent is this sRGB ICC profile.
[ -f /usr/share/color/icc/sRGB.icc ] || need+=(icc-profiles-free)
# Headless Chromium for the review UI's browser tests.
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	apt_install "${need[@]}"
fi

# --- PostgreSQL -------------------------------------------------------------
pg_answers() { pg_isready -q -d "$1" -t 3 2>/dev/null && psql "$1" -qtAc 'select 1' >/dev/null 2>&1; }

db_url=
if [ -n "${BLANKETT_DATABASE_URL:-}" ] && pg_answers "$BLANKETT_DATABASE_URL"; then
	db_url=$BLANKETT_DATABASE_URL
	log "using BLANKETT_DATABASE_URL"
elif [ -z "${BLANKETT_PRIVATE_PG:-}" ] && pg_answers "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"; then
	admin="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if [ "$(psql "$admin" -qtAc "select 1 from pg_database where datname='blankett'")" != 1 ]; then
		psql "$admin" -qc 'create database blankett' >/dev/null
	fi
	db_url="postgres://postgres@127.0.0.1:5432/blankett?sslmode=disable"
	log "using the PostgreSQL server on 127.0.0.1:5432"
else
	port=55432
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
	if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
		log "installing postgresql"
		apt_install postgresql
		bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
	fi
	pgdir=$local_dir/pg
	run=()
	if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
	if [ ! -f "$pgdir/PG_VERSION" ]; then
		log "creating a private cluster in $pgdir"
		mkdir -p "$pgdir"
		[ "$(id -u)" = 0 ] && chown postgres "$pgdir" && chmod 700 "$pgdir"
		"${run[@]}" "$bin/initdb" -D "$pgdir" -U postgres -A trust >/dev/null
	fi
	if ! pg_isready -q -h 127.0.0.1 -p $port; then
		"${run[@]}" "$bin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w \
			-o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
	fi
	admin="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	if [ "$(psql "$admin" -qtAc "select 1 from pg_database where datname='blankett'")" != 1 ]; then
		psql "$admin" -qc 'create database blankett' >/dev/null
	fi
	db_url="postgres://postgres@127.0.0.1:$port/blankett?sslmode=disable"
	log "using the private cluster on 127.0.0.1:$port"
fi

# --- MinIO -----------------------------------------------------------------
minio_version=v0.0.0-20260212201848-7aac2a2c5b7c
minio=$local_dir/tools/minio
if [ ! -x "$minio" ] || [ "$(cat "$local_dir/tools/minio.version" 2>/dev/null)" != "$minio_version" ]; then
	log "building MinIO $minio_version (once; about two minutes)"
	GOBIN=$local_dir/tools GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$minio_version"
	echo "$minio_version" >"$local_dir/tools/minio.version"
fi
s3_port=${BLANKETT_MINIO_PORT:-9100}
s3_endpoint=127.0.0.1:$s3_port
s3_user=blankett
s3_secret=blankett-dev-secret
# MinIO's built-in KMS key (name:base64 of 32 bytes). It must not change:
# objects encrypted under it cannot be read without it.
kms_file=$local_dir/minio-kms.key
if [ ! -s "$kms_file" ]; then
	(umask 077 && printf 'blankett-dev:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$kms_file")
fi
kms_key=$(cat "$kms_file")
# our_minio: the pid of a MinIO this script started and that still runs.
our_minio() {
	local pid
	pid=$(cat "$local_dir/minio.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "minio server" && echo "$pid"
}
has_kms() { tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -q '^MINIO_KMS_SECRET_KEY='; }
if pid=$(our_minio) && ! has_kms "$pid"; then
	log "restarting MinIO (pid $pid) with its KMS key"
	kill "$pid"
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
if ! curl -fsS -o /dev/null "http://$s3_endpoint/minio/health/live" 2>/dev/null; then
	mkdir -p "$local_dir/minio"
	log "starting MinIO on $s3_endpoint"
	MINIO_ROOT_USER=$s3_user MINIO_ROOT_PASSWORD=$s3_secret MINIO_BROWSER=off MINIO_KMS_SECRET_KEY=$kms_key \
		nohup "$minio" server "$local_dir/minio" --address "$s3_endpoint" \
		--console-address "127.0.0.1:$((s3_port + 1))" >"$local_dir/minio.log" 2>&1 &
	echo $! >"$local_dir/minio.pid"
	for _ in $(seq 1 150); do
		curl -fsS -o /dev/null "http://$s3_endpoint/minio/health/ready" 2>/dev/null && break
		sleep 0.2
	done
	curl -fsS -o /dev/null "http://$s3_endpoint/minio/health/ready" || { log "MinIO did not start; see .local/minio.log"; exit 1; }
fi
# Server-side encryption when the MinIO answering is ours, with the key; a
# MinIO started by someone else may have no KMS, and refuses SSE puts.
s3_sse=false
if pid=$(our_minio) && has_kms "$pid"; then
	s3_sse=true
else
	log "MinIO on $s3_endpoint was not started here: objects are not encrypted at rest (BLANKETT_S3_SSE=false)"
fi

# --- axe-core ------------------------------------------------------------------
# The accessibility rules the browser tests run in Chromium (review/a11y_test.go),
# from npm, pinned; the tests find it in .local/tools/axe-core.
axe_version=4.14.1
axe_dir=$local_dir/tools/axe-core
if [ "$(cat "$axe_dir/version" 2>/dev/null)" != "$axe_version" ] || [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
	command -v npm >/dev/null || apt_install npm
	log "installing axe-core $axe_version"
	mkdir -p "$axe_dir"
	npm install --prefix "$axe_dir" --no-save --no-audit --no-fund --loglevel=error "axe-core@$axe_version" >/dev/null
	echo "$axe_version" >"$axe_dir/version"
fi

# --- data key ----------------------------------------------------------------
data_key=$local_dir/data.key
if [ ! -s "$data_key" ]; then
	log "making a development data key in $data_key"
	(umask 077 && head -c 32 /dev/urandom | base64 -w0 >"$data_key" && echo >>"$data_key")
fi

cat >"$local_dir/env" <<ENV
export BLANKETT_DATABASE_URL='$db_url'
export BLANKETT_S3_ENDPOINT='$s3_endpoint'
export BLANKETT_S3_ACCESS_KEY='$s3_user'
export BLANKETT_S3_SECRET_KEY='$s3_secret'
export BLANKETT_S3_BUCKET="\${BLANKETT_S3_BUCKET:-blankett}"
export BLANKETT_S3_SSE='$s3_sse'
export BLANKETT_DATA_KEY_FILE='$data_key'
export OMP_THREAD_LIMIT=1
export BLANKETT_AXE='$axe_dir/node_modules/axe-core/axe.min.js'
ENV
log "ready; settings in .local/env"
