package forms

import (
	"strings"
	"testing"

	"budgetsite/internal/report"
)

func loadSite(t testing.TB) *Set {
	t.Helper()
	set, err := Load("../../data/formulare.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestLoadSiteDefinitions(t *testing.T) {
	set := loadSite(t)
	for _, id := range []string{"ausstellung", "schulung", "feedback"} {
		f := set.Forms[id]
		if f == nil {
			t.Fatalf("form %s missing", id)
		}
		if f.Field("einwilligung") == nil || !f.Field("einwilligung").Pflicht {
			t.Errorf("%s: consent must be a required field", id)
		}
	}
	if got := set.Forms["ausstellung"].Field("zeitraum_bis").Nach; got != "zeitraum_von" {
		t.Errorf("zeitraum_bis.nach = %q", got)
	}
}

func TestParseProblemsNameLine(t *testing.T) {
	const head = "formulare:\n  f:\n    titel: {de: T, ls: T}\n    seite: {de: /a/, ls: /leichte-sprache/a/}\n    danke: {de: /d/, ls: /leichte-sprache/d/}\n    gruppen:\n      - id: g\n        legende: {de: G, ls: G}\n        felder:\n"
	cases := []struct {
		name, yaml, want string
		line             int
	}{
		{"unknown type", head + "          - name: a\n            typ: farbe\n            label: {de: A, ls: A}\n", "Unbekannter Feldtyp „farbe“", 11},
		{"missing ls", head + "          - name: a\n            typ: text\n            label: {de: A}\n", "Leichter Sprache", 12},
		{"nach unknown", head + "          - name: a\n            typ: date\n            nach: b\n            label: {de: A, ls: A}\n", "nennt ein Feld, das es", 12},
		{"radio without options", head + "          - name: a\n            typ: radio\n            label: {de: A, ls: A}\n", "braucht „optionen“", 10},
		{"duplicate name", head + "          - name: a\n            typ: text\n            label: {de: A, ls: A}\n          - name: a\n            typ: text\n            label: {de: A, ls: A}\n", "zweimal", 13},
		{"reserved name", head + "          - name: website\n            typ: text\n            label: {de: A, ls: A}\n", "setzt die Formular-Seite selbst", 10},
		{"unknown key", head + "          - name: a\n            typ: text\n            pflicht: ja bitte\n            label: {de: A, ls: A}\n", "", 12},
		{"typo in key", head + "          - name: a\n            typ: text\n            lable: {de: A, ls: A}\n", "", 12},
		{"number without max", head + "          - name: a\n            typ: number\n            label: {de: A, ls: A}\n", "braucht „max“", 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ps := Parse("data/formulare.yaml", []byte(c.yaml))
			if report.Count(ps, report.Fehler) == 0 {
				t.Fatal("no problem reported")
			}
			p := ps[0]
			if p.File != "data/formulare.yaml" || p.Line != c.line {
				t.Errorf("at %s, want line %d (%s)", p.Location(), c.line, p)
			}
			if !strings.Contains(p.Message, c.want) {
				t.Errorf("message %q lacks %q", p.Message, c.want)
			}
		})
	}
}
