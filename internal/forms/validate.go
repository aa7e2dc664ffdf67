package forms

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"budgetsite/internal/variant"
)

// Limits of one submission's shape, far above what a real form sends.
const (
	MaxKeys   = 100
	MaxValues = 300
)

// ErrMalformed means the body is not a readable form submission.
var ErrMalformed = errors.New("forms: malformed form body")

// Decode parses an application/x-www-form-urlencoded body. It refuses bodies a browser
// would never send (broken escapes, too many keys) instead of guessing.
func Decode(body []byte) (url.Values, error) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(vals) > MaxKeys {
		return nil, fmt.Errorf("%w: %d keys", ErrMalformed, len(vals))
	}
	n := 0
	for _, v := range vals {
		n += len(v)
	}
	if n > MaxValues {
		return nil, fmt.Errorf("%w: %d values", ErrMalformed, n)
	}
	return vals, nil
}

// Message keys: what went wrong with a field. The texts are the site's, in
// i18n/*.toml under "empfaenger_<key>" (see internal/receiver/bundle), with the
// values of FieldError.Data.
const (
	MsgPflicht        = "pflicht"         // a required field is empty
	MsgPflichtAuswahl = "pflicht_auswahl" // a required radio group has no answer
	MsgPflichtKreuze  = "pflicht_kreuze"  // a required checkbox group has no tick
	MsgPflichtHaken   = "pflicht_haken"   // a required single checkbox is not ticked
	MsgOption         = "option"          // a value that is not one of the options
	MsgMehrfach       = "mehrfach"        // a one-value field sent twice
	MsgSteuerzeichen  = "steuerzeichen"
	MsgZeilenumbruch  = "zeilenumbruch"
	MsgZuLang         = "zu_lang"
	MsgEmail          = "email"
	MsgTelefon        = "telefon"
	MsgZahl           = "zahl"
	MsgBereich        = "bereich"
	MsgDatum          = "datum"
	MsgZukunft        = "zukunft"
	MsgReihenfolge    = "reihenfolge" // the end of a period before its start
	MsgAuch           = "auch"        // one half of a period given, this half missing
)

// MessageKeys lists every key Validate can report, for the check that the texts exist.
var MessageKeys = []string{MsgPflicht, MsgPflichtAuswahl, MsgPflichtKreuze, MsgPflichtHaken, MsgOption, MsgMehrfach,
	MsgSteuerzeichen, MsgZeilenumbruch, MsgZuLang, MsgEmail, MsgTelefon, MsgZahl, MsgBereich, MsgDatum, MsgZukunft,
	MsgReihenfolge, MsgAuch}

// FieldError is one problem with a submission: which field, what went wrong (a Msg
// key), and what the message needs beside the field.
type FieldError struct {
	Field *Field
	Key   string
	Other *Field // MsgReihenfolge: the start of the period
	N     int    // MsgZuLang: the characters typed
}

// Data is what a message text may use, in variant v:
//
//	.Feld    the field's title (with its fieldset's legend where the label alone is too short)
//	.Label   the field's own label       .Gruppe the legend of its fieldset
//	.Anderes the other field's title     .AnderesLabel its own label   (MsgReihenfolge)
//	.Max .Min the limits (characters, or the number range)   .Anzahl the characters typed
func (e FieldError) Data(v variant.V) map[string]any {
	fd := e.Field
	d := map[string]any{"Feld": fd.Title(v), "Label": fd.Label.In(v), "Gruppe": "", "Max": fd.MaxLen(), "Min": 0, "Anzahl": e.N}
	if fd.group != nil {
		d["Gruppe"] = fd.group.Legende.In(v)
	}
	if fd.Typ == TypNumber {
		d["Max"] = fd.Max
		if fd.Min != nil {
			d["Min"] = *fd.Min
		}
	}
	if e.Other != nil {
		d["Anderes"], d["AnderesLabel"] = e.Other.Title(v), e.Other.Label.In(v)
	}
	return d
}

// ExampleData is message data with every name set, for checking the texts.
func ExampleData() map[string]any {
	return map[string]any{"Feld": "Feld", "Label": "Label", "Gruppe": "Gruppe", "Max": 10, "Min": 1, "Anzahl": 11,
		"Anderes": "Anderes", "AnderesLabel": "Anderes Label"}
}

// Submission is the outcome of validating one submitted form.
type Submission struct {
	Form *Form
	// Values holds the cleaned values of the defined fields that are not empty, in the
	// shape they are stored: trimmed, line breaks as \n, dates as YYYY-MM-DD, options
	// in definition order.
	Values map[string][]string
	Errors []FieldError
}

