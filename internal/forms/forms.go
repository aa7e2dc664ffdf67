// Package forms loads the request form definitions (data/formulare.yaml) and
// validates submitted values against them. The Hugo pages render the forms
// from the same file, so the browser and the server agree on every field.
package forms

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Text is one user-facing string in both variants; Parse makes sure both are set.
type Text = variant.Text

// Field types.
const (
	TypText       = "text"
	TypEmail      = "email"
	TypTel        = "tel"
	TypDate       = "date"
	TypNumber     = "number"
	TypTextarea   = "textarea"
	TypRadio      = "radio"
	TypCheckboxes = "checkboxes"
	TypCheckbox   = "checkbox"
)

var knownTypes = []string{TypText, TypEmail, TypTel, TypDate, TypNumber, TypTextarea, TypRadio, TypCheckboxes, TypCheckbox}

// CheckboxValue is what a single checkbox sends when ticked.
const CheckboxValue = "ja"

// Default length limits apply when the definition sets no max, so no field is unbounded.
const (
	defaultMaxLine  = 500
	defaultMaxMulti = 5000
)

// Option is one choice of a radio group or checkbox group.
type Option struct {
	Wert  string `yaml:"wert" json:"wert"`
	Label Text   `yaml:"label" json:"label"`
}

// Field is one form control. The JSON names are the YAML names: the receiver gets
// the definitions as JSON from the built site (see internal/receiver/bundle).
type Field struct {
	Name         string   `yaml:"name" json:"name"`
	Typ          string   `yaml:"typ" json:"typ"`
	Pflicht      bool     `yaml:"pflicht" json:"pflicht,omitempty"`
	Max          int      `yaml:"max" json:"max,omitempty"`
	Min          *int     `yaml:"min" json:"min,omitempty"`
	Autocomplete string   `yaml:"autocomplete" json:"autocomplete,omitempty"`
	Label        Text     `yaml:"label" json:"label"`
	Hilfe        Text     `yaml:"hilfe" json:"hilfe,omitzero"`
	Optionen     []Option `yaml:"optionen" json:"optionen,omitempty"`
	Nach         string   `yaml:"nach" json:"nach,omitempty"`
	Zukunft      bool     `yaml:"zukunft" json:"zukunft,omitempty"`

	group *Group
}

// Group is a fieldset.
type Group struct {
	ID      string   `yaml:"id" json:"id"`
	Legende Text     `yaml:"legende" json:"legende"`
	Felder  []*Field `yaml:"felder" json:"felder"`
}

// Form is one request form.
type Form struct {
	ID      string   `yaml:"-" json:"-"`
	Titel   Text     `yaml:"titel" json:"titel"`
	Seite   Text     `yaml:"seite" json:"seite"`
	Danke   Text     `yaml:"danke" json:"danke"`
	Gruppen []*Group `yaml:"gruppen" json:"gruppen"`

	fields []*Field
	byName map[string]*Field
}

// Set is all forms of the site.
type Set struct {
	File  string
	Forms map[string]*Form
}

// IDs returns the form ids in a stable order.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.Forms))
	for id := range s.Forms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Fields returns the fields of the form in page order.
func (f *Form) Fields() []*Field { return f.fields }

// Field returns the field with the name, or nil.
func (f *Form) Field(name string) *Field { return f.byName[name] }

// Group returns the fieldset the field is in.
func (fd *Field) Group() *Group { return fd.group }

// Multiline reports whether the field keeps line breaks.
func (fd *Field) Multiline() bool { return fd.Typ == TypTextarea }

// MaxLen is the character limit of a text-like field.
func (fd *Field) MaxLen() int {
	if fd.Typ == TypNumber {
		return 20
	}
	if fd.Max > 0 {
		return fd.Max
	}
	if fd.Multiline() {
		return defaultMaxMulti
	}
	return defaultMaxLine
}

