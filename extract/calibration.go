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
	form.TypeDate:         {{0.176, 0.301}, {0.365, 0.490}, {0.800, 0.510}, {0.850, 0.757}, {0.901, 0.908}, {0.950, 0.970}},
	form.TypeEmail:        {{0.043, 0.254}, {0.308, 0.386}, {0.531, 0.584}, {0.750, 0.679}, {0.804, 0.773}, {0.850, 0.904}, {0.900, 0.976}},
	form.TypeOrgnr:        {{0.368, 0.851}, {0.850, 0.906}, {0.900, 0.951}},
	form.TypePersonnummer: {{0.112, 0.208}, {0.323, 0.796}, {0.850, 0.879}, {0.901, 0.981}},
	form.TypePhone:        {{0.005, 0.566}, {0.313, 0.797}, {0.850, 0.911}, {0.901, 0.977}, {0.950, 0.983}},
	form.TypeSignature:    {{0.869, 0.510}, {0.903, 0.646}, {1.000, 0.978}},
	form.TypeText:         {{0.018, 0.110}, {0.301, 0.368}, {0.510, 0.430}, {0.654, 0.775}, {0.850, 0.814}, {0.900, 0.939}, {0.950, 0.992}},
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
