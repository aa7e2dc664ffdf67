// Package listings loads and checks the data of the travelling exhibition
// (data/ausstellung.yaml) and the in-house trainings (data/schulungen.yaml),
// and writes their calendar feeds. Hugo renders the pages from the same
// files; this package is what tells editors, with file and line, which
// value is missing or wrong.
package listings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/yamlfile"
)

// Files of the two listings, relative to the project root.
const (
	AusstellungFile = "data/ausstellung.yaml"
	SchulungenFile  = "data/schulungen.yaml"
)

// Text is a text in both variants of the site.
type Text struct {
	DE string `yaml:"de"`
	LS string `yaml:"ls"`
}

// Termin is one period in a listing. For the exhibition "belegt" means it
// is lent out, "frei" that it can be borrowed; for trainings, a date that
// is taken or still open.
type Termin struct {
	Von    string `yaml:"von"` // YYYY-MM-DD, first day
	Bis    string `yaml:"bis"` // YYYY-MM-DD, last day (inclusive)
	Status string `yaml:"status"`
	// Ort is the venue (name and address); needed for public showings.
	Ort         string `yaml:"ort"`
	Oeffentlich bool   `yaml:"oeffentlich"`
	// Thema names what a training date is about (trainings only).
	Thema Text `yaml:"thema"`
	// Venue accessibility; nil means not known, which the page says.
	Stufenlos                  *bool `yaml:"stufenlos"`
	Induktionsschleife         *bool `yaml:"induktionsschleife"`
	GebaerdenspracheAufAnfrage *bool `yaml:"gebaerdensprache_auf_anfrage"`

	// Start and End are the parsed dates (End = Bis, inclusive) after Load.
	Start, End time.Time `yaml:"-"`
	// Line is the line of the entry in its file, for later messages.
	Line int `yaml:"-"`
}

// Ausstellung is data/ausstellung.yaml.
type Ausstellung struct {
	Name     Text   `yaml:"name"`
	Anbieter Text   `yaml:"anbieter"`
	Kosten   Text   `yaml:"kosten"`
	Themen   []Text `yaml:"themen"`
	// Practical facts for borrowers; empty ones are not shown.
	AnzahlElemente  *int     `yaml:"anzahl_elemente"`
	Platzbedarf     Text     `yaml:"platzbedarf"`
	Transport       Text     `yaml:"transport"`
	Aufbauhilfe     Text     `yaml:"aufbauhilfe"`
	Begleitmaterial Text     `yaml:"begleitmaterial"`
	Buchungen       []Termin `yaml:"buchungen"`
}

// Schulungen is data/schulungen.yaml.
type Schulungen struct {
	Name            Text     `yaml:"name"`
	Anbieter        Text     `yaml:"anbieter"`
	Zielgruppe      Text     `yaml:"zielgruppe"`
	Themen          []Text   `yaml:"themen"`
	Dauer           Text     `yaml:"dauer"`
	Format          []string `yaml:"format"` // vor_ort, online
	MaxTeilnehmende *int     `yaml:"max_teilnehmende"`
	Kosten          Text     `yaml:"kosten"`
	Termine         []Termin `yaml:"termine"`
}

// Data is both listings.
type Data struct {
	Ausstellung Ausstellung
	Schulungen  Schulungen
}

// Formats a training can take; the same values as the request form's
// "format" field in data/formulare.yaml.
var formats = map[string]bool{"vor_ort": true, "online": true}

// Load reads both files under root. Problems are sorted; Data is nil when
// a file cannot be read or decoded, and is usable (but should not be
// published) when other Fehler are reported.
func Load(root string) (*Data, []report.Problem) {
	var d Data
	var all []report.Problem
	broken := false
	if f, p := loadFile(root, AusstellungFile, &d.Ausstellung); p != nil {
		all, broken = append(all, *p), true
	} else {
		all = append(all, checkAusstellung(f, &d.Ausstellung)...)
	}
	if f, p := loadFile(root, SchulungenFile, &d.Schulungen); p != nil {
		all, broken = append(all, *p), true
	} else {
		all = append(all, checkSchulungen(f, &d.Schulungen)...)
	}
	report.Sort(all)
	if broken {
		return nil, all
	}
	return &d, all
}

func loadFile(root, name string, v any) (*yamlfile.Doc, *report.Problem) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		msg := "Die Datei lässt sich nicht lesen: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "Die Datei fehlt."
		}
		return nil, &report.Problem{File: name, Severity: report.Fehler, Rule: "daten-datei", Message: msg}
	}
	doc, ps := yamlfile.Decode(name, src, v)
	if len(ps) > 0 {
		return nil, &ps[0]
	}
	return doc, nil
}

