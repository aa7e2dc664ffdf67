package leichtesprache

import (
	"strings"
	"testing"
)

func TestParseWeights(t *testing.T) {
	good := `aussagen:
  achsenabschnitt: -7
  schwelle: -0.5
  gewichte: {log_woerter: 14, woerter: -1.2, kommas: 1, nebensaetze: 0.5, reihungen: 1.5, praepositionen: 0.4, nomen_mit_praeposition: 0.6, inhaltswoerter: 0.3, satz_nach_doppelpunkt: 0.4, zum_beispiel: -1.4, das_heisst: -1.5, ohne_verb: -1}
  bruchstueck: {achsenabschnitt: 6, gewichte: {log_woerter: -8, woerter: 1, kommas: 0, nebensaetze: 0, reihungen: 0, praepositionen: 0, nomen_mit_praeposition: 0, inhaltswoerter: 0, satz_nach_doppelpunkt: 1.7, zum_beispiel: 1.2, das_heisst: 0, ohne_verb: 4}}
bewertung:
  achsenabschnitt: -18
  gewichte: {log_woerter_je_satz: 6, buchstaben_je_wort: 0.2, lange_woerter: 17, befunde_je_satz: 0.7}
`
	if _, ps := ParseWeights("w.yaml", []byte(good)); len(ps) > 0 {
		t.Fatalf("good file: %v", ps)
	}
	cases := []struct {
		name, from, to, want string
		line                 int
	}{
		{"missing weight", "ohne_verb: -1", "", `"ohne_verb" fehlt`, 4},
		{"unknown weight", "befunde_je_satz: 0.7", "befunde_je_satz: 0.7, silben: 1", `"silben" gibt es nicht`, 8},
		{"missing fragment weight", "ohne_verb: 4}", "}", `"ohne_verb" fehlt`, 5},
		{"unknown key", "  schwelle: -0.5", "  schwele: -0.5", "Den Eintrag „schwele“ gibt es hier nicht", 3},
		{"not a number", "kommas: 1", "kommas: viel", "Hier muss eine Zahl stehen, nicht ein Text", 4},
	}
	for _, c := range cases {
		src := strings.Replace(good, c.from, c.to, 1)
		src = strings.Replace(src, ", }", "}", 1)
		_, ps := ParseWeights("w.yaml", []byte(src))
		if len(ps) != 1 || !strings.Contains(ps[0].Message, c.want) || ps[0].Line != c.line || ps[0].File != "w.yaml" {
			t.Errorf("%s: got %v, want line %d with %q", c.name, ps, c.line, c.want)
		}
	}
}

// The shipped weights load, and the measures behave on plain examples.
func TestCheckTextMeasures(t *testing.T) {
	w, ps := LoadWeights("../..")
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	cases := []struct {
		text                         string
		words, sentences, statements int
	}{
		{"", 0, 0, 0},
		{"Sie bekommen Geld.", 3, 1, 1},
		{"Sie bekommen Geld.\nDas Geld ist für Ihre Hilfe.", 9, 2, 2},
		{"Zum Beispiel: Miete.", 3, 1, 0},
		{"Wenn Sie Fragen zum Persönlichen Budget haben, rufen Sie die Beratungs·stelle im Bezirk an.", 14, 1, 2},
		{"Er studiert die Fächer Latein und Griechisch und wohnt mit seiner Familie in Edinburgh, wo er aufgewachsen ist.", 18, 1, 4},
	}
	for _, c := range cases {
		r := CheckText("t", c.text, nil, w)
		if r.Words != c.words || r.Sentences != c.sentences || r.Statements != c.statements {
			t.Errorf("%q: %d words, %d sentences, %d statements; want %d, %d, %d",
				c.text, r.Words, r.Sentences, r.Statements, c.words, c.sentences, c.statements)
		}
	}
	easy := CheckText("t", "Sie haben eine Behinderung.\nSie brauchen Hilfe im Alltag.\nDann bekommen Sie Geld.", nil, w)
	hard := CheckText("t", "Die Bewilligung der Eingliederungshilfeleistungen setzt voraus, dass der Leistungsberechtigte einen Antrag stellt, welcher vom zuständigen Rehabilitationsträger geprüft wird.", nil, w)
	if !(easy.Score < 20 && hard.Score > 80) {
		t.Errorf("score: easy %.1f, hard %.1f", easy.Score, hard.Score)
	}
	if r := CheckText("t", "Sie bekommen Geld.", nil, nil); r.Score != 0 || r.Statements != 0 || r.Words != 3 {
		t.Errorf("without weights: %+v", r)
	}
}
