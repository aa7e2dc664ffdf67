package forms

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/variant"
)

// now is fixed so "future" does not drift; dates below are relative to it.
var now = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

func validValues(f *Form) url.Values { return f.Example(now) }

func TestValidSubmissions(t *testing.T) {
	set := loadSite(t)
	for _, id := range set.IDs() {
		f := set.Forms[id]
		sub := f.Validate(validValues(f), now)
		if !sub.Valid() {
			for _, e := range sub.Errors {
				t.Errorf("%s: %s %s", id, e.Field.Name, e.Key)
			}
		}
	}
}

type badCase struct {
	name string
	vals []string // nil: field absent
	ok   bool     // valid after all (for example HTML in a text field)
	want string   // the cleaned value when ok
}

// badInputs are the hostile and mistaken inputs for a field of the type.
func badInputs(fd *Field) []badCase {
	long := strings.Repeat("ä", fd.MaxLen()+1)
	var cs []badCase
	if fd.Pflicht {
		cs = append(cs, badCase{name: "absent"}, badCase{name: "empty", vals: []string{""}})
		if !fd.HasOptions() && fd.Typ != TypCheckbox {
			cs = append(cs, badCase{name: "only spaces", vals: []string{"   \t "}})
		}
	}
	switch fd.Typ {
	case TypRadio, TypCheckboxes:
		cs = append(cs,
			badCase{name: "unknown option", vals: []string{"gibt-es-nicht"}},
			badCase{name: "html as option", vals: []string{"<b>x</b>"}},
		)
		if fd.Typ == TypRadio {
			cs = append(cs, badCase{name: "two values", vals: []string{fd.Optionen[0].Wert, fd.Optionen[0].Wert}})
		}
		return cs
	case TypCheckbox:
		return append(cs,
			badCase{name: "other value", vals: []string{"nein"}},
			badCase{name: "two values", vals: []string{"ja", "ja"}},
			badCase{name: "browser default on", vals: []string{"on"}, ok: true, want: CheckboxValue},
		)
	}
	cs = append(cs,
		badCase{name: "too long", vals: []string{long}},
		badCase{name: "NUL", vals: []string{"a\x00b"}},
		badCase{name: "escape", vals: []string{"a\x1b[31mb"}},
		badCase{name: "DEL", vals: []string{"a\x7fb"}},
		badCase{name: "C1 control", vals: []string{"a\u0085b"}},
		badCase{name: "invalid UTF-8", vals: []string{"a\xffb"}},
		badCase{name: "line separator", vals: []string{"a\u2028b"}},
		badCase{name: "bare CR", vals: []string{"a\rb"}},
		badCase{name: "two values", vals: []string{"a", "b"}},
	)
	if !fd.Multiline() {
		cs = append(cs, badCase{name: "line break", vals: []string{"a\nb"}})
	}
	switch fd.Typ {
	case TypText, TypTextarea:
		h := `<script>alert("x")</script> & <b>fett</b>`
		cs = append(cs,
			badCase{name: "HTML is kept as text", vals: []string{h}, ok: true, want: h},
			badCase{name: "trimmed", vals: []string{"  x  "}, ok: true, want: "x"},
			badCase{name: "exactly max", vals: []string{strings.Repeat("ä", fd.MaxLen())}, ok: true, want: strings.Repeat("ä", fd.MaxLen())},
		)
		if fd.Multiline() {
			cs = append(cs, badCase{name: "CRLF becomes LF", vals: []string{"a\r\nb"}, ok: true, want: "a\nb"})
		}
	case TypEmail:
		for _, e := range []string{"foo", "foo@", "@example.org", "a@b", "a@b.c", "a b@example.org", "a@exa mple.org",
			"a@example.org\r\nBcc: evil@example.com", "a@example.org\nBcc: evil@example.com", "a@example.org,b@example.org",
			"Name <a@example.org>", `"a"@example.org`, "a@@example.org", "a..b@example.org", ".a@example.org", "a@-x.org",
			"<script>@example.org", "a@example.org%0ABcc:x@y.de"} {
			cs = append(cs, badCase{name: "email " + strconv.Quote(e), vals: []string{e}})
		}
		cs = append(cs, badCase{name: "umlaut domain", vals: []string{"a@müller.example"}, ok: true, want: "a@müller.example"})
	case TypTel:
		cs = append(cs,
			badCase{name: "letters", vals: []string{"call me"}},
			badCase{name: "too few digits", vals: []string{"12"}},
			badCase{name: "HTML", vals: []string{"<b>0211</b>"}},
		)
	case TypNumber:
		lo := 0
		if fd.Min != nil {
			lo = *fd.Min
		}
		cs = append(cs,
			badCase{name: "word", vals: []string{"zwanzig"}},
			badCase{name: "decimal", vals: []string{"1.5"}},
			badCase{name: "exponent", vals: []string{"1e3"}},
			badCase{name: "below min", vals: []string{strconv.Itoa(lo - 1)}},
			badCase{name: "above max", vals: []string{strconv.Itoa(fd.Max + 1)}},
			badCase{name: "huge", vals: []string{"99999999999999999999"}},
			badCase{name: "HTML", vals: []string{"<b>5</b>"}},
			badCase{name: "leading zero", vals: []string{"0" + strconv.Itoa(fd.Max)}, ok: true, want: strconv.Itoa(fd.Max)},
		)
	case TypDate:
		cs = append(cs,
			badCase{name: "30 February", vals: []string{"2027-02-30"}},
			badCase{name: "German 31.04.", vals: []string{"31.04.2027"}},
			badCase{name: "word", vals: []string{"morgen"}},
			badCase{name: "year 10000", vals: []string{"10000-01-01"}},
			badCase{name: "HTML", vals: []string{"<b>2027-01-01</b>"}},
		)
		if fd.Zukunft {
			cs = append(cs,
				badCase{name: "in the past", vals: []string{"2020-01-01"}},
				badCase{name: "today", vals: []string{now.Format(time.DateOnly)}},
			)
		}
	}
	return cs
}

