package extract

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"blankett/form"
)

// How a value is read. One Tesseract reading of the zone is kept when it is
// sure (every word at secondLook or above) and well formed. Otherwise the
// zone is read again, smoothed, and, unless those two agree on a
// well-formed value, at a finer scale; for digit fields whose readings all
// fail their checksum or format, the other of the English and Swedish
// models reads the zone too (their digits fail differently). Of the
// readings, a well-formed value beats one that is not, agreement beats a
// lone reading, and then the surer one wins. Its confidence is that of the readings that agree with it; a lone
// reading's drops to below the weakest of all, so a reviewer looks. A date
// kept from one sure reading is read by the other model as well, and two
// valid dates leave it in doubt: a date has no check digit.
//
// The Swedish model has no ü, ë, è, æ, ñ or ç: a person's name (and any
// text it reads with é) is read again with the French model, whose such
// letters are taken where the two otherwise agree letter by letter (see
// mergeForeign), unless the Swedish model read the name plainly and surely
// (see plainlySure); ë, ø and lost dots and rings are then judged by the
// marks over each letter (see markLetters).

// A value read from a page scanned coarser than coarseDPI (a fax) is
// trusted coarseConfidence at most: its digits and letters are a few
// pixels each, and Tesseract misreads them as surely as it reads them
// right. Calibrated, it is coarseCeiling at most: the calibration maps
// coarseConfidence to the share right of its whole bin, mostly values of
// finer scans (a phone number read at 0.85 is right 0.986 of the time),
// and a fax's value is never shown as sure (of the fax values the
// development corpora read at 0.8 and over, 66 of 67 were right; a fax
// phone number missing its last digit was read at 0.86 by both readings).
// A personnummer or an organisation number that passes its check digit
// is coarseCheckedCeiling at most: under sure, but not flagged (on the
// development corpora 7101-7105, 46 read from faxes at the ceiling, all
// right; a digit misread makes the check fail, and the value is then in
// doubt anyway). So is a phone number or a date that another model read
// the same, one of them fairly surely (candidate.seconded,
// secondedLeast): the second model is its check, as the
// check digit is a personnummer's (on the same corpora, 121 such values
// read from faxes at the ceiling, all right; a misread the two models
// do not share leaves them disputed, in doubt).
const (
	coarseDPI            = 180
	coarseConfidence     = 0.85
	coarseCeiling        = 0.89
	coarseCheckedCeiling = sureBelow
)

// unlistedCeiling is the most a person's name with a word the word list
// lacks may be, calibrated, when other models' agreement kept it sure:
// calibration pools it with names the list has, and of such names the
// development corpora read at 0.9 and over about one in ten was wrong, a
// foreign name whose dots the scan lost and every model read without
// them (Jurgen for Jürgen, Angquist for Ängquist). Under 0.9: not shown
// as sure, and under form.FlagBelow, so flagged. Since the word list and
// the marks over letters were mended, the development corpora hold 1
// wrong name in 198 at this ceiling: it would be over the flag threshold
// by the reliability table alone (and 198 fewer values flagged), but
// names the word list lacks are where a mailroom's post differs most from
// the generator's, and they are left for a person to look at.
const unlistedCeiling = 0.89

// secondLook is the confidence under which a value is read again.
const secondLook = 0.8

// loneFactor scales the confidence of a value no other reading agrees with.
const loneFactor = 0.7

// smoothSigma is the Gaussian blur, in points, of the second reading: it
// turns the jagged edges of bi-level and JPEG scans back into the grey
// ramps Tesseract's models were trained on.
const smoothSigma = 0.19

// readTrace, when set (by tests), is told each step of a value's reading.
var readTrace func(field, step, raw string, conf float64)

func trace(f form.Field, step string, c candidate) {
	if readTrace != nil {
		readTrace(f.Name, step, c.raw, c.confidence)
	}
}

// candidate is one reading of a field, repaired and normalised.
type candidate struct {
	crop       *image.Gray
	lang       string
	dpi        int
	raw, value string
	wellFormed bool
	confidence float64  // the reading's weakest word
	words      []Word   // as Tesseract read them, in crop's coordinates
	agreed     int      // how many other readings gave the chosen value
	others     []string // the values other readings gave that pass the checks
	// reread: the first reading was unsure or failed its checks, so the
	// zone was read again. Such a value is less often right than its
	// confidence alone says (calibrationReread).
	reread bool
	// disputed: the two models read two values that both pass the
	// checks, or as many digits, some of them other, where the other
	// reading fails them; calibration does not lift it (support.ceiling).
	disputed bool
	// unlisted: a person's name with a word the word list lacks, kept
	// sure by other models' agreement (unlistedCeiling).
	unlisted bool
	// voted: how many other models (French, Norwegian, Spanish, Latin
	// script) read a name as it was chosen, letter for letter.
	voted int
	// stopGuessed: an address's words were joined by a full stop where
	// the gap between them shows no mark to tell (addressText).
	stopGuessed bool
	// seconded: a number or a date passing its checks that another
	// model read the same (coarseCheckedCeiling).
	seconded bool
}

