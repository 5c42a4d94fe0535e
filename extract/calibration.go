package extract

import "blankett/form"

// Confidence that is a probability. The readings' own confidence (the
// weakest word's, lowered by disagreement, doubt and mending) orders values
// well but says little about how often they are right, and differently
// for each field type. calibrate maps it, per field type, to the share of
// values read right at that confidence on the development corpus: a
// corpus of the mailroom world (`blankett corpus --seed 4242 --count 40`),
// never the evaluation corpus `make accuracy` reports on. Refit after a
// change to reading with
//
//	go test ./extract -run '^TestAccuracy$' -args -accuracy-dir=DIR -calibrate
//
// which prints the table below from the uncalibrated confidences.
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
// values at a confidence, P stays modest. Fitted on the development corpus
// (seed 4242, 40 extra documents: 124 files, 3,441 values, 2,197 of them
// scanned).
var calibration = map[form.FieldType][]calPoint{
	form.TypeCheckbox:     {{0.713, 0.207}, {0.772, 0.610}, {0.802, 0.741}, {0.851, 0.757}, {0.901, 0.879}, {0.970, 0.995}},
	form.TypeDate:         {{0.369, 0.301}, {0.800, 0.510}, {0.850, 0.722}, {0.907, 0.796}, {0.950, 0.939}},
	form.TypeEmail:        {{0.142, 0.213}, {0.518, 0.453}, {0.750, 0.453}, {0.807, 0.722}, {0.850, 0.890}, {0.900, 0.968}},
	form.TypeOrgnr:        {{0.258, 0.207}, {0.370, 0.342}, {0.533, 0.342}, {0.664, 0.342}, {0.766, 0.342}, {0.800, 0.510}, {0.850, 0.816}, {0.902, 0.932}},
	form.TypePersonnummer: {{0.367, 0.676}, {0.850, 0.824}, {0.903, 0.962}},
	form.TypePhone:        {{0.005, 0.342}, {0.365, 0.759}, {0.850, 0.890}, {0.900, 0.952}, {0.950, 0.967}},
	form.TypeSignature:    {{0.869, 0.438}, {0.903, 0.438}, {1.000, 0.956}},
	form.TypeText:         {{0.003, 0.329}, {0.516, 0.410}, {0.653, 0.689}, {0.850, 0.851}, {0.902, 0.939}, {0.950, 0.982}},
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
