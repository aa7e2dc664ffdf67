// Package sitedata loads and validates the editors' data files that the
// templates render (contacts, abbreviations, glossary, synonyms, the
// accessibility statement). Hugo reads the same files; we read them first so
// that a mistake is reported with file and line before anything is rendered.
package sitedata

import (
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/variant"
	"budgetsite/internal/yamlfile"
)

// Text is one text in both variants.
type Text struct {
	DE string `yaml:"de"`
	LS string `yaml:"ls"`
}

type Person struct {
	Name    string `yaml:"name"`
	Telefon string `yaml:"telefon"`
	Email   string `yaml:"email"`
}

type Group struct {
	ID       string   `yaml:"id"`
	Titel    Text     `yaml:"titel"`
	Personen []Person `yaml:"personen"`
}

type Office struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Telefon string `yaml:"telefon"`
	Email   string `yaml:"email"`
	Web     string `yaml:"web"`
}

type Contacts struct {
	Gruppen []Group  `yaml:"gruppen"`
	Stellen []Office `yaml:"stellen"`
}

type Abbreviation struct {
	Kurz string `yaml:"kurz"`
	Lang string `yaml:"lang"`
}

type Term struct {
	ID           string   `yaml:"id"`
	Begriff      string   `yaml:"begriff"`
	Formen       []string `yaml:"formen"`
	FormenLS     []string `yaml:"formen_ls"`
	Erklaerung   string   `yaml:"erklaerung"`
	ErklaerungLS string   `yaml:"erklaerung_ls"`
	Verwandt     []string `yaml:"verwandt"`
}

type Glossary struct {
	Begriffe           []Term   `yaml:"begriffe"`
	AkzeptierteWoerter []string `yaml:"akzeptierte_woerter"`
}

type Synonyms struct {
	Gruppen [][]string `yaml:"gruppen"`
}

type Gap struct {
	Was         Text `yaml:"was"`
	Grund       Text `yaml:"grund"`
	Alternative Text `yaml:"alternative"`
}

type Feedback struct {
	Formular string `yaml:"formular"`
	Email    string `yaml:"email"`
	Telefon  string `yaml:"telefon"`
}

// Arbitration is the arbitration body, which depends on who runs the site:
// its name and address stay empty until the operator is known.
type Arbitration struct {
	Name  string `yaml:"name"`
	Web   string `yaml:"web"`
	Email string `yaml:"email"`
	Text  Text   `yaml:"text"`
}

type Statement struct {
	Stand        string      `yaml:"stand"`
	Status       Text        `yaml:"status"`
	Methode      Text        `yaml:"methode"`
	Luecken      []Gap       `yaml:"luecken"`
	Rueckmeldung Feedback    `yaml:"rueckmeldung"`
	Schlichtung  Arbitration `yaml:"schlichtung"`
}

// Data is everything this package loads.
type Data struct {
	Contacts      Contacts
	Abbreviations []Abbreviation
	Glossary      Glossary
	Synonyms      Synonyms
	Statement     Statement
	// EasyTexts are the Leichte Sprache texts inside data files, so that the
	// same rules check them as the pages.
	EasyTexts []EasyText
}

// EasyText is one Leichte Sprache text of a data file and where it starts.
type EasyText struct {
	File string
	Line int // line of the first text line
	Text string
}

func (d *Data) addEasy(doc *yamlfile.Doc, path, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	line := doc.Line(path)
	if strings.Contains(strings.TrimSpace(text), "\n") {
		line++ // a block scalar: the text starts below the key
	}
	d.EasyTexts = append(d.EasyTexts, EasyText{File: doc.File, Line: line, Text: text})
}

// Files are the data files this package owns, relative to the project root.
const (
	ContactsFile      = "data/kontakte.yaml"
	AbbreviationsFile = "data/abkuerzungen.yaml"
	GlossaryFile      = "data/glossar.yaml"
	SynonymsFile      = "data/synonyme.yaml"
	StatementFile     = "data/barrierefreiheit.yaml"
)

