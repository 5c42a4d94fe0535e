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
// between them confidence is interpolated, beyond them held.
var calibration = map[form.FieldType][]calPoint{}

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