// readValue reads a text field whose writing is in crop (rendered at k
// pixels per point from page) and returns the chosen reading, with its
// confidence as described above.
func (e *Extractor) readValue(ctx context.Context, page *image.Gray, t affine, f form.Field, crop *image.Gray, loose looseMarks, k float64, dpi int, lang string) (candidate, error) {
	first, err := e.candidate(ctx, f, crop, dpi, lang)
	if err != nil {
		return candidate{}, err
	}
	cands := []candidate{first}
	if first.confidence < secondLook || !first.wellFormed {
		smooth, err := e.candidate(ctx, f, gaussian(crop, smoothSigma*k), dpi, lang)
		if err != nil {
			return candidate{}, err
		}
		cands = append(cands, smooth)
		if smooth.value != first.value || !first.wellFormed {
			if fine, _, ok := zoneText(page, t, f, k*1.5); ok {
				c, err := e.candidate(ctx, f, fine, dpi*3/2, lang)
				if err != nil {
					return candidate{}, err
				}
				cands = append(cands, c)
			}
		}
		if digitField(f.Type) && !anySure(cands) {
			for _, img := range []*image.Gray{crop, cands[1].crop} {
				if unanimous(cands) {
					// The other model agrees with the first one's readings:
					// a further reading could not change the value.
					break
				}
				c, err := e.candidate(ctx, f, img, dpi, secondModel(lang))
				if err != nil {
					return candidate{}, err
				}
				cands = append(cands, c)
			}
		}
	}
	for _, c := range cands {
		trace(f, "read "+c.lang, c)
	}
	best, confidence := choose(cands)
	if digitField(f.Type) && f.Type != form.TypeDate && unanimous(cands) {
		// Tesseract gives a word no confidence at all (0) where it
		// doubted a space in it (072-60963 for 072-609 63), and a number
		// is the same with the space or without. Both models reading one
		// number that passes its checks (the first on the zone as scanned
		// and smoothed) is as sure as a first reading that needs no second
		// look. On the development corpora 175 such numbers were read
		// right and shown as unread (confidence 0) or in doubt, and none
		// wrong. (Not dates: a date has no check digit and its year no
		// redundancy.)
		confidence = max(confidence, secondLook)
	}
	best.confidence = confidence
	best.reread = len(cands) > 1
	trace(f, "chosen", best)
	if slices.ContainsFunc(cands, func(c candidate) bool { return c.lang != lang }) &&
		slices.ContainsFunc(cands, func(c candidate) bool { return c.wellFormed && c.value != best.value }) {
		// The two models read two numbers that both pass the checks
		// (a 6 or a 5 in a poor JPEG): whichever won, a person looks.
		best.confidence = min(best.confidence, secondLook/2)
		best.disputed = true
		trace(f, "models disagree", best)
		if f.Type == form.TypeDate {
			var others []candidate
			for _, c := range cands {
				if c.wellFormed && c.value != best.value {
					others = append(others, c)
				}
			}
			if i := plausibleInstead(best.value, others, time.Now()); i >= 0 {
				best = taken(best, others[i])
				trace(f, "plausible year", best)
			}
		}
	}
	if digitField(f.Type) && !best.disputed && otherwiseAlike(cands, best) {
		// Both models read other digits alike, the value taken read so
		// by one of them (+469091)726 chosen where each model read
		// +46909)726): whether their digits pass the checks or not, a
		// person looks.
		best.confidence = min(best.confidence, secondLook/2)
		best.disputed = true
		trace(f, "models agree otherwise", best)
	}
	if f.Type == form.TypeText && slices.ContainsFunc(cands, func(c candidate) bool { return marksDiffer(best.raw, c.raw) }) {
		// Readings of the zone that differ only in the dots or ring over
		// a letter (Svartuddsvägen read plain by the smoothed reading,
		// which took it): the scan left them faint, and a person looks.
		best.confidence = min(best.confidence, secondLook)
		trace(f, "dots differ", best)
	}
	// joinsDoubted: a hyphen between words may have been lost. Another
	// model's reading of the same crop agreeing later confirms the
	// letters, not the join, and the doubt stays.
	joinsDoubted := false
	if f.Type == form.TypeText && slices.ContainsFunc(cands, func(c candidate) bool { return joinsDiffer(best.raw, c.raw) }) {
		// Readings that differ only in a hyphen, an apostrophe or a
		// space between words (Ann-Charlotte and Ann Charlotte): a
		// hyphen is a short stroke a scan thins away, and a person
		// looks.
		best.confidence = min(best.confidence, secondLook)
		joinsDoubted = true
		trace(f, "joins differ", best)
	}
	if loose.joins > 0 {
		// A speck cleared from between two letters where a hyphen goes:
		// a scan thins a hyphen to a speck's size (Per Olof read surely
		// for Per-Olof), and a person looks.
		best.confidence = min(best.confidence, secondLook)
		joinsDoubted = true
		trace(f, "speck or hyphen", best)
	}
	for _, c := range cands {
		if c.value == best.value {
			best.agreed++
		} else if c.wellFormed && !slices.Contains(best.others, c.value) {
			best.others = append(best.others, c.value)
		}
	}
	best.agreed-- // itself
	// Read so by one of them fairly surely, too: two models unsure of a
	// fax's digits can misread them alike (a final 0 as 6 at 0.33 and
	// 0.42, a 7 lost at 0.46 and 0.49).
	fairly := slices.ContainsFunc(cands, func(c candidate) bool { return c.value == best.value && c.confidence >= secondedLeast })
	best.seconded = digitField(f.Type) && best.wellFormed && fairly && slices.ContainsFunc(cands, func(c candidate) bool { return c.lang != best.lang && c.value == best.value })
	if (f.Type == form.TypeDate || f.Type == form.TypePhone) && best.wellFormed && !slices.ContainsFunc(cands, func(c candidate) bool { return c.lang != lang }) {
		// A date or a phone number read surely by one model has no
		// redundancy and no check digit (and a date often no century):
		// one digit misread is another valid value (5.4.26 read 9.4.26,
		// 08-903 07 98 read 08-903 67 98, surely). Another model reads
		// it too; two valid values and a person looks. Its reading is a
		// vote, not a rereading: the value is still one read as surely.
		c, err := e.candidate(ctx, f, crop, dpi, voteModel)
		if err != nil {
			return candidate{}, err
		}
		trace(f, "vote "+c.lang, c)
		switch {
		case c.value == best.value:
			best.agreed++
			best.seconded = fairly || c.confidence >= secondedLeast
		case c.wellFormed:
			best.others = append(best.others, c.value)
			best.confidence = min(best.confidence, secondLook/2)
			best.disputed = true
			trace(f, "models disagree", best)
			if f.Type == form.TypeDate && plausibleInstead(best.value, []candidate{c}, time.Now()) == 0 {
				best.others[len(best.others)-1] = best.value
				best = taken(best, c)
				trace(f, "plausible year", best)
			}
		case digitsDiffer(best.raw, c.raw):
			// Read otherwise digit for digit, as a value failing its
			// checks: the writer may have written just that (31
			// February, read surely as 21 by one model and as written
			// by the other). A person looks.
			best.confidence = min(best.confidence, secondLook/2)
			best.disputed = true
			trace(f, "digits disputed", best)
		case digitsOf(c.raw) != "" && len(digitsOf(c.raw)) < len(digitsOf(best.raw)):
			// Read with a digit fewer (+46 9 785 08 for +46 99 785 08,
			// surely): one of the two made a digit of a stroke or lost
			// one, and a number a digit longer than written may still
			// pass. A person looks. (The other model reading a digit
			// more is its habit of taking a hyphen for a 4, 031-52 as
			// 0314-52, and casts no doubt.)
			best.confidence = min(best.confidence, secondLook/2)
			best.disputed = true
			trace(f, "vote a digit short", best)
		}
	}
	if f.Type == form.TypePersonnummer && best.wellFormed {
		if century, ok := livingCentury(best.value, time.Now()); ok && century != best.value {
			// Born in a century no one living was (1869 for 1969): the
			// century's digits have no check digit, and a misread one
			// passes. The one century a living person was born in is
			// proposed, and a person looks.
			e.retext(&best, f, century)
			best.confidence = min(best.confidence, secondLook/2)
			trace(f, "living century", best)
		}
	}
	if f.Role == form.FieldOrgName {
		if fixed, ok := orgKindWords(best.raw, 2); ok {
			// The word saying what a party is read a letter or two off
			// (Götene kommur): proposed, and a person looks.
			e.retext(&best, f, fixed)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "kind word", best)
		}
	}
	if f.Role == form.FieldOrgAddress {
		if fixed, ok := houseNumber(best.raw); ok {
			// A street's number read as the letter like it: proposed,
			// and a person looks.
			e.retext(&best, f, fixed)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "house number", best)
		}
	}
	if !best.wellFormed {
		best.confidence *= 0.4
		trace(f, "ill-formed", best)
		if digitField(f.Type) {
			// A value that fails its checks is kept as written, so its
			// spaces matter; Tesseract drops the narrow ones between
			// digits ("12 34 5" read as "12345").
			e.retext(&best, f, spaceDigits(best.crop, best.raw))
		}
	}
	if f.Type == form.TypeEmail {
		e.mendGlyphs(&best, f, crop, k)
	}
	if f.Type == form.TypeEmail && !best.wellFormed {
		// An address the rules will reject anyway may hold letters the
		// English model cannot read (anna.öberg): the Swedish model's
		// letters are taken where they are all the two disagree on.
		swe, err := e.ocr.Read(ctx, "swe", best.crop, best.dpi, SingleLine, whitelists[f.Type]+swedishLetters)
		if err != nil {
			return candidate{}, err
		}
		if merged := takeLetters(best.raw, repairText(f, swe.Text()), swedishLetters); merged != best.raw {
			e.retext(&best, f, merged)
		}
	}
	if f.Type == form.TypeText && dotsUnder(loose.lone, first.words) && strings.ContainsAny(best.raw, umlauted) {
		// A lone mark over a letter may be an accent or a speck, but an
		// umlaut has two dots: read the zone without the lone marks and
		// take its plain letters where the two readings differ only
		// there (see dropDots).
		plain := image.NewGray(crop.Bounds())
		copy(plain.Pix, crop.Pix)
		for _, c := range loose.lone {
			for _, i := range c.pix {
				plain.Pix[i] = 255
			}
		}
		res, err := e.ocr.Read(ctx, lang, plain, dpi, SingleLine, whitelists[f.Type])
		if err != nil {
			return candidate{}, err
		}
		if merged := dropDots(best.raw, repairText(f, res.Text())); merged != best.raw {
			e.retext(&best, f, merged)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "dropDots", best)
		}
	}
	var votes []string    // other models' readings of a name (candidate.voted)
	var fraText string    // the French model's reading, when there is one
	var fraSure bool      // whether its weakest word is fair (see confirmed)
	var fraConf []float64 // its words' confidences, one per word of fraText
	sweRaw := best.raw    // the Swedish model's reading, before other models' letters
	var ln *line          // the line of writing in crop (see lineOf), for the marks over it
	over := 0             // the marks over a person's name (marksOver)
	if best.lang == "swe" && f.Type == form.TypeText {
		// The marks are counted on the zone as scanned (crop), not on a
		// smoothed or finer reading's, where dots may merge.
		ln = lineOf(crop, k)
		if f.Role.PersonName() {
			over = marksOver(ln)
		}
	}
	// A name the Swedish model read plainly and surely (see plainlySure)
	// is not read with the French model: with every mark over it
	// explained, its letters could only confirm it.
	sure := best.lang == "swe" && f.Type == form.TypeText && f.Role.PersonName() && best.raw != "" && plainlySure(best, over, ln)
	if sure {
		trace(f, "plainly sure", best)
	}
	if !sure && best.lang == "swe" && f.Type == form.TypeText && (f.Role.PersonName() || strings.ContainsRune(best.raw, 'é')) {
		// The Swedish model has no ü, ë, è, æ, ñ or ç: a person's name
		// is read with the French model too, whose letters are taken
		// where the Swedish reading has their lookalike and the two
		// otherwise agree letter by letter.
		fra, err := e.ocr.Read(ctx, "fra", best.crop, best.dpi, SingleLine, whitelists[f.Type])
		if err != nil {
			return candidate{}, err
		}
		fraText = repairText(f, fra.Text())
		votes = append(votes, fraText)
		fraSure = fra.Weakest() >= confirmedFloor
		if len(strings.Fields(fraText)) == len(fra.Words) {
			for _, w := range fra.Words {
				fraConf = append(fraConf, w.Confidence)
			}
		}
		trace(f, "fra says", candidate{raw: fraText, confidence: fra.Weakest()})
		if merged := mergeForeign(best.raw, fraText); merged != best.raw {
			e.retext(&best, f, merged)
			best.confidence = min(best.confidence, foreignConfidence)
			trace(f, "fra merge", best)
		}
	}
	var spaText, norText string // the Spanish and Norwegian models' readings, when there are some
	if best.lang == "swe" && f.Role.PersonName() && (best.confidence < secondLook || strangeWords(best.raw, true)) {
		// A name in doubt may have letters neither the Swedish nor the
		// French model has: the Norwegian model's ø and æ, and the
		// Spanish model's á í ó ú ñ, are voted in (see mergeNordic and
		// mergeSpanish).
		nor, err := e.ocr.Read(ctx, "nor", best.crop, best.dpi, SingleLine, whitelists[f.Type])
		if err != nil {
			return candidate{}, err
		}
		spa, err := e.ocr.Read(ctx, "spa", best.crop, best.dpi, SingleLine, whitelists[f.Type])
		if err != nil {
			return candidate{}, err
		}
		norText = repairText(f, nor.Text())
		spaText = repairText(f, spa.Text())
		votes = append(votes, norText, spaText)
		trace(f, "nor says", candidate{raw: norText, confidence: nor.Weakest()})
		trace(f, "spa says", candidate{raw: spaText, confidence: spa.Weakest()})
		merged := mergeSpanish(mergeNordic(best.raw, norText), norText, spaText, fraText)
		// The French model's ñ over an n the Spanish model, which has
		// ñ, reads plain is a speck (Anñ-Charlotte).
		merged = mergeWords(merged, spaText, func(a, b rune) (rune, bool) {
			if a == 'ñ' && b == 'n' {
				return b, true
			}
			return a, true
		})
		if merged != best.raw {
			e.retext(&best, f, merged)
			best.confidence = min(best.confidence, foreignConfidence)
			trace(f, "nor/spa merge", best)
		}
	}
	var taken []bool // the words taken whole from the French model's reading
	if best.lang == "swe" && f.Type == form.TypeText && fraConf != nil {
		others := []string{norText, spaText}
		for _, c := range cands {
			others = append(others, c.raw)
		}
		var merged string
		if merged, taken = foreignWords(best.raw, fraText, fraConf, others); taken != nil {
			best.confidence = foreignTaken(best, taken, fraConf)
			e.retext(&best, f, merged)
			trace(f, "fra words", best)
		}
	}
	if best.lang == "swe" && f.Type == form.TypeText && dotsDisputed(best.raw, fraText) {
		best.confidence = min(best.confidence, secondLook)
		trace(f, "dotsDisputed", best)
	}
	var latinConfirmed bool // whether the Latin-script model confirmed a name (see voteLatin)
	if best.lang == "swe" && f.Type == form.TypeText {
		beforeMarks := best.raw
		marked, unmarked, aligned := markLetters(best.raw, fraText, spaText, ln)
		if marked != best.raw {
			e.retext(&best, f, marked)
			best.confidence = min(best.confidence, foreignConfidence)
			trace(f, "markLetters", best)
		}
		if len(unmarked) > 0 && (f.Role.PersonName() || !specksOverWords(best.raw, unmarked)) {
			best.confidence = min(best.confidence, secondLook)
			trace(f, "unmarked", best)
		}
		if f.Role.PersonName() {
			if mended := openUnderDots(best.raw, fraText, ln); mended != best.raw {
				// An o broken open by the scan looks the same: Swedish
				// names have ö far more often than ü, so a person looks.
				e.retext(&best, f, mended)
				best.confidence = min(best.confidence, secondLook)
				trace(f, "openUnderDots", best)
			}
			if !aligned {
				if mended, ok := accentsInOrder(best.raw, ln); ok {
					e.retext(&best, f, mended)
					best.confidence = min(best.confidence, secondLook)
					trace(f, "accentsInOrder", best)
				}
			}
			trace(f, fmt.Sprintf("%d marks over", over), best)
		}
		if f.Role.PersonName() && best.confidence > secondLook && over > marksOf(best.raw) && !aligned {
			// More marks over a name than the reading's letters have:
			// dots or an accent the readings lost (Mikael for Mikaël),
			// or specks; a person should look. (Where markLetters
			// could match the marks to their letters, it has judged
			// them: a mark over a letter that takes none, a consonant's
			// broken serif or a speck, is no lost mark.)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "marks unexplained", best)
		}
		if f.Role.PersonName() && best.raw != "" && !plainlySure(best, over, ln) {
			lat, err := e.ocr.Read(ctx, latinModel, crop, dpi, SingleLine, whitelists[f.Type])
			if err != nil {
				return candidate{}, err
			}
			latText := repairText(f, lat.Text())
			votes = append(votes, latText)
			trace(f, "Latin says", candidate{raw: latText, confidence: lat.Weakest()})
			// The chain's other readings and proposals: a fair Latin-script
			// reading that is one of them is taken, in doubt.
			readings := []string{sweRaw, fraText, norText, spaText, beforeMarks}
			for _, c := range cands {
				readings = append(readings, c.raw)
			}
			raw, conf, ok := voteLatin(best.raw, best.confidence, latText, lat.Weakest(), readings, func(s string) bool {
				return len(unmarked) > 0 && s == best.raw || over > marksOf(s)
			})
			if raw != best.raw {
				e.retext(&best, f, raw)
			}
			if conf != best.confidence || raw != best.raw {
				best.confidence = conf
				if joinsDoubted {
					best.confidence = min(best.confidence, secondLook)
				}
				trace(f, "Latin vote", best)
			}
			latinConfirmed = ok
			if merged := latinLetters(best.raw, latText, fraText, spaText); merged != best.raw {
				e.retext(&best, f, merged)
				best.confidence = min(best.confidence, secondLook)
				trace(f, "fra and Latin", best)
			}
			if merged := nameSigns(best.raw, votes); merged != best.raw {
				e.retext(&best, f, merged)
				best.confidence = min(best.confidence, secondLook)
				trace(f, "name signs", best)
			}
		}
		if f.Role.PersonName() && best.confidence > secondLook && marksUnseen(best.raw, over, ln) {
			best.confidence = min(best.confidence, secondLook)
			trace(f, "marks unseen", best)
		}
	}
	if f.Type == form.TypeDate && !best.wellFormed {
		// A separator lost (25.022026) or read as something else: the
		// digits alone, when they make a date, or, where the digits
		// stand in three groups, the groups read with dots between (a
		// fax's 22.2.26 read 22 2 26: its dots lost), at a confidence
		// that asks a person to look.
		groups := strings.FieldsFunc(best.raw, func(r rune) bool { return r < '0' || r > '9' })
		digits := strings.Join(groups, "")
		var tries []string
		if len(digits) == 8 || len(digits) == 6 {
			tries = append(tries, digits)
		}
		if len(groups) == 3 {
			tries = append(tries, strings.Join(groups, "."))
		}
		for _, try := range tries {
			if value, ok := e.normaliseValue(f.Type, try); ok {
				best.value, best.wellFormed = value, true
				best.confidence = min(best.confidence, secondLook/2)
				trace(f, "date digits", best)
				break
			}
		}
	}
	if f.Type == form.TypeText && best.lang == "swe" {
		if mended, ok := mendWords(best.raw, f.Role.PersonName()); ok {
			e.retext(&best, f, mended)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "mendWords", best)
		}
		// Dots and rings a scan lost: a word the list lacks that is one
		// of its names with them (Goteborgsvagen, Åstrom, Bjorg).
		if mended, ok := mendDots(best.raw, f.Role.PersonName()); ok {
			e.retext(&best, f, mended)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "mendDots", best)
		}
		unconfirmed := best.raw
		if fraSure {
			unconfirmed = confirmed(best.raw, sweRaw, fraText)
		}
		unconfirmed = withoutTaken(unconfirmed, best.raw, taken)
		if !latinConfirmed && (strangeWords(unconfirmed, f.Role.PersonName()) || f.Role.PersonName() && (!strings.Contains(best.raw, " ") || strangeShort(best.raw))) {
			best.confidence = min(best.confidence, strangeConfidence)
			trace(f, "strange", best)
		}
		if _, ok := dottedNames(best.raw); ok {
			best.confidence = min(best.confidence, dotsConfidence)
			trace(f, "dottedNames", best)
		}
		if strayMark.MatchString(best.raw) {
			if f.Role == form.FieldOrgAddress {
				// Proposed: the space the speck stands in.
				e.retext(&best, f, streetSpaced(best.raw))
			}
			best.confidence = min(best.confidence, secondLook)
			trace(f, "stray mark", best)
		}
		if mended := colonsBack(best.raw); mended != best.raw {
			e.retext(&best, f, mended)
			best.confidence = min(best.confidence, secondLook)
			trace(f, "lost colon", best)
		}
		if f.Role.PersonName() && best.confidence > strangeConfidence && strangeWords(best.raw, true) {
			// Another model's agreement kept a name the word list lacks
			// sure; but where a scan lost its dots every model reads
			// them lost alike (Jurgen for Jürgen): see unlistedCeiling.
			best.unlisted = true
			trace(f, "unlisted", best)
		}
	}
	for _, v := range votes {
		if v == best.raw {
			best.voted++
		}
	}
	return best, nil
}

