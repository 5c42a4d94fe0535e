//go:build race

package extract

// raceEnabled: this test binary runs under the race detector, whose
// runtime cannot start under a tight address-space limit.
const raceEnabled = true