// HasOptions reports whether the field is a group of radio buttons or checkboxes.
func (fd *Field) HasOptions() bool { return fd.Typ == TypRadio || fd.Typ == TypCheckboxes }

// Option returns the option with the value, or nil.
func (fd *Field) Option(wert string) *Option {
	for i := range fd.Optionen {
		if fd.Optionen[i].Wert == wert {
			return &fd.Optionen[i]
		}
	}
	return nil
}

// ID is the HTML id of the control ("feld-<name>"); for option groups it is the fieldset's id.
func (fd *Field) ID() string { return "feld-" + fd.Name }

// HelpID is the HTML id of the field's hint.
func (fd *Field) HelpID() string { return "hilfe-" + fd.Name }

// HoneypotID is the HTML id of the field people never see (name "website").
const HoneypotID = "feld-website"

// OptionID is the HTML id of one option's input.
func (fd *Field) OptionID(wert string) string { return "feld-" + fd.Name + "-" + wert }

// Anchor is where an error summary link points: the control, or a group's first option
// (a link to a fieldset would not move the keyboard focus).
func (fd *Field) Anchor() string {
	if fd.HasOptions() && len(fd.Optionen) > 0 {
		return fd.OptionID(fd.Optionen[0].Wert)
	}
	return fd.ID()
}

// Title names the field in messages. Short labels such as "Von" only make sense with
// their fieldset's legend, so dates carry it in front; a single checkbox's label is a
// whole sentence (the consent), so its legend stands for it.
func (fd *Field) Title(v variant.V) string {
	l := fd.Label.In(v)
	if fd.group != nil {
		switch fd.Typ {
		case TypDate:
			return fd.group.Legende.In(v) + " – " + l
		case TypCheckbox:
			return fd.group.Legende.In(v)
		}
	}
	return l
}

type file struct {
	Formulare map[string]*Form `yaml:"formulare"`
}

// Load reads and checks the definitions file. Its error names file and line.
func Load(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("Formular-Definitionen: %w", err)
	}
	set, problems := Parse(path, data)
	if report.Count(problems, report.Fehler) > 0 {
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.String())
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return set, nil
}

var (
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	idRe   = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	// Option values become parts of HTML ids.
	wertRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// reserved names are fields the pages add on their own.
var reserved = []string{"website", "variante"}

// ReservedIDs are paths below /anfragen/ the receiver answers itself, so no form may
// take them as its id.
var ReservedIDs = []string{"zustand"}

// Parse decodes and checks definitions. Problems carry file, line and column.
func Parse(name string, data []byte) (*Set, []report.Problem) {
	var f file
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		p := report.Problem{File: name, Severity: report.Fehler, Rule: "yaml", Message: err.Error()}
		var ye yaml.Error
		if errors.As(err, &ye) {
			p.Message = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				p.Line, p.Col = tk.Position.Line, tk.Position.Column
			}
		}
		return nil, []report.Problem{p}
	}
	astFile, _ := parser.ParseBytes(data, 0)
	return check(&checker{file: name, ast: astFile}, f.Formulare)
}

// NewSet checks definitions that arrived another way than YAML (the receiver reads
// them as JSON from the built site). Problems name the place in the definitions
// ("formulare.schulung.gruppen[1]"), since there are no lines to point at.
func NewSet(name string, defs map[string]*Form) (*Set, []report.Problem) {
	return check(&checker{file: name}, defs)
}

