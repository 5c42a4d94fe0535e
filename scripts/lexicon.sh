#!/usr/bin/env bash
# Regenerates extract/swe-words.gz, the word list of Tesseract's Swedish
# model (its lstm-word-dawg), which extraction uses to mend misread words.
# Run it after a change of the installed swe.traineddata.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${TESSDATA_PREFIX:-/usr/share/tesseract-ocr/5/tessdata}/swe.traineddata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
combine_tessdata -u "$data" "$tmp/swe." >/dev/null 2>&1
dawg2wordlist "$tmp/swe.lstm-unicharset" "$tmp/swe.lstm-word-dawg" "$tmp/words.txt" >/dev/null 2>&1
LC_ALL=C sort -u "$tmp/words.txt" | gzip -9n >"$root/extract/swe-words.gz"
echo "extract/swe-words.gz: $(zcat "$root/extract/swe-words.gz" | wc -l) words from $data"