func TestEveryFieldRejectsBadInput(t *testing.T) {
	set := loadSite(t)
	for _, id := range set.IDs() {
		f := set.Forms[id]
		for _, fd := range f.Fields() {
			for _, c := range badInputs(fd) {
				t.Run(id+"/"+fd.Name+"/"+c.name, func(t *testing.T) {
					in := validValues(f)
					if c.vals == nil {
						in.Del(fd.Name)
					} else {
						in[fd.Name] = c.vals
					}
					sub := f.Validate(in, now)
					fe := sub.ErrorFor(fd.Name)
					if c.ok {
						if fe != nil {
							t.Fatalf("rejected: %s", fe.Key)
						}
						if got := sub.Get(fd.Name); got != c.want {
							t.Errorf("stored %q, want %q", got, c.want)
						}
						return
					}
					if fe == nil {
						t.Fatalf("accepted %q as %q", c.vals, sub.Values[fd.Name])
					}
					if len(sub.Errors) != 1 {
						t.Errorf("%d errors, want 1 (only this field)", len(sub.Errors))
					}
					if !slices.Contains(MessageKeys, fe.Key) {
						t.Errorf("message key %q is not in MessageKeys", fe.Key)
					}
					if d := fe.Data(variant.Standard); d["Feld"] != fd.Title(variant.Standard) {
						t.Errorf("message data names %q, not the field %q", d["Feld"], fd.Title(variant.Standard))
					}
					if _, kept := sub.Values[fd.Name]; kept {
						t.Error("invalid value kept in Values")
					}
				})
			}
		}
	}
}

// TestOptionalFieldsMayStayEmpty: "pflicht: false" holds for every type. The training
// form refused every request without a ticked access need although its page says
// "freiwillig" (issue 9).
func TestOptionalFieldsMayStayEmpty(t *testing.T) {
	set := loadSite(t)
	for _, id := range set.IDs() {
		f := set.Forms[id]
		for _, how := range []string{"absent", "sent empty"} {
			t.Run(id+"/"+how, func(t *testing.T) {
				in := validValues(f)
				var optional []string
				for _, fd := range f.Fields() {
					if fd.Pflicht {
						continue
					}
					optional = append(optional, fd.Name)
					if how == "absent" {
						in.Del(fd.Name)
					} else {
						in.Set(fd.Name, "")
					}
				}
				if len(optional) == 0 {
					t.Skip("no optional field")
				}
				sub := f.Validate(in, now)
				for _, e := range sub.Errors {
					t.Errorf("optional field %s refused (%s)", e.Field.Name, e.Key)
				}
				for _, name := range optional {
					if _, ok := sub.Values[name]; ok {
						t.Errorf("%s: empty value stored", name)
					}
				}
			})
		}
	}
	// The same fields are required when the definition says so.
	for _, typ := range []string{TypRadio, TypCheckboxes, TypCheckbox} {
		f := &Form{Titel: Text{DE: "F", LS: "F"}, Seite: Text{DE: "/f/", LS: "/leichte-sprache/f/"}, Danke: Text{DE: "/d/", LS: "/leichte-sprache/d/"},
			Gruppen: []*Group{{ID: "g", Legende: Text{DE: "G", LS: "G"}, Felder: []*Field{{Name: "x", Typ: typ, Pflicht: true,
				Label: Text{DE: "X", LS: "X"}, Optionen: []Option{{Wert: "a", Label: Text{DE: "A", LS: "A"}}}}}}}}
		if typ == TypCheckbox {
			f.Gruppen[0].Felder[0].Optionen = nil
		}
		if _, ps := NewSet("test", map[string]*Form{"f": f}); len(ps) > 0 {
			t.Fatal(ps)
		}
		if sub := f.Validate(url.Values{}, now); sub.Valid() {
			t.Errorf("required %s left empty passed", typ)
		}
	}
}

