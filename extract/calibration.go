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

// calPoint says that values of raw confidence Raw and up (the least of
// a bin of the fit) were right with probability P.
type calPoint struct{ Raw, P float64 }

// calibration holds, per field type, points of non-decreasing Raw and P;
// a raw confidence takes the P of the last point at or under it (the
// least raw confidence of its bin): not interpolated, since P is the share
// right over the whole bin, and interpolating would promise more than it
// to the bin's upper values (raw 0.93 of text was 0.965 so, its bin's
// share right at least 0.941). Under the first point, the first P. P is the
// lower end of the 95 % Wilson interval of the share right: with few
// values at a confidence, P stays modest. Fitted on the development corpora
// (seeds 4242 and 6161, 40 extra documents each: 248 files, 6,872 values,
// 4,484 of them scanned).
var calibration = map[form.FieldType][]calPoint{
	form.TypeCheckbox:     {{0.505, 0.000}, {0.713, 0.342}, {0.750, 0.722}, {0.802, 0.796}, {0.851, 0.871}, {0.901, 0.943}, {0.970, 0.997}},
	form.TypeDate:         {{0.269, 0.095}, {0.369, 0.490}, {0.800, 0.510}, {0.850, 0.796}, {0.900, 0.898}, {0.950, 0.970}},
	form.TypeEmail:        {{0.087, 0.410}, {0.670, 0.436}, {0.750, 0.566}, {0.801, 0.875}, {0.850, 0.886}, {0.900, 0.983}},
	form.TypeOrgnr:        {{0.258, 0.207}, {0.367, 0.845}, {0.850, 0.904}, {0.900, 0.952}},
	form.TypePersonnummer: {{0.129, 0.095}, {0.354, 0.816}, {0.850, 0.886}, {0.900, 0.981}},
	form.TypePhone:        {{0.005, 0.646}, {0.315, 0.814}, {0.850, 0.936}, {0.900, 0.966}, {0.950, 0.983}},
	form.TypeSignature:    {{0.869, 0.510}, {0.903, 0.646}, {1.000, 0.978}},
	form.TypeText:         {{0.003, 0.287}, {0.513, 0.324}, {0.661, 0.761}, {0.850, 0.810}, {0.900, 0.920}, {0.950, 0.981}},
}

// calibrate maps a raw confidence to the probability that the value is
// right.
func calibrate(t form.FieldType, raw float64) float64 {
	pts := calibration[t]
	if raw <= 0 || len(pts) == 0 {
		return raw
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
