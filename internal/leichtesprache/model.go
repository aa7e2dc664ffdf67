package leichtesprache

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"

	"budgetsite/internal/report"
	"budgetsite/internal/yamlfile"
)

// WeightsFile holds the weights learned from the labelled corpora (see
// its comments for how they were fitted and what they reach).
const WeightsFile = "data/leichtesprache-gewichte.yaml"

// The features of the two models, by the names the weights file uses.
// The statement model looks at one sentence, the score at a whole text.
var (
	statementFeatures = [nStatementFeatures]string{"log_woerter", "woerter", "kommas", "nebensaetze", "reihungen", "praepositionen",
		"nomen_mit_praeposition", "inhaltswoerter", "satz_nach_doppelpunkt", "zum_beispiel", "das_heisst", "ohne_verb"}
	scoreFeatures = []string{"log_woerter_je_satz", "buchstaben_je_wort", "lange_woerter", "befunde_je_satz"}
)

// scoreIgnores are the rules the score does not count: the line rule has
// no lines in plain text, sentence length is a feature of its own, and the
// others depend on the project's word lists, which would make the score of
// a text depend on where it is checked.
var scoreIgnores = set(RuleEinSatzProZeile, RuleSatzlaenge, RuleLangesWort, RuleAbkuerzung, RuleEinBegriff, RuleRoemischeZahl)

// Weights are the two learned models.
type Weights struct {
	Statements StatementModel `yaml:"aussagen"`
	Score      ScoreModel     `yaml:"bewertung"`
}

// StatementModel is two logistic models over the same features of a
// sentence: Fragment gives the log-odds that it carries no statement at
// all (a heading, a fragment, a line that StaGE marks as faulty), the main
// one the log-odds of "more than one statement" among sentences that carry
// at least one. Together: P(more than one) = (1 − P(none)) · P(more than
// one | at least one); Threshold is the cut on its log-odds. One model for
// "more than one" would have to learn the fragments as a straight line in
// the same features, which they are not (long faulty lines, short
// sentences).
type StatementModel struct {
	Intercept float64            `yaml:"achsenabschnitt"`
	Threshold float64            `yaml:"schwelle"`
	Weights   map[string]float64 `yaml:"gewichte"`
	Fragment  FragmentModel      `yaml:"bruchstueck"`
	w         []float64
}

// FragmentModel is the logistic model of "this sentence carries no
// statement".
type FragmentModel struct {
	Intercept float64            `yaml:"achsenabschnitt"`
	Weights   map[string]float64 `yaml:"gewichte"`
	w         []float64
}

// ScoreModel is a logistic model of "this text is standard German, not
// Leichte Sprache"; the score is its probability times 100.
type ScoreModel struct {
	Intercept float64            `yaml:"achsenabschnitt"`
	Weights   map[string]float64 `yaml:"gewichte"`
	w         []float64
}