// Valid reports whether the submission has no errors.
func (s *Submission) Valid() bool { return len(s.Errors) == 0 }

// ErrorFor returns the error of the field, or nil.
func (s *Submission) ErrorFor(name string) *FieldError {
	for i := range s.Errors {
		if s.Errors[i].Field != nil && s.Errors[i].Field.Name == name {
			return &s.Errors[i]
		}
	}
	return nil
}

// Get returns the first cleaned value of the field.
func (s *Submission) Get(name string) string {
	if v := s.Values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Validate checks the values against the form's definition. now decides which dates
// lie in the future; pass it in the organiser's time zone.
func (f *Form) Validate(in url.Values, now time.Time) *Submission {
	s := &Submission{Form: f, Values: map[string][]string{}}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	dates := map[string]time.Time{}
	failed := map[string]bool{}
	for _, fd := range f.fields {
		vals, fe := clean(fd, in[fd.Name], today)
		if fe != nil {
			s.Errors = append(s.Errors, *fe)
			failed[fd.Name] = true
			continue
		}
		if len(vals) > 0 {
			s.Values[fd.Name] = vals
			if fd.Typ == TypDate {
				d, _ := time.Parse(time.DateOnly, vals[0])
				dates[fd.Name] = d
			}
		}
	}
	// Order and completeness of date pairs need both fields checked first.
	for _, fd := range f.fields {
		if fd.Nach == "" || failed[fd.Name] || failed[fd.Nach] {
			continue
		}
		other := f.byName[fd.Nach]
		end, hasEnd := dates[fd.Name]
		start, hasStart := dates[fd.Nach]
		switch {
		case hasEnd && hasStart && end.Before(start):
			s.Errors = append(s.Errors, FieldError{Field: fd, Key: MsgReihenfolge, Other: other})
		case hasEnd && !hasStart:
			s.Errors = append(s.Errors, FieldError{Field: other, Key: MsgAuch})
		case hasStart && !hasEnd:
			s.Errors = append(s.Errors, FieldError{Field: fd, Key: MsgAuch})
		}
	}
	slices.SortStableFunc(s.Errors, func(a, b FieldError) int {
		return slices.Index(f.fields, a.Field) - slices.Index(f.fields, b.Field)
	})
	return s
}

// clean checks one field's raw values and returns them cleaned, or the error.
func clean(fd *Field, raw []string, today time.Time) ([]string, *FieldError) {
	bad := func(key string) ([]string, *FieldError) { return nil, &FieldError{Field: fd, Key: key} }
	switch fd.Typ {
	case TypRadio:
		if len(raw) > 1 {
			return bad(MsgOption)
		}
		v := ""
		if len(raw) == 1 {
			v = strings.TrimSpace(raw[0])
		}
		if v == "" {
			return missing(fd)
		}
		if fd.Option(v) == nil {
			return bad(MsgOption)
		}
		return []string{v}, nil
	case TypCheckboxes:
		var out []string
		for _, o := range fd.Optionen {
			if slices.Contains(raw, o.Wert) {
				out = append(out, o.Wert)
			}
		}
		for _, v := range raw {
			if v != "" && fd.Option(v) == nil {
				return bad(MsgOption)
			}
		}
		if len(out) == 0 {
			return missing(fd)
		}
		return out, nil
	case TypCheckbox:
		if len(raw) > 1 {
			return bad(MsgOption)
		}
		if len(raw) == 0 || raw[0] == "" {
			return missing(fd)
		}
		// Browsers send "on" when the page forgot value="ja".
		if raw[0] != CheckboxValue && raw[0] != "on" {
			return bad(MsgOption)
		}
		return []string{CheckboxValue}, nil
	}
	if len(raw) > 1 {
		return bad(MsgMehrfach)
	}
	v := ""
	if len(raw) == 1 {
		v = raw[0]
	}
	if !utf8.ValidString(v) {
		return bad(MsgSteuerzeichen)
	}
	v = strings.ReplaceAll(v, "\r\n", "\n")
	for _, r := range v {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if !fd.Multiline() || r != '\n' {
				return bad(MsgZeilenumbruch)
			}
		case r == '\t':
		case unicode.IsControl(r) || r == utf8.RuneError:
			return bad(MsgSteuerzeichen)
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return missing(fd)
	}
	if n := utf8.RuneCountInString(v); n > fd.MaxLen() {
		return nil, &FieldError{Field: fd, Key: MsgZuLang, N: n}
	}
	switch fd.Typ {
	case TypEmail:
		if !ValidEmail(v) {
			return bad(MsgEmail)
		}
	case TypTel:
		if !validTel(v) {
			return bad(MsgTelefon)
		}
	case TypNumber:
		n, err := strconv.Atoi(v)
		if err != nil {
			return bad(MsgZahl)
		}
		lo := 0
		if fd.Min != nil {
			lo = *fd.Min
		}
		if n < lo || n > fd.Max {
			return bad(MsgBereich)
		}
		v = strconv.Itoa(n)
	case TypDate:
		d, ok := ParseDate(v)
		if !ok {
			return bad(MsgDatum)
		}
		if fd.Zukunft && !d.After(today) {
			return bad(MsgZukunft)
		}
		v = d.Format(time.DateOnly)
	}
	return []string{v}, nil
}

// missing is the answer to an empty field: an error when the field is required,
// otherwise nothing to store. Option groups and the single checkbox follow the same
// rule as text fields: "pflicht: false" means the person may leave them out.
func missing(fd *Field) ([]string, *FieldError) {
	if !fd.Pflicht {
		return nil, nil
	}
	key := MsgPflicht
	switch fd.Typ {
	case TypRadio:
		key = MsgPflichtAuswahl
	case TypCheckboxes:
		key = MsgPflichtKreuze
	case TypCheckbox:
		key = MsgPflichtHaken
	}
	return nil, &FieldError{Field: fd, Key: key}
}

var germanDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)

