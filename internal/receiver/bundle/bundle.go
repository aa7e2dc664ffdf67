// Package bundle is the one file the site build writes for the request receiver,
// public/anfragen/empfaenger.json: the form definitions (data/formulare.yaml, checked),
// the receiver's texts in both variants (the i18n/*.toml keys starting with
// "empfaenger_") and the retention period (hugo.toml, [params.datenschutz]
// speicherdauer_tage). With it the receiver needs no source tree at run time, and every
// piece of that knowledge keeps one source. The web server proxies /anfragen/ to the
// receiver, so the file is never served to visitors.
package bundle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	toml "github.com/pelletier/go-toml/v2"

	"budgetsite/internal/forms"
	"budgetsite/internal/report"
	"budgetsite/internal/siteconfig"
	"budgetsite/internal/variant"
)

// File is where the bundle lies below the built site.
const File = "anfragen/empfaenger.json"

// HealthName is the health check's name below the receiver's path
// (/anfragen/zustand); the build's link check knows it from here.
const HealthName = "zustand"

// FormsFile is the source of the form definitions, relative to the project root.
const FormsFile = "data/formulare.yaml"

// Prefix starts every i18n key of the receiver.
const Prefix = "empfaenger_"

// Version is the shape of the file this code writes and reads.
const Version = 1

// Keys of the receiver's own texts (without Prefix). The validation messages are the
// forms.Msg… keys.
const (
	StartTitel         = "start_titel"
	StartText          = "start_text"
	FremdTitel         = "fremd_titel"
	FremdText          = "fremd_text"
	FormularFehltTitel = "formular_fehlt_titel"
	FormularFehltText  = "formular_fehlt_text"
	SeiteFehltTitel    = "seite_fehlt_titel"
	SeiteFehltText     = "seite_fehlt_text"
	NichtLesbarTitel   = "nicht_lesbar_titel"
	NichtLesbarText    = "nicht_lesbar_text"
	ZuGrossTitel       = "zu_gross_titel"
	ZuGrossText        = "zu_gross_text"
	ZuOft              = "zu_oft" // {{ .Sekunden }}
	NichtGespeichert   = "nicht_gespeichert"
	DankeTitel         = "danke_titel"
	DankeText          = "danke_text"
	Nummer             = "nummer"
	Korrigieren        = "korrigieren"
	Startseite         = "startseite"
	FehlerPraefix      = "fehler"
	Zusammenfassung    = "zusammenfassung"
)

const exampleSekunden = 12

// Keys lists every text the receiver uses; the build fails when one is missing in a
// variant.
func Keys() []string {
	return append([]string{StartTitel, StartText, FremdTitel, FremdText, FormularFehltTitel, FormularFehltText,
		SeiteFehltTitel, SeiteFehltText, NichtLesbarTitel, NichtLesbarText, ZuGrossTitel, ZuGrossText, ZuOft,
		NichtGespeichert, DankeTitel, DankeText, Nummer, Korrigieren, Startseite, FehlerPraefix, Zusammenfassung},
		forms.MessageKeys...)
}

// Bundle is the file's content.
type Bundle struct {
	Version           int `json:"version"`
	SpeicherdauerTage int `json:"speicherdauer_tage"`
	// Texte maps the variant key ("de", "ls") to the i18n keys and texts.
	Texte     map[string]map[string]string `json:"texte"`
	Formulare map[string]*forms.Form       `json:"formulare"`

	set  *forms.Set
	tmpl map[variant.V]map[string]*template.Template
}

// Build reads the sources below the project root and returns the file's bytes. Every
// problem names its source file and line; the bytes are nil when one is a Fehler.
func Build(root string) ([]byte, []report.Problem) {
	var ps []report.Problem
	b := &Bundle{Version: Version, Texte: map[string]map[string]string{}}

	src, err := os.ReadFile(filepath.Join(root, FormsFile))
	if err != nil {
		ps = append(ps, report.Problem{File: FormsFile, Severity: report.Fehler, Rule: "formular", Message: "Die Formular-Definitionen fehlen: " + err.Error()})
	} else {
		set, fps := forms.Parse(FormsFile, src)
		ps = append(ps, fps...)
		if set != nil {
			b.Formulare = set.Forms
		}
	}

	if cfg, err := siteconfig.Load(root); err != nil {
		ps = append(ps, report.Problem{File: siteconfig.File, Severity: report.Fehler, Rule: "speicherdauer", Message: err.Error()})
	} else if days, p := cfg.RetentionDays(); p != nil {
		ps = append(ps, *p)
	} else {
		b.SpeicherdauerTage = days
	}

	for _, v := range variant.All {
		texts, tps := readTexts(root, v)
		ps = append(ps, tps...)
		b.Texte[v.Key()] = texts
	}
	report.Sort(ps)
	if report.Count(ps, report.Fehler) > 0 {
		return nil, ps
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, append(ps, report.Problem{File: FormsFile, Severity: report.Fehler, Rule: "formular", Message: err.Error()})
	}
	return out, ps
}

// I18nFile is the text file of a variant, relative to the project root.
func I18nFile(v variant.V) string { return "i18n/" + v.Lang() + ".toml" }

