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
	statementFeatures = [nStatementFeatures]string{"woerter", "kommas", "nebensaetze", "reihungen", "praepositionen",
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

// StatementModel is two boosted tree models over the same features of
// a sentence: None gives the log-odds that it carries no statement at all
// (a heading, a fragment, a line that StaGE marks as faulty), More the
// log-odds of "more than one statement" among sentences that carry at
// least one. Together: P(more than one) = (1 − P(none)) · P(more than one
// | at least one); Threshold is the cut on its log-odds. A straight line in
// the features misses what the trees see: the fragments sit at both ends
// of the length scale, and a comma or a clause cue says more in a short
// sentence than in a long one.
type StatementModel struct {
	Threshold float64      `yaml:"schwelle"`
	None      BoostedTrees `yaml:"keine_aussage"`
	More      BoostedTrees `yaml:"mehr_als_eine"`
}

// BoostedTrees is a sum of small decision trees on the log-odds.
type BoostedTrees struct {
	Intercept float64 `yaml:"achsenabschnitt"`
	Trees     []*Tree `yaml:"baeume"`
	nodes     []treeNode
	roots     []int32
}

// Tree is one decision tree as the weights file writes it: a split asks
// "is Feature below Below?" and goes on with Yes or No; a leaf (no
// Feature) adds Value to the log-odds.
type Tree struct {
	Feature string  `yaml:"merkmal"`
	Below   float64 `yaml:"unter"`
	Yes     *Tree   `yaml:"ja"`
	No      *Tree   `yaml:"nein"`
	Value   float64 `yaml:"wert"`
}

// treeNode is a tree flattened for speed: feature < 0 marks a leaf.
type treeNode struct {
	feature int
	below   float64
	yes, no int32
	value   float64
}

// compile checks the trees and flattens them; a problem names the tree
// and returns its index.
func (b *BoostedTrees) compile() (int, error) {
	b.nodes, b.roots = b.nodes[:0], b.roots[:0]
	var add func(t *Tree, where string) (int32, error)
	add = func(t *Tree, where string) (int32, error) {
		if t == nil {
			return 0, fmt.Errorf("%s: ein Zweig fehlt (ja und nein gehören zusammen).", where)
		}
		i := int32(len(b.nodes))
		if t.Feature == "" {
			if t.Yes != nil || t.No != nil {
				return 0, fmt.Errorf("%s: ein Blatt ohne Merkmal hat keine Zweige.", where)
			}
			if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
				return 0, fmt.Errorf("%s: der Wert ist keine Zahl.", where)
			}
			b.nodes = append(b.nodes, treeNode{feature: -1, value: t.Value})
			return i, nil
		}
		f := slices.Index(statementFeatures[:], t.Feature)
		if f < 0 {
			return 0, fmt.Errorf("%s: das Merkmal %q gibt es nicht. Erlaubt sind: %v.", where, t.Feature, statementFeatures)
		}
		if math.IsNaN(t.Below) || math.IsInf(t.Below, 0) {
			return 0, fmt.Errorf("%s: die Grenze ist keine Zahl.", where)
		}
		b.nodes = append(b.nodes, treeNode{feature: f, below: t.Below})
		yes, err := add(t.Yes, where)
		if err != nil {
			return 0, err
		}
		no, err := add(t.No, where)
		if err != nil {
			return 0, err
		}
		b.nodes[i].yes, b.nodes[i].no = yes, no
		return i, nil
	}
	for k, t := range b.Trees {
		r, err := add(t, fmt.Sprintf("Baum %d", k+1))
		if err != nil {
			return k, err
		}
		b.roots = append(b.roots, r)
	}
	return 0, nil
}

func (b *BoostedTrees) logit(x *[nStatementFeatures]float64) float64 {
	z := b.Intercept
	for _, r := range b.roots {
		n := &b.nodes[r]
		for n.feature >= 0 {
			if x[n.feature] < n.below {
				n = &b.nodes[n.yes]
			} else {
				n = &b.nodes[n.no]
			}
		}
		z += n.value
	}
	return z
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
	for _, m := range []struct {
		key string
		b   *BoostedTrees
	}{{"keine_aussage", &w.Statements.None}, {"mehr_als_eine", &w.Statements.More}} {
		if k, err := m.b.compile(); err != nil {
			ps = append(ps, doc.Errorf(fmt.Sprintf("$.aussagen.%s.baeume[%d]", m.key, k), "gewichte", err.Error()))
		}
	}
	var err error
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
	return [nStatementFeatures]float64{c[cueWords], c[cueCommas], c.clauses(), c[cueCoordination],
		c[cuePrepositions], c[cueNounPrep], c[cueContent], c[cueColonClause], c[cueExample], c[cueThatIs], c[cueNoVerb]}
}

const nStatementFeatures = 11

// logit is the statement model's log-odds that the sentence carries more
// than one statement.
func (m *StatementModel) logit(c *cues) float64 {
	x := statementX(c)
	return combineLogits(m.None.logit(&x), m.More.logit(&x))
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
