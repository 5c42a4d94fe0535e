# Blankett. `make demo` runs the pipeline on the sample forms and serves the
# UI; `make test` runs every test. Both start the services they need
# (scripts/services.sh) and reuse what already runs.
SHELL := /bin/bash
GO ?= go
ENV := source .local/env &&
BIN := bin/blankett

.PHONY: all build services test test-short demo bench lint fuzz fuzz-short accuracy calibrate corpus clean-services faults

# A corpus of the mailroom world (corpus/mailroom.go) generated with a seed
# never used while developing extraction: the evaluation corpus. The
# confidence calibration is fitted on another, the development corpus
# (`make calibrate`). 20261130, 20261203, 20261207, 20261214, 20261221,
# 20261228, 20261231, 20270104, 20270111, 20270118, 20270125, 20270201,
# 20270208, 20270215, 20270222, 20270301, 20270308, 20270315, 20270322,
# 20270329, 20270405, 20270412, 20270419, 20270426, 20270503, 20270510,
# 20270517, 20270524, 20270531, 20270607, 20270614, 20270621, 20270628,
# 20270705, 20270712, 20270719, 20270726, 20270802, 20270809, 20270816,
# 20270823, 20270830, 20270906, 20270913, 20270920, 20270927, 20271004,
# 20271011, 20271018, 20271025, 20271101, 20271108, 20271115, 20271122,
# 20271129, 20271206, 20271213, 20271220, 20271227, 20280103, 20280110,
# 20280117, 20280124, 20280131, 20280207, 20280214, 20280221, 20280228,
# 20280307, 20280314, 20280321, 20280328, 20280404, 20280411, 20280418,
# 20280425, 20280502, 20280509, 20280516, 20280523, 20280530, 20280606,
# 20280613, 20280620, 20280627, 20280704, 20280711, 20280718, 20280725, 20280801, 20280808, 20280815, 20280822, 20280829, 20280905, 20280912, 20280919, 20280926, 20281003, 20281010, 20281017, 20281024, 20281031, 20281107, 20281114 and 20281121 evaluated earlier states of the reading or the generator;
# they are no longer unseen (20270118 and 20271018 are now development
# corpora, and 20280103, 20280117 and
# 20280214 showed some of this round's cases; 20280314 showed a common
# word given dots, städ for stad, as the development corpora had, and a
# cap tried for it was dropped: it flagged every "län"; a party's kind
# word is now given its own marks, orgKindWords; 20280815 showed an
# agreement's last page taken for another kind's drafted edition on a
# bare edition mark, "(003)" (a change that made a mark alone name no
# kind broke turned-mark and page-mark cases and was undone); 20280822
# showed a name whose capital was misread, José li, confirmed by the
# registry's José Li, case aside: now only letter for letter or all in
# capitals; with 20280815 again, the bare mark now names no kind where
# another kind's edition prints it alike, and the page is classified;
# 20280905 showed an address a PDF viewer shrank to fit its field, grey
# under JPEG, taken for an empty field at 0.98: faintWriting cleared its
# rows as a grey rule's, and now looks at the zone as it is too;
# 20280912 showed dots a bilevel scan lost where both spellings are
# words, Regiondirektor at 0.93, a name with Þ, which no model has, read
# as a Swedish word at 0.95, and a phone number's digit every model misread
# alike at 0.95, Tesseract's own confidence in each letter 0.99: left;
# 20280919 showed an outside edition's first page, its form number read
# without the Ö its drafted pattern spells, taken for the first
# edition's: form numbers and edition marks now match without marks too;
# 20280926 showed ð read as ö where the Latin-script model read it
# rightly but another letter of the word apart: now taken in its place;
# 20281003 showed an outside-style edition's footer read with a speck
# between its form number's words, Överenskommelse'SUS, and the page,
# read whole, named by the other form its terms mention: a speck there is
# now read as the space; 20281010 showed a registered orderer named
# Guðmundsdóttir read Guömundsdöttir on every form she signed, the
# Latin-script model reading her right at 0: the word list now has that
# model's names with a letter only it reads, and is the witness;
# 20281017 showed an orderer's name read without its mark, Camilla Diaz,
# at 0.95 on every form, the registry holding Camilla Díaz: a value the
# registry spells otherwise is now flagged, however surely read;
# 20281024 showed an address at its town's domain read a letter off it,
# kommun@ktistianstad.se beside Kristianstad, at 0.95: now in doubt;
# 20281031 reported a state before zones of fine scans were averaged
# down, 98.22 %, and was not looked at; 20281107, 96.98 %, an orderer with
# a 47-letter name and address on a third of its forms, showed a
# flattened PDF's long name drawn past its field to the page's edge
# taken surely without its last word, whose middle lay past the field:
# a word begun in the field is now the value's, and flagged as cut;
# 20281114 reported the state that followed, 97.27 %, and showed two
# pages misclassified: an outside-style edition's first page, turned a
# quarter and 3.6 degrees askew in a poor JPEG 2000, taken for a cover
# letter that names the form (now the edition whose mark was read and
# whose words stand where it prints them takes the page), and a first
# edition's page, min-is-black and 5.6 degrees askew, its "(001)" read
# "(003)", named by the outside-drawn edition of its kind (now the
# edition more of its words fit takes it, byWords), and, looked at after,
# a second edition's 150 DPI fax on a Legal canvas read at 28 %, named by
# its marks read through the prior that fills the canvas and fitted at
# that scale (now fitted at the paper's, as the probe's words are);
# 20281121 reported the state that followed, 98.77 %, classification
# 100 %, none wrong at 0.9 or over, and showed dots and accents a 1-bit
# scan lost from the print itself, Siobhan Oberg for Siobhán Öberg, all
# flagged: left; 20281128 reported 97.80 %, classification 100 %, 4 wrong
# of 3,104 at 0.9 or over, and showed alvsby.se, the domain of Älvsbyns
# kommun signed in Älvsby, read right and mended to alvsbyn.se (a domain
# spelling the form's town is now kept), a number taken as one model read
# it where both models read other digits alike (now disputed), and a long
# address auto-sized and still drawn past its field's frame, its .nu
# outside: flagged, left; 20281205 reported the state that followed,
# 98.67 %, classification 100 %, 1 wrong of 3,155 at 0.9 or over, and was
# not looked at).
ACCURACY_SEED ?= 20281212
ACCURACY_DIR := .local/accuracy-$(ACCURACY_SEED)-outside
# The editions drawn outside the project (extract/testdata/outside), drafted
# as an administrator adds one (scripts/outside-editions.sh): a share of the
# evaluation corpus is filled in on them, besides the second editions.
OUTSIDE_DIR := .local/outside-editions
# The development corpora the calibration is fitted on: seed 4242 in the
# first editions only, the others in every edition
# (testdata/editions).
CALIBRATION_SEEDS := 6161 5252 20270118 7301 7302 4411 20271018
CALIBRATION_DIRS := .local/calibration-4242 $(CALIBRATION_SEEDS:%=.local/calibration-%-editions)