// readTexts takes the receiver's keys from the variant's i18n file and checks that
// each one the receiver needs is there and is a template that runs.
func readTexts(root string, v variant.V) (map[string]string, []report.Problem) {
	name := I18nFile(v)
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return nil, []report.Problem{{File: name, Severity: report.Fehler, Rule: "i18n", Message: "Die Texte fehlen: " + err.Error()}}
	}
	var raw map[string]any
	if err := toml.Unmarshal(src, &raw); err != nil {
		p := report.Problem{File: name, Severity: report.Fehler, Rule: "i18n", Message: "Die Datei ist nicht lesbar: " + err.Error()}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			p.Line, p.Col = de.Position()
		}
		return nil, []report.Problem{p}
	}
	texts := map[string]string{}
	var ps []report.Problem
	for k, val := range raw {
		if !strings.HasPrefix(k, Prefix) {
			continue
		}
		s, ok := val.(string)
		if t, isTable := val.(map[string]any); isTable {
			// Hugo's long form: [key] other = "…"
			s, ok = t["other"].(string)
		}
		if !ok {
			ps = append(ps, report.Problem{File: name, Line: keyLine(src, k), Severity: report.Fehler, Rule: "i18n",
				Message: fmt.Sprintf("„%s“ muss ein Text sein.", k)})
			continue
		}
		texts[k] = s
		if _, err := parse(k, s); err != nil {
			ps = append(ps, report.Problem{File: name, Line: keyLine(src, k), Severity: report.Fehler, Rule: "i18n",
				Message: fmt.Sprintf("„%s“: %v", k, err)})
		}
	}
	for _, k := range Keys() {
		if strings.TrimSpace(texts[Prefix+k]) == "" {
			ps = append(ps, report.Problem{File: name, Line: keyLine(src, Prefix+k), Severity: report.Fehler, Rule: "i18n",
				Message: fmt.Sprintf("Der Text „%s%s“ für den Anfragen-Empfänger fehlt (%s).", Prefix, k, v.Label())})
		}
	}
	return texts, ps
}

// keyLine is the line of `key =` or `[key]`; 0 when the key is not there.
func keyLine(src []byte, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "["+key+"]" || (strings.HasPrefix(l, key) && strings.HasPrefix(strings.TrimSpace(l[len(key):]), "=")) {
			return n
		}
	}
	return 0
}

// parse compiles one text and runs it once with every name a text may use, so a typo
// such as {{ .Fled }} fails the build, not a request.
func parse(key, s string) (*template.Template, error) {
	t, err := template.New(key).Option("missingkey=error").Parse(s)
	if err != nil {
		return nil, err
	}
	data := forms.ExampleData()
	data["Sekunden"] = exampleSekunden
	var sink strings.Builder
	if err := t.Execute(&sink, data); err != nil {
		return nil, err
	}
	return t, nil
}

// Parse reads the file's bytes and checks them: the version, every text, the form
// definitions.
func Parse(data []byte) (*Bundle, error) {
	data, err := plainNumbers(data)
	if err != nil {
		return nil, fmt.Errorf("%s ist nicht lesbar: %w", File, err)
	}
	var b Bundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s ist nicht lesbar: %w", File, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s hat Version %d, dieser Empfänger versteht Version %d: Website und Empfänger bitte aus demselben Stand bauen", File, b.Version, Version)
	}
	if b.SpeicherdauerTage < 1 {
		return nil, fmt.Errorf("%s: die Speicherdauer fehlt", File)
	}
	set, ps := forms.NewSet(File, b.Formulare)
	if report.Count(ps, report.Fehler) > 0 {
		var msgs []string
		for _, p := range ps {
			msgs = append(msgs, p.String())
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	b.set = set
	b.tmpl = map[variant.V]map[string]*template.Template{}
	var errs []error
	for _, v := range variant.All {
		b.tmpl[v] = map[string]*template.Template{}
		for _, k := range Keys() {
			s, ok := b.Texte[v.Key()][Prefix+k]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: der Text %s%s fehlt (%s)", File, Prefix, k, v.Label()))
				continue
			}
			t, err := parse(k, s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s%s: %w", File, Prefix, k, err))
				continue
			}
			b.tmpl[v][k] = t
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &b, nil
}

// plainNumbers rewrites numbers such as 1e4 as 10000. The build's finish step
// minifies every .json file, and the minifier writes numbers in their shortest form,
// which Go does not read into an int.
func plainNumbers(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var walk func(any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		case json.Number:
			if f, err := t.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int64(f)
			}
		}
		return v
	}
	return json.Marshal(walk(v))
}

// Load reads the bundle of the built site in dir.
func Load(dir string) (*Bundle, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(File)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s fehlt in %s: Bitte die Website bauen (go run ./cmd/budgetsite build) oder mit --site auf die gebaute Website zeigen", File, dir)
	}
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Forms is the checked form definitions.
func (b *Bundle) Forms() *forms.Set { return b.set }

// Text is the text of the key (without Prefix) in variant v, run with data (nil for
// texts without names).
func (b *Bundle) Text(v variant.V, key string, data map[string]any) string {
	t := b.tmpl[v][key]
	if t == nil {
		return key
	}
	var s strings.Builder
	if err := t.Execute(&s, data); err != nil {
		return key
	}
	return s.String()
}

// Message is the text of a validation error in variant v.
func (b *Bundle) Message(v variant.V, e forms.FieldError) string {
	return b.Text(v, e.Key, e.Data(v))
}
