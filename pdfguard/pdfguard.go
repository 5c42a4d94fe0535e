// Package pdfguard is how Blankett calls pdfcpu: a configuration that
// never touches a config folder or the network and validates relaxed, and
// a guard that turns pdfcpu's panics on broken input into errors (see
// ../shared/LIBRARIES.md). Every package that uses pdfcpu goes through it.
package pdfguard

import (
	"fmt"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// noConfigDir keeps pdfcpu from creating (or exiting for want of) its
// config folder under the home directory.
var noConfigDir sync.Once

// Config is a fresh pdfcpu configuration: relaxed validation, offline,
// no config folder. Callers may change their copy.
func Config() *model.Configuration {
	noConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Offline = true
	return conf
}

// Do runs f, which calls pdfcpu, and returns its error, or a panic in it
// as an error; what names the step for the message.
func Do(what string, f func() error) (err error) {
	noConfigDir.Do(api.DisableConfigDir)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: pdf library panic: %v", what, r)
		}
	}()
	return f()
}