// EasyTextFiles are data files other packages own (and validate) whose
// Leichte Sprache texts, every value under a key "ls", the Leichte Sprache
// rules check like the pages: the self-check, the listings and the forms.
var EasyTextFiles = []string{
	"data/selbstcheck.yaml",
	"data/ausstellung.yaml",
	"data/schulungen.yaml",
	"data/formulare.yaml",
}

var (
	phoneRe  = regexp.MustCompile(`^0[1-9][0-9]{1,5}( [0-9]{2,}(-[0-9]+)?| [0-9]+ [0-9]+)$`)
	idRe     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	abbrevRe = regexp.MustCompile(`^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]*[A-ZÄÖÜ][A-Za-zÄÖÜäöü]*$`)
)

// Load reads and validates all files. Problems carry file and line; the
// returned Data is usable (possibly partly empty) even when there are Fehler.
func Load(root string) (*Data, []report.Problem) {
	d := &Data{}
	var ps []report.Problem
	ps = append(ps, d.loadContacts(root)...)
	ps = append(ps, d.loadGlossary(root)...)
	if _, p := decode(root, SynonymsFile, &d.Synonyms, false); p != nil {
		ps = append(ps, p...)
	}
	ps = append(ps, d.loadStatement(root)...)
	for _, rel := range EasyTextFiles {
		d.EasyTexts = append(d.EasyTexts, easyTextsOf(root, rel)...)
	}
	return d, ps
}

func (d *Data) loadContacts(root string) []report.Problem {
	doc, ps := decode(root, ContactsFile, &d.Contacts, true)
	if ps == nil && doc != nil {
		ps = checkContacts(doc, &d.Contacts)
	}
	return ps
}

func (d *Data) loadGlossary(root string) []report.Problem {
	doc, ps := decode(root, AbbreviationsFile, &d.Abbreviations, true)
	if ps == nil && doc != nil {
		ps = checkAbbreviations(doc, d.Abbreviations)
	}
	doc, p := decode(root, GlossaryFile, &d.Glossary, true)
	if p != nil {
		return append(ps, p...)
	}
	if doc != nil {
		ps = append(ps, checkGlossary(doc, &d.Glossary)...)
		for i, t := range d.Glossary.Begriffe {
			d.addEasy(doc, fmt.Sprintf("$.begriffe[%d].erklaerung_ls", i), t.ErklaerungLS)
		}
	}
	return ps
}

func (d *Data) loadStatement(root string) []report.Problem {
	doc, ps := decode(root, StatementFile, &d.Statement, true)
	if ps != nil || doc == nil {
		return ps
	}
	ps = checkStatement(doc, &d.Statement)
	ps = append(ps, checkPage(root, doc, "$.rueckmeldung.formular", d.Statement.Rueckmeldung.Formular)...)
	st := &d.Statement
	d.addEasy(doc, "$.status.ls", st.Status.LS)
	d.addEasy(doc, "$.methode.ls", st.Methode.LS)
	for i, g := range st.Luecken {
		d.addEasy(doc, fmt.Sprintf("$.luecken[%d].was.ls", i), g.Was.LS)
		d.addEasy(doc, fmt.Sprintf("$.luecken[%d].grund.ls", i), g.Grund.LS)
		d.addEasy(doc, fmt.Sprintf("$.luecken[%d].alternative.ls", i), g.Alternative.LS)
	}
	d.addEasy(doc, "$.schlichtung.text.ls", st.Schlichtung.Text.LS)
	return ps
}

// easyTextsOf collects the "ls" texts of a file another module owns.
func easyTextsOf(root, rel string) []EasyText {
	var out []EasyText
	for _, t := range site.YAMLTexts(root, rel) {
		out = append(out, EasyText{File: t.File, Line: t.Line, Text: t.Text})
	}
	return out
}

