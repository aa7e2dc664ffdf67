package eligibility

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/eligibility/rules"
	"budgetsite/internal/report"
)

const dataFile = "data/selbstcheck.yaml"

func root() string { return filepath.Join("..", "..") }

func load(t testing.TB) *RuleSet {
	t.Helper()
	rs, ps := LoadFile(filepath.Join(root(), dataFile), dataFile)
	for _, p := range ps {
		t.Log(p)
	}
	if rs == nil {
		t.Fatal("the shipped rule set does not load")
	}
	return rs
}

func TestShippedRuleSetHasNoProblems(t *testing.T) {
	_, ps := LoadFile(filepath.Join(root(), dataFile), dataFile)
	if len(ps) > 0 {
		t.Errorf("problems in the shipped rule set:\n%v", ps)
	}
}

const (
	ja = rules.Ja
	nn = rules.Nein
	wn = rules.WeissNicht
)

// Scenarios written from the brochure's four conditions. Answers follow the
// questions in the order the rule set asks them: wohnort, bezirk-leistungen
// (only if not living in Schwaben), behinderung, pflegegrad (only without a
// disability with Teilhabe need), dauerhaft, teilhabe-leistung,
// hilfe-zur-pflege (only without a Teilhabe benefit), fuer-kind.
var scenarios = []struct {
	name    string
	answers []string
	result  string
	kontakt []string
}{
	{"adult in Schwaben with a disability and Teilhabe need", []string{ja, ja, ja, ja, nn}, "moeglich", []string{"erwachsene"}},
	{"child in Schwaben with a disability (parents ask)", []string{ja, ja, ja, ja, ja}, "moeglich", []string{"kinder-jugendliche"}},
	{"lives elsewhere but already gets benefits from the Bezirk", []string{nn, ja, ja, ja, ja, nn}, "moeglich", []string{"erwachsene"}},
	{"unsure where the place belongs, but gets Bezirk benefits", []string{wn, ja, ja, ja, ja, nn}, "moeglich", []string{"erwachsene"}},
	{"Pflegegrad 3 without disability, Hilfe zur Pflege at home", []string{ja, nn, ja, ja, nn, ja, nn}, "moeglich", []string{"erwachsene", "ambulante-pflege"}},
	{"child with Pflegegrad 2 and Hilfe zur Pflege", []string{ja, nn, ja, ja, nn, ja, ja}, "moeglich", []string{"kinder-jugendliche", "ambulante-pflege"}},
	{"unsure about the disability, but Pflegegrad 2", []string{ja, wn, ja, ja, ja, nn}, "moeglich", []string{"erwachsene"}},
	{"unsure about Teilhabe benefit, but needs Hilfe zur Pflege", []string{ja, ja, ja, wn, ja, nn}, "moeglich", []string{"erwachsene", "ambulante-pflege"}},
	{"unsure whether the budget is for a young person", []string{ja, ja, ja, ja, wn}, "moeglich", []string{"erwachsene", "kinder-jugendliche"}},
	{"lives in another region, no Bezirk benefits", []string{nn, nn}, "anderer-wohnort", nil},
	{"Pflegegrad 1 alone", []string{ja, nn, nn}, "pflegekasse-oder-andere", nil},
	{"neither disability nor Pflegegrad", []string{nn, ja, nn, nn}, "pflegekasse-oder-andere", nil},
	{"only a temporary impairment (broken leg)", []string{ja, ja, nn}, "voruebergehend", nil},
	{"gets Bezirk benefits from elsewhere, impairment temporary", []string{nn, ja, ja, nn}, "voruebergehend", nil},
	{"needs only benefits of other carriers", []string{ja, ja, ja, nn, nn}, "anderer-traeger", nil},
	{"unsure of the place, gets Bezirk benefits, needs only other carriers", []string{wn, ja, ja, ja, nn, nn}, "anderer-traeger", nil},
	{"does not know where the place belongs and gets nothing", []string{wn, nn}, "unklar-zustaendigkeit", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"lives elsewhere, does not know about Bezirk benefits", []string{nn, wn}, "unklar-zustaendigkeit", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"knows nothing at all", []string{wn, wn}, "unklar-zustaendigkeit", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"Pflegegrad 1, unsure about the disability", []string{ja, wn, nn}, "unklar-bedarf", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"no disability, does not know the Pflegegrad", []string{ja, nn, wn}, "unklar-bedarf", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"does not know whether the impairment lasts", []string{ja, ja, wn}, "unklar-dauer", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"unsure about Teilhabe benefit, no Hilfe zur Pflege", []string{ja, ja, ja, wn, nn}, "unklar-leistung", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
	{"no Teilhabe benefit, unsure about Hilfe zur Pflege", []string{ja, ja, ja, nn, wn}, "unklar-leistung", []string{"erwachsene", "kinder-jugendliche", "ambulante-pflege"}},
}

func TestScenarios(t *testing.T) {
	rs := load(t)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w, err := rs.Evaluate(sc.answers)
			if err != nil {
				t.Fatal(err)
			}
			if w.Next != "" || w.Result == nil {
				t.Fatalf("walk not finished: next question %q", w.Next)
			}
			if w.Result.ID != sc.result {
				t.Errorf("result %q, want %q", w.Result.ID, sc.result)
			}
			if !slices.Equal(w.Kontakt, sc.kontakt) {
				t.Errorf("contact groups %v, want %v", w.Kontakt, sc.kontakt)
			}
		})
	}
}

