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

// calPoint says that values of raw confidence Raw were right with
// probability P.
type calPoint struct{ Raw, P float64 }

// calibration holds, per field type, points of non-decreasing Raw and P;
// between them confidence is interpolated, beyond them held. P is the
// lower end of the 95 % Wilson interval of the share right: with few
// values at a confidence, P stays modest. Fitted on the development corpus
// (seed 4242, 40 extra documents: 124 files, 3,441 values, 2,197 of them
// scanned).
var calibration = map[form.FieldType][]calPoint{
	form.TypeCheckbox:     {{0.713, 0.207}, {0.780, 0.610}, {0.828, 0.722}, {0.874, 0.772}, {0.933, 0.879}, {1.000, 0.995}},
	form.TypeDate:         {{0.482, 0.301}, {0.825, 0.438}, {0.885, 0.676}, {0.926, 0.806}, {0.958, 0.941}},
	form.TypeEmail:        {{0.191, 0.208}, {0.392, 0.306}, {0.621, 0.453}, {0.785, 0.790}, {0.886, 0.879}, {0.926, 0.968}},
	form.TypeOrgnr:        {{0.258, 0.207}, {0.371, 0.342}, {0.567, 0.342}, {0.675, 0.342}, {0.773, 0.342}, {0.836, 0.438}, {0.888, 0.796}, {0.915, 0.936}},
	form.TypePersonnummer: {{0.590, 0.676}, {0.891, 0.757}, {0.928, 0.964}},
	form.TypePhone:        {{0.006, 0.342}, {0.633, 0.750}, {0.883, 0.871}, {0.921, 0.954}, {0.955, 0.967}},
	form.TypeSignature:    {{0.906, 0.438}, {0.950, 0.772}, {1.000, 0.951}},
	form.TypeText:         {{0.344, 0.199}, {0.711, 0.595}, {0.875, 0.730}, {0.920, 0.869}, {0.958, 0.982}},
}

// calibrate maps a raw confidence to the probability that the value is
// right.
func calibrate(t form.FieldType, raw float64) float64 {
	pts := calibration[t]
	if raw <= 0 || len(pts) == 0 {
		return raw
	}
	if raw <= pts[0].Raw {
		return pts[0].P
	}
	for i := 1; i < len(pts); i++ {
		if raw <= pts[i].Raw {
			a, b := pts[i-1], pts[i]
			return a.P + (b.P-a.P)*(raw-a.Raw)/(b.Raw-a.Raw)
		}
	}
	return pts[len(pts)-1].P
}