// check links the decoded definitions (ids, fieldsets, lookup by name) and reports
// every mistake in them.
func check(c *checker, defs map[string]*Form) (*Set, []report.Problem) {
	name := c.file
	if len(defs) == 0 {
		c.add("$.formulare", "Die Datei enthält keine Formulare unter „formulare:“.")
	}
	set := &Set{File: name, Forms: map[string]*Form{}}
	for id, form := range defs {
		base := "$.formulare." + id
		if form == nil {
			c.add(base, fmt.Sprintf("Das Formular „%s“ ist leer.", id))
			continue
		}
		form.ID = id
		if !idRe.MatchString(id) {
			c.add(base, fmt.Sprintf("Die Formular-ID „%s“ darf nur Kleinbuchstaben, Ziffern und - enthalten (sie wird Teil der Adresse /anfragen/%s).", id, id))
		}
		if slices.Contains(ReservedIDs, id) {
			c.add(base, fmt.Sprintf("Die Formular-ID „%s“ ist vergeben: /anfragen/%s braucht der Empfänger selbst.", id, id))
		}
		c.text(base+".titel", form.Titel, "titel", true)
		c.path(base+".seite", form.Seite, "seite")
		c.path(base+".danke", form.Danke, "danke")
		form.byName = map[string]*Field{}
		for gi, g := range form.Gruppen {
			gp := fmt.Sprintf("%s.gruppen[%d]", base, gi)
			if g == nil {
				c.add(gp, "Die Gruppe ist leer.")
				continue
			}
			if !idRe.MatchString(g.ID) {
				c.add(gp, fmt.Sprintf("Die Gruppe braucht eine „id“ aus Kleinbuchstaben, Ziffern und - (gefunden: „%s“).", g.ID))
			}
			c.text(gp+".legende", g.Legende, "legende", true)
			if len(g.Felder) == 0 {
				c.add(gp, "Die Gruppe hat keine Felder.")
			}
			for fi, fd := range g.Felder {
				fp := fmt.Sprintf("%s.felder[%d]", gp, fi)
				if fd == nil {
					c.add(fp, "Das Feld ist leer.")
					continue
				}
				fd.group = g
				c.field(fp, fd)
				if _, dup := form.byName[fd.Name]; dup {
					c.add(fp+".name", fmt.Sprintf("Den Feldnamen „%s“ gibt es in diesem Formular zweimal.", fd.Name))
				}
				form.byName[fd.Name] = fd
				form.fields = append(form.fields, fd)
			}
		}
		for gi, g := range form.Gruppen {
			if g == nil {
				continue
			}
			for fi, fd := range g.Felder {
				if fd == nil || fd.Nach == "" {
					continue
				}
				fp := fmt.Sprintf("%s.gruppen[%d].felder[%d].nach", base, gi, fi)
				other := form.byName[fd.Nach]
				switch {
				case fd.Typ != TypDate:
					c.add(fp, "„nach“ gibt es nur bei Datumsfeldern (typ: date).")
				case other == nil:
					c.add(fp, fmt.Sprintf("„nach: %s“ nennt ein Feld, das es in diesem Formular nicht gibt.", fd.Nach))
				case other.Typ != TypDate:
					c.add(fp, fmt.Sprintf("„nach: %s“ muss ein Datumsfeld nennen.", fd.Nach))
				case other == fd:
					c.add(fp, "Ein Datumsfeld kann nicht nach sich selbst liegen.")
				}
			}
		}
		set.Forms[id] = form
	}
	report.Sort(c.problems)
	return set, c.problems
}

type checker struct {
	file     string
	ast      *ast.File
	problems []report.Problem
}

// add records a problem at the YAML node of the path, or at the nearest parent that
// exists; without a YAML tree the message starts with the path.
func (c *checker) add(path, msg string) {
	p := report.Problem{File: c.file, Severity: report.Fehler, Rule: "formular", Message: msg}
	if c.ast == nil {
		p.Message = strings.TrimPrefix(path, "$.") + ": " + msg
	}
	for q := path; q != "" && c.ast != nil; {
		if yp, err := yaml.PathString(q); err == nil {
			if n, err := yp.FilterFile(c.ast); err == nil && n != nil {
				if tk := n.GetToken(); tk != nil && tk.Position != nil {
					p.Line, p.Col = tk.Position.Line, tk.Position.Column
					break
				}
			}
		}
		i := strings.LastIndexAny(q, ".[")
		if i <= 1 {
			break
		}
		q = q[:i]
	}
	c.problems = append(c.problems, p)
}

