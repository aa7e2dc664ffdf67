// Package rules is the self-check's decision graph without its texts: walk
// it, evaluate answers, and move it as a compact line format. It is the part
// that also runs in the browser (cmd/selfcheck, js/wasm), so it must stay free
// of fmt, encoding/json and reflection, which would triple the wasm's size;
// only errors, strings and slices are used.
package rules

import (
	"errors"
	"strings"
)

// The three answers every question offers, in the order they are shown.
const (
	Ja         = "ja"
	Nein       = "nein"
	WeissNicht = "weiss-nicht"
)

// Answers lists the answers in display order; Question.Next is indexed alike.
var Answers = [3]string{Ja, Nein, WeissNicht}

// The three kinds of outcome. There is deliberately no "kein Anspruch": the
// budget is only a form of an existing entitlement, so the worst a person
// hears is that another office is probably responsible.
const (
	Moeglich     = "moeglich"
	AndereStelle = "andere-stelle"
	Unklar       = "unklar"
)

// Outcomes lists the outcome kinds.
var Outcomes = [3]string{Moeglich, AndereStelle, Unklar}

// Edge is where one answer leads, and which contact groups it selects.
type Edge struct {
	To      string
	Kontakt []string
}

// Question is a node that asks; Next is indexed like Answers.
type Question struct {
	ID   string
	Next [3]Edge
}

// Result is a terminal node. If any question in UnsicherBei was answered
// "weiss-nicht" on the way here, the walk ends at UnsicherErgebnis instead:
// an answer the person was unsure about must not make a firm statement.
type Result struct {
	ID               string
	Outcome          string
	UnsicherBei      []string
	UnsicherErgebnis string
	Kontakte         bool
}

// Graph is the whole rule set's logic.
type Graph struct {
	Version        string
	Start          string
	Kontaktgruppen []string
	Questions      []*Question
	Results        []*Result
}