func decode(root, rel string, v any, required bool) (*yamlfile.Doc, []report.Problem) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		if !required {
			return nil, nil
		}
		return nil, []report.Problem{{File: rel, Severity: report.Fehler, Rule: "datei-fehlt", Message: "Die Datei fehlt."}}
	}
	if err != nil {
		return nil, []report.Problem{{File: rel, Severity: report.Fehler, Rule: "datei", Message: "Die Datei ist nicht lesbar: " + err.Error()}}
	}
	doc, ps := yamlfile.Decode(rel, src, v)
	if ps != nil {
		return nil, ps
	}
	return doc, nil
}

func checkContacts(doc *yamlfile.Doc, c *Contacts) []report.Problem {
	var ps []report.Problem
	if len(c.Gruppen) == 0 {
		ps = append(ps, doc.Errorf("$.gruppen", "kontakt", "Es ist keine Kontakt-Gruppe eingetragen."))
	}
	seen := map[string]bool{}
	for i, g := range c.Gruppen {
		at := fmt.Sprintf("$.gruppen[%d]", i)
		if !idRe.MatchString(g.ID) {
			ps = append(ps, doc.Errorf(at+".id", "kontakt", fmt.Sprintf("Die Gruppe braucht eine id aus Kleinbuchstaben und Bindestrichen (jetzt: %q).", g.ID)))
		} else if seen[g.ID] {
			ps = append(ps, doc.Errorf(at+".id", "kontakt", fmt.Sprintf("Die id %q kommt zweimal vor.", g.ID)))
		}
		seen[g.ID] = true
		ps = append(ps, checkText(doc, at+".titel", "Titel der Gruppe", g.Titel)...)
		if len(g.Personen) == 0 {
			ps = append(ps, doc.Errorf(at+".personen", "kontakt", "Die Gruppe hat keine Ansprechperson."))
		}
		for j, p := range g.Personen {
			pat := fmt.Sprintf("%s.personen[%d]", at, j)
			if strings.TrimSpace(p.Name) == "" {
				ps = append(ps, doc.Errorf(pat, "kontakt", "Der Name fehlt."))
			}
			ps = append(ps, checkPhone(doc, pat+".telefon", p.Telefon, true)...)
			ps = append(ps, checkEmail(doc, pat+".email", p.Email, true)...)
		}
	}
	for i, s := range c.Stellen {
		at := fmt.Sprintf("$.stellen[%d]", i)
		if !idRe.MatchString(s.ID) {
			ps = append(ps, doc.Errorf(at+".id", "kontakt", fmt.Sprintf("Die Stelle braucht eine id aus Kleinbuchstaben und Bindestrichen (jetzt: %q).", s.ID)))
		}
		if strings.TrimSpace(s.Name) == "" {
			ps = append(ps, doc.Errorf(at, "kontakt", "Der Name der Stelle fehlt."))
		}
		ps = append(ps, checkPhone(doc, at+".telefon", s.Telefon, false)...)
		ps = append(ps, checkEmail(doc, at+".email", s.Email, false)...)
		if s.Web != "" && !strings.HasPrefix(s.Web, "https://") && !strings.HasPrefix(s.Web, "http://") {
			ps = append(ps, doc.Errorf(at+".web", "kontakt", fmt.Sprintf("Die Internet-Adresse muss mit https:// beginnen (jetzt: %q).", s.Web)))
		}
	}
	return ps
}

func checkPhone(doc *yamlfile.Doc, at, v string, required bool) []report.Problem {
	switch {
	case v == "" && required:
		return []report.Problem{doc.Errorf(at, "telefon", "Die Telefonnummer fehlt.")}
	case v != "" && !phoneRe.MatchString(v):
		return []report.Problem{doc.Errorf(at, "telefon", fmt.Sprintf("Die Telefonnummer %q hat nicht die Form „0821 3101-333“ (Vorwahl, Leerzeichen, Nummer, optional Bindestrich und Durchwahl).", v))}
	}
	return nil
}

