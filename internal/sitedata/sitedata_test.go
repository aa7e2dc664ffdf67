package sitedata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/report"
)

const goodContacts = `gruppen:
  - id: erwachsene
    titel: {de: "Für Erwachsene", ls: "Für Erwachsene"}
    personen:
      - {name: "Ingeborg König", telefon: "0821 3101-333", email: "ingeborg.koenig@bezirk-schwaben.de"}
stellen:
  - {id: minijob-zentrale, name: "Minijob-Zentrale", telefon: "0355 290270799", web: "https://www.minijob-zentrale.de"}
`

func TestContacts(t *testing.T) {
	cases := []struct {
		name, from, to, want string
		line                 int
	}{
		{"good", "", "", "", 0},
		{"bad phone", `"0821 3101-333"`, `"3101333"`, "Telefonnummer", 5},
		{"bad mail", `"ingeborg.koenig@bezirk-schwaben.de"`, `"ingeborg.koenig"`, "keine gültige E-Mail", 5},
		{"missing ls title", `ls: "Für Erwachsene"`, `ls: ""`, "Leichter Sprache (ls) fehlt", 3},
		{"bad id", "id: erwachsene", "id: Erwachsene Leute", "id aus Kleinbuchstaben", 2},
		{"web without https", `"https://www.minijob-zentrale.de"`, `"www.minijob-zentrale.de"`, "https://", 7},
		{"unknown key", "    personen:", "    leute: 1\n    personen:", "Den Eintrag „leute“ gibt es hier nicht", 4},
		{"broken yaml", "titel: {de:", "titel: {de: [", "Hier steht ein Wert, wo keiner stehen darf", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "data"), 0o755)
			os.WriteFile(filepath.Join(root, ContactsFile), []byte(strings.Replace(goodContacts, c.from, c.to, 1)), 0o644)
			_, ps := Load(root)
			var mine []report.Problem
			for _, p := range ps {
				if p.File == ContactsFile {
					mine = append(mine, p)
				}
			}
			if c.want == "" {
				if len(mine) > 0 {
					t.Errorf("unexpected %v", mine)
				}
				return
			}
			if len(mine) == 0 || mine[0].Line != c.line || !strings.Contains(mine[0].Message, c.want) {
				t.Errorf("got %v, want line %d with %q", mine, c.line, c.want)
			}
		})
	}
}

func TestMissingFileAndAbbreviations(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "data"), 0o755)
	os.WriteFile(filepath.Join(root, AbbreviationsFile), []byte("- {kurz: LVR, lang: Landschaftsverband Rheinland}\n- {kurz: LVR, lang: doppelt}\n- {kurz: klein, lang: x}\n"), 0o644)
	_, ps := Load(root)
	want := map[string]bool{
		ContactsFile + ": Fehler [datei-fehlt]: Die Datei fehlt.":                                                              true,
		AbbreviationsFile + ":2: Fehler [abkuerzung]: Die Abkürzung \"LVR\" steht zweimal in der Liste.":                       true,
		AbbreviationsFile + ":3: Fehler [abkuerzung]: \"klein\" ist keine Abkürzung aus Großbuchstaben (wie LVR oder KoKoBe).": true,
	}
	for _, p := range ps {
		delete(want, p.String())
	}
	for w := range want {
		t.Errorf("missing %q in %v", w, ps)
	}
}

func TestRealData(t *testing.T) {
	_, ps := Load("../..")
	for _, p := range ps {
		if p.Severity == report.Fehler {
			t.Errorf("%s", p)
		}
	}
}

const goodStatement = `stand: 2026-11-22
status: {de: "a", ls: "a"}
methode: {de: "a", ls: "a"}
rueckmeldung:
  formular: "/rueckmeldung/"
  email: "barrieren@beispiel.de"
  telefon: ""
schlichtung:
  name: "Schlichtungsstelle"
  web: "https://schlichtung.beispiel.de"
  email: ""
  text: {de: "a", ls: "a"}
`

// The arbitration body and the feedback address depend on the operator:
// while they are empty, the statement shows them as open and check reports
// each as Warnung [offen] at its own line (build --production fails on it).
func TestStatement(t *testing.T) {
	cases := []struct {
		name, from, to string
		want           []string
	}{
		{"good", "", "", nil},
		{"arbitration body open", `  name: "Schlichtungsstelle"
  web: "https://schlichtung.beispiel.de"`, `  name: ""
  web: ""`, []string{
			StatementFile + ":9: Warnung [offen]: Erklärung zur Barrierefreiheit: Die Schlichtungsstelle ist noch nicht eingetragen; sie hängt davon ab, wer die Website betreibt. Die Seite zeigt „noch nicht festgelegt“.",
			StatementFile + ":10: Warnung [offen]: Erklärung zur Barrierefreiheit: Die Internet-Adresse der Schlichtungsstelle ist noch nicht eingetragen.",
		}},
		{"feedback address open", `email: "barrieren@beispiel.de"`, `email: ""`, []string{
			StatementFile + ":6: Warnung [offen]: Erklärung zur Barrierefreiheit: Die E-Mail-Adresse für Rückmeldungen ist noch nicht eingetragen; die Seite zeigt „noch nicht festgelegt“.",
		}},
		{"arbitration address without https", `"https://schlichtung.beispiel.de"`, `"schlichtung.beispiel.de"`, []string{
			StatementFile + `:10: Fehler [schlichtung]: Die Internet-Adresse der Schlichtungsstelle muss mit https:// beginnen (jetzt: "schlichtung.beispiel.de").`,
		}},
		{"form page that does not exist", `"/rueckmeldung/"`, `"/barriere-melden/"`, []string{
			StatementFile + `:5: Fehler [seite-fehlt]: Die Seite "/barriere-melden/" gibt es in content/de nicht. Gemeint ist der Pfad der Datei unter content/de/ ohne .md (zum Beispiel /barrierefreiheit-rueckmeldung/), nicht die Adresse im Browser.`,
			StatementFile + `:5: Fehler [seite-fehlt]: Die Seite "/barriere-melden/" gibt es in content/ls nicht. Gemeint ist der Pfad der Datei unter content/ls/ ohne .md (zum Beispiel /barrierefreiheit-rueckmeldung/), nicht die Adresse im Browser.`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for _, dir := range []string{"data", "content/de", "content/ls"} {
				os.MkdirAll(filepath.Join(root, dir), 0o755)
			}
			os.WriteFile(filepath.Join(root, "content/de/rueckmeldung.md"), nil, 0o644)
			os.WriteFile(filepath.Join(root, "content/ls/rueckmeldung.md"), nil, 0o644)
			os.WriteFile(filepath.Join(root, StatementFile), []byte(strings.Replace(goodStatement, c.from, c.to, 1)), 0o644)
			_, ps := Load(root)
			var got []string
			for _, p := range ps {
				if p.File == StatementFile {
					got = append(got, p.String())
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