// problems collects the findings for one file.
type problems struct {
	f    *yamlfile.Doc
	list []report.Problem
}

func (p *problems) add(sev report.Severity, rule, path, msg, suggestion string) {
	p.list = append(p.list, report.Problem{
		File: p.f.File, Line: p.f.Line(path), Severity: sev, Rule: rule,
		Message: msg, Suggestion: suggestion,
	})
}

func (p *problems) errorf(path, format string, args ...any) {
	p.add(report.Fehler, "daten-wert", path, fmt.Sprintf(format, args...), "")
}

func checkAusstellung(f *yamlfile.Doc, a *Ausstellung) []report.Problem {
	p := &problems{f: f}
	requireText(p, a.Name, "$.name", "Name der Ausstellung")
	requireText(p, a.Anbieter, "$.anbieter", "Anbieter")
	optionalText(p, a.Kosten, "kosten", "Kosten für das Ausleihen")
	optionalList(p, len(a.Themen), "themen", "Themen der Ausstellung")
	for i, t := range a.Themen {
		requireText(p, t, fmt.Sprintf("$.themen[%d]", i), fmt.Sprintf("Thema %d", i+1))
	}
	if a.AnzahlElemente == nil {
		missing(p, "anzahl_elemente", "Anzahl der Ausstellungs-Elemente")
	} else if *a.AnzahlElemente < 1 {
		p.errorf("$.anzahl_elemente", "Die Anzahl der Elemente muss mindestens 1 sein.")
	}
	optionalText(p, a.Platzbedarf, "platzbedarf", "Platzbedarf")
	optionalText(p, a.Transport, "transport", "Transport")
	optionalText(p, a.Aufbauhilfe, "aufbauhilfe", "Hilfe beim Aufbau")
	optionalText(p, a.Begleitmaterial, "begleitmaterial", "Begleitmaterial")
	checkTermine(p, "buchungen", a.Buchungen, false)
	checkOverlap(p, "buchungen", a.Buchungen)
	return p.list
}

func checkSchulungen(f *yamlfile.Doc, s *Schulungen) []report.Problem {
	p := &problems{f: f}
	requireText(p, s.Name, "$.name", "Name des Angebots")
	requireText(p, s.Anbieter, "$.anbieter", "Anbieter")
	requireText(p, s.Zielgruppe, "$.zielgruppe", "Zielgruppe")
	optionalList(p, len(s.Themen), "themen", "Themen der Schulungen")
	for i, t := range s.Themen {
		requireText(p, t, fmt.Sprintf("$.themen[%d]", i), fmt.Sprintf("Thema %d", i+1))
	}
	optionalText(p, s.Dauer, "dauer", "Dauer")
	optionalList(p, len(s.Format), "format", "Form (vor_ort, online)")
	for i, v := range s.Format {
		if !formats[v] {
			p.errorf(fmt.Sprintf("$.format[%d]", i), "Unbekannte Form %q. Erlaubt sind: vor_ort, online.", v)
		}
	}
	if s.MaxTeilnehmende == nil {
		missing(p, "max_teilnehmende", "Höchstzahl der Teilnehmenden")
	} else if *s.MaxTeilnehmende < 1 {
		p.errorf("$.max_teilnehmende", "Die Höchstzahl der Teilnehmenden muss mindestens 1 sein.")
	}
	optionalText(p, s.Kosten, "kosten", "Kosten")
	checkTermine(p, "termine", s.Termine, true)
	return p.list
}

// missing warns about an empty field: the page leaves it out, and editors
// should learn that from `check` rather than from a reader.
func missing(p *problems, key, what string) {
	p.add(report.Warnung, "angabe-fehlt", "$."+key,
		what+" ist noch nicht eingetragen und wird deshalb nicht angezeigt.",
		"Wert im Feld „"+key+"“ eintragen, sobald er feststeht.")
}

func optionalList(p *problems, n int, key, what string) {
	if n == 0 {
		missing(p, key, what)
	}
}

// optionalText warns if the field is empty, and if only one variant is
// filled, because each variant then shows something different.
func optionalText(p *problems, t Text, key, what string) {
	switch {
	case t.DE == "" && t.LS == "":
		missing(p, key, what)
	case t.DE == "":
		p.add(report.Warnung, "angabe-fehlt", "$."+key+".de",
			what+": der Text in Standard-Sprache (de) fehlt; die Standard-Seite zeigt die Angabe nicht.", "")
	case t.LS == "":
		p.add(report.Warnung, "angabe-fehlt", "$."+key+".ls",
			what+": der Text in Leichter Sprache (ls) fehlt; die Seite in Leichter Sprache zeigt die Angabe nicht.", "")
	}
}