func checkEmail(doc *yamlfile.Doc, at, v string, required bool) []report.Problem {
	switch {
	case v == "" && required:
		return []report.Problem{doc.Errorf(at, "email", "Die E-Mail-Adresse fehlt.")}
	case v != "":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
			return []report.Problem{doc.Errorf(at, "email", fmt.Sprintf("%q ist keine gültige E-Mail-Adresse.", v))}
		}
	}
	return nil
}

func checkText(doc *yamlfile.Doc, at, what string, t Text) []report.Problem {
	var ps []report.Problem
	if strings.TrimSpace(t.DE) == "" {
		ps = append(ps, doc.Errorf(at+".de", "text-fehlt", what+": der Text in Standard-Sprache (de) fehlt."))
	}
	if strings.TrimSpace(t.LS) == "" {
		ps = append(ps, doc.Errorf(at+".ls", "text-fehlt", what+": der Text in Leichter Sprache (ls) fehlt."))
	}
	return ps
}

func checkAbbreviations(doc *yamlfile.Doc, as []Abbreviation) []report.Problem {
	var ps []report.Problem
	seen := map[string]bool{}
	for i, a := range as {
		at := fmt.Sprintf("$[%d]", i)
		switch {
		case !abbrevRe.MatchString(a.Kurz):
			ps = append(ps, doc.Errorf(at+".kurz", "abkuerzung", fmt.Sprintf("%q ist keine Abkürzung aus Großbuchstaben (wie LVR oder KoKoBe).", a.Kurz)))
		case seen[a.Kurz]:
			ps = append(ps, doc.Errorf(at+".kurz", "abkuerzung", fmt.Sprintf("Die Abkürzung %q steht zweimal in der Liste.", a.Kurz)))
		}
		seen[a.Kurz] = true
		if strings.TrimSpace(a.Lang) == "" {
			ps = append(ps, doc.Errorf(at, "abkuerzung", fmt.Sprintf("Zur Abkürzung %q fehlt die lange Form (lang).", a.Kurz)))
		}
	}
	return ps
}

func checkGlossary(doc *yamlfile.Doc, g *Glossary) []report.Problem {
	var ps []report.Problem
	ids := map[string]bool{}
	for i, t := range g.Begriffe {
		at := fmt.Sprintf("$.begriffe[%d]", i)
		switch {
		case !idRe.MatchString(t.ID):
			ps = append(ps, doc.Errorf(at+".id", "glossar", fmt.Sprintf("Der Begriff %q braucht eine id aus Kleinbuchstaben und Bindestrichen (jetzt: %q).", t.Begriff, t.ID)))
		case ids[t.ID]:
			ps = append(ps, doc.Errorf(at+".id", "glossar", fmt.Sprintf("Die id %q kommt zweimal vor.", t.ID)))
		}
		ids[t.ID] = true
		if strings.TrimSpace(t.Begriff) == "" {
			ps = append(ps, doc.Errorf(at, "glossar", "Der Begriff fehlt."))
		}
		if strings.TrimSpace(t.Erklaerung) == "" {
			ps = append(ps, doc.Errorf(at, "glossar", fmt.Sprintf("Zu %q fehlt die Erklärung in Standard-Sprache (erklaerung).", t.Begriff)))
		}
		if strings.TrimSpace(t.ErklaerungLS) == "" {
			ps = append(ps, doc.Errorf(at, "glossar", fmt.Sprintf("Zu %q fehlt die Erklärung in Leichter Sprache (erklaerung_ls).", t.Begriff)))
		}
	}
	for i, t := range g.Begriffe {
		for j, r := range t.Verwandt {
			if !ids[r] {
				ps = append(ps, doc.Errorf(fmt.Sprintf("$.begriffe[%d].verwandt[%d]", i, j), "glossar",
					fmt.Sprintf("Der verwandte Begriff %q steht nicht im Wörterbuch. Erlaubt sind die ids der Begriffe.", r)))
			}
		}
	}
	return ps
}

