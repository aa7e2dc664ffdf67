package ical

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "Golden-Dateien neu schreiben")

var stamp = time.Date(2025, 1, 15, 9, 30, 0, 0, time.FixedZone("MEZ", 3600))

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sample covers escaping, folding inside multi-byte characters, an empty
// optional property and each status.
var sample = []Event{
	{
		UID:         "ausstellung-20250303-20250315@test",
		Summary:     "Wanderausstellung: Persönliches Budget; belegt, öffentlich",
		Description: "Zeile eins\nZeile zwei mit Backslash \\ und Komma, Semikolon;\r\nEnde",
		Location:    "Rathaus Musterstadt, Beispielweg 1, 12345 Musterstadt – Foyer (Erdgeschoss, stufenloser Zugang über den Seiteneingang)",
		Start:       day(2025, 3, 3),
		End:         day(2025, 3, 16),
		Status:      "CONFIRMED",
		URL:         "https://example.org/angebote/ausstellung/",
	},
	{
		UID:     "frei-1@test",
		Summary: strings.Repeat("ä", 60),
		Start:   day(2025, 4, 1),
		End:     day(2025, 4, 2),
		Status:  "TENTATIVE",
	},
	{
		UID:     "abgesagt@test",
		Summary: "Schulung",
		Start:   day(2025, 5, 5),
		End:     day(2025, 5, 6),
		Status:  "CANCELLED",
	},
}

func TestWriteGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "Wanderausstellung Persönliches Budget", stamp, sample); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.ics")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Ausgabe weicht von %s ab (go test -update schreibt sie neu):\n%s", golden, buf.String())
	}
}

func TestWriteLineRules(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "x", stamp, sample); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "\r\n") {
		t.Error("Datei endet nicht mit CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > maxLine {
			t.Errorf("Zeile %d hat %d Oktette: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("Zeile %d ist kein gültiges UTF-8 (Faltung mitten im Zeichen): %q", i+1, l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("Zeile %d enthält einen einzelnen Zeilenumbruch: %q", i+1, l)
		}
	}
}

// TestParseBack reads the output with a small independent parser and
// compares every property with the input.
func TestParseBack(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "Kalender, mit; Zeichen", stamp, sample); err != nil {
		t.Fatal(err)
	}
	cal := parse(t, buf.String())
	for _, p := range []struct{ name, want string }{
		{"VERSION", "2.0"}, {"PRODID", prodID}, {"CALSCALE", "GREGORIAN"}, {"X-WR-CALNAME", "Kalender, mit; Zeichen"},
	} {
		if got := cal.props[p.name]; got != p.want {
			t.Errorf("%s = %q, erwartet %q", p.name, got, p.want)
		}
	}
	if len(cal.events) != len(sample) {
		t.Fatalf("%d VEVENTs gelesen, erwartet %d", len(cal.events), len(sample))
	}
	for i, e := range sample {
		got := cal.events[i]
		want := map[string]string{
			"UID":                e.UID,
			"SUMMARY":            e.Summary,
			"DESCRIPTION":        strings.ReplaceAll(e.Description, "\r\n", "\n"),
			"LOCATION":           e.Location,
			"URL":                e.URL,
			"STATUS":             e.Status,
			"DTSTAMP":            "20250115T083000Z",
			"DTSTART;VALUE=DATE": e.Start.Format("20060102"),
			"DTEND;VALUE=DATE":   e.End.Format("20060102"),
			"TRANSP":             "TRANSPARENT",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("Termin %d: %s = %q, erwartet %q", i+1, k, got[k], v)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("Termin %d: unerwartete Eigenschaft %s", i+1, k)
			}
		}
	}
}