// LoadWeights reads WeightsFile below root.
func LoadWeights(root string) (*Weights, []report.Problem) {
	src, err := os.ReadFile(filepath.Join(root, WeightsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, []report.Problem{{File: WeightsFile, Severity: report.Fehler, Rule: "gewichte",
			Message: "Die Datei fehlt. Ohne sie kann die Prüfung keine Aussagen zählen und keinen Wert berechnen."}}
	}
	if err != nil {
		return nil, []report.Problem{{File: WeightsFile, Severity: report.Fehler, Rule: "gewichte", Message: err.Error()}}
	}
	return ParseWeights(WeightsFile, src)
}

// ParseWeights decodes a weights file; every feature must be given, and
// no other.
func ParseWeights(file string, src []byte) (*Weights, []report.Problem) {
	var w Weights
	doc, ps := yamlfile.Decode(file, src, &w)
	if len(ps) > 0 {
		return nil, ps
	}
	var err error
	if w.Statements.w, err = order(w.Statements.Weights, statementFeatures[:]); err != nil {
		ps = append(ps, doc.Errorf("$.aussagen.gewichte", "gewichte", err.Error()))
	}
	if w.Statements.Fragment.w, err = order(w.Statements.Fragment.Weights, statementFeatures[:]); err != nil {
		ps = append(ps, doc.Errorf("$.aussagen.bruchstueck.gewichte", "gewichte", err.Error()))
	}
	if w.Score.w, err = order(w.Score.Weights, scoreFeatures); err != nil {
		ps = append(ps, doc.Errorf("$.bewertung.gewichte", "gewichte", err.Error()))
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return &w, nil
}

func order(m map[string]float64, names []string) ([]float64, error) {
	out := make([]float64, len(names))
	for i, n := range names {
		v, ok := m[n]
		if !ok {
			return nil, fmt.Errorf("Das Gewicht %q fehlt. Nötig sind: %v.", n, names)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("Das Gewicht %q ist keine Zahl.", n)
		}
		out[i] = v
	}
	for n := range m {
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("Das Gewicht %q gibt es nicht. Erlaubt sind: %v.", n, names)
		}
	}
	return out, nil
}

// statementX are the statement features of one sentence, in the order of
// statementFeatures.
func statementX(c *cues) [nStatementFeatures]float64 {
	return [nStatementFeatures]float64{math.Log1p(c[cueWords]), c[cueWords], c[cueCommas], c.clauses(), c[cueCoordination],
		c[cuePrepositions], c[cueNounPrep], c[cueContent], c[cueColonClause], c[cueExample], c[cueThatIs], c[cueNoVerb]}
}

const nStatementFeatures = 12

// logit is the statement model's log-odds that the sentence carries more
// than one statement.
func (m *StatementModel) logit(c *cues) float64 {
	x := statementX(c)
	none, more := m.Fragment.Intercept, m.Intercept
	for j, v := range x {
		none += m.Fragment.w[j] * v
		more += m.w[j] * v
	}
	return combineLogits(none, more)
}

// combineLogits turns the log-odds of "no statement" and of "more than
// one, given at least one" into the log-odds of "more than one":
// log p − log(1 − p) with log p = log(1 − P(none)) + log P(more).
func combineLogits(none, more float64) float64 {
	logP := -softplus(none) - softplus(-more)
	return logP - math.Log(-math.Expm1(logP))
}

// softplus is log(1 + e^x), without overflow for large x.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// count turns the model's decision into a number of statements: a
// fragment without a verb carries none (a heading, "Zum Beispiel: Geld."),
// a plain sentence one, and a sentence above the threshold at least 2, one
// more for each clause and coordination found beyond the first.
func (m *StatementModel) count(c *cues) int {
	if c[cueWords] == 0 {
		return 0
	}
	if m.logit(c) < m.Threshold {
		if c[cueNoVerb] > 0 {
			return 0
		}
		return 1
	}
	extra := int(c.clauses() + c[cueCoordination])
	return 1 + max(1, extra)
}

// scoreInput are the counts of one text the score is computed from.
type scoreInput struct {
	words, sentences, letters, longParts, findings float64
}

func (in scoreInput) x() [4]float64 {
	s := math.Max(1, in.sentences)
	w := math.Max(1, in.words)
	return [4]float64{math.Log1p(in.words / s), in.letters / w, in.longParts / w, in.findings / s}
}

func (m *ScoreModel) score(in scoreInput) float64 {
	if in.words == 0 {
		return 0
	}
	z := m.Intercept
	for j, v := range in.x() {
		z += m.w[j] * v
	}
	return 100 / (1 + math.Exp(-z))
}

// TextResult is the check of one plain text (check-text).
type TextResult struct {
	Words, Sentences int
	// Score: 0 to 100, higher is further from Leichte Sprache.
	Score float64
	// Statements counted in the whole text.
	Statements int
	Problems   []report.Problem
}

// CheckText runs the Leichte Sprache rules on plain running text (no
// Markdown, no lines) and counts its statements and its score.
func CheckText(file, text string, cfg *Config, w *Weights) (res TextResult) {
	defer func() {
		if r := recover(); r != nil {
			res.Problems = append(res.Problems, report.Problem{File: file, Severity: report.Fehler, Rule: "intern",
				Message: fmt.Sprintf("Die Prüfung der Leichten Sprache ist abgebrochen: %v. Bitte melden Sie das dem Technik-Team.", r)})
		}
	}()
	res, _ = analyseText(file, text, cfg, w)
	return res
}

// analyseText is CheckText, and also returns the counts the score is
// computed from (the fitting of the weights needs them).
func analyseText(file, text string, cfg *Config, w *Weights) (res TextResult, in scoreInput) {
	d := newTextDoc(text)
	res.Problems = check(file, d, Leicht, cfg)
	for _, s := range d.sents {
		c, _ := d.sentenceCues(s)
		if c[cueWords] == 0 {
			continue
		}
		in.sentences++
		in.words += c[cueWords]
		if w != nil {
			res.Statements += w.Statements.count(&c)
		}
		for i := s.from; i < s.to; i++ {
			t := d.toks[i]
			if !t.has(fLetter) || t.has(fNeutral) {
				continue
			}
			core := d.core(i)
			in.letters += float64(letterCount(core))
			forEachPart(core, func(p []byte) {
				if letterCount(p) >= longWordLetters {
					in.longParts++
				}
			})
		}
	}
	for _, p := range res.Problems {
		if !scoreIgnores[p.Rule] {
			in.findings++
		}
	}
	res.Words, res.Sentences = int(in.words), int(in.sentences)
	if w != nil {
		res.Score = w.Score.score(in)
	}
	return res, in
}