// candidate reads crop with the model for lang.
func (e *Extractor) candidate(ctx context.Context, f form.Field, crop *image.Gray, dpi int, lang string) (candidate, error) {
	res, err := e.ocr.Read(ctx, lang, crop, dpi, SingleLine, whitelists[f.Type])
	if err != nil {
		return candidate{}, err
	}
	c := candidate{crop: crop, lang: lang, dpi: dpi, confidence: res.Weakest(), words: res.Words}
	text := res.Text()
	if f.Type == form.TypeEmail {
		if text, c.stopGuessed = addressText(res.Words, crop, float64(dpi)/72); c.stopGuessed {
			c.confidence = min(c.confidence, secondLook)
		}
	}
	e.retext(&c, f, repairText(f, text))
	return c, nil
}

// retext gives c the raw text raw, and the value and verdict it
// normalises to.
func (e *Extractor) retext(c *candidate, f form.Field, raw string) {
	if f.Role == form.FieldOrgName {
		// The marks a later step put over letters (markLetters: a speck
		// over stad) are not the kind word's (see repairText).
		raw, _ = orgKindWords(raw, 0)
	}
	c.raw = raw
	c.value, c.wellFormed = e.normaliseValue(f.Type, raw)
	if f.Role == form.FieldOrgPostcode && c.value != "" && !form.IsPostcode(c.value) {
		// A Swedish postcode has five digits: a sixth is a speck read
		// as one, or a digit read twice (7177 87 for 777 87).
		c.wellFormed = false
	}
}

// repairText applies the repairs a field's type and role allow.
func repairText(f form.Field, text string) string {
	raw := repair(f.Type, text)
	switch {
	case f.Role.PersonName():
		raw = repairName(raw)
		// A person's full name has a space. Without one, a speck
		// between the names was read as a hyphen (Gunnel-Lövgren);
		// with two hyphens there is no telling which (see below).
		if !strings.Contains(raw, " ") && strings.Count(raw, "-") == 1 {
			raw = strings.Replace(raw, "-", " ", 1)
		}
	case f.Role.NameLike():
		raw = repairName(raw)
	case f.Role == form.FieldOrgPostcode:
		raw = form.Postcode(raw) // specks read as stops go too (7.38 92)
	case f.Role == form.FieldOrgAddress:
		// A street's name starts with a capital too: a word of three
		// letters or more read in lower case first (storgatan 23) has
		// its capital read one size small, as a name's (below); c/o
		// and the like are written small.
		if word, _, _ := strings.Cut(raw, " "); utf8.RuneCountInString(word) >= 3 && !strings.ContainsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) {
			raw = capitalFirst(raw)
		}
	}
	if f.Role.NameLike() {
		// A name, title or place starts with a capital: a u, o, s, v,
		// w, x, z or c read in lower case is one set large (umeå).
		raw = capitalFirst(raw)
	}
	if f.Role == form.FieldOrgName {
		raw, _ = orgKindWords(raw, 0) // the kind word's marks
	}
	return raw
}

// capitalFirst is s with its first letter a capital where it is a small
// one.
func capitalFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// normaliseValue normalises raw for its type; an empty value is well
// formed (the rules decide whether it may be empty).
func (e *Extractor) normaliseValue(t form.FieldType, raw string) (string, bool) {
	if e.normalise == nil || raw == "" {
		return raw, true
	}
	return e.normalise(t, raw)
}

// oldestLiving is the most years back a living person was born.
const oldestLiving = 120

// livingCentury returns value, a personnummer of twelve digits, as it is
// when a person born then may be alive on now; else, with the one other
// century (18, 19 or 20) that makes it so, if there is one. ok is false
// when no century, or more than one, does.
func livingCentury(value string, now time.Time) (string, bool) {
	if len(value) != 12 {
		return "", false
	}
	living := func(v string) bool {
		birth, err := time.Parse("20060102", v[:8])
		if err != nil {
			// A samordningsnummer's day is 60 on: the year decides.
			y, yerr := strconv.Atoi(v[:4])
			return yerr == nil && y >= now.Year()-oldestLiving && y <= now.Year()
		}
		return !birth.After(now) && birth.Year() >= now.Year()-oldestLiving
	}
	if living(value) {
		return value, true
	}
	found := ""
	for _, c := range []string{"18", "19", "20"} {
		if v := c + value[2:]; v != value && living(v) {
			if found != "" {
				return "", false
			}
			found = v
		}
	}
	return found, found != ""
}

// plausibleInstead returns the index in others of the one reading of a
// date to take instead of value, a date no form received now bears (its
// year more than ten years ahead or 120 back: a century's digit misread,
// 2926 for 2026) where that reading's year is one a form bears; -1 when
// value is plausible, or when none or more than one other is.
func plausibleInstead(value string, others []candidate, now time.Time) int {
	plausible := func(v string) bool {
		t, err := time.Parse(time.DateOnly, v)
		return err == nil && t.Year() >= now.Year()-120 && t.Year() <= now.Year()+10
	}
	if plausible(value) {
		return -1
	}
	found, foundValue := -1, ""
	for i, c := range others {
		if !plausible(c.value) {
			continue
		}
		if found >= 0 && foundValue != c.value {
			return -1
		}
		if found < 0 {
			found, foundValue = i, c.value
		}
	}
	return found
}

// taken is c put in best's place: its reading, at best's confidence and
// with best's standing (agreement, dispute), which the two models'
// disagreement set.
func taken(best, c candidate) candidate {
	c.confidence, c.agreed, c.others, c.reread, c.disputed = best.confidence, best.agreed, best.others, best.reread, best.disputed
	return c
}

// strayMark finds a full stop after a whole word inside a text (August
// Palms. plats 1, Gamla Torget. 1), or a full stop, an apostrophe or a
// colon between a whole word and the next with no space (Ytterbyvägen.2,
// Region'Gävleborg, Storgatan:23): a speck read as one. Abbreviations
// stop after a letter or two (S:t, g.), and a name's apostrophe follows a
// letter or two (O'Connor, D'Angelo); such a value is read again by a
// person.
var strayMark = regexp.MustCompile(`\p{L}{3,}(\. \S|[.'’:][\p{L}\d])`)

// streetSpaced puts back the space of a colon between a street's name and
// its number (Storgatan:23): a speck where the space is, which no address
// writes (S:t Eriksgatan's colon follows a letter). So is a stop or an
// apostrophe between a street's name written whole, as the word list
// knows it and ending as a street's name in its definite form does (a
// vowel and n or t: -gatan, -vägen, -torget), and the number, with a
// space or none (Industrigatan. 12, Kyrkogatan'4); after an abbreviation
// (Storg. 12, Ringv. 3) a stop is kept.
func streetSpaced(address string) string {
	address = streetColon.ReplaceAllString(address, "$1 $2")
	return streetStop.ReplaceAllStringFunc(address, func(m string) string {
		sub := streetStop.FindStringSubmatch(m)
		if known(strings.ToLower(sub[1])) == unknown {
			return m
		}
		return sub[1] + " " + sub[2]
	})
}

var (
	streetColon = regexp.MustCompile(`(\p{L}{3,}):(\d)`)
	streetStop  = regexp.MustCompile(`(\p{L}{2,}[aeiouyåäöé][nt])[.'’] ?(\d)`)
)

// colonsBack puts back the colon of a Swedish contraction that lost its
// upper dot in the scan, read as a full stop: a word of a capital, a stop
// and one or two small letters (S.t Larsgatan for S:t Larsgatan, S.ta
// Gertruds väg). Swedish writes such contractions with a colon, and no
// word is written so with a stop.
func colonsBack(text string) string {
	return lostColon.ReplaceAllString(text, "$1$2:$3$4")
}

var lostColon = regexp.MustCompile(`(^|\s)(\p{Lu})\.(\p{Ll}{1,2})(\s|$)`)

// plainlySure reports whether a name's reading needs no vote of the
// Latin-script model, nor the French model's letters: read surely, in
// words the word list knows or in plain Swedish letters, with no mark
// over the line its letters leave unexplained (over: the marks over its
// line, see marksOver; ln, the line, for matching the marks to the
// letters they stand over). Such a name the models could only confirm.
func plainlySure(best candidate, over int, ln *line) bool {
	if best.confidence < latinSkip || strangeWords(best.raw, true) {
		return false
	}
	if over <= marksOf(best.raw) {
		// As many marks as the letters have, or fewer; but where the
		// reading's only marks are dots, a mark over the line that is
		// no dot is an accent read as an i's dot (Benoit for Benoît).
		return !onlyDots(best.raw) || !slices.ContainsFunc(ln.comps, func(c component) bool {
			return ln.over(c) && !dotShaped(c)
		})
	}
	// More marks than the letters have: where each of the writing's
	// glyphs is matched to a letter, the marks are judged with their
	// letters (markLetters), and those over letters that take none (a
	// broken serif, a speck over a k) explain themselves.
	marked, unmarked, aligned := markLetters(best.raw, "", "", ln)
	return aligned && len(unmarked) == 0 && marked == best.raw
}

// onlyDots reports whether the only marks over text's letters are the
// dots of i and j, and it has some.
func onlyDots(text string) bool {
	n := strings.Count(text, "i") + strings.Count(text, "j")
	return n > 0 && marksOf(text) == n
}

// dotShaped reports whether the mark c is a dot: about as wide as high
// and, once big enough for its corners to be told, solid. A circumflex
// or an accent is wider than high, or leans, or leaves its box half
// empty.
func dotShaped(c component) bool {
	w, h := float64(c.box.Dx()), float64(c.box.Dy())
	if max(w, h) > 1.5*min(w, h) {
		return false
	}
	return min(w, h) < 5 || float64(len(c.pix)) >= 0.6*w*h
}

// marksUnseen reports that not one mark stands over a name's line of
// writing ln (over: see marksOver), though the name as read, text, has
// some: the scan ran every dot into its letter, and an accent would have
// gone the same way (Fernandez for Fernández, Linnea for Linnéa, read
// alike by every model). A person looks.
func marksUnseen(text string, over int, ln *line) bool {
	return over == 0 && marksOf(text) > 0 && len(ln.letters) >= 3
}

