#!/usr/bin/env bash
# Regenerates extract/swe-words.gz, the word list of Tesseract's Swedish
# model (its lstm-word-dawg), which extraction uses to mend misread words,
# and extract/foreign-names.gz: the names in the French, Spanish and
# Norwegian models' word lists (capitalised, letters only) that have a
# letter Swedish names seldom do (ü, ø, æ, è, ñ, ô …) and the Swedish list
# lacks (Jérôme, Muñoz, Bjørn), and the names in the Latin-script model's
# list that have a letter only that model reads (ß, ð, þ, ł, đ:
# Guðmundsdóttir, Weiß). Run it after a change of the installed models.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tessdata=${TESSDATA_PREFIX:-/usr/share/tesseract-ocr/5/tessdata}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
words() { # words LANG OUT: the model's word list, one word a line
	combine_tessdata -u "$tessdata/$1.traineddata" "$tmp/$1." >/dev/null 2>&1
	dawg2wordlist "$tmp/$1.lstm-unicharset" "$tmp/$1.lstm-word-dawg" "$2" >/dev/null 2>&1
}
words swe "$tmp/words.txt"
LC_ALL=C sort -u "$tmp/words.txt" | gzip -9n >"$root/extract/swe-words.gz"
echo "extract/swe-words.gz: $(zcat "$root/extract/swe-words.gz" | wc -l) words from $tessdata/swe.traineddata"
for lang in fra spa nor Latin; do
	words "$lang" "$tmp/$lang.txt"
done
LC_ALL=C sort -u "$tmp/words.txt" >"$tmp/swe.sorted"
{
	cat "$tmp/fra.txt" "$tmp/spa.txt" "$tmp/nor.txt"
	LC_ALL=C.UTF-8 grep -P '[ßðþłđÞÐŁĐ]' "$tmp/Latin.txt"
} |
	LC_ALL=C.UTF-8 grep -P '^\p{Lu}\p{Ll}+$' |
	LC_ALL=C.UTF-8 grep -P '[^A-Za-zÅÄÖåäöÉé]' |
	LC_ALL=C sort -u |
	LC_ALL=C comm -23 - "$tmp/swe.sorted" |
	gzip -9n >"$root/extract/foreign-names.gz"
echo "extract/foreign-names.gz: $(zcat "$root/extract/foreign-names.gz" | wc -l) names from the fra, spa and nor models, and the Latin-script model's with a letter only it reads"
