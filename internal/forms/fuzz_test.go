package forms

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzDecodeValidate feeds arbitrary bodies through decoding and validation of every
// form. It must never panic, and whatever passes must be clean: valid UTF-8, no control
// characters (line breaks only in text areas), within limits, options from the list.
// Run: go test -fuzz FuzzDecodeValidate ./internal/forms/
func FuzzDecodeValidate(f *testing.F) {
	set := loadSite(f)
	for _, id := range set.IDs() {
		f.Add(validValues(set.Forms[id]).Encode())
	}
	for _, s := range []string{
		"", "=", "&&&", "a=%zz", "organisation=%00", "email=a%40b.de%0D%0ABcc%3A+x%40y.de",
		"zeitraum_von=2027-02-30&zeitraum_bis=2027-01-01", "raum_groesse=-0&raum_groesse=1",
		"nachricht=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "bedarfe=pausen&bedarfe=pausen&bedarfe=x",
		"einwilligung=on", "kontaktweg=email%00", "organisation=%E2%80%A8", "organisation=%FF%FE",
		"zeitraum_von=31.12.2099&zeitraum_bis=1.1.2100", "email=%C3%A4@%C3%A4.de",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := Decode([]byte(body))
		if err != nil {
			return
		}
		for _, id := range set.IDs() {
			form := set.Forms[id]
			sub := form.Validate(vals, now)
			for name, vs := range sub.Values {
				fd := form.Field(name)
				if fd == nil {
					t.Fatalf("%s: value for unknown field %q", id, name)
				}
				if fd.Typ != TypCheckboxes && len(vs) != 1 {
					t.Fatalf("%s.%s: %d values", id, name, len(vs))
				}
				for _, v := range vs {
					if v == "" || !utf8.ValidString(v) || utf8.RuneCountInString(v) > fd.MaxLen() {
						t.Fatalf("%s.%s: bad value %q passed", id, name, v)
					}
					if v != strings.TrimSpace(v) {
						t.Fatalf("%s.%s: untrimmed %q", id, name, v)
					}
					for _, r := range v {
						if unicode.IsControl(r) && r != '\t' && !(r == '\n' && fd.Multiline()) {
							t.Fatalf("%s.%s: control character %U passed", id, name, r)
						}
					}
					if fd.HasOptions() && fd.Option(v) == nil {
						t.Fatalf("%s.%s: option %q not in the list", id, name, v)
					}
					if fd.Typ == TypEmail && (!ValidEmail(v) || strings.ContainsAny(v, "\r\n,<> ")) {
						t.Fatalf("%s.%s: email %q passed", id, name, v)
					}
				}
			}
			if sub.Valid() {
				for _, fd := range form.Fields() {
					if fd.Pflicht && len(sub.Values[fd.Name]) == 0 {
						t.Fatalf("%s: valid without required %s", id, fd.Name)
					}
				}
			}
			for _, e := range sub.Errors {
				if e.Field == nil || e.Key == "" {
					t.Fatalf("%s: error without field or message key", id)
				}
			}
		}
		for _, vs := range vals {
			for _, v := range vs {
				p := Printable(v, true)
				if !utf8.ValidString(p) {
					t.Fatalf("Printable(%q) invalid UTF-8", v)
				}
			}
		}
	})
}
