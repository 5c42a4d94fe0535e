#!/usr/bin/env bash
# Adds the editions drawn outside the project (extract/testdata/outside:
# blank fillable PDFs made with reportlab and pdf-lib, laid out unlike ours)
# as an administrator adds an edition: `blankett template draft` with the
# role mapping a person writes for what the draft leaves open. Each
# template, its blank beside it and the draft's notes go into OUT, for
# `blankett corpus --editions` and TestAccuracy's -accuracy-editions.
#
#   scripts/outside-editions.sh BLANKETT OUT
set -euo pipefail
bin=$1
out=$2
src=extract/testdata/outside
mkdir -p "$out"
draft() { # name kind form-number edition [role mapping's name, if not name's]
	"$bin" template draft "$src/$1-blank.pdf" --kind "$2" --form-number "$3" --edition "$4" \
		--roles "$src/${5:-$1}.roles.json" --out "$out/$1.json" 2>"$out/$1.notes"
	cp "$src/$1-blank.pdf" "$out/$1.pdf"
}
draft 9445-reportlab 9445 "FK 9445" "FK 9445 (003)"
draft 9445-pdflib 9445 "FK 9445" "FK 9445 (005)"
draft 9445-pdflib-boxed 9445 "FK 9445" "FK 9445 (006)" 9445-pdflib
draft 9463-reportlab 9463 "FK 9463" "FK 9463 (003)"
draft agreement-pdflib agreement "Överenskommelse SUS" "Överenskommelse SUS (003)"
