package pdfguard_test

import (
	"errors"
	"strings"
	"testing"

	"blankett/pdfguard"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

func TestDo(t *testing.T) {
	if err := pdfguard.Do("step", func() error { panic("broken xref") }); err == nil || !strings.Contains(err.Error(), "step: pdf library panic: broken xref") {
		t.Fatalf("a panic: %v", err)
	}
	want := errors.New("plain")
	if err := pdfguard.Do("step", func() error { return want }); !errors.Is(err, want) {
		t.Fatalf("an error: %v", err)
	}
	if c := pdfguard.Config(); c.ValidationMode != model.ValidationRelaxed || !c.Offline {
		t.Fatalf("config %+v", c)
	}
}