// The table must cover every outcome and every "Ich weiß es nicht".
func TestScenariosCoverOutcomesAndUnsureAnswers(t *testing.T) {
	rs := load(t)
	if len(scenarios) < 20 {
		t.Errorf("%d scenarios, want at least 20", len(scenarios))
	}
	outcomes := map[string]bool{}
	unsure := map[string]bool{}
	results := map[string]bool{}
	for _, sc := range scenarios {
		w, err := rs.Evaluate(sc.answers)
		if err != nil || w.Result == nil {
			continue
		}
		outcomes[w.Result.Outcome] = true
		results[w.Result.ID] = true
		for _, s := range w.Steps {
			if s.Answer == wn {
				unsure[s.Question] = true
			}
		}
	}
	for _, o := range rules.Outcomes {
		if !outcomes[o] {
			t.Errorf("no scenario ends in outcome %q", o)
		}
	}
	for _, q := range rs.Graph.Questions {
		if !unsure[q.ID] {
			t.Errorf("no scenario answers %q with „Ich weiß es nicht“", q.ID)
		}
	}
	for _, r := range rs.Graph.Results {
		if !results[r.ID] {
			t.Errorf("no scenario ends in result %q", r.ID)
		}
	}
}

// Every path ends in a result, and every node lies on some path.
func TestEveryNodeReachableEveryPathTerminates(t *testing.T) {
	rs := load(t)
	seen := map[string]bool{}
	paths := rs.Graph.Paths()
	for _, p := range paths {
		w, err := rs.Evaluate(p)
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		if w.Next != "" || w.Result == nil {
			t.Fatalf("%v does not end in a result", p)
		}
		for _, s := range w.Steps {
			seen[s.Question] = true
		}
		seen[w.Result.ID] = true
	}
	for _, q := range rs.Graph.Questions {
		if !seen[q.ID] {
			t.Errorf("question %q is on no path", q.ID)
		}
	}
	for _, r := range rs.Graph.Results {
		if !seen[r.ID] {
			t.Errorf("result %q ends no path", r.ID)
		}
	}
	t.Logf("%d complete paths, %d pages per variant", len(paths), len(rs.Prefixes()))
}

