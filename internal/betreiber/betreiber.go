// Package betreiber is the module of the operator's data in hugo.toml: the
// Impressum, the privacy page and the request contact. Until the operator
// is known, each empty value is shown as open on its page and reported as a
// Warnung (rule "offen"), which a build for publishing turns into a Fehler.
package betreiber

import (
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module reports the operator's open values.
type Module struct{}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Betreiber" }

func (*Module) Load(e *site.Env) []report.Problem { return e.Config.Open() }
