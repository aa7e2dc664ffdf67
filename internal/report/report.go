// Package report is the one shape every check of the project reports in:
// content lint, data files, Leichte Sprache rules, output checks. Editors read
// these lines, so messages are plain German and always name a file.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Severity orders problems: only Fehler fails a build.
type Severity int

const (
	Fehler Severity = iota
	Warnung
	Hinweis
)

func (s Severity) String() string {
	switch s {
	case Fehler:
		return "Fehler"
	case Warnung:
		return "Warnung"
	default:
		return "Hinweis"
	}
}

// Problem is one finding. File is relative to the project root with forward
// slashes (content/ls/kontakt.md, data/kontakte.yaml, public/index.html).
// Line and Col are 1-based; 0 means unknown.
type Problem struct {
	File       string   `json:"file"`
	Line       int      `json:"line,omitempty"`
	Col        int      `json:"col,omitempty"`
	Severity   Severity `json:"severity"`
	Rule       string   `json:"rule,omitempty"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion,omitempty"`
}

// MarshalText lets JSON output carry the German severity word.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the German severity word back.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, c := range []Severity{Fehler, Warnung, Hinweis} {
		if string(b) == c.String() {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("unbekannte Schwere %q (erlaubt: Fehler, Warnung, Hinweis)", b)
}

// Location is "file:line:col", leaving out what is unknown.
func (p Problem) Location() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return p.File
	}
}

// String is the line an editor reads:
// content/ls/x.md:12:5: Fehler [satzlaenge]: Der Satz hat 19 Wörter. Vorschlag: …
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Location())
	b.WriteString(": ")
	b.WriteString(p.Severity.String())
	if p.Rule != "" {
		b.WriteString(" [")
		b.WriteString(p.Rule)
		b.WriteString("]")
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	if p.Suggestion != "" {
		b.WriteString(" Vorschlag: ")
		b.WriteString(p.Suggestion)
	}
	return b.String()
}

// Sort orders by file, then position, so output is stable between runs.
func Sort(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Count returns how many problems have the given severity.
func Count(ps []Problem, s Severity) int {
	n := 0
	for _, p := range ps {
		if p.Severity == s {
			n++
		}
	}
	return n
}

// Print writes the problems grouped per file, a blank line between files.
func Print(w io.Writer, ps []Problem) {
	ps = slices.Clone(ps)
	Sort(ps)
	last := ""
	for i, p := range ps {
		if i > 0 && p.File != last {
			fmt.Fprintln(w)
		}
		last = p.File
		fmt.Fprintln(w, p.String())
	}
}