// ParseDate reads YYYY-MM-DD (what date inputs send) or TT.MM.JJJJ (what people type
// where the browser shows a plain text box). Only real calendar days pass.
func ParseDate(s string) (time.Time, bool) {
	if m := germanDate.FindStringSubmatch(s); m != nil {
		s = fmt.Sprintf("%s-%02s-%02s", m[3], m[2], m[1])
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 1900 || d.Year() > 2200 {
		return time.Time{}, false
	}
	return d, true
}

var (
	emailLocal = regexp.MustCompile("^[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*$")
	emailLabel = regexp.MustCompile(`^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?$`)
	tldRe      = regexp.MustCompile(`^(\p{L}{2,}|xn--[a-z0-9-]+)$`)
)

// ValidEmail accepts the address forms people use (dot-atom local part, a domain with a
// dot) and nothing that could smuggle a second address or header: no spaces, quotes,
// commas, angle brackets or line breaks.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.Count(s, "@") != 1 {
		return false
	}
	local, domain, _ := strings.Cut(s, "@")
	if len(local) == 0 || len(local) > 64 || !emailLocal.MatchString(local) {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) > 63 || !emailLabel.MatchString(l) {
			return false
		}
	}
	return tldRe.MatchString(strings.ToLower(labels[len(labels)-1]))
}

func validTel(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" ()/-.", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// Printable makes a submitted value safe to put back into the form: invalid UTF-8 and
// control characters are dropped, everything else (HTML included) stays as typed — the
// HTML renderer escapes it.
func Printable(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && multiline, r == '\t':
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, s)
}

// Example returns a complete valid submission of the form, with dates a few weeks
// after today. Tests, benchmarks and the browser flow start from it.
func (f *Form) Example(today time.Time) url.Values {
	v := url.Values{}
	start := today.AddDate(0, 0, 30).Format(time.DateOnly)
	end := today.AddDate(0, 0, 34).Format(time.DateOnly)
	for _, fd := range f.fields {
		switch fd.Typ {
		case TypEmail:
			v.Set(fd.Name, "frau.a@verein.example")
		case TypTel:
			v.Set(fd.Name, "+49 (0)211 123-45")
		case TypNumber:
			v.Set(fd.Name, strconv.Itoa(fd.Max))
		case TypDate:
			if fd.Nach != "" {
				v.Set(fd.Name, end)
			} else {
				v.Set(fd.Name, start)
			}
		case TypRadio:
			v.Set(fd.Name, fd.Optionen[len(fd.Optionen)-1].Wert)
		case TypCheckboxes:
			v[fd.Name] = []string{fd.Optionen[0].Wert, fd.Optionen[len(fd.Optionen)-1].Wert}
		case TypCheckbox:
			v.Set(fd.Name, CheckboxValue)
		case TypTextarea:
			v.Set(fd.Name, "Erste Zeile für "+fd.Name+"\nZweite Zeile")
		default:
			v.Set(fd.Name, "Ein Text für "+fd.Name)
		}
	}
	return v
}
