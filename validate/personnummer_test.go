package validate

import (
	"blankett/form"
	"errors"
	"testing"
)

func TestPersonnummerBirthNumber000(t *testing.T) {
	for _, in := range []string{"811218-0008", "19811218-0008", "8112180008", "701063-0007"} {
		if _, err := form.ParsePersonnummer(in, ref); !errors.Is(err, form.ErrPersonnummerSerial) {
			t.Errorf("form.ParsePersonnummer(%q) error = %v, want %v", in, err, form.ErrPersonnummerSerial)
		}
	}
	// 001 is issued.
	if _, err := form.ParsePersonnummer("811218-0016", ref); err != nil {
		t.Errorf("birth number 001: %v", err)
	}
}

func TestPersonnummerPlus(t *testing.T) {
	for in, want := range map[string]bool{
		"811218+9876":   true,
		"811218-9876":   false,
		"8112189876":    false,
		"18811218-9876": false, // 12 digits say the century themselves
	} {
		p, err := form.ParsePersonnummer(in, ref)
		if err != nil {
			t.Fatalf("form.ParsePersonnummer(%q): %v", in, err)
		}
		if p.Plus != want {
			t.Errorf("form.ParsePersonnummer(%q).Plus = %v, want %v", in, p.Plus, want)
		}
	}
}

func TestCheckAge(t *testing.T) {
	// ref is 2025-03-10.
	tests := []struct {
		in   string
		age  int
		err  error
		born int // year of birth with '-' when the '+' is a likely misread; 0 when not
	}{
		{in: "20090310-1236", age: 16},
		{in: "20090311-1235", age: 15, err: ErrAgeYoung},
		{in: "19250310-1236", age: 100},
		{in: "19240310-1237", age: 101, err: ErrAgeOld},
		{in: "811218-9876", age: 43},
		{in: "811218+9876", age: 143, err: ErrAgeOld, born: 1981},
		{in: "150312+1236", age: 109, err: ErrAgeOld}, // with '-' a child: no misread
		{in: "250310+1236", age: 100},                 // 100 today: '+' is right
		{in: "090311+1235", age: 115, err: ErrAgeOld}, // with '-' 15: no misread
		{in: "701063-2391", age: 54},                  // samordningsnummer: day - 60
		{in: "120505-1236", age: 12, err: ErrAgeYoung},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := form.ParsePersonnummer(tt.in, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Age(ref); got != tt.age {
				t.Errorf("Age = %d, want %d", got, tt.age)
			}
			if err := CheckAge(p, ref); !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("CheckAge = %v, want %v", err, tt.err)
			}
			born, ok := MisreadPlus(p, ref)
			if ok != (tt.born != 0) || born != tt.born {
				t.Errorf("MisreadPlus = %d, %v, want %d", born, ok, tt.born)
			}
		})
	}
}