all: build

build:
	$(GO) build -o $(BIN) ./cmd/blankett

services:
	@bash scripts/services.sh

# Every test against real PostgreSQL, MinIO, Tesseract and Chromium, but
# the fault tests (minutes of stopped services), which run in `make
# faults` (CI runs both). Two runs side by side: every package under the
# race detector but the image packages (extract, corpus), whose pixel
# loops run twenty times slower under it and hold no shared state but the
# sandbox's; those run without it, and the sandbox's tests (pipes, timers,
# child processes) once more with it. extract's code also runs under the
# race detector in the pipeline and cmd tests, whose workers read files.
IMAGE_PKGS := blankett/extract blankett/corpus
test: services
	@set -o pipefail; $(ENV) export CI=$${CI:-}; \
	$(GO) test -race -count=1 -timeout 40m -skip '^TestFault' $$($(GO) list ./... | grep -v -x $(IMAGE_PKGS:%=-e %)) & race=$$!; \
	{ $(GO) test -p 1 -count=1 -timeout 40m $(IMAGE_PKGS) && \
	  $(GO) test -race -count=1 -timeout 20m -run '^TestSandbox' -skip 'TestSandboxBadFiles' ./extract; }; plain=$$?; \
	wait $$race; r=$$?; [ $$r = 0 ] && [ $$plain = 0 ]

# Fault tests: MinIO stopped, PostgreSQL restarted and a worker killed in
# the middle of a batch (docs/operations.md).
faults: services
	set -o pipefail; $(ENV) $(GO) test -v -count=1 -run 'TestFault' -timeout 30m ./cmd/blankett | grep -v '^=== '

