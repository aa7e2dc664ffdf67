package listings

import (
	"context"
	"slices"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module is the exhibition and the trainings: it checks both files, hands
// Hugo the dates of the coming twelve months (decided at build time, not in
// a template), and writes the calendar feeds.
type Module struct{ d *Data }

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Ausstellung und Schulungen" }

func (m *Module) Load(e *site.Env) []report.Problem {
	var ps []report.Problem
	m.d, ps = Load(e.Root)
	return ps
}

func (m *Module) Texts(e *site.Env) []site.Text {
	return append(site.YAMLTexts(e.Root, AusstellungFile), site.YAMLTexts(e.Root, SchulungenFile)...)
}

// HugoData is angebote_termine: per listing ("ausstellung", "schulung") the
// dates that end today or later and start within a year, sorted.
func (m *Module) HugoData(e *site.Env) (map[string]any, []report.Problem) {
	if m.d == nil {
		return nil, nil
	}
	return map[string]any{"angebote_termine": map[string]any{
		"ausstellung": window(m.d.Ausstellung.Buchungen, e.Now),
		"schulung":    window(m.d.Schulungen.Termine, e.Now),
	}}, nil
}

// Upcoming is one date as the listing templates print it.
type Upcoming struct {
	Start   string         `json:"start"` // YYYY-MM-DD
	Ende    string         `json:"ende"`
	Eintrag map[string]any `json:"eintrag"`
}

func window(ts []Termin, now time.Time) map[string]any {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	limit := today.AddDate(1, 0, 0)
	var out []Upcoming
	for _, t := range ts {
		if t.End.Before(today) || !t.Start.Before(limit) {
			continue
		}
		out = append(out, Upcoming{Start: t.Start.Format(dateLayout), Ende: t.End.Format(dateLayout), Eintrag: map[string]any{
			"status": t.Status, "ort": t.Ort, "oeffentlich": t.Oeffentlich, "thema": map[string]string{"de": t.Thema.DE, "ls": t.Thema.LS},
			"stufenlos": t.Stufenlos, "induktionsschleife": t.Induktionsschleife, "gebaerdensprache_auf_anfrage": t.GebaerdenspracheAufAnfrage,
		}})
	}
	slices.SortStableFunc(out, func(a, b Upcoming) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	return map[string]any{"kommend": out}
}

func (m *Module) MakeFiles(_ context.Context, e *site.Env, f site.Files) []report.Problem {
	if m.d == nil {
		return nil
	}
	written, err := WriteCalendars(m.d, f.Dir(), e.Now)
	for _, w := range written {
		f.AddFile(w)
	}
	if err != nil {
		return []report.Problem{{File: AusstellungFile, Severity: report.Fehler, Rule: "kalender", Message: "Die Kalender ließen sich nicht schreiben: " + err.Error()}}
	}
	return nil
}
