package listings

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/report"
)

func summary(ps []report.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Location()+" "+p.Severity.String()+" "+p.Rule)
	}
	return out
}

// TestShippedData: the real files load without errors, and each empty
// field of the seed-only data is reported with its line.
func TestShippedData(t *testing.T) {
	d, ps := Load("../..")
	if d == nil || report.Count(ps, report.Fehler) > 0 {
		t.Fatalf("Fehler in den ausgelieferten Daten:\n%s", strings.Join(summary(ps), "\n"))
	}
	if len(d.Ausstellung.Buchungen) != 0 || len(d.Schulungen.Termine) != 0 {
		t.Error("die ausgelieferten Daten enthalten Termine, die Quelle nennt keine")
	}
	want := map[string][]string{
		AusstellungFile: {"themen", "anzahl_elemente", "platzbedarf", "transport", "aufbauhilfe", "begleitmaterial"},
		SchulungenFile:  {"themen", "dauer", "format", "max_teilnehmende", "kosten"},
	}
	for file, keys := range want {
		src, err := os.ReadFile(filepath.Join("../..", file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for _, key := range keys {
			found := false
			for _, p := range ps {
				// The line is the key's, or for a block ({de, ls}) its first entry.
				if p.File == file && p.Severity == report.Warnung && p.Line > 1 &&
					(strings.HasPrefix(lines[p.Line-1], key+":") || strings.HasPrefix(lines[p.Line-2], key+":")) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: keine Warnung mit Zeile für das leere Feld %q", file, key)
			}
		}
		if got := countFile(ps, file); got != len(keys) {
			t.Errorf("%s: %d Meldungen, erwartet %d:\n%s", file, got, len(keys), strings.Join(summary(ps), "\n"))
		}
	}
}

func countFile(ps []report.Problem, file string) int {
	n := 0
	for _, p := range ps {
		if p.File == file {
			n++
		}
	}
	return n
}

func TestFixtureWarnings(t *testing.T) {
	d, ps := Load(fixtureRoot(t, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
	if d == nil {
		t.Fatal(summary(ps))
	}
	got := summary(ps)
	want := []string{
		"data/ausstellung.yaml:17 Warnung angabe-fehlt", // platzbedarf: ls fehlt
		"data/ausstellung.yaml:19 Warnung angabe-fehlt", // transport (erste Zeile des Blocks)
		"data/ausstellung.yaml:25 Warnung angabe-fehlt", // begleitmaterial
		"data/ausstellung.yaml:28 Warnung angabe-fehlt", // öffentlich, Gebärdensprache unbekannt
		"data/schulungen.yaml:10 Warnung angabe-fehlt",  // themen
		"data/schulungen.yaml:12 Warnung angabe-fehlt",  // dauer
		"data/schulungen.yaml:17 Warnung angabe-fehlt",  // kosten
	}
	if !slices.Equal(got, want) {
		t.Errorf("Meldungen:\n%s\nerwartet:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	b := d.Ausstellung.Buchungen[0]
	if b.Start != time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC) || b.End != time.Date(2030, 2, 10, 0, 0, 0, 0, time.UTC) || b.Line != 28 {
		t.Errorf("erste Buchung falsch gelesen: %+v", b)
	}
	if *d.Ausstellung.AnzahlElemente != 7 || d.Ausstellung.Buchungen[0].GebaerdenspracheAufAnfrage != nil || !*d.Ausstellung.Buchungen[0].Stufenlos {
		t.Errorf("Felder falsch gelesen: %+v", d.Ausstellung)
	}
}

const okHead = `name: {de: "A", ls: "A"}
anbieter: {de: "B", ls: "B"}
kosten: {de: "k", ls: "k"}
themen: [{de: "t", ls: "t"}]
anzahl_elemente: 3
platzbedarf: {de: "p", ls: "p"}
transport: {de: "t", ls: "t"}
aufbauhilfe: {de: "a", ls: "a"}
begleitmaterial: {de: "b", ls: "b"}
`

// TestBadInput: every kind of bad value is a Fehler that names the line.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, file, content string
		line                int
		msg                 string
	}{
		{"kaputtes YAML", AusstellungFile, okHead + "buchungen: [\n", 10, "eckige Klammer [ wird nicht geschlossen"},
		{"Tab-Einrückung", AusstellungFile, okHead + "buchungen:\n\t- von: 2030-01-01\n", 11, "Tabulator"},
		{"unbekanntes Feld", AusstellungFile, okHead + "platzbedraf: {de: x, ls: x}\nbuchungen: []\n", 10, "Den Eintrag „platzbedraf“ gibt es hier nicht"},
		{"Zahl als Text", AusstellungFile, strings.Replace(okHead, "anzahl_elemente: 3", "anzahl_elemente: drei", 1) + "buchungen: []\n", 5, "Hier muss eine Zahl stehen"},
		{"Anzahl 0", AusstellungFile, strings.Replace(okHead, "anzahl_elemente: 3", "anzahl_elemente: 0", 1) + "buchungen: []\n", 5, "mindestens 1"},
		{"Datum unmöglich", AusstellungFile, okHead + "buchungen:\n  - von: 2030-02-30\n    bis: 2030-03-01\n    status: frei\n", 11, "kein gültiges Datum"},
		{"Datum deutsch", AusstellungFile, okHead + "buchungen:\n  - von: \"01.03.2030\"\n    bis: 2030-03-01\n    status: frei\n", 11, "kein gültiges Datum"},
		{"Datum fehlt", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    status: frei\n", 11, "„bis“ fehlt"},
		{"Ende vor Beginn", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-02\n    bis: 2030-03-01\n    status: frei\n", 12, "vor dem ersten Tag"},
		{"Status unbekannt", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    bis: 2030-03-01\n    status: gebucht\n", 13, "Unbekannter Status"},
		{"Status fehlt", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    bis: 2030-03-01\n", 11, "Status fehlt"},
		{"öffentlich ohne Ort", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    bis: 2030-03-01\n    status: belegt\n    oeffentlich: true\n    stufenlos: true\n    induktionsschleife: true\n    gebaerdensprache_auf_anfrage: true\n", 11, "fehlt der Ort"},
		{"öffentlich und frei", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    bis: 2030-03-01\n    status: frei\n    oeffentlich: true\n    ort: X\n    stufenlos: true\n    induktionsschleife: true\n    gebaerdensprache_auf_anfrage: true\n", 14, "freier Zeitraum"},
		{"Überschneidung", AusstellungFile, okHead + "buchungen:\n  - von: 2030-03-01\n    bis: 2030-03-10\n    status: belegt\n  - von: 2030-03-10\n    bis: 2030-03-12\n    status: frei\n", 14, "Zeile 11"},
		{"Name ohne Leichte Sprache", AusstellungFile, strings.Replace(okHead, `name: {de: "A", ls: "A"}`, "name:\n  de: A\n  ls: \"\"", 1) + "buchungen: []\n", 3, "Leichter Sprache"},
		{"Form unbekannt", SchulungenFile, "name: {de: a, ls: a}\nanbieter: {de: a, ls: a}\nzielgruppe: {de: a, ls: a}\nformat: [vor_ort, praesenz]\ntermine: []\n", 4, "Unbekannte Form"},
		{"Schulung doppeltes Feld", SchulungenFile, "name: {de: a, ls: a}\nname: {de: a, ls: a}\n", 2, "„name“ steht doppelt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Load(withFile(t, tt.file, tt.content))
			for _, p := range ps {
				if p.Severity == report.Fehler && p.File == tt.file && p.Line == tt.line && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("kein Fehler %s:%d mit %q; gemeldet:\n%s", tt.file, tt.line, tt.msg, strings.Join(messages(ps), "\n"))
		})
	}
}

func messages(ps []report.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestMissingFile(t *testing.T) {
	d, ps := Load(t.TempDir())
	if d != nil || len(ps) != 2 || ps[0].Message != "Die Datei fehlt." {
		t.Errorf("Daten %v, Meldungen %v", d, messages(ps))
	}
}