// latinSkip is the least confidence of a plainly sure name (plainlySure).
const latinSkip = 0.95

// secondedLeast is the least confidence of one of the readings of a
// number or date two models read alike for it to be seconded (see
// coarseCheckedCeiling): on the development corpora 7101-7110, 49 fax
// phone numbers read alike by both models, neither reading at 0.5, were
// right and 2 wrong; 196 with one at 0.5 or over, all right.
const secondedLeast = 0.5

// firstModel is the model a field of type t is read with first: the
// English model for e-mail addresses (the Swedish model has no @) and for
// digits, the Swedish model for the rest. The English model's network is
// under a third the size of the Swedish one's (a zone reads in half the time)
// and reads digits as well: on the development seeds its first readings
// left fewer digit values wrong.
func firstModel(t form.FieldType) string {
	if t == form.TypeEmail || digitField(t) {
		return "eng"
	}
	return "swe"
}

// secondModel is the model that reads a digit field's zone again when no
// reading by lang, the first, is sure and passes its checks (anySure).
// A glyph one model does not know, a slashed or dotted zero that the
// English model takes for an @ or a ø, leaves all its readings of a
// number unsure, or with a digit too many (0618 for 018), where the other
// reads it surely.
func secondModel(lang string) string {
	if lang == "eng" {
		return "swe"
	}
	return "eng"
}

// voteModel is the model whose reading of a date or phone number read
// surely by one model is a vote (see readValue). The Norwegian model reads
// a zone's digits in under three quarters of the Swedish model's time, and
// as well: as the vote, it left the development corpora's values as right
// as the Swedish model did, 8 fewer of 35,333 flagged (all right), and
// still disputes the short date that made the vote (testdata/sure), which
// the Spanish model, quicker still, read as wrongly as the English.
const voteModel = "nor"

// houseNumber mends an address whose house number was read as the
// letters like its digits (Svartuddsvägen I, Storgatan l, Tage
// Erlandergatan BA for 8A): a street address with no digit in it, ending,
// after a word of letters, in a lone I, l or |, or in two to four
// characters that are digits or letters like them (I, l and | for 1, O
// for 0, B for 8, S for 5, Z for 2, G for 6), the first one of those, and
// perhaps a house letter (A to H) last. It reports whether it mended.
func houseNumber(raw string) (string, bool) {
	words := strings.Fields(raw)
	n := len(words)
	if n < 2 || strings.ContainsFunc(raw, unicode.IsDigit) || !strings.ContainsFunc(words[n-2], unicode.IsLetter) {
		return raw, false
	}
	last := []rune(words[n-1])
	if len(last) == 1 && !slices.Contains([]rune("Il|"), last[0]) || len(last) > 4 {
		return raw, false
	}
	number := []rune{}
	for i, r := range last {
		d, ok := houseDigits[r]
		switch {
		case ok:
			number = append(number, d)
		case i > 0 && i == len(last)-1 && (r >= 'A' && r <= 'H' || r >= 'a' && r <= 'h'):
			number = append(number, r) // the house letter
		default:
			return raw, false
		}
	}
	words[n-1] = string(number)
	return strings.Join(words, " "), true
}

// houseDigits are the letters and signs a house number's digits are read
// as.
var houseDigits = map[rune]rune{'I': '1', 'l': '1', '|': '1', 'O': '0', 'B': '8', 'S': '5', 'Z': '2', 'G': '6'}

// plusLost reports whether a phone number read as raw, normalised to
// value (E.164, +46701234567), was read with its country code and not
// the + before it (46 70 123 45 67): the digits read are the number's
// own, country code first, with neither + nor 00 before them.
func plusLost(raw, value string) bool {
	return strings.HasPrefix(value, "+") && !strings.Contains(raw, "+") && digitsOf(raw) == digitsOf(value)
}

// digitsOf is the digits of s, in order.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// digitField reports whether a field holds digits only (and separators).
func digitField(t form.FieldType) bool {
	switch t {
	case form.TypePersonnummer, form.TypeOrgnr, form.TypePhone, form.TypeDate:
		return true
	}
	return false
}

// digitsDiffer reports whether a and b hold as many digits, not all
// alike: one number read two ways.
func digitsDiffer(a, b string) bool {
	da, db := digitsOf(a), digitsOf(b)
	return da != "" && len(da) == len(db) && da != db
}

// otherwiseAlike reports whether two models each read, in cs, the same
// digits, other than best's.
func otherwiseAlike(cs []candidate, best candidate) bool {
	own := digitsOf(best.raw)
	for i, a := range cs {
		d := digitsOf(a.raw)
		if d == "" || d == own {
			continue
		}
		if slices.ContainsFunc(cs[i+1:], func(b candidate) bool { return b.lang != a.lang && digitsOf(b.raw) == d }) {
			return true
		}
	}
	return false
}

// anySure reports whether a candidate passes its checks and is read at
// secondLook or over.
func anySure(cs []candidate) bool {
	return slices.ContainsFunc(cs, func(c candidate) bool { return c.wellFormed && c.confidence >= secondLook })
}

// unanimous reports whether cs hold three readings or more, by two models
// or more, that all give one value passing its checks.
func unanimous(cs []candidate) bool {
	if len(cs) < 3 {
		return false
	}
	for _, c := range cs {
		if !c.wellFormed || c.value == "" || c.value != cs[0].value {
			return false
		}
	}
	return slices.ContainsFunc(cs, func(c candidate) bool { return c.lang != cs[0].lang })
}

// choose picks the best candidate: well formed first, then the most
// agreed-upon, then the surest; earlier candidates win ties. Its confidence
// is the best among the readings that agree with it or, when none does,
// loneFactor times the weakest of all.
func choose(cs []candidate) (candidate, float64) {
	agreeing := func(i int) int {
		n := 0
		for j := range cs {
			if j != i && cs[j].value == cs[i].value {
				n++
			}
		}
		return n
	}
	best, bestScore := 0, math.Inf(-1)
	for i, c := range cs {
		score := float64(agreeing(i)) + c.confidence
		if c.wellFormed {
			score += float64(len(cs)) + 1
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	lone := len(cs) > 1 && agreeing(best) == 0
	confidence := cs[best].confidence
	for _, c := range cs {
		switch {
		case lone:
			confidence = min(confidence, c.confidence)
		case c.value == cs[best].value:
			confidence = max(confidence, c.confidence)
		}
	}
	if lone {
		confidence *= loneFactor
	}
	return cs[best], confidence
}

// mergeWords merges other into read word for word, where the two have as
// many words: in a word as long in both, each letter is take(read's,
// other's), and the word stays read's if take refuses any letter.
func mergeWords(read, other string, take func(a, b rune) (rune, bool)) string {
	return mergeWordsAt(read, other, func(_ int, a, b rune) (rune, bool) { return take(a, b) })
}

// mergeWordsAt is mergeWords with take told which word (from 0) the
// letters are in.
func mergeWordsAt(read, other string, take func(word int, a, b rune) (rune, bool)) string {
	rw, ow := strings.Fields(read), strings.Fields(other)
	if len(rw) != len(ow) {
		return read
	}
	for i := range rw {
		a, b := []rune(rw[i]), []rune(ow[i])
		if len(a) != len(b) {
			continue
		}
		merged := make([]rune, len(a))
		ok := true
		for j := range a {
			merged[j], ok = take(i, a[j], b[j])
			if !ok {
				break
			}
		}
		if ok {
			rw[i] = string(merged)
		}
	}
	return strings.Join(rw, " ")
}

// confirmedFloor is the least weakest-word confidence of the French
// model's reading for its words to confirm a name's (see confirmed).
const confirmedFloor = 0.5

// confirmed returns the words of text (split at spaces and hyphens) that
// two models did not confirm: a word is confirmed where the French
// model's reading (fra) has it as it stands and the Swedish model's (swe)
// has it letter for letter but for one or more of the letters the French
// model has and the Swedish lacks, read as their lookalikes (Gongalves
// and Gonçalves make Gonçalves). A name the word list lacks, with a letter
// the Swedish model cannot read and the French model read, is a foreign
// name rather than a misreading. Words the two read alike are not
// confirmed: a scan that lost the dots of Ängquist loses them for both.
func confirmed(text, swe, fra string) string {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
	}
	tw, sw, fw := split(text), split(swe), split(fra)
	if len(tw) != len(sw) || len(tw) != len(fw) {
		return text
	}
	var left []string
	for i, w := range tw {
		a, b := []rune(w), []rune(sw[i])
		same, foreign := w == fw[i] && len(a) == len(b), false
		for j := 0; same && j < len(a); j++ {
			if a[j] != b[j] {
				same, foreign = strings.ContainsRune(foreignLookalikes[a[j]], b[j]), true
			}
		}
		if !same || !foreign {
			left = append(left, w)
		}
	}
	return strings.Join(left, " ")
}

// foreignConfidence caps the confidence of a name with letters taken from
// the French model: one model's word for a letter the other cannot read.
const foreignConfidence = 0.9

// foreignLookalikes are, for each letter the French model has and the
// Swedish lacks, the letters the Swedish model reads it as. Swedish
// letters the French model lacks (å, ö) never give way: it reads them as
// something else. Nor does a plain e or u, where the French model is apt
// to see an accent that is not there (the marks decide those, see
// markLetters).
var foreignLookalikes = map[rune]string{
	'ü': "üä", 'Ü': "ÜÄ", 'ë': "éèä", 'Ë': "ÉÄ", 'è': "éè", 'È': "É", 'é': "éè", 'É': "È",
	'æ': "aäe", 'Æ': "AÄE", 'ñ': "nñ", 'ç': "cçg", 'Ç': "CÇG", 'ï': "iïl",
}

// mergeForeign takes from fra (the French model's reading) the letters the
// Swedish model lacks where swe (its reading) has one of their lookalikes
// and the two otherwise agree, word for word; "ae" read for the French
// model's æ becomes æ.
func mergeForeign(swe, fra string) string {
	rw, fw := strings.Fields(swe), strings.Fields(fra)
	if len(rw) == len(fw) {
		for i := range rw {
			for _, pair := range [][2]string{{"ae", "æ"}, {"Ae", "Æ"}, {"AE", "Æ"}, {"ZE", "Æ"}} {
				if strings.Contains(fw[i], pair[1]) && strings.Contains(rw[i], pair[0]) &&
					len([]rune(rw[i]))-1 == len([]rune(fw[i])) {
					rw[i] = strings.Replace(rw[i], pair[0], pair[1], 1)
				}
			}
			rw[i] = collapsePair(rw[i], fw[i])
		}
		swe = strings.Join(rw, " ")
	}
	// A word the Swedish model read with an accented e has its accents
	// from the French model on every e (Hélene → Hélène).
	accented := map[int]bool{}
	for i, w := range strings.Fields(swe) {
		accented[i] = strings.ContainsAny(w, "éèÉÈ")
	}
	rw, fw = strings.Fields(swe), strings.Fields(fra)
	if len(rw) != len(fw) {
		return swe
	}
	for i := range rw {
		a, b := []rune(rw[i]), []rune(fw[i])
		if len(a) != len(b) {
			continue
		}
		merged := slices.Clone(a)
		refused, foreign := 0, false
		for j := range a {
			switch look, ok := foreignLookalikes[b[j]]; {
			case a[j] == b[j]:
			case ok && strings.ContainsRune(look, a[j]):
				merged[j] = b[j]
				foreign = foreign || !isE(b[j])
			case isE(a[j]) && isE(b[j]) && accented[i]:
				merged[j] = b[j]
			case fold(a[j]) == fold(b[j]) || strings.ContainsRune("öÖåÅ", a[j]):
			default:
				refused++
			}
		}
		// A letter the Swedish model lacks (Gongalves, Gonçaives) is
		// taken in a long word where one other letter is in dispute
		// too; that one stays the Swedish model's.
		if refused == 0 || refused == 1 && foreign && len(a) >= 6 {
			rw[i] = string(merged)
		}
	}
	return strings.Join(rw, " ")
}

// splitLetters are, for letters the Swedish model lacks, the pairs of
// letters it reads one of them as: ñ as fi or ni (Nufiez), ü as two marked
// letters (Möäge, Schiöler), ë likewise (Noéäl), ø as eo (Leovås): the
// first and second letter of a pair come from the two strings.
var splitLetters = map[rune][2]string{
	'ñ': {"fnrñ", "iñ"}, 'Ñ': {"FNRÑ", "iñ"},
	'ü': {"öäiuüo", "öäiüu"}, 'Ü': {"ÖÄUÜO", "öäiüu"},
	'ë': {"éèäöëe", "éèäöëe"},
	'ø': {"eoöø", "oeöø"}, 'Ø': {"EOÖØ", "oeöø"},
}

// collapsePair mends a word the Swedish model read (swe) with one letter
// too many where the other model read (other) one of the letters the
// Swedish model lacks, in its place, as two letters that letter is read
// as (see splitLetters), the rest agreeing letter for letter but for
// diacritics: Nufiez and Nuñez make Nuñez.
func collapsePair(swe, other string) string {
	a, b := []rune(swe), []rune(other)
	if len(a) != len(b)+1 {
		return swe
	}
	for j, x := range b {
		split, ok := splitLetters[x]
		if !ok || !strings.ContainsRune(split[0], a[j]) || !strings.ContainsRune(split[1], a[j+1]) {
			continue
		}
		same := true
		for i := range b {
			switch {
			case i < j:
				same = same && fold(a[i]) == fold(b[i])
			case i > j:
				same = same && fold(a[i+1]) == fold(b[i])
			}
		}
		if same {
			return string(a[:j]) + string(x) + string(a[j+2:])
		}
	}
	return swe
}

// nordicLookalikes are, for the Norwegian model's letters the Swedish
// model lacks, the letters the Swedish model reads them as.
var nordicLookalikes = map[rune]string{'ø': "oöeøa", 'Ø': "OÖØ", 'æ': "aäeæ", 'Æ': "AÄÆ"}

// mergeNordic takes from nor (the Norwegian model's reading) its ø and æ
// where swe (the Swedish model's) has one of their lookalikes, or two
// letters for one (Leovås for Løvås), and the two otherwise agree word
// for word but for diacritics.
func mergeNordic(swe, nor string) string {
	rw, nw := strings.Fields(swe), strings.Fields(nor)
	if len(rw) == len(nw) {
		for i := range rw {
			rw[i] = collapsePair(rw[i], nw[i])
		}
		swe = strings.Join(rw, " ")
	}
	return mergeWords(swe, nor, func(a, b rune) (rune, bool) {
		if look, ok := nordicLookalikes[b]; ok && strings.ContainsRune(look, a) {
			return b, true
		}
		return a, a == b || fold(a) == fold(b) || unicode.IsLetter(a) && unicode.IsLetter(b) && unicode.IsUpper(a) == unicode.IsUpper(b) && strings.ContainsRune(dotted, a)
	})
}

// spanishLookalikes are, for the Spanish model's letters the Swedish
// model lacks, the letters the Swedish model reads them as.
var spanishLookalikes = map[rune]string{
	'á': "aåäà", 'í': "iïlì", 'ó': "oöò", 'ú': "uüåù", 'ñ': "nñ",
	'Á': "AÅÄ", 'Í': "IÏL", 'Ó': "OÖ", 'Ú': "UÜ", 'Ñ': "N",
}

// mergeSpanish takes from spa (the Spanish model's reading) its á í ó ú ñ
// where swe has one of their lookalikes and the two otherwise agree word
// for word but for diacritics. Two dots (ä ö ü) never give way; a ring
// (å) only when the Norwegian model (nor), which has it, read a plain
// letter there: the Spanish model reads a ring as an acute accent; a plain letter
// only when the French model (fra) read a mark over it too.
func mergeSpanish(swe, nor, spa, fra string) string {
	rw, nw, sw, fw := strings.Fields(swe), strings.Fields(nor), strings.Fields(spa), strings.Fields(fra)
	if len(rw) != len(sw) {
		return swe
	}
	for i := range rw {
		rw[i] = collapsePair(rw[i], sw[i])
		a, s := []rune(rw[i]), []rune(sw[i])
		if len(a) != len(s) {
			continue
		}
		var n, fr []rune
		if len(nw) == len(rw) {
			n = []rune(nw[i])
		}
		if len(fw) == len(rw) {
			fr = []rune(fw[i])
		}
		merged := slices.Clone(a)
		ok := true
		for j := range a {
			look, foreign := spanishLookalikes[s[j]]
			switch {
			case a[j] == s[j] || fold(a[j]) == fold(s[j]) && !foreign:
			case foreign && strings.ContainsRune(look, a[j]):
				switch {
				case strings.ContainsRune("äöüÄÖÜ", a[j]):
					// Two dots are no accent: the Spanish model, which
					// has no ä, ö or ü, reads them so (Mákinen).
				case (a[j] == 'å' || a[j] == 'Å') && (len(n) != len(a) || strings.ContainsRune("åäöÅÄÖ", n[j])):
					// A ring stays unless the Norwegian model, which has
					// å, read the letter with no mark over it: its
					// reading of a ring as two dots (Äke for Åke) is no
					// acute accent either.
				case a[j] < 0x80 && (len(fr) != len(a) || fr[j] < 0x80):
					// An accent over a letter the Swedish model read
					// plain: only when the French model saw a mark
					// there too (the Spanish model sees accents in
					// specks and in the dot of an i).
				default:
					merged[j] = s[j]
				}
			default:
				ok = false
			}
		}
		if ok {
			rw[i] = string(merged)
		}
	}
	return strings.Join(rw, " ")
}

// dotsDisputed reports whether the French model (fra, its reading) saw
// two dots over a letter that read has plain, word for word (Müller read
// Muller): it sees accents that are not there, so it does not decide the
// letter, but the reading is in doubt.
func dotsDisputed(read, fra string) bool {
	disputed := false
	mergeWords(read, fra, func(a, b rune) (rune, bool) {
		if (b == 'ü' || b == 'ä' || b == 'Ü' || b == 'Ä') && a == rune(fold(b)) || (b == 'Ü' || b == 'Ä') && unicode.ToLower(a) == fold(b) {
			disputed = true
		}
		return a, true
	})
	return disputed
}

// marksDiffer reports whether a and b differ, letter for letter, only
// in the marks over letters they fold to the same (ä and a, Å and A).
func marksDiffer(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if a == b || len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if ra[i] != rb[i] && (fold(ra[i]) != fold(rb[i]) || unicode.IsUpper(ra[i]) != unicode.IsUpper(rb[i])) {
			return false
		}
	}
	return true
}

