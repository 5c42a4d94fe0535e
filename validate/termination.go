package validate

import (
	"time"

	"blankett/form"
)

// TerminationNoticeMonths is the notice a termination needs (§5 of the
// agreement): the end date at least six months after the notice arrived.
const TerminationNoticeMonths = 6

// Termination checks a written termination of an agreement received on
// received that asks it to end on end.
func Termination(received, end time.Time) []form.Finding {
	received, end = form.Day(received), form.Day(end)
	ev := map[string]string{"received": received.Format(DateLayout), "end": end.Format(DateLayout)}
	if end.Before(received) {
		return []form.Finding{{Code: form.CodeTerminationEndBeforeReceived, Severity: form.Codes[form.CodeTerminationEndBeforeReceived], Field: "end",
			Message: "Slutdagen ligger före den dag uppsägningen kom in. Kontrollera datumen.", Evidence: ev}}
	}
	earliest := received.AddDate(0, TerminationNoticeMonths, 0)
	if end.Before(earliest) {
		ev["earliest"] = earliest.Format(DateLayout)
		return []form.Finding{{Code: form.CodeTerminationNoticeShort, Severity: form.Codes[form.CodeTerminationNoticeShort], Field: "end",
			Message: "Uppsägningstiden är sex månader. Överenskommelsen kan tidigast upphöra den " + form.DayInWords(earliest) +
				", sex månader efter att uppsägningen kom in.", Evidence: ev}}
	}
	return nil
}