// Pflegegrad 1 alone — no disability with Teilhabe need and not Pflegegrad 2
// or more — never leads to "möglich".
func TestPflegegradOneAloneNeverMoeglich(t *testing.T) {
	rs := load(t)
	for _, p := range rs.Graph.Paths() {
		w, _ := rs.Evaluate(p)
		var behinderung, pflegegrad string
		for _, s := range w.Steps {
			switch s.Question {
			case "behinderung":
				behinderung = s.Answer
			case "pflegegrad":
				pflegegrad = s.Answer
			}
		}
		if behinderung != ja && pflegegrad != ja && w.Result.Outcome == rules.Moeglich {
			t.Errorf("%v: möglich without disability and without Pflegegrad ≥ 2", p)
		}
	}
}

func TestNoResultSaysKeinAnspruch(t *testing.T) {
	rs := load(t)
	for _, r := range rs.Results {
		for _, s := range []string{r.Titel.DE, r.Titel.LS, r.Grund.DE, r.Grund.LS, r.Stelle.DE, r.Stelle.LS} {
			if strings.Contains(strings.ToLower(s), "kein anspruch") || strings.Contains(strings.ToLower(s), "keinen anspruch") {
				t.Errorf("result %q says „kein Anspruch“: %q", r.ID, s)
			}
		}
	}
}

func TestCompactRoundTrip(t *testing.T) {
	rs := load(t)
	g, err := rules.Parse(rs.Graph.Compact())
	if err != nil {
		t.Fatal(err)
	}
	if g.Version != rs.Version {
		t.Errorf("version %q, want %q", g.Version, rs.Version)
	}
	for _, p := range rs.Graph.Paths() {
		a, _ := rs.Graph.Walk(p)
		b, err := g.Walk(p)
		if err != nil {
			t.Fatal(err)
		}
		if a.Result.ID != b.Result.ID || !slices.Equal(a.Kontakt, b.Kontakt) {
			t.Errorf("%v: %s %v after round trip, want %s %v", p, b.Result.ID, b.Kontakt, a.Result.ID, a.Kontakt)
		}
	}
}

func TestWalkStopsAtUnansweredAndRejectsBadInput(t *testing.T) {
	rs := load(t)
	w, err := rs.Evaluate([]string{ja})
	if err != nil || w.Next != "behinderung" || w.Result != nil {
		t.Errorf("after one answer: next %q, result %v, err %v", w.Next, w.Result, err)
	}
	if _, err := rs.Evaluate([]string{"vielleicht"}); err == nil {
		t.Error("unknown answer accepted")
	}
	if _, err := rs.Evaluate([]string{nn, nn, ja}); err == nil {
		t.Error("answers beyond the result accepted")
	}
}

