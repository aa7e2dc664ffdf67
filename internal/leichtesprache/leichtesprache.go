// Package leichtesprache checks Markdown pages against the rules of
// Leichte Sprache (Netzwerk Leichte Sprache, Inclusion Europe, DIN SPEC
// 33429, BITV 2.0 Anlage 2 Teil 2) and measures their readability.
//
// It parses each page with goldmark and looks only at prose: front matter,
// Hugo shortcodes, code, raw HTML and link targets are skipped, and every
// finding carries the line and column (in characters) of the original file.
// The rules are heuristics for German without a dictionary; they aim at few
// false alarms on good Leichte Sprache, because every Fehler fails the build.
//
// CheckText checks plain text and adds two measures learned from labelled
// corpora (weights in data/leichtesprache-gewichte.yaml, not in code): the
// number of statements (StaGE, DIN SPEC 33429) and a score of how far a
// text is from Leichte Sprache. The benchmark in bench_test.go prints how
// well both do against simple baselines.
package leichtesprache

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"budgetsite/internal/markdown"
	"budgetsite/internal/report"
)

// Profile selects the rule set.
type Profile int

const (
	// Leicht is the full rule set for content/ls pages.
	Leicht Profile = iota
	// Standard is the light profile for content/de pages: long sentences
	// (over 25 words) and unexplained abbreviations, as Hinweise only.
	Standard
)

// Config carries the project's word data.
type Config struct {
	// AcceptedWords are long words (lower-case) that need no split.
	AcceptedWords map[string]bool
	// KnownAbbreviations are all-capital words explained in the glossary or
	// abbreviation data: "LVR" -> "Landschaftsverband Rheinland".
	KnownAbbreviations map[string]string
	// Synonyms are groups of terms for one thing; the first is preferred.
	Synonyms [][]string
}

// Check returns the findings for one Markdown page, sorted by position.
// file is used as given in each finding.
func Check(file string, src []byte, p Profile, cfg *Config) []report.Problem {
	return CheckDoc(file, markdown.Parse(src), p, cfg)
}

// CheckDoc is Check on a page the caller already parsed (the build parses
// each page once for all its checks).
func CheckDoc(file string, md *markdown.Doc, p Profile, cfg *Config) (out []report.Problem) {
	defer func() {
		if r := recover(); r != nil {
			out = append(out, report.Problem{File: file, Severity: report.Fehler, Rule: "intern",
				Message: fmt.Sprintf("Die Prüfung der Leichten Sprache ist abgebrochen: %v. Bitte melden Sie das dem Technik-Team.", r)})
		}
	}()
	return check(file, newMarkdownDoc(md), p, cfg)
}

func check(file string, d *doc, p Profile, cfg *Config) []report.Problem {
	c := &checker{d: d, p: p, cfg: cfg, file: file}
	c.run()
	report.Sort(c.out)
	return c.out
}

// checkText runs the rules on plain running text (the benchmark corpus).
func checkText(file, text string, p Profile, cfg *Config) []report.Problem {
	return check(file, newTextDoc(text), p, cfg)
}

// Measure returns the readability figures of a Markdown page, from the same
// prose the checker sees.
func Measure(src []byte) Figures { return MeasureDoc(markdown.Parse(src)) }

// MeasureDoc is Measure on a parsed page.
func MeasureDoc(md *markdown.Doc) Figures { return newMarkdownDoc(md).figures() }

// MeasureText returns the readability figures of plain text.
func MeasureText(text string) Figures { return newTextDoc(text).figures() }

func (d *doc) figures() Figures {
	var f Figures
	for _, s := range d.sents {
		words := 0
		for i := s.from; i < s.to; i++ {
			t := d.toks[i]
			if !t.isWord() {
				continue
			}
			words++
			syl := 1
			letters := 0
			if t.has(fLetter) && !t.has(fNeutral) {
				core := d.core(i)
				syl = Syllables(string(core))
				letters = letterCount(core)
			}
			f.Syllables += syl
			if letters > 6 {
				f.LongWords++
			}
			switch {
			case syl == 1:
				f.Monosyllables++
			case syl >= 3:
				f.Polysyllables++
			}
		}
		if words > 0 {
			f.Words += words
			f.Sentences++
		}
	}
	f.fill()
	return f
}

// synonyms reports terms of a synonym group other than the preferred one.
func (c *checker) synonyms() {
	if c.cfg == nil || len(c.cfg.Synonyms) == 0 {
		return
	}
	type term struct {
		words           [][]byte
		text, preferred string
	}
	var terms []term
	for _, g := range c.cfg.Synonyms {
		if len(g) < 2 {
			continue
		}
		for _, t := range g[1:] {
			fields := strings.Fields(strings.ToLower(t))
			if len(fields) == 0 {
				continue
			}
			tm := term{text: t, preferred: g[0]}
			for _, f := range fields {
				tm.words = append(tm.words, []byte(f))
			}
			terms = append(terms, tm)
		}
		// The preferred term is matched too, so that it covers its own
		// words ("Budget" inside "Persönliches Budget").
		if fields := strings.Fields(strings.ToLower(g[0])); len(fields) > 0 {
			tm := term{preferred: ""}
			for _, f := range fields {
				tm.words = append(tm.words, []byte(f))
			}
			terms = append(terms, tm)
		}
	}
	slices.SortStableFunc(terms, func(a, b term) int { return len(b.words) - len(a.words) })
	d := c.d
	covered := make([]bool, len(d.toks))
	for _, tm := range terms {
		for i := range d.toks {
			if !c.termAt(i, tm.words, covered) {
				continue
			}
			last := i + len(tm.words) - 1
			for k := i; k <= last; k++ {
				covered[k] = true
			}
			if tm.preferred == "" {
				continue
			}
			c.add(d.toks[i].ws, report.Fehler, RuleEinBegriff,
				"Hier steht "+quote(d.buf[d.toks[i].ws:d.toks[last].we])+". Nehmen Sie für eine Sache immer dasselbe Wort.",
				"Schreiben Sie: "+tm.preferred+".")
		}
	}
}

func (c *checker) termAt(i int, words [][]byte, covered []bool) bool {
	d := c.d
	if i+len(words) > len(d.toks) {
		return false
	}
	if lw := d.lower(i); len(lw) == 0 || lw[0] != words[0][0] {
		return false
	}
	for k, w := range words {
		j := i + k
		t := d.toks[j]
		if covered[j] || t.unit != d.toks[i].unit || !t.isWord() || t.has(fNeutral) {
			return false
		}
		if k < len(words)-1 && len(d.trail(j)) > 0 || k > 0 && len(d.lead(j)) > 0 {
			return false
		}
		if !wordMatches(d.lower(j), w) {
			return false
		}
	}
	return true
}

// wordMatches compares a text word with a term word, allowing German
// endings: "persönliches" matches "persönlichen", "budget" "budgets".
func wordMatches(lw, w []byte) bool {
	if bytes.Equal(lw, w) {
		return true
	}
	stem := w
	if utf8.RuneCount(w) >= 5 {
		for _, end := range []string{"en", "es", "er", "em", "e", "n", "s"} {
			if bytes.HasSuffix(stem, []byte(end)) {
				stem = stem[:len(stem)-len(end)]
				break
			}
		}
	} else {
		return len(lw) == len(w)+1 && lw[len(w)] == 's' && bytes.HasPrefix(lw, w)
	}
	if !bytes.HasPrefix(lw, stem) || len(lw)-len(stem) > 3 {
		return false
	}
	for _, r := range string(lw[len(stem):]) {
		if !isLetter(r) {
			return false
		}
	}
	return true
}