// joinsDiffer reports whether a and b differ only in the hyphens,
// apostrophes and spaces between their words (O'Connor read O Connor: an
// apostrophe is as small a mark as a hyphen).
func joinsDiffer(a, b string) bool {
	words := func(s string) string {
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("- '’ʼ", r) }), "")
	}
	return a != b && words(a) == words(b)
}

// dotted are the letters with dots or a ring; umlauted, with two dots.
const (
	dotted   = "äöüåÄÖÜÅ"
	umlauted = "äöüÄÖÜ"
)

// dotsUnder reports whether one of the lone marks is over a letter that
// words (a reading of the same crop) give two dots, or next to one: the
// letter is found by the mark's place along its word, as letters are
// about as wide as one another.
func dotsUnder(lone []component, words []Word) bool {
	for _, c := range lone {
		cx, _ := centre(c)
		for _, w := range words {
			letters := []rune(w.Text)
			if cx < float64(w.Box.Min.X) || cx >= float64(w.Box.Max.X) || len(letters) == 0 {
				continue
			}
			i := int((cx - float64(w.Box.Min.X)) / float64(w.Box.Dx()) * float64(len(letters)))
			for j := max(0, i-1); j <= min(len(letters)-1, i+1); j++ {
				if strings.ContainsRune(umlauted, letters[j]) {
					return true
				}
			}
		}
	}
	return false
}

// dropDots takes from plain (a reading without the lone marks) the plain
// letters where read has ä, ö or ü and the two readings are otherwise the
// same word for word: one mark is no two dots. Accents on e stay, as a
// lone mark may be one, and so does å: a small ring whose paper the scan
// filled in is one blob, as lone as a speck (Åke, Åkesson).
func dropDots(read, plain string) string {
	return mergeWords(read, plain, func(a, b rune) (rune, bool) {
		switch {
		case a == b || isE(a) && isE(b):
			return a, true
		case strings.ContainsRune(umlauted, a) && b < 0x80 && fold(a) == fold(b) && unicode.IsUpper(a) == unicode.IsUpper(b):
			return b, true
		}
		return a, false
	})
}

// swedishLetters are the letters of Swedish names the English model lacks.
const swedishLetters = "åäöé"

// takeLetters returns base with other's letters from letters where the two
// differ only there, word for word; otherwise base.
func takeLetters(base, other, letters string) string {
	return mergeWords(base, other, func(a, b rune) (rune, bool) {
		if a == b || strings.ContainsRune(letters, b) {
			return b, true
		}
		return a, false
	})
}

// isE reports whether r is an e, with or without an accent.
func isE(r rune) bool { return fold(r) == 'e' }

// fold drops the diacritics the two models may disagree on.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'å', 'ä', 'â', 'à', 'á', 'ã':
		return 'a'
	case 'ö', 'ô', 'ò', 'ó', 'õ':
		return 'o'
	case 'ü', 'û', 'ù', 'ú':
		return 'u'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	}
	return r
}

// gaussian blurs img with a Gaussian of sigma pixels (separable, edges
// clamped).
func gaussian(img *image.Gray, sigma float64) *image.Gray {
	r := max(1, int(math.Ceil(3*sigma)))
	kern := make([]float64, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		kern[i+r] = math.Exp(-float64(i*i) / (2 * sigma * sigma))
		sum += kern[i+r]
	}
	for i := range kern {
		kern[i] /= sum
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	tmp := make([]float64, w*h)
	for y := range h {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		for x := range w {
			var v float64
			for i := -r; i <= r; i++ {
				v += kern[i+r] * float64(row[min(max(x+i, 0), w-1)])
			}
			tmp[y*w+x] = v
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var v float64
			for i := -r; i <= r; i++ {
				v += kern[i+r] * tmp[min(max(y+i, 0), h-1)*w+x]
			}
			out.Pix[y*out.Stride+x] = uint8(min(255, v+0.5))
		}
	}
	return out
}

// spaceDigits puts back the spaces of a digit field's writing in crop that
// a reading lost or merged. Each digit is a separate column of ink at
// least half as tall as the tallest (lower marks are specks or hyphens).
// Digits are set at a fixed pitch, so a space shows as a step between
// digit centres well over the smallest one (a pitch and a half against
// one); centres, unlike gaps, hardly move when a speck touches a digit.
// When the columns do not match the digits of text one for one, text is
// returned as it is.
func spaceDigits(crop *image.Gray, text string) string {
	chars := []rune(strings.ReplaceAll(text, " ", ""))
	if len(chars) < 3 || strings.ContainsFunc(string(chars), func(r rune) bool { return r < '0' || r > '9' }) {
		return text
	}
	b := crop.Bounds()
	type column struct{ x0, x1, top, bottom int }
	var cols []column
	for x := b.Min.X; x < b.Max.X; x++ {
		top, bottom := b.Max.Y, b.Min.Y
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if crop.Pix[crop.PixOffset(x, y)] < inkThreshold {
				top, bottom = min(top, y), max(bottom, y+1)
			}
		}
		switch {
		case bottom <= top: // no ink
		case len(cols) > 0 && cols[len(cols)-1].x1 == x:
			c := &cols[len(cols)-1]
			c.x1, c.top, c.bottom = x+1, min(c.top, top), max(c.bottom, bottom)
		default:
			cols = append(cols, column{x, x + 1, top, bottom})
		}
	}
	height := 0
	for _, c := range cols {
		height = max(height, c.bottom-c.top)
	}
	var centres []int // doubled, to stay in integers
	for _, c := range cols {
		if 2*(c.bottom-c.top) > height {
			centres = append(centres, c.x0+c.x1)
		}
	}
	if len(centres) != len(chars) {
		return text
	}
	pitch := math.MaxInt
	for i := 1; i < len(centres); i++ {
		pitch = min(pitch, centres[i]-centres[i-1])
	}
	var out strings.Builder
	for i, c := range chars {
		if i > 0 && 4*(centres[i]-centres[i-1]) > 5*pitch {
			out.WriteByte(' ')
		}
		out.WriteRune(c)
	}
	return out.String()
}

