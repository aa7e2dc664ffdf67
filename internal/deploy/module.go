package deploy

import (
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module writes the web server configurations and the receiver's unit for
// the site just published into deploy/ beside the output folder, from the
// site as built (its paths, hashes and base URL), which it reads as the
// finish step passes the files by.
type Module struct {
	scan *Scanner
}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Einrichtung für Webserver" }

func (m *Module) Load(e *site.Env) []report.Problem {
	m.scan = NewScanner(e.Config.Params.SkriptSeiten)
	return nil
}

func (m *Module) ObserveFile(rel string, data []byte) { m.scan.File(rel, data) }

func (m *Module) Published(e *site.Env) []report.Problem {
	s, err := m.scan.Site()
	if err == nil {
		err = Write(e.OutDir, e.BaseURL, s)
	}
	if err != nil {
		return []report.Problem{{File: "deploy", Severity: report.Warnung, Rule: "deploy",
			Message: "Die Einrichtung für Webserver und Empfänger (deploy/) wurde nicht geschrieben: " + err.Error()}}
	}
	return nil
}
