package extract

import "blankett/form"

// Confidence that is a probability. The readings' own confidence (the
// weakest word's, lowered by disagreement, doubt and mending) orders values
// well but says little about how often they are right, and differently
// for each field type. calibrate maps it, per field type, to the share of
// values read right at that confidence on the development corpora:
// corpora of the mailroom world (`blankett corpus --seed 4242 --count 40`,
// and seed 6161 with every edition in testdata/editions), never the
// evaluation corpus `make accuracy` reports on. Refit after a change to
// reading with `make calibrate`, which measures both as one and prints the
// table below from the uncalibrated confidences.
//
// A value that is unread (confidence 0) stays 0.
//
// Values whose first reading was unsure or failed its checks, so that
// the zone was read again (candidate.reread), have a table of their own,
// calibrationReread: such a value is less often right than one read
// surely at once at the same confidence (on the development corpora a
// phone number read again was right 90.6 % of the time at the least,
// where one read surely at once at 0.8 and over was right 98.5 %;
// pooled, both said 0.986, and a number missing a digit was shown as
// sure).

// calPoint says that values of raw confidence Raw and up (the least of
// a bin of the fit) were right with probability P.
type calPoint struct{ Raw, P float64 }

// calibration holds, per field type, points of non-decreasing Raw and P;
// a raw confidence takes the P of the last point at or under it (the
// least raw confidence of its bin): not interpolated, since P is the share
// right over the whole bin, and interpolating would promise more than it
// to the bin's upper values. Under the first point, where the fit saw no
// value, the raw confidence, and the first P at most. P is the lower end
// of the 99 % Wilson interval of the share right: with few values at a
// confidence, P stays modest, and a bin that holds a wrong value among
// some hundreds stays under 0.95 (a value shown as sure must be right;
// the 95 % interval let the bin of text read 0.90 to 0.95 say 0.96).
// Bins whose shares right do not rise with confidence are pooled, ties
// too: a personnummer read surely at once at 0.8 is as right as one read
// at 0.95, and as small bins apart, each would have said far less and
// been flagged for nothing. A bin that holds a wrong value says under
// 0.95 (sureBelow in accuracy_test.go): 0.95 and over says sure, and is
// kept for values of which the corpora hold no wrong one. Fitted on the
// development corpora (seeds 4242, 6161, 5252, 20270118, 7301, 7302, 4411
// and 20271018, 40 extra documents each: 992 files, 27,392 values).
var calibration = map[form.FieldType][]calPoint{
	form.TypeCheckbox:     {{0.450, 0.433}, {1.000, 0.999}},
	form.TypeDate:         {{0.400, 0.425}, {0.810, 0.990}},
	form.TypeEmail:        {{0.750, 0.388}, {0.802, 0.774}, {0.850, 0.949}, {0.950, 0.979}},
	form.TypeOrgnr:        {{0.801, 0.988}},
	form.TypePersonnummer: {{0.800, 0.992}},
	form.TypePhone:        {{0.021, 0.425}, {0.800, 0.949}},
	form.TypeSignature:    {{0.450, 0.991}},
	form.TypeText:         {{0.700, 0.773}, {0.800, 0.892}, {0.850, 0.932}, {0.900, 0.949}, {0.930, 0.949}},
}

// sureBelow is the most a bin of the calibration holding a wrong value
// may say: under 0.95, where sure begins.
const sureBelow = 0.949

// calibrationReread is calibration's table for values read again.
var calibrationReread = map[form.FieldType][]calPoint{
	form.TypeDate:         {{0.028, 0.425}, {0.312, 0.806}, {0.850, 0.806}},
	form.TypeEmail:        {{0.000, 0.556}, {0.304, 0.683}, {0.506, 0.821}, {0.801, 0.821}, {0.850, 0.945}, {0.900, 0.945}},
	form.TypeOrgnr:        {{0.067, 0.384}, {0.305, 0.938}},
	form.TypePersonnummer: {{0.008, 0.384}, {0.302, 0.774}, {0.517, 0.938}},
	form.TypePhone:        {{0.003, 0.498}, {0.306, 0.673}, {0.503, 0.924}, {0.902, 0.931}},
	form.TypeText:         {{0.001, 0.321}, {0.302, 0.428}, {0.501, 0.520}, {0.650, 0.674}, {0.752, 0.819}, {0.850, 0.933}, {0.900, 0.933}},
}

// calibrate maps a raw confidence to the probability that the value is
// right; reread says the zone was read again (candidate.reread).
func calibrate(t form.FieldType, reread bool, raw float64) float64 {
	pts := calibration[t]
	if reread {
		pts = calibrationReread[t]
	}
	if raw <= 0 || len(pts) == 0 {
		return raw
	}
	if raw < pts[0].Raw {
		// Under every confidence the fit saw: nothing says the value
		// is surer than read.
		return min(raw, pts[0].P)
	}
	p := pts[0].P
	for _, pt := range pts[1:] {
		if raw < pt.Raw {
			break
		}
		p = pt.P
	}
	return p
}

// calibrated is v's confidence as the extraction shows it: calibrated
// (b.reread choosing the table), under b's ceiling.
func calibrated(v form.Value, b support) float64 {
	c := calibrate(v.Type, b.reread, v.Confidence)
	if b.ceiling > 0 {
		c = min(c, b.ceiling)
	}
	return c
}
