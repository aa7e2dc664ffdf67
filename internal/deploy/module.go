package deploy

import (
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module writes the web server configurations and the receiver's unit for
// the site just published into deploy/ beside the output folder, from the
// site as built (its paths, hashes and base URL).
type Module struct{}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Einrichtung für Webserver" }

func (*Module) Published(e *site.Env) []report.Problem {
	if err := Write(e.OutDir, e.BaseURL, e.Config.Params.SkriptSeiten); err != nil {
		return []report.Problem{{File: "deploy", Severity: report.Warnung, Rule: "deploy",
			Message: "Die Einrichtung für Webserver und Empfänger (deploy/) wurde nicht geschrieben: " + err.Error()}}
	}
	return nil
}