func TestWriteRejects(t *testing.T) {
	ok := Event{UID: "u", Summary: "s", Start: day(2025, 1, 1), End: day(2025, 1, 2)}
	tests := []struct {
		name   string
		change func(*Event)
		want   string
	}{
		{"ohne UID", func(e *Event) { e.UID = " " }, "UID fehlt"},
		{"ohne Beginn", func(e *Event) { e.Start = time.Time{} }, "Beginn oder Ende fehlt"},
		{"Ende gleich Beginn", func(e *Event) { e.End = e.Start }, "nach dem Beginn"},
		{"Ende vor Beginn", func(e *Event) { e.End = day(2024, 12, 31) }, "nach dem Beginn"},
		{"Ende am selben Tag später", func(e *Event) { e.End = e.Start.Add(3 * time.Hour) }, "nach dem Beginn"},
		{"unbekannter Status", func(e *Event) { e.Status = "confirmed" }, "unbekannter STATUS"},
		{"Zeilenumbruch in URL", func(e *Event) { e.URL = "https://a.example/\r\nX-EVIL:1" }, "URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			var buf bytes.Buffer
			err := Write(&buf, "x", stamp, []Event{e})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Fehler %v, erwartet einen mit %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("bei einem Fehler wurde trotzdem geschrieben: %q", buf.String())
			}
		})
	}
}

func TestEmptyStatusIsConfirmed(t *testing.T) {
	var buf bytes.Buffer
	e := Event{UID: "u", Summary: "s", Start: day(2025, 1, 1), End: day(2025, 1, 2)}
	if err := Write(&buf, "", stamp, []Event{e}); err != nil {
		t.Fatal(err)
	}
	cal := parse(t, buf.String())
	if got := cal.events[0]["STATUS"]; got != "CONFIRMED" {
		t.Errorf("STATUS = %q", got)
	}
	if _, ok := cal.props["X-WR-CALNAME"]; ok {
		t.Error("leerer Kalendername wurde geschrieben")
	}
}

func FuzzEscapeRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d\ne", "ä€😀", "\x00\x01\t", strings.Repeat("ß", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var buf bytes.Buffer
		e := Event{UID: "u", Summary: s, Start: day(2025, 1, 1), End: day(2025, 1, 2)}
		if err := Write(&buf, "", stamp, []Event{e}); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
			if len(l) > maxLine || !utf8.ValidString(l) {
				t.Fatalf("schlechte Zeile %q", l)
			}
		}
		got := parse(t, buf.String()).events[0]["SUMMARY"]
		if want := normalise(s); got != want {
			t.Fatalf("SUMMARY %q, erwartet %q", got, want)
		}
	})
}

// normalise is what a TEXT value can carry: line breaks as \n, other
// control characters as spaces.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

type calendar struct {
	props  map[string]string
	events []map[string]string
}

// parse is a deliberately small iCalendar reader: unfold, split name and
// value at the first colon, unescape TEXT values. Parameters stay part of
// the name ("DTSTART;VALUE=DATE").
func parse(t *testing.T, s string) calendar {
	t.Helper()
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("Zeilenende ohne CR")
	}
	s = strings.ReplaceAll(s, "\r\n ", "")
	s = strings.ReplaceAll(s, "\r\n\t", "")
	cal := calendar{props: map[string]string{}}
	var cur map[string]string
	depth := 0
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("Zeile ohne Doppelpunkt: %q", l)
		}
		switch {
		case l == "BEGIN:VCALENDAR":
			depth++
		case l == "END:VCALENDAR":
			depth--
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			cal.events = append(cal.events, cur)
			cur = nil
		case cur != nil:
			if _, dup := cur[name]; dup {
				t.Errorf("Eigenschaft %s doppelt", name)
			}
			cur[name] = unescape(t, value)
		default:
			cal.props[name] = unescape(t, value)
		}
	}
	if depth != 0 || cur != nil {
		t.Fatal("BEGIN/END passen nicht zusammen")
	}
	return cal
}

func unescape(t *testing.T, v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ';' || c == ',' {
			t.Errorf("unmaskiertes %q in %q", c, v)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(v) {
			t.Fatalf("Backslash am Ende von %q", v)
		}
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(v[i])
		default:
			t.Fatalf("unbekannte Maskierung \\%c in %q", v[i], v)
		}
	}
	return b.String()
}
