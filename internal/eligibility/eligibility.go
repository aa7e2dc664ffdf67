// Package eligibility loads and validates the self-check's rule set
// (data/selbstcheck.yaml), walks and evaluates it, and prepares everything
// the static pages need. The decision logic itself lives in the subpackage
// rules, which the wasm build shares; this package adds the texts of both
// variants, the YAML loading with line numbers and the page data for Hugo.
package eligibility

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"budgetsite/internal/eligibility/rules"
	"budgetsite/internal/report"
	"budgetsite/internal/yamlfile"
)

// Text is one text in both variants: de = Standard, ls = Leichte Sprache.
type Text struct {
	DE string `yaml:"de"`
	LS string `yaml:"ls"`
}

// In returns the text of variant "de" or "ls".
func (t Text) In(variant string) string {
	if variant == "ls" {
		return t.LS
	}
	return t.DE
}

// Question is a question with its texts.
type Question struct {
	ID    string
	Frage Text
	Hilfe Text
}

// Result is a result with its texts. Stelle names the probably responsible
// office; only "andere-stelle" results have it. Schritte, when set, replaces
// the next steps of the result's kind.
type Result struct {
	ID       string
	Art      string
	Titel    Text
	Grund    Text
	Stelle   Text
	Schritte Text
}

// Art holds what all results of one outcome kind say. The notes belong to
// the kind, not to the whole self-check: who checks income and who decides
// differs between "the Bezirk is probably responsible" and "another office is".
type Art struct {
	Kurz     Text `yaml:"kurz"`
	Schritte Text `yaml:"schritte"`
	Hinweise Text `yaml:"hinweise"`
}

// RuleSet is a loaded, validated rule set.
type RuleSet struct {
	Graph   *rules.Graph
	Version string
	Stand   string
	// Traeger is the carrier the self-check asks about ("Bezirk Schwaben").
	Traeger   string
	Questions []Question
	Results   []Result
	Antworten map[string]Text
	Arten     map[string]Art
	Texte     map[string]Text
}

// Evaluate walks the answers (one per question on the path, in order).
func (rs *RuleSet) Evaluate(answers []string) (rules.Walk, error) {
	return rs.Graph.Walk(answers)
}

// Question returns the texts of question id (zero value if unknown).
func (rs *RuleSet) Question(id string) Question {
	for _, q := range rs.Questions {
		if q.ID == id {
			return q
		}
	}
	return Question{}
}

// Result returns the texts of result id (zero value if unknown).
func (rs *RuleSet) Result(id string) Result {
	for _, r := range rs.Results {
		if r.ID == id {
			return r
		}
	}
	return Result{}
}

// RequiredTexts are the keys of "texte" the templates and the script use.
var RequiredTexts = []string{
	"frage-zaehler", "zurueck", "neu-starten", "ihre-antworten", "aendern",
	"aendern-kontext", "warum", "zustaendig", "naechste-schritte", "antrag-vorbereiten",
	"antrag-liste", "beratung-titel", "beratung", "beratung-link", "kontakte-titel",
	"alle-kontakte", "gut-zu-wissen", "datenschutz-statisch",
	"datenschutz-interaktiv", "druck-version", "druck-datum", "druck-seite", "drucken", "ergebnis",
	"zum-ergebnis", "noch-offen", "neue-frage", "bereit",
}

// ResultTexts are the keys of "texte" that every result page shows, whatever
// its outcome. They must not name the carrier: for an "andere-stelle" result
// it is not the one to ask, to check income or to decide.
var ResultTexts = []string{
	"warum", "naechste-schritte", "beratung-titel", "beratung", "beratung-link",
	"gut-zu-wissen", "datenschutz-statisch", "datenschutz-interaktiv",
	"druck-version", "druck-datum", "druck-seite", "drucken", "neu-starten",
}

// The file's shape. Pointers tell a missing answer from an empty one.
type fileAnswer struct {
	Weiter  string   `yaml:"weiter"`
	Kontakt []string `yaml:"kontakt"`
}

