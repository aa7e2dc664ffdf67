package leichtesprache

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The formulas are tested on fixed counts, worked out by hand.
func TestFormulas(t *testing.T) {
	cases := []struct {
		name      string
		got, want float64
	}{
		// 180 − 100/10 − 58.5 × 150/100
		{"FleschAmstad", FleschAmstad(100, 10, 150), 82.25},
		{"FleschAmstad short sentences", FleschAmstad(60, 10, 84), 180 - 6 - 58.5*1.4},
		// MS 20, SL 10, IW 30, ES 50
		{"WSTF1", WSTF1(100, 10, 20, 30, 50), 0.1935*20 + 0.1672*10 + 0.1297*30 - 0.0327*50 - 0.875},
		{"WSTF1 value", WSTF1(100, 10, 20, 30, 50), 6.923},
		{"WSTF2", WSTF2(100, 10, 20, 30), 7.036},
		{"WSTF3", WSTF3(100, 10, 20), 6.7166},
		{"WSTF4", WSTF4(100, 10, 20), 6.451},
		{"LIX", LIX(100, 10, 30), 40},
		{"LIX 2", LIX(50, 5, 10), 30},
		{"no words", FleschAmstad(0, 0, 0), 0},
		{"no sentences", WSTF1(10, 0, 1, 1, 1), 0},
		{"LIX empty", LIX(0, 0, 0), 0},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSyllables(t *testing.T) {
	cases := map[string]int{
		"Haus": 1, "Geld": 1, "Sie": 1, "Budget": 2, "Assistenz": 3, "beantragen": 4,
		"Situation": 5, "Familie": 4, "Ferien": 3, "Eingliederungshilfe": 6, "Qualität": 3,
		"Leistungsträger": 4, "Bürger·amt": 3, "Theater": 3, "neue": 2, "Feuer": 2, "Idee": 2,
		"Bescheid": 2, "Teilhabe": 3, "Äußerung": 3, "LVR": 1, "2022": 1, "Beeinträchtigung": 5,
	}
	for w, want := range cases {
		if got := Syllables(w); got != want {
			t.Errorf("Syllables(%q) = %d, want %d", w, got, want)
		}
	}
}

func TestMeasure(t *testing.T) {
	src := []byte("---\ntitle: Ein sehr langer Titel mit Wörtern\n---\n# Geld\n\nSie bekommen Geld.\nDas ist gut.\n\n```\nnicht gezählt\n```\n")
	f := Measure(src)
	if f.Words != 7 || f.Sentences != 3 {
		t.Errorf("Measure: %d words, %d sentences; want 7, 3", f.Words, f.Sentences)
	}
	// Geld 1, Sie 1, be-kom-men 3, Geld 1, Das 1, ist 1, gut 1
	if f.Syllables != 9 || f.Monosyllables != 6 || f.Polysyllables != 1 || f.LongWords != 1 {
		t.Errorf("Measure counts: %+v", f)
	}
	if !near(f.FleschAmstad, FleschAmstad(7, 3, 9)) || !near(f.LIX, LIX(7, 3, 1)) || !near(f.WordsPerSentence, 7.0/3) {
		t.Errorf("Measure scores: %+v", f)
	}
	g := MeasureText("Sie bekommen Geld. Das ist gut! Wie geht das?")
	if g.Words != 9 || g.Sentences != 3 {
		t.Errorf("MeasureText: %+v", g)
	}
	// Abbreviations and ordinals do not end sentences.
	h := MeasureText("Am 22. Februar kommt z. B. Herr Dr. Meier. Er hilft.")
	if h.Sentences != 2 {
		t.Errorf("MeasureText sentences = %d, want 2", h.Sentences)
	}
}