// checkPage reports a page reference (a content path such as
// "/barrierefreiheit-rueckmeldung/", as templates pass it to site.GetPage)
// that has no Markdown file in one of the variants: the template would
// silently leave the link out.
func checkPage(root string, doc *yamlfile.Doc, at, ref string) []report.Problem {
	if ref == "" {
		return nil
	}
	p := strings.Trim(ref, "/")
	var ps []report.Problem
	for _, v := range variant.All {
		dir := filepath.Join(root, filepath.FromSlash(v.ContentDir()))
		found := false
		for _, f := range []string{p + ".md", filepath.Join(p, "_index.md"), filepath.Join(p, "index.md")} {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
				found = true
				break
			}
		}
		if !found {
			ps = append(ps, doc.Errorf(at, "seite-fehlt", fmt.Sprintf("Die Seite %q gibt es in %s nicht. Gemeint ist der Pfad der Datei unter %s/ ohne .md (zum Beispiel /barrierefreiheit-rueckmeldung/), nicht die Adresse im Browser.", ref, v.ContentDir(), v.ContentDir())))
		}
	}
	return ps
}

func checkStatement(doc *yamlfile.Doc, s *Statement) []report.Problem {
	var ps []report.Problem
	if _, err := time.Parse("2006-01-02", s.Stand); err != nil {
		ps = append(ps, doc.Errorf("$.stand", "datum", fmt.Sprintf("Das Datum der letzten Prüfung %q hat nicht die Form JJJJ-MM-TT.", s.Stand)))
	}
	ps = append(ps, checkText(doc, "$.status", "Status", s.Status)...)
	ps = append(ps, checkText(doc, "$.methode", "Methode", s.Methode)...)
	for i, g := range s.Luecken {
		at := fmt.Sprintf("$.luecken[%d]", i)
		ps = append(ps, checkText(doc, at+".was", "Lücke", g.Was)...)
		ps = append(ps, checkText(doc, at+".grund", "Grund", g.Grund)...)
		ps = append(ps, checkText(doc, at+".alternative", "Alternative", g.Alternative)...)
	}
	ps = append(ps, checkEmail(doc, "$.rueckmeldung.email", s.Rueckmeldung.Email, false)...)
	ps = append(ps, checkPhone(doc, "$.rueckmeldung.telefon", s.Rueckmeldung.Telefon, false)...)
	if s.Rueckmeldung.Email == "" {
		ps = append(ps, doc.Warnf("$.rueckmeldung.email", "offen", "Erklärung zur Barrierefreiheit: Die E-Mail-Adresse für Rückmeldungen ist noch nicht eingetragen; die Seite zeigt „noch nicht festgelegt“."))
	}
	// Which arbitration body is responsible depends on the operator, so
	// these stay open (and visibly so) until the operator is known.
	if strings.TrimSpace(s.Schlichtung.Name) == "" {
		ps = append(ps, doc.Warnf("$.schlichtung.name", "offen", "Erklärung zur Barrierefreiheit: Die Schlichtungsstelle ist noch nicht eingetragen; sie hängt davon ab, wer die Website betreibt. Die Seite zeigt „noch nicht festgelegt“."))
	}
	if strings.TrimSpace(s.Schlichtung.Web) == "" {
		ps = append(ps, doc.Warnf("$.schlichtung.web", "offen", "Erklärung zur Barrierefreiheit: Die Internet-Adresse der Schlichtungsstelle ist noch nicht eingetragen."))
	} else if !strings.HasPrefix(s.Schlichtung.Web, "https://") {
		ps = append(ps, doc.Errorf("$.schlichtung.web", "schlichtung", fmt.Sprintf("Die Internet-Adresse der Schlichtungsstelle muss mit https:// beginnen (jetzt: %q).", s.Schlichtung.Web)))
	}
	ps = append(ps, checkEmail(doc, "$.schlichtung.email", s.Schlichtung.Email, false)...)
	ps = append(ps, checkText(doc, "$.schlichtung.text", "Schlichtung", s.Schlichtung.Text)...)
	return ps
}