type fileQuestion struct {
	ID        string `yaml:"id"`
	Frage     Text   `yaml:"frage"`
	Hilfe     Text   `yaml:"hilfe"`
	Antworten struct {
		Ja         *fileAnswer `yaml:"ja"`
		Nein       *fileAnswer `yaml:"nein"`
		WeissNicht *fileAnswer `yaml:"weiss-nicht"`
	} `yaml:"antworten"`
}

type fileResult struct {
	ID       string `yaml:"id"`
	Art      string `yaml:"art"`
	Titel    Text   `yaml:"titel"`
	Grund    Text   `yaml:"grund"`
	Stelle   Text   `yaml:"stelle"`
	Schritte Text   `yaml:"schritte"`
	Unsicher *struct {
		Fragen   []string `yaml:"fragen"`
		Ergebnis string   `yaml:"ergebnis"`
	} `yaml:"unsicher"`
	Kontakte bool `yaml:"kontakte"`
}

type file struct {
	Version        string          `yaml:"version"`
	Stand          string          `yaml:"stand"`
	Traeger        string          `yaml:"traeger"`
	Start          string          `yaml:"start"`
	Kontaktgruppen []string        `yaml:"kontaktgruppen"`
	Antworten      map[string]Text `yaml:"antworten"`
	Fragen         []fileQuestion  `yaml:"fragen"`
	Ergebnisse     []fileResult    `yaml:"ergebnisse"`
	Arten          map[string]Art  `yaml:"arten"`
	Texte          map[string]Text `yaml:"texte"`
}

// LoadFile reads and validates the rule set at path. relName ("data/selbstcheck.yaml")
// names the file in problems. The rule set is nil when there is any Fehler.
func LoadFile(path, relName string) (*RuleSet, []report.Problem) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, []report.Problem{{File: relName, Severity: report.Fehler, Rule: "datei",
			Message: "Die Regeln für den Selbstcheck sind nicht lesbar: " + err.Error()}}
	}
	return Load(src, relName)
}

// Load is LoadFile on bytes already read.
func Load(src []byte, relName string) (*RuleSet, []report.Problem) {
	var f file
	doc, ps := yamlfile.Decode(relName, src, &f)
	if ps != nil {
		return nil, ps
	}
	rs := build(&f)
	ps = validate(doc, &f, rs)
	if report.Count(ps, report.Fehler) > 0 {
		return nil, ps
	}
	return rs, ps
}

func build(f *file) *RuleSet {
	g := &rules.Graph{Version: f.Version, Start: f.Start, Kontaktgruppen: f.Kontaktgruppen}
	rs := &RuleSet{Graph: g, Version: f.Version, Stand: f.Stand, Traeger: f.Traeger, Antworten: f.Antworten, Arten: f.Arten, Texte: f.Texte}
	for _, fq := range f.Fragen {
		q := &rules.Question{ID: fq.ID}
		for i, a := range answersOf(&fq) {
			if a != nil {
				q.Next[i] = rules.Edge{To: a.Weiter, Kontakt: a.Kontakt}
			}
		}
		g.Questions = append(g.Questions, q)
		rs.Questions = append(rs.Questions, Question{ID: fq.ID, Frage: fq.Frage, Hilfe: fq.Hilfe})
	}
	for _, fr := range f.Ergebnisse {
		r := &rules.Result{ID: fr.ID, Outcome: fr.Art, Kontakte: fr.Kontakte}
		if fr.Unsicher != nil {
			r.UnsicherBei, r.UnsicherErgebnis = fr.Unsicher.Fragen, fr.Unsicher.Ergebnis
		}
		g.Results = append(g.Results, r)
		rs.Results = append(rs.Results, Result{ID: fr.ID, Art: fr.Art, Titel: fr.Titel, Grund: fr.Grund, Stelle: fr.Stelle, Schritte: fr.Schritte})
	}
	return rs
}