func (c *checker) text(path string, t Text, key string, required bool) {
	if !required && t.Empty() {
		return
	}
	if t.DE == "" {
		c.add(path, fmt.Sprintf("„%s“ braucht einen Text für Standard-Deutsch (de:).", key))
	}
	if t.LS == "" {
		c.add(path, fmt.Sprintf("„%s“ braucht einen Text in Leichter Sprache (ls:).", key))
	}
}

func (c *checker) path(path string, t Text, key string) {
	c.text(path, t, key, true)
	for _, v := range []string{t.DE, t.LS} {
		if v != "" && (!strings.HasPrefix(v, "/") || !strings.HasSuffix(v, "/") || strings.Contains(v, "..")) {
			c.add(path, fmt.Sprintf("„%s“ muss ein Seitenpfad wie /angebote/danke/ sein (gefunden: „%s“).", key, v))
		}
	}
	if t.LS != "" && variant.OfPath(t.LS) != variant.Leicht {
		c.add(path+".ls", fmt.Sprintf("„%s“ in Leichter Sprache muss mit /%s beginnen.", key, variant.Leicht.Prefix()))
	}
}

func (c *checker) field(fp string, fd *Field) {
	switch {
	case !nameRe.MatchString(fd.Name):
		c.add(fp+".name", fmt.Sprintf("Der Feldname „%s“ darf nur Kleinbuchstaben, Ziffern und _ enthalten und muss mit einem Buchstaben beginnen.", fd.Name))
	case slices.Contains(reserved, fd.Name):
		c.add(fp+".name", fmt.Sprintf("Den Feldnamen „%s“ setzt die Formular-Seite selbst; bitte einen anderen Namen wählen.", fd.Name))
	}
	if !slices.Contains(knownTypes, fd.Typ) {
		c.add(fp+".typ", fmt.Sprintf("Unbekannter Feldtyp „%s“. Erlaubt: %s.", fd.Typ, strings.Join(knownTypes, ", ")))
	}
	c.text(fp+".label", fd.Label, "label", true)
	c.text(fp+".hilfe", fd.Hilfe, "hilfe", false)
	if fd.Max < 0 {
		c.add(fp+".max", "„max“ darf nicht negativ sein.")
	}
	switch fd.Typ {
	case TypNumber:
		if fd.Max <= 0 {
			c.add(fp, "Ein Zahlenfeld braucht „max“ (den größten erlaubten Wert).")
		}
		if fd.Min != nil && *fd.Min > fd.Max {
			c.add(fp+".min", "„min“ ist größer als „max“.")
		}
	default:
		if fd.Min != nil {
			c.add(fp+".min", "„min“ gibt es nur bei Zahlenfeldern (typ: number).")
		}
	}
	if fd.Zukunft && fd.Typ != TypDate {
		c.add(fp+".zukunft", "„zukunft“ gibt es nur bei Datumsfeldern (typ: date).")
	}
	if fd.HasOptions() {
		if len(fd.Optionen) == 0 {
			c.add(fp, fmt.Sprintf("Ein Feld vom Typ %s braucht „optionen“.", fd.Typ))
		}
		seen := map[string]bool{}
		for oi, o := range fd.Optionen {
			op := fmt.Sprintf("%s.optionen[%d]", fp, oi)
			if !wertRe.MatchString(o.Wert) {
				c.add(op+".wert", fmt.Sprintf("Der Wert „%s“ darf nur Kleinbuchstaben, Ziffern, _ und - enthalten.", o.Wert))
			}
			if seen[o.Wert] {
				c.add(op+".wert", fmt.Sprintf("Den Wert „%s“ gibt es zweimal.", o.Wert))
			}
			seen[o.Wert] = true
			c.text(op+".label", o.Label, "label", true)
		}
	} else if len(fd.Optionen) > 0 {
		c.add(fp+".optionen", fmt.Sprintf("„optionen“ gibt es nur bei radio und checkboxes, nicht bei %s.", fd.Typ))
	}
}