func TestDatePairs(t *testing.T) {
	f := loadSite(t).Forms["ausstellung"]
	cases := []struct {
		name          string
		set           map[string]string
		wantErrFields []string
	}{
		{"reversed period", map[string]string{"zeitraum_von": "2026-05-10", "zeitraum_bis": "2026-05-01"}, []string{"zeitraum_bis"}},
		{"same day is fine", map[string]string{"zeitraum_von": "2026-05-10", "zeitraum_bis": "2026-05-10"}, nil},
		{"German dates", map[string]string{"zeitraum_von": "1.5.2026", "zeitraum_bis": "03.05.2026"}, nil},
		{"alternative only start", map[string]string{"alternative_von": "2026-06-01", "alternative_bis": ""}, []string{"alternative_bis"}},
		{"alternative only end", map[string]string{"alternative_von": "", "alternative_bis": "2026-06-01"}, []string{"alternative_von"}},
		{"alternative reversed", map[string]string{"alternative_von": "2026-06-09", "alternative_bis": "2026-06-01"}, []string{"alternative_bis"}},
		{"alternative left out", map[string]string{"alternative_von": "", "alternative_bis": ""}, nil},
		{"start in past and reversed: one error each", map[string]string{"zeitraum_von": "2020-05-10", "zeitraum_bis": "2026-05-01"}, []string{"zeitraum_von"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validValues(f)
			for k, v := range c.set {
				in.Set(k, v)
			}
			sub := f.Validate(in, now)
			var got []string
			for _, e := range sub.Errors {
				got = append(got, e.Field.Name)
			}
			if strings.Join(got, ",") != strings.Join(c.wantErrFields, ",") {
				t.Errorf("errors on %v, want %v", got, c.wantErrFields)
			}
		})
	}
	in := validValues(f)
	in.Set("zeitraum_von", "1.5.2026")
	if got := f.Validate(in, now).Get("zeitraum_von"); got != "2026-05-01" {
		t.Errorf("German date stored as %q", got)
	}
}

func TestErrorsInPageOrder(t *testing.T) {
	f := loadSite(t).Forms["ausstellung"]
	sub := f.Validate(url.Values{}, now)
	last := -1
	for _, e := range sub.Errors {
		i := -1
		for j, fd := range f.Fields() {
			if fd == e.Field {
				i = j
			}
		}
		if i <= last {
			t.Fatalf("error for %s out of order", e.Field.Name)
		}
		last = i
	}
}

func TestDecode(t *testing.T) {
	if _, err := Decode([]byte("a=%zz")); err == nil {
		t.Error("broken escape accepted")
	}
	if _, err := Decode([]byte(strings.Repeat("a=1&", MaxValues+1))); err == nil {
		t.Error("too many values accepted")
	}
	var b strings.Builder
	for i := 0; i <= MaxKeys; i++ {
		b.WriteString("k" + strconv.Itoa(i) + "=1&")
	}
	if _, err := Decode([]byte(b.String())); err == nil {
		t.Error("too many keys accepted")
	}
	v, err := Decode([]byte("organisation=%3Cb%3EVerein%3C%2Fb%3E+%C3%9C&x=1"))
	if err != nil || v.Get("organisation") != "<b>Verein</b> Ü" {
		t.Errorf("got %q, %v", v.Get("organisation"), err)
	}
}
