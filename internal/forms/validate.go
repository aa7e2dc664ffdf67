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

// FieldError is one problem with a submission. Field is nil for problems of the whole form.
type FieldError struct {
	Field   *Field
	Message Text
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
		vals, msg := clean(fd, in[fd.Name], today)
		if msg != nil {
			s.Errors = append(s.Errors, FieldError{Field: fd, Message: *msg})
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
			s.Errors = append(s.Errors, FieldError{Field: fd, Message: msgOrder(fd, other)})
		case hasEnd && !hasStart:
			s.Errors = append(s.Errors, FieldError{Field: other, Message: msgAlso(other)})
		case hasStart && !hasEnd:
			s.Errors = append(s.Errors, FieldError{Field: fd, Message: msgAlso(fd)})
		}
	}
	slices.SortStableFunc(s.Errors, func(a, b FieldError) int {
		return slices.Index(f.fields, a.Field) - slices.Index(f.fields, b.Field)
	})
	return s
}

// clean checks one field's raw values and returns them cleaned, or a message.
func clean(fd *Field, raw []string, today time.Time) ([]string, *Text) {
	switch fd.Typ {
	case TypRadio:
		if len(raw) > 1 {
			return nil, msgOption(fd)
		}
		v := ""
		if len(raw) == 1 {
			v = strings.TrimSpace(raw[0])
		}
		if v == "" {
			return nil, required(fd)
		}
		if fd.Option(v) == nil {
			return nil, msgOption(fd)
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
			if fd.Option(v) == nil {
				return nil, msgOption(fd)
			}
		}
		if len(out) == 0 {
			return nil, required(fd)
		}
		return out, nil
	case TypCheckbox:
		if len(raw) > 1 {
			return nil, msgOption(fd)
		}
		if len(raw) == 0 || raw[0] == "" {
			return nil, required(fd)
		}
		// Browsers send "on" when the page forgot value="ja".
		if raw[0] != CheckboxValue && raw[0] != "on" {
			return nil, msgOption(fd)
		}
		return []string{CheckboxValue}, nil
	}
	if len(raw) > 1 {
		return nil, msgMulti(fd)
	}
	v := ""
	if len(raw) == 1 {
		v = raw[0]
	}
	if !utf8.ValidString(v) {
		return nil, msgControl(fd)
	}
	v = strings.ReplaceAll(v, "\r\n", "\n")
	for _, r := range v {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if !fd.Multiline() || r != '\n' {
				return nil, msgLine(fd)
			}
		case r == '\t':
		case unicode.IsControl(r) || r == utf8.RuneError:
			return nil, msgControl(fd)
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		if fd.Pflicht {
			return nil, required(fd)
		}
		return nil, nil
	}
	if n := utf8.RuneCountInString(v); n > fd.MaxLen() {
		return nil, msgLong(fd, n)
	}
	switch fd.Typ {
	case TypEmail:
		if !ValidEmail(v) {
			return nil, msgEmail(fd)
		}
	case TypTel:
		if !validTel(v) {
			return nil, msgTel(fd)
		}
	case TypNumber:
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, msgNumber(fd)
		}
		lo := 0
		if fd.Min != nil {
			lo = *fd.Min
		}
		if n < lo || n > fd.Max {
			return nil, msgRange(fd, lo)
		}
		v = strconv.Itoa(n)
	case TypDate:
		d, ok := ParseDate(v)
		if !ok {
			return nil, msgDate(fd)
		}
		if fd.Zukunft && !d.After(today) {
			return nil, msgFuture(fd)
		}
		v = d.Format(time.DateOnly)
	}
	return []string{v}, nil
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

// Messages. GOV.UK style: say what to do, name the field.

func t(de, ls string) *Text { return &Text{DE: de, LS: ls} }

func required(fd *Field) *Text {
	de, ls := fd.Title(DE), fd.Title(LS)
	switch fd.Typ {
	case TypRadio:
		return t(fmt.Sprintf("Bitte wählen Sie bei „%s“ eine Antwort aus.", de),
			fmt.Sprintf("Bitte machen Sie ein Kreuz bei: %s", ls))
	case TypCheckboxes:
		return t(fmt.Sprintf("Bitte wählen Sie bei „%s“ mindestens eine Antwort aus.", de),
			fmt.Sprintf("Bitte machen Sie mindestens 1 Kreuz bei: %s", ls))
	case TypCheckbox:
		return t(fmt.Sprintf("Bitte setzen Sie das Häkchen bei „%s“.", de),
			fmt.Sprintf("Bitte machen Sie ein Kreuz bei: %s", ls))
	}
	return t(fmt.Sprintf("Bitte füllen Sie „%s“ aus.", de),
		fmt.Sprintf("Bitte füllen Sie aus: %s", ls))
}