// Question returns the question with id, or nil.
func (g *Graph) Question(id string) *Question {
	for _, q := range g.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// Result returns the result with id, or nil.
func (g *Graph) Result(id string) *Result {
	for _, r := range g.Results {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// AnswerIndex returns the index of a in Answers, or -1.
func AnswerIndex(a string) int {
	for i, x := range Answers {
		if x == a {
			return i
		}
	}
	return -1
}

// Step is one answered question on a walk.
type Step struct {
	Question string
	Answer   string
}

// Walk is how far a set of answers leads.
type Walk struct {
	Steps []Step
	// Next is the question to answer next; "" once a result is reached.
	Next string
	// Result is the final result (after the UnsicherBei redirect), or nil.
	Result *Result
	// Reached is the result the edges led to, before any redirect.
	Reached *Result
	// Kontakt are the contact groups to show, in Kontaktgruppen order: those
	// the answers selected, or all when none was selected. Nil if the result
	// shows no contacts or the walk is not finished.
	Kontakt []string
}

var (
	errUnknownNode   = errors.New("unbekannter Schritt im Regelwerk")
	errBadAnswer     = errors.New("unbekannte Antwort")
	errTooMany       = errors.New("mehr Antworten als Fragen auf diesem Weg")
	errTooLong       = errors.New("der Weg ist zu lang (Kreis im Regelwerk?)")
	errMissingResult = errors.New("Ergebnis für unsichere Antworten fehlt")
)

// WalkFunc follows the graph from the start, asking answer for each question
// it meets; it stops at the first question answer does not know (ok false).
// Answers for questions off the path are never asked for.
func (g *Graph) WalkFunc(answer func(question string) (string, bool)) (Walk, error) {
	var w Walk
	chosen := map[string]bool{}
	at := g.Start
	for n := 0; ; n++ {
		if n > len(g.Questions)+1 {
			return w, errTooLong
		}
		if r := g.Result(at); r != nil {
			return g.finish(w, r, chosen)
		}
		q := g.Question(at)
		if q == nil {
			return w, errUnknownNode
		}
		a, ok := answer(q.ID)
		if !ok {
			w.Next = q.ID
			return w, nil
		}
		i := AnswerIndex(a)
		if i < 0 {
			return w, errBadAnswer
		}
		w.Steps = append(w.Steps, Step{Question: q.ID, Answer: a})
		for _, k := range q.Next[i].Kontakt {
			chosen[k] = true
		}
		at = q.Next[i].To
	}
}

func (g *Graph) finish(w Walk, r *Result, chosen map[string]bool) (Walk, error) {
	w.Reached = r
	if r.UnsicherErgebnis != "" && unsure(w.Steps, r.UnsicherBei) {
		if r = g.Result(r.UnsicherErgebnis); r == nil {
			return w, errMissingResult
		}
	}
	w.Result = r
	if r.Kontakte {
		for _, k := range g.Kontaktgruppen {
			if chosen[k] {
				w.Kontakt = append(w.Kontakt, k)
			}
		}
		if len(w.Kontakt) == 0 {
			w.Kontakt = append([]string(nil), g.Kontaktgruppen...)
		}
	}
	return w, nil
}

func unsure(steps []Step, questions []string) bool {
	for _, s := range steps {
		if s.Answer != WeissNicht {
			continue
		}
		for _, q := range questions {
			if q == s.Question {
				return true
			}
		}
	}
	return false
}

// Walk follows a list of answers, one per question on the path.
func (g *Graph) Walk(answers []string) (Walk, error) {
	i := 0
	w, err := g.WalkFunc(func(string) (string, bool) {
		if i >= len(answers) {
			return "", false
		}
		i++
		return answers[i-1], true
	})
	if err == nil && i < len(answers) {
		err = errTooMany
	}
	return w, err
}

// Paths lists every complete answer path from the start, depth first in
// answer order. On a graph with a cycle it stops at a depth bound instead of
// looping; Validate reports the cycle.
func (g *Graph) Paths() [][]string {
	var out [][]string
	var rec func(at string, path []string)
	rec = func(at string, path []string) {
		q := g.Question(at)
		if q == nil || len(path) > len(g.Questions) {
			out = append(out, append([]string(nil), path...))
			return
		}
		for i, a := range Answers {
			rec(q.Next[i].To, append(path, a))
		}
	}
	rec(g.Start, nil)
	return out
}

// Compact writes the graph in a record format that Parse reads back without
// reflection, so the page can hand the rules to the wasm cheaply. Records end
// with ";" (and a line break for people): an HTML minifier may fold the line
// breaks of an attribute value, the semicolons survive.
//
//	v <version>
//	s <start>
//	k <group> <group> …
//	q <id> <to>[+group,group] <to> <to>      (answers in Answers order)
//	r <id> <outcome> <kontakte 0|1> [<fallback> <question,question>]
//
// Ids never contain spaces, "+" or ","; Validate ensures that.
func (g *Graph) Compact() string {
	var b strings.Builder
	b.WriteString("v " + strings.Join(strings.Fields(strings.ReplaceAll(g.Version, ";", ",")), " ") + ";\n")
	b.WriteString("s " + g.Start + ";\n")
	b.WriteString("k " + strings.Join(g.Kontaktgruppen, " ") + ";\n")
	for _, q := range g.Questions {
		b.WriteString("q " + q.ID)
		for _, e := range q.Next {
			b.WriteString(" " + e.To)
			if len(e.Kontakt) > 0 {
				b.WriteString("+" + strings.Join(e.Kontakt, ","))
			}
		}
		b.WriteString(";\n")
	}
	for _, r := range g.Results {
		k := "0"
		if r.Kontakte {
			k = "1"
		}
		b.WriteString("r " + r.ID + " " + r.Outcome + " " + k)
		if r.UnsicherErgebnis != "" {
			b.WriteString(" " + r.UnsicherErgebnis + " " + strings.Join(r.UnsicherBei, ","))
		}
		b.WriteString(";\n")
	}
	return b.String()
}

var errCompact = errors.New("Regelwerk im Kurzformat ist fehlerhaft")

// Parse reads what Compact wrote.
func Parse(s string) (*Graph, error) {
	g := &Graph{}
	for line := range strings.SplitSeq(s, ";") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		kind, rest, _ := strings.Cut(line, " ")
		f := strings.Fields(rest)
		switch kind {
		case "v":
			g.Version = rest
		case "s":
			if len(f) != 1 {
				return nil, errCompact
			}
			g.Start = f[0]
		case "k":
			g.Kontaktgruppen = f
		case "q":
			if len(f) != 4 {
				return nil, errCompact
			}
			q := &Question{ID: f[0]}
			for i := range q.Next {
				to, groups, ok := strings.Cut(f[i+1], "+")
				q.Next[i].To = to
				if ok {
					q.Next[i].Kontakt = strings.Split(groups, ",")
				}
			}
			g.Questions = append(g.Questions, q)
		case "r":
			if len(f) != 3 && len(f) != 5 {
				return nil, errCompact
			}
			r := &Result{ID: f[0], Outcome: f[1], Kontakte: f[2] == "1"}
			if len(f) == 5 {
				r.UnsicherErgebnis = f[3]
				r.UnsicherBei = strings.Split(f[4], ",")
			}
			g.Results = append(g.Results, r)
		default:
			return nil, errCompact
		}
	}
	if g.Start == "" {
		return nil, errCompact
	}
	return g, nil
}