test-short: services
	$(ENV) $(GO) test -short -count=1 ./...

demo: services build
	$(ENV) ./$(BIN) demo

# Benchmarks that print their figures: ingest over HTTP, extraction against
# full-page Tesseract, fillable PDFs, the review pages with 100,000
# documents.
bench: services
	$(ENV) $(GO) test -run '^$$' -bench . -benchtime 1x -count=1 -timeout 30m ./cmd/blankett ./extract
	$(ENV) $(GO) test -run '^$$' -bench ReviewPages -benchtime 200x -count=1 -timeout 30m ./review

# Extraction accuracy per field type, form kind, edition, resolution and scan
# profile on a fresh corpus, with the reliability table of the confidences
# and the review flag threshold it supports.
accuracy: services build
	rm -rf $(OUTSIDE_DIR) && bash scripts/outside-editions.sh $(BIN) $(OUTSIDE_DIR)
	@[ -f $(ACCURACY_DIR)/registry.json ] || $(BIN) corpus --seed $(ACCURACY_SEED) --out $(ACCURACY_DIR) --count 40 --editions testdata/editions,$(OUTSIDE_DIR)
	set -o pipefail; $(ENV) $(GO) test -v -count=1 -run '^TestAccuracy$$' -timeout 60m ./extract -args -accuracy-dir=$(CURDIR)/$(ACCURACY_DIR) -accuracy-editions=$(CURDIR)/$(OUTSIDE_DIR) | grep -v '^ *accuracy_test\|^=== \|diacritics$$'

# Fit the confidence calibration on the development corpora, measured as
# one: prints the table for extract/calibration.go, and the review flag
# threshold they support (form.FlagBelow).
comma := ,
calibrate: services
	@[ -f .local/calibration-4242/registry.json ] || $(GO) run ./cmd/blankett corpus --seed 4242 --out .local/calibration-4242 --count 40
	@for seed in $(CALIBRATION_SEEDS); do dir=.local/calibration-$$seed-editions; [ -f $$dir/registry.json ] || \
		$(GO) run ./cmd/blankett corpus --seed $$seed --out $$dir --count 40 --editions testdata/editions || exit 1; done
	set -o pipefail; $(ENV) $(GO) test -v -count=1 -run '^TestAccuracy$$' -timeout 90m ./extract -args -accuracy-dir=$(subst $(eval) ,$(comma),$(CALIBRATION_DIRS:%=$(CURDIR)/%)) -calibrate | grep -v '^ *accuracy_test\|^=== \|diacritics$$'

# Regenerate the committed corpus (seed 1) in testdata/.
corpus:
	$(GO) test -count=1 ./corpus -run TestCommittedCorpus -update

STATICCHECK := .local/tools/staticcheck
GOSEC := .local/tools/gosec
$(STATICCHECK):
	GOBIN=$(CURDIR)/.local/tools $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
$(GOSEC):
	GOBIN=$(CURDIR)/.local/tools $(GO) install github.com/securego/gosec/v2/cmd/gosec@v2.30.0

# gosec leaves out corpus, the test-data generator: deterministic math/rand,
# MD5/RC4 for the bad encrypted PDF, paths from its own options.
lint: $(STATICCHECK) $(GOSEC)
	@out=$$(gofmt -l .); [ -z "$$out" ] || { echo "gofmt would change: $$out"; false; }
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(GOSEC) -quiet -exclude-dir=corpus ./...

# Fuzzing: every target for FUZZTIME each (`make fuzz` a minute, CI a
# short run of two thousand inputs each through fuzz-short).
FUZZTIME ?= 60s
FUZZ_TARGETS := extract:FuzzSniff extract:FuzzExtract form:FuzzParseTemplate \
	validate:FuzzPersonnummer validate:FuzzOrgnr validate:FuzzPhone validate:FuzzDate validate:FuzzEmail
fuzz: services
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
		$(ENV) $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; done

# fuzz-short counts inputs rather than seconds: Go 1.26's fuzzing
# coordinator can report a worker still busy at the end of a -fuzztime in
# seconds as "context deadline exceeded", a failure with no input behind
# it (go.dev/issue/75804, fixed in Go 1.27); a count has no deadline.
fuzz-short:
	$(MAKE) fuzz FUZZTIME=2000x

clean-services:
	-[ -f .local/minio.pid ] && kill $$(cat .local/minio.pid)