// mendGlyphs takes glyphMends's mending of an address read into c from
// crop (k pixels per point), keeping the model's reading as another
// candidate: an i whose dot the scan merged with its stem looks like an l
// (thanh.ziellnskl for thanh.zielinski), and the name beside the address
// decides between them (mendAddresses); so may a stop read where the
// writing has an underscore.
func (e *Extractor) mendGlyphs(c *candidate, f form.Field, crop *image.Gray, k float64) {
	fixed := glyphMends(c.raw, crop, k)
	if fixed == c.raw {
		return
	}
	read, ok := c.value, c.wellFormed
	e.retext(c, f, fixed)
	if ok && read != c.value && !slices.Contains(c.others, read) {
		c.others = append(c.others, read)
	}
}

// glyphMends mends, by the writing in crop (k pixels per point), the
// characters of an e-mail address the English model confuses: i and l
// (sfvarmiand, moindals; see dotlessI), and an underscore for a stop (an
// underscore read as a stop, maelle.goncalves for maelle_goncalves; see
// underscoresSeen).
func glyphMends(text string, crop *image.Gray, k float64) string {
	if !strings.ContainsAny(text, "il._-") {
		return text
	}
	comps := components(crop)
	letters, xh := lineLetters(comps, k)
	if len(letters) < 4 {
		return text
	}
	ln := &line{img: crop, k: k, comps: comps, letters: letters, xh: xh, baseline: baselineOf(letters)}
	return underscoresSeen(dotlessI(text, ln), ln)
}

// dotlessI mends i and l in an address read from the line of writing ln:
// when its glyphs (ink components side by side, a dot with its stem) are
// as many as the address's characters, an i without a dot that rises
// above the x-height is an l, and an l with a dot over a stem of x-height
// is an i.
func dotlessI(text string, ln *line) string {
	chars := []rune(text)
	glyphs := glyphsOf(ln.comps)
	if len(glyphs) != len(chars) || !strings.ContainsAny(text, "il") {
		return text
	}
	for i, g := range glyphs {
		stem := slices.MaxFunc(g, func(a, b component) int { return a.area - b.area })
		tall := float64(stem.box.Dy()) > 1.25*ln.xh
		dotted := len(g) == 2 && slices.ContainsFunc(g, func(c component) bool {
			return c.box != stem.box && c.box.Max.Y <= stem.box.Min.Y
		})
		switch {
		case chars[i] == 'i' && len(g) == 1 && tall:
			chars[i] = 'l'
		case chars[i] == 'l' && dotted && !tall:
			chars[i] = 'i'
		}
	}
	return string(chars)
}

// underscoresSeen mends, in an address read from the line of writing
// ln, an underscore of its local part read as a stop or a hyphen: a stroke
// of faint ink or darker (a thin underscore scans pale, and the model
// then reads a stop) three times as long as thick, half an x-height long
// at least, lying just under the baseline (not as far as a g's tail),
// that no underscore of the reading explains is the separator read
// nearest to it, within a character, where that one is clearly the
// nearest (a place among the address's characters as a share of the
// writing's width). Scans break pale letters into strokes, so the
// writing's pieces cannot be matched to the characters one by one; no
// piece of a letter lies wholly under the baseline and as flat, and a
// stroke run into a letter beside it (an underscore into a g's tail) is
// not seen, and the address stays as read.
func underscoresSeen(text string, ln *line) string {
	chars := []rune(text)
	at := slices.Index(chars, '@')
	if at < 0 || len(ln.letters) == 0 {
		return text
	}
	var seps []int // the separators of the local part
	for i, r := range chars[:at] {
		if strings.ContainsRune("._-", r) {
			seps = append(seps, i)
		}
	}
	if len(seps) == 0 {
		return text
	}
	if ln.faint == nil {
		// Found only for an address whose local part has a separator
		// to mend (glyphMends's line leaves them out).
		ln.faint = componentsUnder(ln.img, faintInk)
	}
	xh, baseline := ln.xh, ln.baseline
	x0, x1 := ln.letters[0].box.Min.X, ln.letters[0].box.Max.X
	for _, c := range ln.letters {
		x0, x1 = min(x0, c.box.Min.X), max(x1, c.box.Max.X)
	}
	if x1 <= x0 {
		return text
	}
	// place is where character i stands, in characters from the start.
	place := func(i int) float64 { return float64(i) + 0.5 }
	var strokes []float64 // the strokes' places
	for _, c := range ln.faint {
		w, h := float64(c.box.Dx()), float64(c.box.Dy())
		cx, cy := centre(c)
		if w >= 0.5*xh && w >= 3*h && float64(c.box.Min.Y) >= baseline-0.05*xh && cy <= baseline+0.45*xh {
			strokes = append(strokes, (cx-float64(x0))/float64(x1-x0)*float64(len(chars)))
		}
	}
	if len(strokes) != 1+strings.Count(string(chars[:at]), "_") {
		return text // none unexplained, or more than one: as read
	}
	for _, p := range strokes {
		slices.SortFunc(seps, func(a, b int) int { return cmp.Compare(math.Abs(place(a)-p), math.Abs(place(b)-p)) })
		near := math.Abs(place(seps[0]) - p)
		if chars[seps[0]] == '_' || near > 0.8 || len(seps) > 1 && math.Abs(place(seps[1])-p) < near+1 {
			continue // explained, or not plainly one separator's
		}
		chars[seps[0]] = '_'
		return string(chars)
	}
	return text
}

