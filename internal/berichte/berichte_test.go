package berichte

import (
	"strings"
	"testing"

	"budgetsite/internal/contentlint"
)

func page(t *testing.T, file, src string) *contentlint.Page {
	t.Helper()
	pg, ps := contentlint.NewPage(file, []byte(src))
	if ps != nil {
		t.Fatalf("front matter: %v", ps)
	}
	return pg
}

const goodReport = `---
title: "Praxisdialog"
date: 2022-02-22
veranstalter: "KSL Düsseldorf"
format: "Zoom"
regionen: ["Kreis Wesel"]
teilnehmergruppen: ["Budgetnehmerinnen und Budgetnehmer"]
teilnehmerzahl: 20
themen: ["Assistenz"]
ergebnisse: ["Eins"]
jahre: ["2022"]
---
Text.
`

func TestReport(t *testing.T) {
	cases := []struct {
		name, from, to string
		want           string
		line           int
	}{
		{"complete", "", "", "", 0},
		{"missing organiser", `veranstalter: "KSL Düsseldorf"`, `veranstalter: ""`, `"veranstalter"`, 4},
		{"wrong year", `jahre: ["2022"]`, `jahre: ["2021"]`, `jahre: ["2022"]`, 11},
		{"count as text", `teilnehmerzahl: 20`, `teilnehmerzahl: "rund 20"`, "ganze Zahl", 8},
		{"bad date", `date: 2022-02-22`, `date: "22.02.2022"`, "JJJJ-MM-TT", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pg := page(t, "content/de/berichte/x.md", strings.Replace(goodReport, c.from, c.to, 1))
			if !IsReport(pg) {
				t.Fatal("not a report")
			}
			ps := Report(pg)
			if c.want == "" {
				if len(ps) != 0 {
					t.Errorf("unexpected %v", ps)
				}
				return
			}
			found := false
			for _, p := range ps {
				found = found || (p.Line == c.line && strings.Contains(p.Message, c.want))
			}
			if !found {
				t.Errorf("got %v, want line %d with %q", ps, c.line, c.want)
			}
		})
	}
}
