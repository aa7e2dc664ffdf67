package yamlfile

import (
	"strings"
	"testing"
)

func TestDecodeMessages(t *testing.T) {
	type page struct {
		Title       string `yaml:"title"`
		Description string `yaml:"description"`
		Weight      int    `yaml:"weight"`
	}
	for _, tc := range []struct {
		name, src string
		line, col int
		want      string
	}{
		{"indented key after a quoted text", "title: \"a\"\ndescription: \"Kontakt: hier\"\n  foo: bar\nweight: 2\n", 3, 3, "Hier steht ein Wert, wo keiner stehen darf."},
		{"colon in an unquoted text", "title: Kontakt: hier\n", 1, 8, "Setzen Sie einen Text mit Doppelpunkt in Anführungszeichen"},
		{"brace not closed", "title: a\nx: {de: \"a\", ls: \"b\"\nweight: 2\n", 3, 1, "am Ende der Zeile davor fehlt }"},
		{"bracket not closed", "title: [\"a\", \"b\"\nweight: 2\n", 2, 1, "am Ende der Zeile davor fehlt ]"},
		{"quote not closed", "title: \"abc\ndescription: x\n", 1, 8, "Ein Anführungszeichen \" wird nicht geschlossen."},
		{"tab", "title: a\n\tweight: 2\n", 2, 1, "Tabulator"},
		{"duplicate", "title: a\ntitle: b\n", 2, 1, "Der Eintrag „title“ steht doppelt (zuerst in Zeile 1)."},
		{"missing colon", "title a\nweight: 2\n", 1, 1, "Nach dem Namen fehlt der Doppelpunkt"},
		{"unknown field", "title: a\ntitel: b\n", 2, 1, "Den Eintrag „titel“ gibt es hier nicht."},
		{"wrong type", "weight: [1]\n", 1, 9, "Hier muss eine Zahl stehen, nicht eine Liste"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v page
			_, ps := Decode("content/de/x.md", []byte(tc.src), &v)
			if len(ps) != 1 {
				t.Fatalf("want 1 problem, got %v", ps)
			}
			p := ps[0]
			if p.Line != tc.line || (tc.col > 0 && p.Col != tc.col) {
				t.Errorf("position %d:%d, want %d:%d (%s)", p.Line, p.Col, tc.line, tc.col, p.Message)
			}
			if !strings.Contains(p.Message, tc.want) {
				t.Errorf("message %q, want %q", p.Message, tc.want)
			}
			if strings.Contains(p.Message, "mapping") || strings.Contains(p.Message, "context") {
				t.Errorf("English left in %q", p.Message)
			}
		})
	}
}