// glyphsOf groups a line's ink components into glyphs side by side, left
// to right: a component that begins over the glyph before it (a dot over
// its stem, the pieces of an accent) is of that glyph.
func glyphsOf(comps []component) [][]component {
	comps = slices.Clone(comps)
	slices.SortFunc(comps, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	var glyphs [][]component
	for _, c := range comps {
		if n := len(glyphs); n > 0 {
			last := glyphs[n-1]
			if c.box.Min.X < last[0].box.Max.X || c.box.Min.X < last[len(last)-1].box.Max.X {
				glyphs[n-1] = append(last, c)
				continue
			}
		}
		glyphs = append(glyphs, []component{c})
	}
	return glyphs
}

// twoDots reports whether two marks over a letter are the dots of a
// diaeresis: side by side at one height, apart, each about as wide as
// high (an accent a 1-bit scan broke in two is neither).
func twoDots(a, b component, xh float64) bool {
	if a.box.Min.X > b.box.Min.X {
		a, b = b, a
	}
	_, ay := centre(a)
	_, by := centre(b)
	square := func(c component) bool {
		w, h := float64(c.box.Dx()), float64(c.box.Dy())
		return w <= 2*h && h <= 2*w
	}
	return math.Abs(ay-by) <= 0.15*xh && float64(b.box.Min.X-a.box.Max.X) >= 0.08*xh && square(a) && square(b)
}

// umlaut is a letter with two dots over it.
var umlaut = map[rune]rune{'a': 'ä', 'A': 'Ä', 'o': 'ö', 'O': 'Ö', 'u': 'ü', 'U': 'Ü'}

// risenMark reports whether the ink of stems[i], a capital alone in its
// glyph, rises over the line's other plain capitals (over their median
// height and over the nearest one's top) by a sixth of the x-height xh
// or more, and two pixels: a mark that ran into its letter. pieces is
// how many 8-connected pieces its ink over their height makes: two
// dots, or one ring or accent (over an A, Å is proposed: in Swedish
// names the ring is the mark an A most often has). It needs another
// capital to measure against.
func risenMark(i int, glyphs [][]component, stems []component, chars []rune, img *image.Gray, xh float64) (pieces int, ok bool) {
	if len(glyphs[i]) != 1 {
		return 0, false
	}
	// It must rise over the other capitals' height, and over the top of
	// the nearest of them: a long line scanned askew has its capitals'
	// tops at many heights, and a speck or a stroke under a letter
	// makes it taller. J and Q may hang under the baseline.
	var heights []int
	nearest := -1
	stem := stems[i]
	for j, r := range chars {
		if j == i || r < 'A' || r > 'Z' || r == 'J' || r == 'Q' || len(glyphs[j]) != 1 {
			continue
		}
		heights = append(heights, stems[j].box.Dy())
		if nearest < 0 || abs(stems[j].box.Min.X-stem.box.Min.X) < abs(stems[nearest].box.Min.X-stem.box.Min.X) {
			nearest = j
		}
	}
	if len(heights) == 0 {
		return 0, false
	}
	slices.Sort(heights)
	rise := min(stem.box.Dy()-heights[len(heights)/2], stems[nearest].box.Min.Y-stem.box.Min.Y)
	if float64(rise) < xh/6 || rise < 2 {
		return 0, false
	}
	// The stem's pixels over the other capitals' height (its top rise
	// rows), alone on paper, and their components.
	over := image.NewGray(image.Rect(0, 0, stem.box.Dx(), rise))
	for p := range over.Pix {
		over.Pix[p] = 255
	}
	stride := img.Stride
	for _, off := range stem.pix {
		x, y := off%stride-(stem.box.Min.X-img.Rect.Min.X), off/stride-(stem.box.Min.Y-img.Rect.Min.Y)
		if x >= 0 && y >= 0 && x < stem.box.Dx() && y < rise {
			over.Pix[y*over.Stride+x] = 0
		}
	}
	return len(componentBoxes(over)), true
}

// faintMarks are the components of faint (img's components under
// faintInk) over stems[i], a letter of a line of x-height xh, that have
// no pixel under the ink threshold: small, within the letter's width,
// nearer its middle than any other letter's, and close over it.
func faintMarks(faint []component, img *image.Gray, stems []component, i int, xh float64) []component {
	var out []component
	stem := stems[i]
	nearest := func(x float64) int {
		best, bd := -1, math.Inf(1)
		for j, s := range stems {
			if sx, _ := centre(s); math.Abs(sx-x) < bd {
				best, bd = j, math.Abs(sx-x)
			}
		}
		return best
	}
	for _, c := range faint {
		x, _ := centre(c)
		if nearest(x) != i {
			continue
		}
		if c.box.Max.Y > stem.box.Min.Y+1 || float64(stem.box.Min.Y-c.box.Max.Y) > xh/2 ||
			x < float64(stem.box.Min.X-1) || x > float64(stem.box.Max.X+1) ||
			float64(c.box.Dx()) > xh/2 || float64(c.box.Dy()) > xh/2 ||
			min(c.box.Dx(), c.box.Dy()) < 2 || float64(max(c.box.Dx(), c.box.Dy())) < 0.12*xh || len(c.pix) < 4 {
			continue
		}
		if !hasInk(c, img) {
			out = append(out, c)
		}
	}
	return out
}

// centredOver reports whether the mark c stands over the middle half of
// the letter whose largest piece is stem, as an accent stands.
func centredOver(c, stem component) bool {
	x, _ := centre(c)
	sx, _ := centre(stem)
	return math.Abs(x-sx) <= float64(stem.box.Dx())/4
}

// Accents a mark over a letter may be.
const (
	acute      = '´'
	grave      = '`'
	circumflex = '^'
)

// accent tells which accent the mark c over stem, a letter of a line of
// x-height xh, is by its shape (its pixels weighed by their darkness in
// img): a stroke rising to the right is an acute accent, one falling to
// the right a grave accent, a wedge wider than tall whose middle stands
// over its ends a circumflex. A dot, a ring, a faint mark, a flat or wavy
// one (two dots run together, a tilde), a mark too small to tell or off
// the letter's middle (a narrow letter's by a little more than its width)
// is none of them (0).
func accent(c, stem component, img *image.Gray, xh float64) rune {
	cx, _ := centre(c)
	mid, _ := centre(stem)
	if max(c.box.Dx(), c.box.Dy()) < 4 || math.Abs(cx-mid) > 0.35*max(float64(stem.box.Dx()), 0.6*xh) {
		return 0
	}
	if !hasInk(c, img) {
		return 0
	}
	var sw, sx, sy, sxx, syy, sxy float64
	for _, off := range c.pix {
		w := float64(255 - img.Pix[off])
		x, y := float64(off%img.Stride), float64(off/img.Stride)
		sw += w
		sx, sy = sx+w*x, sy+w*y
		sxx, syy, sxy = sxx+w*x*x, syy+w*y*y, sxy+w*x*y
	}
	if sw == 0 {
		return 0
	}
	if wedge(c, img) {
		return circumflex
	}
	// The covariance of the mark's pixels (each a unit square, hence the
	// twelfth): how much longer than wide it is, and which way its long
	// axis runs (y grows downwards: a stroke rising to the right has a
	// negative angle).
	mx, my := sx/sw, sy/sw
	vx, vy, cxy := sxx/sw-mx*mx+1.0/12, syy/sw-my*my+1.0/12, sxy/sw-mx*my
	half, det := (vx+vy)/2, vx*vy-cxy*cxy
	d := math.Sqrt(max(0, half*half-det))
	if long, short := half+d, half-d; short <= 0 || long < 1.75*1.75*short {
		return 0
	}
	switch angle := 0.5 * math.Atan2(2*cxy, vx-vy) * 180 / math.Pi; {
	case angle >= -75 && angle <= -15:
		return acute
	case angle >= 15 && angle <= 75:
		return grave
	}
	return 0
}

// wedge reports whether the mark c is a circumflex's wedge: at least
// half as wide again as tall, and either its middle third's ink, weighed
// by its darkness in img, a quarter of its height over its outer thirds',
// or its top edge peaking in the middle: the middle third's top a third
// of its height, and two pixels, over the outer thirds' (a small wedge a
// coarse scan filled in solid, whose ink stands low across the middle
// too). Two dots run together are flat or sag in the middle; a tilde's
// middle stands as high as its ends on average, and an accent's top
// edge rises steadily.
func wedge(c component, img *image.Gray) bool {
	w, h := c.box.Dx(), c.box.Dy()
	if w < 5 || h < 3 || 2*w < 3*h {
		return false
	}
	var mid, midW, outer, outerW float64
	top := make([]int, w) // per column, the top ink row's offset under the box's top
	for i := range top {
		top[i] = h
	}
	for _, off := range c.pix {
		x, y := off%img.Stride, off/img.Stride
		wt := float64(255 - img.Pix[off])
		if third := 3 * (x - c.box.Min.X) / w; third == 1 {
			mid, midW = mid+wt*float64(y), midW+wt
		} else {
			outer, outerW = outer+wt*float64(y), outerW+wt
		}
		top[x-c.box.Min.X] = min(top[x-c.box.Min.X], y-c.box.Min.Y)
	}
	if midW > 0 && outerW > 0 && outer/outerW-mid/midW >= 0.25*float64(h) {
		return true
	}
	var midTop, outerTop float64
	var midN, outerN int
	for x, t := range top {
		if t == h {
			continue // no ink in the column
		}
		if 3*x/w == 1 {
			midTop, midN = midTop+float64(t), midN+1
		} else {
			outerTop, outerN = outerTop+float64(t), outerN+1
		}
	}
	if midN == 0 || outerN == 0 {
		return false
	}
	peak := outerTop/float64(outerN) - midTop/float64(midN)
	return peak >= 2 && peak >= float64(h)/3
}

// accentedLetters are, per plain vowel, its letters with an acute, a
// grave and a circumflex accent.
var accentedLetters = map[rune][3]rune{
	'a': {'á', 'à', 'â'}, 'e': {'é', 'è', 'ê'}, 'i': {'í', 'ì', 'î'}, 'o': {'ó', 'ò', 'ô'}, 'u': {'ú', 'ù', 'û'},
	'A': {'Á', 'À', 'Â'}, 'E': {'É', 'È', 'Ê'}, 'I': {'Í', 'Ì', 'Î'}, 'O': {'Ó', 'Ò', 'Ô'}, 'U': {'Ú', 'Ù', 'Û'},
}

// accented is r, a vowel as some model read it (plain or with any mark),
// with the accent a over it instead; r itself when a is no accent or r no
// vowel.
func accented(r, a rune) rune {
	base := fold(r)
	if unicode.IsUpper(r) {
		base = unicode.ToUpper(base)
	}
	l, ok := accentedLetters[base]
	switch {
	case !ok:
		return r
	case a == acute:
		return l[0]
	case a == grave:
		return l[1]
	case a == circumflex:
		return l[2]
	}
	return r
}

// markOver is the one mark of a glyph over its stem.
func markOver(g []component, stem component) component {
	for _, c := range g {
		if c.box != stem.box && c.box.Max.Y <= stem.box.Min.Y+1 {
			return c
		}
	}
	return stem
}

// markLetters mends, in a name read from the line of writing ln, the
// letters no model here has, or has but misreads, by the marks over them:
// a letter with two dots over it that the Swedish model reads as é, è or
// e, or that the French model (fra, its reading, "" when none) reads so,
// is ë; a round letter with no marks over it and a stroke through it,
// rising over the x-height and sinking a little under the baseline (not
// as far as a g's tail), is ø; an a, o
// or u read without the two dots over it has them (ä, ö, ü), an a
// without the ring over it has it (å). The
// writing's glyphs (ink components side by side, marks with their letter)
// must be as many as the name's letters, or the name is returned as it is.
// unmarked lists (by their place among text's letters, spaces left out)
// a plain e, a, o or u, left plain, with one mark over it that is no
// ring: an accent the readings lost (Holmer for Holmér), or a speck; and
// any letter that may take a mark with more marks over it than the
// reading gives it: the reading is in doubt. aligned reports that the
// glyphs and the letters could be matched, so that each mark over the
// line was judged with its letter.
func markLetters(text, fra, spa string, ln *line) (marked string, unmarked []int, aligned bool) {
	chars := []rune(strings.ReplaceAll(text, " ", ""))
	other := []rune(strings.ReplaceAll(fra, " ", ""))
	if len(other) != len(chars) {
		other = nil
	}
	spanish := []rune(strings.ReplaceAll(spa, " ", ""))
	if len(spanish) != len(chars) {
		spanish = nil
	}
	crop, xh, baseline := ln.img, ln.xh, ln.baseline
	if len(ln.letters) < 3 {
		return text, nil, false
	}
	glyphs := glyphsOf(ln.comps)
	if len(glyphs) != len(chars) {
		return text, nil, false
	}
	changed := false
	stems := make([]component, len(glyphs))
	for i, g := range glyphs {
		stems[i] = slices.MaxFunc(g, func(a, b component) int { return a.area - b.area })
	}
	// voted tells whether the French or Spanish reading has r at i.
	voted := func(i int, r rune) bool {
		return other != nil && other[i] == r || spanish != nil && spanish[i] == r
	}
	// seenMarked tells whether a reading has a marked letter at i.
	seenMarked := func(i int) bool {
		return chars[i] >= 0x80 || other != nil && other[i] >= 0x80 || spanish != nil && spanish[i] >= 0x80
	}
	for i, g := range glyphs {
		stem := stems[i]
		var marks []component
		for _, c := range g {
			if c.box != stem.box && c.box.Max.Y <= stem.box.Min.Y+1 {
				marks = append(marks, c)
			}
		}
		var faint []component
		if len(marks) < 2 {
			// Dots too faint for the ink threshold (a thin or greyed
			// umlaut) may still show under faintInk; other faint marks
			// are as likely specks.
			faint = faintMarks(ln.faint, crop, stems, i, xh)
			if both := append(slices.Clip(marks), faint...); len(both) == 2 && twoDots(both[0], both[1], xh) {
				marks, faint = both, nil
			}
		}
		above := len(marks)
		acc := chars[i] // the letter with the one mark's accent over it
		if above == 1 {
			acc = accented(chars[i], accent(marks[0], stem, crop, xh))
		}
		if above == 2 && !twoDots(marks[0], marks[1], xh) {
			above = -1 // an accent in two pieces, or a speck beside one
		}
		// An e: as the Swedish model read it, or as the French model
		// did when the letter's eye sits high (ö and ë both have two
		// dots, and the French model, which has no ö, reads it as é).
		eLike := strings.ContainsRune("éèeë", chars[i])
		if !eLike && other != nil && strings.ContainsRune("éèeë", other[i]) {
			middle, n := hole(stem, crop)
			eLike = n > 0 && middle < 0.42
		}
		// A stroke through a round letter rises over the x-height and
		// sinks a little under the baseline; a g sinks far under it,
		// and in a serif face its ear may rise as high (Region).
		slashed := float64(stem.box.Min.Y) < baseline-1.15*xh && float64(stem.box.Max.Y) > baseline+0.08*xh &&
			float64(stem.box.Max.Y) < baseline+0.33*xh
		// A c's ink reaching a third of the x-height under the
		// baseline: a cedilla, joined to it or apart.
		hooked := slices.ContainsFunc(g, func(c component) bool { return float64(c.box.Max.Y) > baseline+0.33*xh })
		if above == 0 && strings.ContainsRune("AOU", chars[i]) {
			if pieces, ok := risenMark(i, glyphs, stems, chars, crop, xh); ok {
				// A capital whose mark ran into it (a typewriter face's
				// ring sits on the A's apex): its ink rises over the
				// line's other capitals. The pieces of ink over their
				// height tell two dots from a ring; the letter is
				// proposed, in doubt.
				switch {
				case pieces == 2:
					chars[i], changed = umlaut[chars[i]], true
				case pieces == 1 && chars[i] == 'A':
					chars[i], changed = 'Å', true
				}
				unmarked = append(unmarked, i)
				continue
			}
		}
		if above == 0 && len(faint) == 1 && strings.ContainsRune("aeouyAEIOUY", chars[i]) && centredOver(faint[0], stem) {
			// One faint mark over the middle of a vowel read bare: an
			// accent a pale or faded scan left under the ink threshold
			// (AGNÈS read AGNES by every model), or a speck. Not told
			// apart, the letter stays as read, in doubt. (Over an i it
			// is the dot; specks at a letter's side are many.)
			unmarked = append(unmarked, i)
		}
		switch {
		case eLike && above == 2 && chars[i] != 'ë':
			chars[i], changed = 'ë', true
		case (chars[i] == 'c' || chars[i] == 'C') && above == 0 && hooked:
			chars[i], changed = map[rune]rune{'c': 'ç', 'C': 'Ç'}[chars[i]], true
		case strings.ContainsRune("öoeg", chars[i]) && above == 0 && slashed:
			chars[i], changed = 'ø', true
		case above == 2 && (chars[i] == 'ö' || chars[i] == 'Ö') && other != nil && (other[i] == 'ü' || other[i] == 'Ü'):
			// Two dots over a letter the Swedish model reads as ö and
			// the French model, which has ü and no ö, as ü: the letter
			// under them decides, a u open at the top, an o closed.
			if _, n := hole(stem, crop); n == 0 {
				chars[i], changed = map[rune]rune{'ö': 'ü', 'Ö': 'Ü'}[chars[i]], true
			}
		case above == 1 && (chars[i] == 'å' || chars[i] == 'Å') && spanish != nil && (spanish[i] == 'á' || spanish[i] == 'Á') &&
			!ring(markOver(g, stem), crop):
			// One mark, no ring, over an a the Swedish model reads as å
			// and the Spanish model as á: an acute accent. (Not over
			// ä: its two dots may have run into one.)
			chars[i], changed = map[rune]rune{'å': 'á', 'Å': 'Á'}[chars[i]], true
		case above == 2 && (chars[i] == 'ú' || chars[i] == 'Ú'):
			chars[i], changed = map[rune]rune{'ú': 'ü', 'Ú': 'Ü'}[chars[i]], true // two dots, no accent
		case above == 1 && (chars[i] == 'ü' || chars[i] == 'Ü') && spanish != nil && (spanish[i] == 'ú' || spanish[i] == 'Ú'):
			chars[i], changed = map[rune]rune{'ü': 'ú', 'Ü': 'Ú'}[chars[i]], true // one mark: an accent
		case above == 1 && seenMarked(i) && acc != chars[i] && (!strings.ContainsRune("äöüÄÖÜ", chars[i]) || voted(i, acc)):
			// One stroke over a vowel that some model read with a mark,
			// leaning one way: the accent decides the letter, whatever
			// the models made of it (Maria, Lefévre). Dots that ran
			// together may lean too: a dotted letter gives way only to
			// the letter another model read (Cördoba, Córdoba).
			chars[i], changed = acc, true
		case above == 1 && chars[i] == 'i' && acc != chars[i]:
			// An i's one mark is its dot: a stroke leaning one way in
			// its place is an accent the readings took for the dot
			// (Joaquin for Joaquín), or a dot a poor scan smeared. The
			// accent is proposed, in doubt.
			chars[i], changed = acc, true
			unmarked = append(unmarked, i)
		case above == 2 && strings.ContainsRune("aAoOuU", chars[i]):
			// Two dots the readings lost (a smoothed reading merges
			// them into the letter).
			chars[i], changed = umlaut[chars[i]], true
		case above == 1 && strings.ContainsRune("aA", chars[i]) && ring(markOver(g, stem), crop):
			chars[i], changed = map[rune]rune{'a': 'å', 'A': 'Å'}[chars[i]], true
		case above == 1 && strings.ContainsRune("eaouEAOU", chars[i]) && !ring(markOver(g, stem), crop):
			unmarked = append(unmarked, i)
		case max(above, 2*-above) > marksOf(string(chars[i])) && strings.ContainsRune("aeiouyn", fold(chars[i])):
			// More marks over a letter that may take one than the
			// reading gives it: an accent or tilde the readings lost
			// (Nunez for Nuñez), or a speck. Over other letters a
			// mark is a speck or a broken serif.
			unmarked = append(unmarked, i)
		}
	}
	if !changed {
		return text, unmarked, true
	}
	return withSpaces(text, chars), unmarked, true
}

// withSpaces is chars, the letters of text with its spaces left out, with
// text's spaces put back.
func withSpaces(text string, chars []rune) string {
	var out strings.Builder
	j := 0
	for _, r := range text {
		if r == ' ' {
			out.WriteRune(' ')
			continue
		}
		out.WriteRune(chars[j])
		j++
	}
	return out.String()
}

// marksOf counts the marks over the letters of text: the dots of i and j,
// umlauts, rings and accents, and apostrophes, which stand as high
// (O'Brien, D'Angelo).
func marksOf(text string) int {
	n := 0
	for _, r := range text {
		switch {
		case strings.ContainsRune("äöüëïÿÄÖÜËÏ", r):
			n += 2
		case strings.ContainsRune("ijåéèêáàâíìîóòôúùûñÅÉÈÊÁÀÂÍÌÎÓÒÔÚÙÛÑ'’ʼ`´", r):
			n++
		}
	}
	return n
}

// marksOver counts the marks over a line of writing: components
// mark-sized and compact, over the line's x-height and not far over it,
// at the ink threshold or, with no pixel under it, at faintInk (a faded
// dot). Faint pieces of one dot, one over the other, count once.
func marksOver(ln *line) int {
	if len(ln.letters) < 3 {
		return 0
	}
	mark := func(c component) bool {
		w, h := float64(c.box.Dx()), float64(c.box.Dy())
		return ln.over(c) && max(w, h) <= 2.5*min(w, h)
	}
	var counted []image.Rectangle
	for _, c := range ln.comps {
		if mark(c) {
			counted = append(counted, c.box)
		}
	}
	for _, c := range ln.faint {
		if hasInk(c, ln.img) || !mark(c) {
			continue
		}
		if !slices.ContainsFunc(counted, func(b image.Rectangle) bool { return samePlace(b, c.box) }) {
			counted = append(counted, c.box)
		}
	}
	for _, top := range mergedMarks(ln) {
		if !slices.ContainsFunc(counted, func(b image.Rectangle) bool { return b.Overlaps(top) }) {
			counted = append(counted, top)
		}
	}
	return len(counted)
}

// mergedMarks finds the marks a blurred scan joined to their letter,
// too faint for the ink threshold on their own: a letter whose faint
// outline (at faintInk) rises over its ink by an eighth of the x-height
// more than the line's letters' outlines do (an accent over a capital,
// Í in DÍAZ, where the letter's height is the line's and the mark
// stands over it). It returns the part of each such outline over the
// ink.
func mergedMarks(ln *line) []image.Rectangle {
	type risen struct {
		outline image.Rectangle
		inkTop  int
	}
	var all []risen
	for _, f := range ln.faint {
		if !letterSized(f, ln.k) {
			continue
		}
		inkTop := math.MaxInt
		for _, l := range ln.letters {
			if l.box.In(f.box.Inset(-1)) {
				inkTop = min(inkTop, l.box.Min.Y)
			}
		}
		if inkTop != math.MaxInt {
			all = append(all, risen{f.box, inkTop})
		}
	}
	if len(all) < 3 {
		return nil
	}
	rises := make([]int, len(all))
	for i, r := range all {
		rises[i] = r.inkTop - r.outline.Min.Y
	}
	slices.Sort(rises)
	halo := float64(rises[len(rises)/2]) // what blur adds to every letter
	var tops []image.Rectangle
	for _, r := range all {
		if rise := float64(r.inkTop - r.outline.Min.Y); rise-halo >= ln.xh/8 && rise <= 0.8*ln.xh {
			tops = append(tops, image.Rect(r.outline.Min.X, r.outline.Min.Y, r.outline.Max.X, r.inkTop))
		}
	}
	return tops
}

// samePlace reports whether two marks' boxes share columns and lie within
// two pixels of each other, one over the other: pieces of one dot.
func samePlace(a, b image.Rectangle) bool {
	cols := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	gap := max(a.Min.Y, b.Min.Y) - min(a.Max.Y, b.Max.Y)
	return cols > 0 && gap <= 2
}

// openUnderDots mends, in a name read from the line of writing ln, an
// ö the French model (fra, its reading) read as ü, where the letter under
// the two dots is open at the top: a u. It needs no cutting of the line
// into letters (markLetters does, and its count fails where strokes break
// or touch): the pairs of dots over the line, left to right, are the
// name's dotted letters in order, or nothing is changed. The French model
// has ü and no ö, so its ü alone does not tell them apart.
func openUnderDots(text, fra string, ln *line) string {
	tw, fw := strings.Fields(text), strings.Fields(fra)
	if len(tw) != len(fw) {
		return text
	}
	// The places (among the name's letters, spaces left out) of ö read
	// as ü by the French model, and of every dotted letter.
	var chars []rune
	disputed := map[int]bool{}
	for i := range tw {
		a, b := []rune(tw[i]), []rune(fw[i])
		for j, r := range a {
			if len(a) == len(b) && (r == 'ö' && b[j] == 'ü' || r == 'Ö' && b[j] == 'Ü') {
				disputed[len(chars)] = true
			}
			chars = append(chars, r)
		}
	}
	if len(disputed) == 0 {
		return text
	}
	var dotted []int
	for i, r := range chars {
		if strings.ContainsRune("äöüÄÖÜ", r) {
			dotted = append(dotted, i)
		}
	}
	letters, xh := ln.letters, ln.xh
	if len(letters) < 3 {
		return text
	}
	var marks []component
	for _, c := range slices.Concat(ln.comps, ln.faint) {
		if ln.markSized(c) {
			dup := false
			for _, m := range marks {
				dup = dup || m.box.Overlaps(c.box)
			}
			if !dup {
				marks = append(marks, c)
			}
		}
	}
	slices.SortFunc(marks, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	var pairs [][2]component
	for i := 0; i+1 < len(marks); i++ {
		if twoDots(marks[i], marks[i+1], xh) && marks[i+1].box.Min.X-marks[i].box.Max.X <= int(xh) {
			pairs = append(pairs, [2]component{marks[i], marks[i+1]})
			i++
		}
	}
	if len(pairs) != len(dotted) {
		return text
	}
	changed := false
	for n, i := range dotted {
		if !disputed[i] {
			continue
		}
		p := pairs[n]
		x := float64(p[0].box.Min.X+p[1].box.Max.X) / 2
		for _, l := range letters {
			if float64(l.box.Min.X) <= x && x <= float64(l.box.Max.X) && l.box.Min.Y >= p[1].box.Max.Y-1 && l.box.Min.Y >= p[0].box.Max.Y-1 {
				if _, holes := hole(l, ln.img); holes == 0 {
					chars[i], changed = map[rune]rune{'ö': 'ü', 'Ö': 'Ü'}[chars[i]], true
				}
				break
			}
		}
	}
	if !changed {
		return text
	}
	return withSpaces(text, chars)
}

// accentsInOrder mends, in a name read from the line of writing ln, the
// letters whose mark over them is an accent the reading took for another
// mark: Diaz for Díaz (the accent for an i's dot), Böra for Bóra (for two
// dots), Benoit for Benoît. It needs no cutting of the line into letters
// (markLetters does, and a speck, or two letters run together, defeat
// it): the marks over the line's letters, left to right, two dots side by
// side as one, are the reading's marked letters in order (i and j count,
// and apostrophes), or nothing is changed. A mark judged an accent (see
// accent) over a letter read with a dot or two dots gives it that
// accent; the reading is then in doubt (changed): a smeared dot may lean
// too.
func accentsInOrder(text string, ln *line) (string, bool) {
	if len(ln.letters) < 3 {
		return text, false
	}
	xh, baseline := ln.xh, ln.baseline
	// under is the letter a mark stands over: the largest whose columns
	// hold the mark's middle.
	under := func(c component) (component, bool) {
		cx, _ := centre(c)
		var best component
		found := false
		for _, l := range ln.letters {
			if float64(l.box.Min.X) <= cx && cx <= float64(l.box.Max.X) && (!found || l.area > best.area) {
				best, found = l, true
			}
		}
		return best, found
	}
	var marks []component
	for _, c := range ln.comps {
		if !ln.markSized(c) || float64(c.box.Max.Y) > baseline-0.8*xh || float64(c.box.Min.Y) < baseline-2.2*xh {
			continue
		}
		if _, ok := under(c); ok {
			marks = append(marks, c)
		}
	}
	slices.SortFunc(marks, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	var groups [][]component
	for i := 0; i < len(marks); i++ {
		if i+1 < len(marks) && twoDots(marks[i], marks[i+1], xh) && float64(marks[i+1].box.Min.X-marks[i].box.Max.X) <= xh {
			groups = append(groups, marks[i:i+2])
			i++
			continue
		}
		groups = append(groups, marks[i:i+1])
	}
	chars := []rune(text)
	var marked []int // the places of the reading's letters that bear marks
	for i, r := range chars {
		if marksOf(string(r)) > 0 {
			marked = append(marked, i)
		}
	}
	if len(marked) != len(groups) {
		return text, false
	}
	changed := false
	for n, i := range marked {
		g := groups[n]
		r := chars[i]
		if len(g) != 1 || !strings.ContainsRune("iäöüÄÖÜ", r) {
			continue
		}
		stem, _ := under(g[0])
		// Not a grave accent over an i: names seldom have ì, and a dot
		// smeared one way leans so as often.
		if a := accent(g[0], stem, ln.img, xh); a != 0 && !(a == grave && r == 'i') {
			if m := accented(r, a); m != r {
				chars[i], changed = m, true
			}
		}
	}
	if !changed {
		return text, false
	}
	return string(chars), true
}

// line is a line of writing in a zone's image: its ink components, at the
// ink threshold and at faintInk, those big enough to be letters, its
// x-height and its baseline. Found once per zone for the readings that
// judge the marks over its letters.
type line struct {
	img                   *image.Gray
	k                     float64 // pixels per point
	comps, faint, letters []component
	xh, baseline          float64
}

// lineOf finds the line of writing in img, at k pixels per point.
func lineOf(img *image.Gray, k float64) *line {
	ln := &line{img: img, k: k, comps: components(img), faint: componentsUnder(img, faintInk)}
	ln.letters, ln.xh = lineLetters(ln.comps, k)
	ln.baseline = baselineOf(ln.letters)
	return ln
}

// over reports whether c is a mark over the line's letters (see
// marksOver): mark-sized, over the x-height and not far over it.
func (ln *line) over(c component) bool {
	return ln.markSized(c) && float64(c.box.Max.Y) <= ln.baseline-0.8*ln.xh && float64(c.box.Min.Y) >= ln.baseline-2.2*ln.xh
}

// markSized reports whether c is of the size of a dot or an accent over
// the line's letters: no letter, at least an eighth of the x-height and
// two pixels across, at most six tenths of it.
func (ln *line) markSized(c component) bool {
	w, h := float64(c.box.Dx()), float64(c.box.Dy())
	return !letterSized(c, ln.k) && max(w, h) >= 0.12*ln.xh && max(w, h) <= 0.6*ln.xh && min(w, h) >= 2
}

// hasInk reports whether a pixel of c is darker than the ink threshold in
// img (c's pixel offsets index img).
func hasInk(c component, img *image.Gray) bool {
	for _, off := range c.pix {
		if img.Pix[off] < inkThreshold {
			return true
		}
	}
	return false
}