func answersOf(q *fileQuestion) [3]*fileAnswer {
	return [3]*fileAnswer{q.Antworten.Ja, q.Antworten.Nein, q.Antworten.WeissNicht}
}

var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// validate reports every problem at once, so an editor fixes them in one go.
func validate(doc *yamlfile.Doc, f *file, rs *RuleSet) []report.Problem {
	var ps []report.Problem
	errf := func(path, rule, msg string) { ps = append(ps, doc.Errorf(path, rule, msg)) }
	text := func(path, what string, t Text) {
		switch {
		case strings.TrimSpace(t.DE) == "" && strings.TrimSpace(t.LS) == "":
			errf(path, "text-fehlt", what+" fehlt (de und ls).")
		case strings.TrimSpace(t.DE) == "":
			errf(path, "text-fehlt", what+": Der Text in Standard-Sprache (de) fehlt.")
		case strings.TrimSpace(t.LS) == "":
			errf(path, "leichte-sprache-fehlt", what+": Der Text in Leichter Sprache (ls) fehlt.")
		}
	}

	if strings.TrimSpace(f.Version) == "" {
		errf("$.version", "version", "Die Version des Regelwerks fehlt (zum Beispiel version: \"1.0\").")
	}
	groups := map[string]bool{}
	for i, k := range f.Kontaktgruppen {
		if !idRe.MatchString(k) {
			errf(fmt.Sprintf("$.kontaktgruppen[%d]", i), "id", fmt.Sprintf("Die Kontakt-Gruppe %q braucht eine id aus Kleinbuchstaben, Ziffern und Bindestrichen.", k))
		}
		groups[k] = true
	}
	for _, a := range rules.Answers {
		text("$.antworten."+a, "Die Beschriftung der Antwort „"+a+"“", f.Antworten[a])
	}
	if strings.TrimSpace(f.Traeger) == "" {
		errf("$.traeger", "traeger", "Es fehlt der Leistungsträger, nach dem der Selbstcheck fragt (zum Beispiel traeger: Bezirk Schwaben).")
	}
	for _, o := range rules.Outcomes {
		at := "$.arten." + o
		text(at+".kurz", "Die Kurzform des Ergebnisses „"+o+"“", f.Arten[o].Kurz)
		text(at+".schritte", "Die nächsten Schritte für „"+o+"“", f.Arten[o].Schritte)
		text(at+".hinweise", "Der Text „Gut zu wissen“ für „"+o+"“", f.Arten[o].Hinweise)
	}
	for _, k := range RequiredTexts {
		text("$.texte."+k, "Der Seitentext „"+k+"“", f.Texte[k])
	}
	known := slices.Sorted(func(yield func(string) bool) {
		for k := range f.Texte {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range known {
		if !slices.Contains(RequiredTexts, k) {
			ps = append(ps, doc.Warnf("$.texte."+k, "text-unbenutzt", fmt.Sprintf("Der Seitentext „%s“ wird nirgends verwendet.", k)))
		}
	}

	// Ids: unique over questions and results, usable in URLs and the compact format.
	where := map[string]string{}
	isQuestion := map[string]bool{}
	for i, q := range f.Fragen {
		at := fmt.Sprintf("$.fragen[%d]", i)
		checkID(errf, at, q.ID, where)
		isQuestion[q.ID] = true
		text(at+".frage", "Der Text der Frage „"+q.ID+"“", q.Frage)
		text(at+".hilfe", "Der Hilfetext der Frage „"+q.ID+"“", q.Hilfe)
	}
	for i, r := range f.Ergebnisse {
		at := fmt.Sprintf("$.ergebnisse[%d]", i)
		checkID(errf, at, r.ID, where)
		if !slices.Contains(rules.Outcomes[:], r.Art) {
			errf(at+".art", "art", fmt.Sprintf("Die Art %q gibt es nicht. Erlaubt sind: moeglich, andere-stelle, unklar.", r.Art))
		}
		text(at+".titel", "Der Titel des Ergebnisses „"+r.ID+"“", r.Titel)
		text(at+".grund", "Die Begründung des Ergebnisses „"+r.ID+"“", r.Grund)
		if r.Art == rules.AndereStelle {
			text(at+".stelle", "Die zuständige Stelle beim Ergebnis „"+r.ID+"“", r.Stelle)
		}
		if r.Schritte.DE != "" || r.Schritte.LS != "" {
			text(at+".schritte", "Die nächsten Schritte beim Ergebnis „"+r.ID+"“", r.Schritte)
		}
	}
	ps = append(ps, fitProblems(doc, f)...)
	isResult := func(id string) bool { _, ok := where[id]; return ok && !isQuestion[id] }

	if f.Start == "" {
		errf("$.start", "start", "Es fehlt die erste Frage (start: …).")
	} else if !isQuestion[f.Start] {
		errf("$.start", "unbekannter-schritt", fmt.Sprintf("Die erste Frage %q gibt es nicht unter fragen.", f.Start))
	}
	for i, q := range f.Fragen {
		for j, a := range answersOf(&q) {
			at := fmt.Sprintf("$.fragen[%d].antworten.%s", i, rules.Answers[j])
			if a == nil {
				errf(fmt.Sprintf("$.fragen[%d].antworten", i), "antwort-fehlt", fmt.Sprintf("Bei der Frage „%s“ fehlt die Antwort „%s“.", q.ID, rules.Answers[j]))
				continue
			}
			if _, ok := where[a.Weiter]; !ok {
				errf(at+".weiter", "unbekannter-schritt", fmt.Sprintf("Der nächste Schritt %q ist weder eine Frage noch ein Ergebnis.", a.Weiter))
			}
			for k, g := range a.Kontakt {
				if !groups[g] {
					errf(fmt.Sprintf("%s.kontakt[%d]", at, k), "kontaktgruppe", fmt.Sprintf("Die Kontakt-Gruppe %q steht nicht unter kontaktgruppen.", g))
				}
			}
		}
	}
	for i, r := range f.Ergebnisse {
		if r.Unsicher == nil {
			continue
		}
		at := fmt.Sprintf("$.ergebnisse[%d].unsicher", i)
		if !isResult(r.Unsicher.Ergebnis) {
			errf(at+".ergebnis", "unbekannter-schritt", fmt.Sprintf("Das Ergebnis %q gibt es nicht.", r.Unsicher.Ergebnis))
		}
		for k, q := range r.Unsicher.Fragen {
			if !isQuestion[q] {
				errf(fmt.Sprintf("%s.fragen[%d]", at, k), "unbekannter-schritt", fmt.Sprintf("Die Frage %q gibt es nicht.", q))
			}
		}
	}
	if report.Count(ps, report.Fehler) > 0 {
		return ps // the graph checks below assume known targets
	}
	ps = append(ps, graphProblems(doc, f)...)
	return ps
}

// fitProblems finds notes that do not fit their outcome: a result that says
// another office is responsible must not say that the carrier of this
// self-check checks income, decides or can be asked, and texts that every
// result shows must not say so either.
func fitProblems(doc *yamlfile.Doc, f *file) []report.Problem {
	name := strings.TrimSpace(f.Traeger)
	if name == "" {
		return nil
	}
	var ps []report.Problem
	names := func(t Text) bool { return strings.Contains(t.DE, name) || strings.Contains(t.LS, name) }
	bad := func(path, what string) {
		ps = append(ps, doc.Errorf(path, "ergebnis-passt-nicht", what))
	}
	other := f.Arten[rules.AndereStelle]
	if names(other.Schritte) {
		bad("$.arten."+rules.AndereStelle+".schritte", fmt.Sprintf("Die nächsten Schritte für „%s“ nennen „%s“. Bei diesen Ergebnissen ist wahrscheinlich eine andere Stelle zuständig.", rules.AndereStelle, name))
	}
	if names(other.Hinweise) {
		bad("$.arten."+rules.AndereStelle+".hinweise", fmt.Sprintf("Die Hinweise für „%s“ nennen „%s“. Bei diesen Ergebnissen ist wahrscheinlich eine andere Stelle zuständig: Sie prüft und entscheidet.", rules.AndereStelle, name))
	}
	for i, r := range f.Ergebnisse {
		if r.Art != rules.AndereStelle {
			continue
		}
		at := fmt.Sprintf("$.ergebnisse[%d]", i)
		if names(r.Schritte) {
			bad(at+".schritte", fmt.Sprintf("Die nächsten Schritte beim Ergebnis „%s“ nennen „%s“, aber wahrscheinlich ist eine andere Stelle zuständig.", r.ID, name))
		}
		if r.Kontakte {
			bad(at+".kontakte", fmt.Sprintf("Beim Ergebnis „%s“ ist wahrscheinlich eine andere Stelle zuständig. Es zeigt deshalb keine Ansprechpersonen von „%s“: Schreiben Sie kontakte: false.", r.ID, name))
		}
	}
	for _, k := range ResultTexts {
		if names(f.Texte[k]) {
			bad("$.texte."+k, fmt.Sprintf("Der Seitentext „%s“ steht bei jedem Ergebnis, auch wenn eine andere Stelle zuständig ist. Er darf „%s“ nicht nennen. Schreiben Sie das zur Art des Ergebnisses (arten: … schritte oder hinweise).", k, name))
		}
	}
	return ps
}

func checkID(errf func(string, string, string), at, id string, where map[string]string) {
	switch {
	case !idRe.MatchString(id):
		errf(at+".id", "id", fmt.Sprintf("Die id %q muss aus Kleinbuchstaben, Ziffern und Bindestrichen bestehen.", id))
	case where[id] != "":
		errf(at+".id", "id", fmt.Sprintf("Die id %q kommt zweimal vor.", id))
	}
	if where[id] == "" {
		where[id] = at
	}
}

// graphProblems finds cycles and nodes no path reaches.
func graphProblems(doc *yamlfile.Doc, f *file) []report.Problem {
	var ps []report.Problem
	index := map[string]int{}
	for i, q := range f.Fragen {
		index[q.ID] = i
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	reached := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		reached[id] = true
		i, isQ := index[id]
		if !isQ || state[id] == done {
			return
		}
		state[id] = active
		for j, a := range answersOf(&f.Fragen[i]) {
			switch state[a.Weiter] {
			case active:
				ps = append(ps, doc.Errorf(fmt.Sprintf("$.fragen[%d].antworten.%s.weiter", i, rules.Answers[j]), "kreis",
					fmt.Sprintf("Die Antwort führt zurück zur Frage %q. So endet der Selbstcheck nie.", a.Weiter)))
			case unseen:
				visit(a.Weiter)
			}
		}
		state[id] = done
	}
	visit(f.Start)
	// A result reached only through an "unsicher" redirect is reachable too.
	for changed := true; changed; {
		changed = false
		for _, r := range f.Ergebnisse {
			if reached[r.ID] && r.Unsicher != nil && !reached[r.Unsicher.Ergebnis] {
				reached[r.Unsicher.Ergebnis], changed = true, true
			}
		}
	}
	for i, q := range f.Fragen {
		if !reached[q.ID] {
			ps = append(ps, doc.Errorf(fmt.Sprintf("$.fragen[%d].id", i), "unerreichbar",
				fmt.Sprintf("Keine Antwort führt zur Frage %q.", q.ID)))
		}
	}
	for i, r := range f.Ergebnisse {
		if !reached[r.ID] {
			ps = append(ps, doc.Errorf(fmt.Sprintf("$.ergebnisse[%d].id", i), "unerreichbar",
				fmt.Sprintf("Keine Antwort führt zum Ergebnis %q.", r.ID)))
		}
	}
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].Line < ps[b].Line })
	return ps
}
