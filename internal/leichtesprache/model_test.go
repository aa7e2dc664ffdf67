package leichtesprache

import (
	"math"
	"strings"
	"testing"
)

func TestParseWeights(t *testing.T) {
	good := `aussagen:
  schwelle: -0.5
  keine_aussage:
    achsenabschnitt: -1.9
    baeume:
      - {merkmal: ohne_verb, unter: 0.5, ja: {wert: -0.3}, nein: {wert: 1}}
  mehr_als_eine:
    achsenabschnitt: -0.7
    baeume:
      - {merkmal: woerter, unter: 7.5, ja: {merkmal: kommas, unter: 0.5, ja: {wert: -0.5}, nein: {wert: 0.2}}, nein: {wert: 0.8}}
      - {wert: 0.1}
bewertung:
  achsenabschnitt: -18
  gewichte: {log_woerter_je_satz: 6, buchstaben_je_wort: 0.2, lange_woerter: 17, befunde_je_satz: 0.7}
`
	w, ps := ParseWeights("w.yaml", []byte(good))
	if len(ps) > 0 {
		t.Fatalf("good file: %v", ps)
	}
	// 8 words, one comma: -0.7 + 0.8 + 0.1 for "more than one"; a verb: -1.9 - 0.3 for "none".
	c := cues{cueWords: 8, cueCommas: 1, cueVerbs: 1}
	if got, want := w.Statements.logit(&c), combineLogits(-2.2, 0.2); math.Abs(got-want) > 1e-12 {
		t.Errorf("logit = %v, want %v", got, want)
	}
	cases := []struct {
		name, from, to, want string
		line                 int
	}{
		{"unknown feature", "merkmal: kommas", "merkmal: silben", `"silben" gibt es nicht`, 10},
		{"branch missing", ", nein: {wert: 1}}", "}", "Baum 1: ein Zweig fehlt", 6},
		{"leaf with branch", "- {wert: 0.1}", "- {wert: 0.1, ja: {wert: 1}}", "Baum 2: ein Blatt ohne Merkmal hat keine Zweige", 11},
		{"missing weight", ", befunde_je_satz: 0.7}", "}", `"befunde_je_satz" fehlt`, 14},
		{"unknown weight", "befunde_je_satz: 0.7", "befunde_je_satz: 0.7, silben: 1", `"silben" gibt es nicht`, 14},
		{"unknown key", "  schwelle: -0.5", "  schwele: -0.5", "Den Eintrag „schwele“ gibt es hier nicht", 2},
		{"not a number", "unter: 7.5", "unter: viel", "Hier muss eine Zahl stehen, nicht ein Text", 10},
	}
	for _, c := range cases {
		src := strings.Replace(good, c.from, c.to, 1)
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