// Broken rule sets, made by editing the shipped file the way an editor
// might, must each name the rule and the line.
func TestValidationProblems(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root(), dataFile))
	if err != nil {
		t.Fatal(err)
	}
	good := string(src)
	cases := []struct {
		name, old, new string
		rule           string
		// marker is a text on the line the problem must point at, in the edited file.
		marker string
	}{
		{"unknown next step", "nein: {weiter: anderer-wohnort}", "nein: {weiter: anderswo}", "unbekannter-schritt", "weiter: anderswo"},
		{"unreachable result", "nein: {weiter: voruebergehend}", "nein: {weiter: unklar-dauer}", "unerreichbar", "- id: voruebergehend"},
		{"cycle", "ja: {weiter: teilhabe-leistung}", "ja: {weiter: wohnort}", "kreis", "ja: {weiter: wohnort}"},
		{"missing Leichte Sprache text", "      ls: Brauchen Sie für lange Zeit Hilfe im Alltag?\n", "", "leichte-sprache-fehlt", "de: Brauchen Sie wegen einer Einschränkung"},
		{"unknown field", "    kontakte: true\n\n  - id: anderer-wohnort", "    kontakt: true\n\n  - id: anderer-wohnort", "yaml", "kontakt: true"},
		{"missing answer", "      weiss-nicht: {weiter: unklar-dauer}\n", "", "antwort-fehlt", "ja: {weiter: teilhabe-leistung}"},
		{"outcome kind that does not exist", "art: andere-stelle\n    titel:\n      de: Wahrscheinlich ist ein anderer", "art: kein-anspruch\n    titel:\n      de: Wahrscheinlich ist ein anderer", "art", "art: kein-anspruch"},
		{"unknown contact group", "kontakt: [kinder-jugendliche]}", "kontakt: [kinder]}", "kontaktgruppe", "kontakt: [kinder]}"},
		{"duplicate id", "- id: unklar-dauer", "- id: unklar-bedarf # doppelt", "id", "- id: unklar-bedarf # doppelt"},
		{"missing version", `version: "1.0"`, `version: ""`, "version", `version: ""`},
		{"missing carrier", "traeger: Bezirk Schwaben\n", "", "traeger", "# Regeln für den Selbstcheck"},
		{"notes of another office's results name the carrier",
			"        Dieser Selbstcheck ist keine Entscheidung. Über einen Antrag entscheidet die Stelle, bei der Sie ihn stellen.\n      ls: |-\n        Dieser Test ist nur eine Hilfe.\n        Sie stellen einen Antrag bei einer Stelle?",
			"        Nur der Bezirk Schwaben entscheidet über Ihren Antrag.\n      ls: |-\n        Dieser Test ist nur eine Hilfe.\n        Sie stellen einen Antrag bei einer Stelle?",
			"ergebnis-passt-nicht", "de: |-\n        Nur der Bezirk Schwaben"},
		{"another office's result shows the carrier's contacts",
			"    unsicher: {fragen: [wohnort], ergebnis: unklar-zustaendigkeit}\n    kontakte: false",
			"    unsicher: {fragen: [wohnort], ergebnis: unklar-zustaendigkeit}\n    kontakte: true",
			"ergebnis-passt-nicht", "kontakte: true\n\n  - id: pflegekasse-oder-andere"},
		{"a result's own steps for another office name the carrier",
			"Eine kostenlose Beratung hilft Ihnen dabei, zum Beispiel ein Pflegestützpunkt.",
			"Auch der Bezirk Schwaben berät Sie.",
			"ergebnis-passt-nicht", "de: |-\n        Brauchen Sie Pflege?"},
		{"a text on every result names the carrier",
			"Pflegestützpunkte kostenlos an.\n", "Pflegestützpunkte kostenlos an. Auch der Bezirk Schwaben berät Sie.\n",
			"ergebnis-passt-nicht", "de: |-\n      Beratung zum Persönlichen Budget"},
		{"notes missing for a kind",
			"    hinweise:\n      de: |-\n        Dieser Selbstcheck ist keine Entscheidung. Über einen Antrag entscheidet die Stelle, bei der Sie ihn stellen.\n      ls: |-\n        Dieser Test ist nur eine Hilfe.\n        Sie stellen einen Antrag bei einer Stelle?\n        Dann entscheidet diese Stelle über Ihren Antrag.\n",
			"", "text-fehlt", "    kurz:\n      de: Wahrscheinlich ist eine andere Stelle zuständig"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("test is stale: %q not in the data file", c.old)
			}
			bad := strings.Replace(good, c.old, c.new, 1)
			i := strings.Index(bad, c.marker)
			if i < 0 {
				t.Fatalf("test is stale: marker %q not in the edited file", c.marker)
			}
			line := strings.Count(bad[:i], "\n") + 1
			// A marker spanning lines points at its first line, unless a
			// lookup lands on the key above; accept the exact line only.
			rs, ps := Load([]byte(bad), dataFile)
			if rs != nil {
				t.Error("a broken rule set loaded")
			}
			for _, p := range ps {
				if p.Rule == c.rule && p.Line == line && p.File == dataFile && p.Severity == report.Fehler {
					return
				}
			}
			t.Errorf("want Fehler [%s] at %s:%d, got:\n%s", c.rule, dataFile, line, problems(ps))
		})
	}
}

func problems(ps []report.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}
