package eligibility

import (
	"encoding/json"
	"strings"

	"budgetsite/internal/eligibility/rules"
)

// Section is the URL segment of the self-check under each variant's root.
const Section = "selbstcheck"

// StartAnchor is the id of the start page's static question form.
const StartAnchor = "selbstcheck-frage"

// Block is a piece of text as the templates render it: Zeilen is a paragraph
// whose lines stay lines (Leichte Sprache: one sentence a line); Liste is a
// bulleted list. Lines may hold inline Markdown (links).
type Block struct {
	Zeilen []string `json:"zeilen,omitempty"`
	Liste  []string `json:"liste,omitempty"`
}

// TextOut is a text both as one string (headings, labels) and as blocks.
type TextOut struct {
	Text    string  `json:"text"`
	Bloecke []Block `json:"bloecke"`
}

// AnswerOut is one answer button or radio. Href (static pages only) is the
// page the answer leads to, relative to the variant's root.
type AnswerOut struct {
	Wert  string `json:"wert"`
	Label string `json:"label"`
	Href  string `json:"href,omitempty"`
}

// QuestionOut is a question as a page or fieldset shows it.
type QuestionOut struct {
	ID        string      `json:"id"`
	Nummer    int         `json:"nummer,omitempty"`
	Text      string      `json:"text"`
	Hilfe     []Block     `json:"hilfe"`
	Antworten []AnswerOut `json:"antworten"`
}

// AnsweredOut is one row of "Ihre Antworten": the question, the answer and
// the page where it can be changed.
type AnsweredOut struct {
	Frage   string `json:"frage"`
	Text    string `json:"text"`
	Wert    string `json:"wert"`
	Antwort string `json:"antwort"`
	Aendern string `json:"aendern"`
}

// ResultOut is a result with everything its page says.
type ResultOut struct {
	ID       string  `json:"id"`
	Art      string  `json:"art"`
	Kurz     string  `json:"kurz"`
	Titel    string  `json:"titel"`
	Grund    []Block `json:"grund"`
	Stelle   []Block `json:"stelle,omitempty"`
	Schritte []Block `json:"schritte"`
	Hinweise []Block `json:"hinweise"`
	Antrag   bool    `json:"antrag"`
	Kontakte bool    `json:"kontakte"`
}

// PageOut is one pre-rendered page: a question (Art "frage") or a result
// (Art "ergebnis"). Pfad holds the answers so far, "ja/nein/weiss-nicht",
// relative to the self-check's section; "" is the start page.
type PageOut struct {
	Pfad     string        `json:"pfad"`
	Art      string        `json:"art"`
	Titel    string        `json:"titel"`
	Frage    *QuestionOut  `json:"frage,omitempty"`
	Ergebnis *ResultOut    `json:"ergebnis,omitempty"`
	Kontakt  []string      `json:"kontakt,omitempty"`
	Zurueck  string        `json:"zurueck,omitempty"`
	Bisher   []AnsweredOut `json:"bisher,omitempty"`
}

// VariantOut is everything one variant's templates need.
type VariantOut struct {
	Start      PageOut            `json:"start"`
	Fragen     []QuestionOut      `json:"fragen"`
	Ergebnisse []ResultOut        `json:"ergebnisse"`
	Texte      map[string]TextOut `json:"texte"`
	Seiten     []PageOut          `json:"seiten"`
}

// Data is the whole JSON document HugoData returns.
type Data struct {
	Version string `json:"version"`
	Stand   string `json:"stand"`
	// Regeln is the decision graph in rules' compact format, for the wasm.
	Regeln string     `json:"regeln"`
	DE     VariantOut `json:"de"`
	LS     VariantOut `json:"ls"`
}

