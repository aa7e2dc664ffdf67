// Package berichte is the module of the Praxisdialog reports: every report
// carries the front matter fields its page and its lists (region, topic,
// year) are built from.
package berichte

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module checks the reports' front matter.
type Module struct{}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Berichte" }

func (*Module) CheckPage(_ *site.Env, pg *site.Page) []report.Problem {
	if !IsReport(pg) {
		return nil
	}
	return Report(pg)
}

// reportFields are the front matter fields every Praxisdialog report has;
// the archetype lists them all.
var reportFields = []string{"title", "date", "veranstalter", "format", "regionen", "teilnehmergruppen", "teilnehmerzahl", "themen", "ergebnisse", "jahre"}

// IsReport tells whether the page is a single report (not the list page).
func IsReport(pg *site.Page) bool {
	return strings.HasPrefix(pg.Rel, "berichte/") && path.Base(pg.Rel) != "_index.md"
}

// Report checks the report type's front matter.
func Report(pg *site.Page) []report.Problem {
	var ps []report.Problem
	line := func(key string) int {
		lines := bytes.Split(pg.Src, []byte("\n"))
		for i, l := range lines[:min(len(lines), pg.BodyLine)] {
			if bytes.HasPrefix(l, []byte(key+":")) {
				return i + 1
			}
		}
		return 1
	}
	fm := pg.FrontMatter
	for _, k := range reportFields {
		v, ok := fm[k]
		if !ok || isEmpty(v) {
			ps = append(ps, report.Problem{File: pg.File, Line: line(k), Severity: report.Fehler, Rule: "bericht",
				Message: fmt.Sprintf("Im Bericht fehlt das Feld %q. Alle Felder stehen in archetypes/berichte.md.", k)})
		}
	}
	date, err := frontMatterDate(fm["date"])
	if fm["date"] != nil && err != nil {
		ps = append(ps, report.Problem{File: pg.File, Line: line("date"), Severity: report.Fehler, Rule: "bericht",
			Message: fmt.Sprintf("Das Datum %v hat nicht die Form JJJJ-MM-TT.", fm["date"])})
	}
	if n, ok := fm["teilnehmerzahl"]; ok && !isEmpty(n) {
		if _, isInt := n.(uint64); !isInt {
			if _, isInt := n.(int64); !isInt {
				ps = append(ps, report.Problem{File: pg.File, Line: line("teilnehmerzahl"), Severity: report.Fehler, Rule: "bericht",
					Message: "Die Zahl der Teilnehmenden muss eine ganze Zahl sein (für „rund 20“: teilnehmerzahl: 20 und teilnehmerzahl_ungefaehr: true)."})
			}
		}
	}
	if err == nil && !date.IsZero() {
		want := date.Format("2006")
		years, _ := fm["jahre"].([]any)
		if !slices.ContainsFunc(years, func(y any) bool { return fmt.Sprint(y) == want }) {
			ps = append(ps, report.Problem{File: pg.File, Line: line("jahre"), Severity: report.Fehler, Rule: "bericht",
				Message: fmt.Sprintf("Das Jahr im Feld jahre passt nicht zum Datum: schreiben Sie jahre: [\"%s\"].", want)})
		}
	}
	return ps
}

func frontMatterDate(v any) (time.Time, error) {
	switch d := v.(type) {
	case time.Time:
		return d, nil
	case string:
		return time.Parse("2006-01-02", d)
	case nil:
		return time.Time{}, nil
	}
	return time.Time{}, fmt.Errorf("kein Datum")
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	}
	return false
}