func msgOption(fd *Field) *Text {
	return t(fmt.Sprintf("Bitte wählen Sie bei „%s“ eine der angebotenen Antworten aus.", fd.Title(DE)),
		fmt.Sprintf("Bitte machen Sie ein Kreuz bei: %s", fd.Title(LS)))
}

func msgMulti(fd *Field) *Text {
	return t(fmt.Sprintf("„%s“ wurde mehrfach gesendet. Bitte füllen Sie das Feld einmal aus.", fd.Title(DE)),
		fmt.Sprintf("Bitte füllen Sie das Feld noch einmal aus: %s", fd.Title(LS)))
}

func msgControl(fd *Field) *Text {
	return t(fmt.Sprintf("„%s“ enthält unzulässige Steuerzeichen. Bitte geben Sie den Text noch einmal ein.", fd.Title(DE)),
		fmt.Sprintf("Falsche Zeichen bei: %s. Bitte schreiben Sie den Text neu.", fd.Title(LS)))
}

func msgLine(fd *Field) *Text {
	return t(fmt.Sprintf("„%s“ darf keinen Zeilenumbruch enthalten.", fd.Title(DE)),
		fmt.Sprintf("Bitte nur 1 Zeile bei: %s", fd.Title(LS)))
}

func msgLong(fd *Field, n int) *Text {
	return t(fmt.Sprintf("„%s“ darf höchstens %d Zeichen lang sein. Sie haben %d Zeichen eingegeben.", fd.Title(DE), fd.MaxLen(), n),
		fmt.Sprintf("Der Text ist zu lang bei: %s. Erlaubt sind %d Zeichen. Ihr Text hat %d Zeichen.", fd.Title(LS), fd.MaxLen(), n))
}

func msgEmail(fd *Field) *Text {
	return t(fmt.Sprintf("Bitte geben Sie bei „%s“ eine E-Mail-Adresse in der richtigen Form ein, zum Beispiel name@example.org.", fd.Title(DE)),
		fmt.Sprintf("Die E-Mail-Adresse stimmt nicht bei: %s. So sieht eine E-Mail-Adresse aus: name@example.org", fd.Title(LS)))
}

func msgTel(fd *Field) *Text {
	return t(fmt.Sprintf("„%s“ darf nur Ziffern, Leerzeichen und die Zeichen + ( ) / - enthalten.", fd.Title(DE)),
		fmt.Sprintf("Bitte nur Zahlen bei: %s", fd.Title(LS)))
}

func msgNumber(fd *Field) *Text {
	return t(fmt.Sprintf("Bitte geben Sie bei „%s“ eine ganze Zahl ein, zum Beispiel 20.", fd.Title(DE)),
		fmt.Sprintf("Bitte eine Zahl schreiben bei: %s. Zum Beispiel: 20", fd.Title(LS)))
}

func msgRange(fd *Field, lo int) *Text {
	return t(fmt.Sprintf("„%s“ muss zwischen %d und %d liegen.", fd.Title(DE), lo, fd.Max),
		fmt.Sprintf("Bitte eine Zahl von %d bis %d schreiben bei: %s", lo, fd.Max, fd.Title(LS)))
}

func msgDate(fd *Field) *Text {
	return t(fmt.Sprintf("Bitte geben Sie bei „%s“ ein echtes Datum ein (Tag, Monat, Jahr – zum Beispiel 24.03.2027).", fd.Title(DE)),
		fmt.Sprintf("Dieses Datum gibt es nicht: %s. Bitte prüfen Sie Tag, Monat und Jahr.", fd.Title(LS)))
}

func msgFuture(fd *Field) *Text {
	return t(fmt.Sprintf("Das Datum bei „%s“ muss nach dem heutigen Tag liegen.", fd.Title(DE)),
		fmt.Sprintf("Dieses Datum ist heute oder schon vorbei: %s. Bitte wählen Sie einen Tag nach heute.", fd.Title(LS)))
}

func msgOrder(fd, other *Field) Text {
	return *t(fmt.Sprintf("„%s“ darf nicht vor „%s“ liegen.", fd.Title(DE), other.Title(DE)),
		fmt.Sprintf("Das geht nicht: „%s“ ist vor „%s“. Bei: %s", fd.Label.Get(LS), other.Label.Get(LS), fd.group.Legende.Get(LS)))
}

func msgAlso(fd *Field) Text {
	return *t(fmt.Sprintf("Bitte füllen Sie auch „%s“ aus.", fd.Title(DE)),
		fmt.Sprintf("Bitte füllen Sie auch aus: %s", fd.Title(LS)))
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
