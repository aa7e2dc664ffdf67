package leichtesprache

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/report"
)

// The labelled corpus stays outside the repository (see its README).
const corpusPath = "../../../shared/corpus/sample.jsonl"

type corpusRow struct {
	ID    string `json:"id"`
	Level string `json:"level"`
	Text  string `json:"text"`
}

func loadCorpus(tb testing.TB) []corpusRow {
	f, err := os.Open(corpusPath)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("Korpus %s fehlt: Benchmark übersprungen", corpusPath)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows []corpusRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		var r corpusRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s:%d: %v", corpusPath, line, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

// corpusScore is findings per 100 words with the Leichte Sprache profile.
// Corpus texts are running plain text, not one sentence a line, so the
// line rule (ein-satz-pro-zeile) cannot fire and is left out; all other
// rules count, Fehler and Hinweis alike.
func corpusScore(text string) (score float64, words int) {
	ps := checkText("korpus", text, Leicht, nil)
	n := 0
	for _, p := range ps {
		if p.Rule != RuleEinSatzProZeile {
			n++
		}
	}
	words = MeasureText(text).Words
	if words == 0 {
		return 0, 0
	}
	return 100 * float64(n) / float64(words), words
}

// auc is the probability that a random "high" score exceeds a random "low"
// one (ties count half): the Mann-Whitney form of the ROC area.
func auc(low, high []float64) float64 {
	if len(low) == 0 || len(high) == 0 {
		return 0
	}
	var sum float64
	for _, h := range high {
		for _, l := range low {
			switch {
			case h > l:
				sum++
			case h == l:
				sum += 0.5
			}
		}
	}
	return sum / float64(len(low)*len(high))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

func TestAUC(t *testing.T) {
	cases := []struct {
		low, high []float64
		want      float64
	}{
		{[]float64{1, 2}, []float64{3, 4}, 1},
		{[]float64{3, 4}, []float64{1, 2}, 0},
		{[]float64{1, 3}, []float64{2, 4}, 0.75},
		{[]float64{1}, []float64{1}, 0.5},
	}
	for _, c := range cases {
		if got := auc(c.low, c.high); got != c.want {
			t.Errorf("auc(%v, %v) = %v, want %v", c.low, c.high, got, c.want)
		}
	}
}

// BenchmarkCorpus prints findings per 100 words for each level of the
// labelled corpus and the AUC of that score separating leicht from standard.
func BenchmarkCorpus(b *testing.B) {
	rows := loadCorpus(b)
	scores := map[string][]float64{}
	flesch := map[string][]float64{}
	fehler := map[string][]float64{}   // only Fehler, per 100 words
	bySource := map[string][]float64{} // level + "/" + source (DEplain documents, TextComplexityDE sentences)
	for _, r := range rows {
		s, w := corpusScore(r.Text)
		scores[r.Level] = append(scores[r.Level], s)
		flesch[r.Level] = append(flesch[r.Level], MeasureText(r.Text).FleschAmstad)
		src, _, _ := strings.Cut(r.ID, "-")
		bySource[r.Level+"/"+src] = append(bySource[r.Level+"/"+src], s)
		if w > 0 {
			n := report.Count(checkText("korpus", r.Text, Leicht, nil), report.Fehler)
			fehler[r.Level] = append(fehler[r.Level], 100*float64(n)/float64(w))
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nBefunde je 100 Wörter (Profil Leicht, ohne ein-satz-pro-zeile):\n")
	for _, lv := range []string{"leicht", "einfach", "standard"} {
		fmt.Fprintf(&sb, "  %-8s n=%3d  Median %5.2f  Mittel %5.2f   Flesch-Amstad Median %5.1f\n",
			lv, len(scores[lv]), median(scores[lv]), mean(scores[lv]), median(flesch[lv]))
	}
	a := auc(scores["leicht"], scores["standard"])
	fmt.Fprintf(&sb, "  AUC leicht gegen standard: %.3f\n", a)
	fmt.Fprintf(&sb, "    nur Dokumente (DEplain):          %.3f\n", auc(bySource["leicht/deplain"], bySource["standard/deplain"]))
	fmt.Fprintf(&sb, "    nur Einzelsätze (TextComplexityDE): %.3f\n", auc(bySource["leicht/tcde"], bySource["standard/tcde"]))
	fmt.Fprintf(&sb, "    nur Fehler gezählt:               %.3f\n", auc(fehler["leicht"], fehler["standard"]))
	fmt.Fprintf(&sb, "  AUC einfach gegen standard: %.3f\n", auc(scores["einfach"], scores["standard"]))
	fmt.Print(sb.String())

	b.ResetTimer()
	words := 0
	for b.Loop() {
		for _, r := range rows {
			_, w := corpusScore(r.Text)
			words += w
		}
	}
	b.ReportMetric(a, "AUC")
	b.ReportMetric(median(scores["leicht"]), "leicht/100w")
	b.ReportMetric(median(scores["einfach"]), "einfach/100w")
	b.ReportMetric(median(scores["standard"]), "standard/100w")
}

// genPage writes one plausible Leichte Sprache page with front matter,
// shortcodes, a list and some rule violations, ~40 lines.
func genPage(rng *rand.Rand) []byte {
	sentences := []string{
		"Sie bekommen Geld vom Bezirk.",
		"Mit dem Geld bezahlen Sie Ihre Hilfe selbst.",
		"Das heißt: Sie bestimmen selbst.",
		"Das Geld heißt Persönliches Budget.",
		"Sie schreiben einen Antrag.",
		"Der Bezirk prüft den Antrag.",
		"Dann bekommen Sie einen Bescheid.",
		"Wenn Sie Fragen haben, rufen Sie uns an.",
		"Das Geld wird jeden Monat bezahlt.",
		"Man kann das Budget z. B. für Assistenz nutzen.",
		"Die Eingliederungshilfe ist wichtig.",
		"Sie bekommen nicht mehr als 1.500 Euro.",
		"Das wäre schön für Sie & Ihre Familie (und Freunde).",
		"Rufen Sie an: 0821 3101-333",
		"Die Beratung ist am 22. Februar 2022.",
		"Eine Budget·konferenz ist ein Treffen.",
		"Bei dem Treffen sprechen alle über Ihre Ziele.",
	}
	var sb strings.Builder
	sb.WriteString("---\ntitle: \"Persönliches Budget\"\nweight: 10\n---\n\n# Das Persönliche Budget\n\n")
	for p := 0; p < 4; p++ {
		for k := 0; k < 5; k++ {
			sb.WriteString(sentences[rng.IntN(len(sentences))])
			sb.WriteByte('\n')
		}
		if p == 1 {
			sb.WriteString("\n{{< erklaerung \"Bescheid\" >}}\nEin Bescheid ist ein Brief vom Amt.\n{{< /erklaerung >}}\n")
		}
		sb.WriteString("\n## Was Sie tun können\n\n- Sie fragen bei der [Beratung](/leichte-sprache/beratung/).\n- Sie schreiben eine `E-Mail`.\n\n")
	}
	return []byte(sb.String())
}

// BenchmarkCheck runs the Leichte Sprache checker over 10,000 generated
// pages per iteration and reports pages per second.
func BenchmarkCheck(b *testing.B) {
	const pages = 10000
	rng := rand.New(rand.NewPCG(1, 2))
	srcs := make([][]byte, pages)
	size := 0
	for i := range srcs {
		srcs[i] = genPage(rng)
		size += len(srcs[i])
	}
	cfg := &Config{
		AcceptedWords:      map[string]bool{"eingliederungshilfe": true},
		KnownAbbreviations: map[string]string{"LVR": "Landschaftsverband Rheinland"},
		Synonyms:           [][]string{{"Persönliches Budget", "Budget", "PB"}},
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	findings := 0
	for b.Loop() {
		findings = 0
		for _, src := range srcs {
			findings += len(Check("content/ls/seite.md", src, Leicht, cfg))
		}
	}
	perIter := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(pages/perIter, "pages/s")
	b.ReportMetric(float64(findings)/pages, "findings/page")
}