// HugoData is the JSON the build pipeline puts where Hugo reads it as
// site.Data.selbstcheck_seiten: every page to pre-render for both variants,
// with all links resolved, so that templates do no rule logic.
func HugoData(rs *RuleSet) ([]byte, error) {
	d, err := PageData(rs)
	if err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// PageData is HugoData before encoding.
func PageData(rs *RuleSet) (*Data, error) {
	d := &Data{Version: rs.Version, Stand: rs.Stand, Regeln: rs.Graph.Compact()}
	for _, v := range []struct {
		name string
		out  *VariantOut
	}{{"de", &d.DE}, {"ls", &d.LS}} {
		if err := rs.variant(v.name, v.out); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Href is the link to the page after answers, relative to the variant root.
func Href(answers []string) string {
	if len(answers) == 0 {
		return Section + "/"
	}
	return Section + "/" + strings.Join(answers, "/") + "/"
}

// Prefixes lists every answer path that has a page of its own (not the
// start page), each once, in depth-first order.
func (rs *RuleSet) Prefixes() [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, p := range rs.Graph.Paths() {
		for n := 1; n <= len(p); n++ {
			k := strings.Join(p[:n], "/")
			if !seen[k] {
				seen[k] = true
				out = append(out, p[:n:n])
			}
		}
	}
	return out
}

func (rs *RuleSet) variant(v string, out *VariantOut) error {
	out.Texte = map[string]TextOut{}
	for k, t := range rs.Texte {
		// Underscores, so templates can write $t.ihre_antworten.
		out.Texte[strings.ReplaceAll(k, "-", "_")] = TextOut{Text: t.In(v), Bloecke: Blocks(t.In(v), v)}
	}
	for _, q := range rs.Graph.Questions {
		out.Fragen = append(out.Fragen, rs.question(v, q.ID, nil))
	}
	for _, r := range rs.Graph.Results {
		out.Ergebnisse = append(out.Ergebnisse, rs.result(v, r))
	}
	start, err := rs.page(v, nil)
	if err != nil {
		return err
	}
	out.Start = start
	for _, p := range rs.Prefixes() {
		pg, err := rs.page(v, p)
		if err != nil {
			return err
		}
		out.Seiten = append(out.Seiten, pg)
	}
	return nil
}

func (rs *RuleSet) question(v, id string, path []string) QuestionOut {
	q := rs.Question(id)
	out := QuestionOut{ID: id, Text: q.Frage.In(v), Hilfe: Blocks(q.Hilfe.In(v), v)}
	if path != nil {
		out.Nummer = len(path) + 1
	}
	for _, a := range rules.Answers {
		ao := AnswerOut{Wert: a, Label: rs.Antworten[a].In(v)}
		if path != nil {
			ao.Href = Href(append(path[:len(path):len(path)], a))
		}
		out.Antworten = append(out.Antworten, ao)
	}
	return out
}

func (rs *RuleSet) result(v string, r *rules.Result) ResultOut {
	t := rs.Result(r.ID)
	art := rs.Arten[r.Outcome]
	steps := art.Schritte
	if t.Schritte.DE != "" {
		steps = t.Schritte
	}
	return ResultOut{
		ID: r.ID, Art: r.Outcome, Kurz: art.Kurz.In(v), Titel: t.Titel.In(v),
		Grund: Blocks(t.Grund.In(v), v), Stelle: Blocks(t.Stelle.In(v), v),
		Schritte: Blocks(steps.In(v), v),
		Hinweise: Blocks(art.Hinweise.In(v), v),
		// What to prepare matters wherever an application at the Bezirk may follow.
		Antrag:   r.Outcome != rules.AndereStelle,
		Kontakte: r.Kontakte,
	}
}

func (rs *RuleSet) page(v string, path []string) (PageOut, error) {
	w, err := rs.Graph.Walk(path)
	if err != nil {
		return PageOut{}, err
	}
	pg := PageOut{Pfad: strings.Join(path, "/")}
	if path == nil {
		path = []string{}
	}
	if len(path) > 0 {
		pg.Zurueck = Href(path[:len(path)-1])
	}
	for i, s := range w.Steps {
		change := Href(path[:i])
		if i == 0 {
			change += "#" + StartAnchor
		}
		pg.Bisher = append(pg.Bisher, AnsweredOut{
			Frage: s.Question, Text: rs.Question(s.Question).Frage.In(v),
			Wert: s.Answer, Antwort: rs.Antworten[s.Answer].In(v), Aendern: change,
		})
	}
	if w.Next != "" {
		q := rs.question(v, w.Next, path)
		pg.Art, pg.Titel, pg.Frage = "frage", q.Text, &q
		return pg, nil
	}
	r := rs.result(v, w.Result)
	pg.Art, pg.Titel, pg.Ergebnis, pg.Kontakt = "ergebnis", r.Titel, &r, w.Kontakt
	return pg, nil
}

// Blocks splits a text into paragraphs and lists. In Standard German each
// line is a paragraph; in Leichte Sprache lines stay together as one
// paragraph of lines, one sentence each. Lines starting "- " form a list.
func Blocks(s, variant string) []Block {
	var out []Block
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		line = strings.TrimSpace(line)
		last := len(out) - 1
		switch {
		case line == "":
			out = append(out, Block{}) // an empty line ends a paragraph
		case strings.HasPrefix(line, "- "):
			item := strings.TrimSpace(line[2:])
			if last >= 0 && out[last].Liste != nil {
				out[last].Liste = append(out[last].Liste, item)
			} else {
				out = append(out, Block{Liste: []string{item}})
			}
		case variant == "ls" && last >= 0 && out[last].Zeilen != nil:
			out[last].Zeilen = append(out[last].Zeilen, line)
		default:
			out = append(out, Block{Zeilen: []string{line}})
		}
	}
	kept := out[:0]
	for _, b := range out {
		if b.Zeilen != nil || b.Liste != nil {
			kept = append(kept, b)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}