// requireText reports a missing variant of a text that must exist; path
// is the YAML path of the text ("$.name", "$.themen[2]").
func requireText(p *problems, t Text, path, what string) {
	if t.DE == "" {
		p.errorf(path+".de", "%s: der Text in Standard-Sprache (de) fehlt.", what)
	}
	if t.LS == "" {
		p.errorf(path+".ls", "%s: der Text in Leichter Sprache (ls) fehlt.", what)
	}
}

const dateLayout = "2006-01-02"

func checkTermine(p *problems, key string, ts []Termin, training bool) {
	for i := range ts {
		t := &ts[i]
		item := fmt.Sprintf("$.%s[%d]", key, i)
		at := func(k string) string { return item + "." + k }
		t.Line = p.f.Line(item)
		var ok bool
		t.Start, ok = parseDate(p, at("von"), "von", t.Von)
		end, ok2 := parseDate(p, at("bis"), "bis", t.Bis)
		t.End = end
		if ok && ok2 && t.End.Before(t.Start) {
			p.errorf(at("bis"), "Der letzte Tag (bis %s) liegt vor dem ersten Tag (von %s).", t.Bis, t.Von)
		}
		switch t.Status {
		case "frei", "belegt":
		case "":
			p.errorf(at("status"), "Der Status fehlt. Erlaubt sind: frei, belegt.")
		default:
			p.errorf(at("status"), "Unbekannter Status %q. Erlaubt sind: frei, belegt.", t.Status)
		}
		if t.Oeffentlich {
			if t.Status != "belegt" {
				p.errorf(at("oeffentlich"), "Ein freier Zeitraum kann nicht öffentlich sein: öffentlich sind nur Termine mit status: belegt.")
			}
			if t.Ort == "" {
				p.errorf(at("ort"), "Für einen öffentlichen Termin fehlt der Ort.")
			}
			for _, f := range []struct {
				key string
				v   *bool
				was string
			}{
				{"stufenlos", t.Stufenlos, "ob der Ort stufenlos erreichbar ist"},
				{"induktionsschleife", t.Induktionsschleife, "ob es eine Induktionsschleife gibt"},
				{"gebaerdensprache_auf_anfrage", t.GebaerdenspracheAufAnfrage, "ob Gebärdensprache auf Anfrage möglich ist"},
			} {
				if f.v == nil {
					p.add(report.Warnung, "angabe-fehlt", item,
						"Öffentlicher Termin: noch nicht eingetragen ist, "+f.was+". Die Seite zeigt „nicht bekannt“.",
						"Feld „"+f.key+": true“ oder „"+f.key+": false“ ergänzen.")
				}
			}
		}
		if training && t.Oeffentlich && t.Thema.DE == "" && t.Thema.LS == "" {
			p.add(report.Warnung, "angabe-fehlt", item, "Öffentlicher Schulungstermin ohne Thema.", "Feld „thema“ mit de und ls ergänzen.")
		}
	}
}

func parseDate(p *problems, path, key, v string) (time.Time, bool) {
	if v == "" {
		p.errorf(path, "Das Datum „%s“ fehlt.", key)
		return time.Time{}, false
	}
	d, err := time.Parse(dateLayout, v)
	if err != nil {
		p.add(report.Fehler, "daten-datum", path,
			fmt.Sprintf("„%s“ ist kein gültiges Datum.", v), "Datum als Jahr-Monat-Tag schreiben, zum Beispiel 2026-03-01.")
		return time.Time{}, false
	}
	return d, true
}

// checkOverlap reports periods of the one exhibition that overlap: it
// cannot stand in two places, nor be free and lent out at once.
func checkOverlap(p *problems, key string, ts []Termin) {
	for i := range ts {
		for j := i + 1; j < len(ts); j++ {
			a, b := ts[i], ts[j]
			if a.Start.IsZero() || b.Start.IsZero() || a.End.IsZero() || b.End.IsZero() {
				continue
			}
			if !a.End.Before(b.Start) && !b.End.Before(a.Start) {
				p.errorf(fmt.Sprintf("$.%s[%d]", key, j), "Dieser Zeitraum (%s bis %s) überschneidet sich mit dem Eintrag in Zeile %d (%s bis %s).",
					b.Von, b.Bis, a.Line, a.Von, a.Bis)
			}
		}
	}
}
