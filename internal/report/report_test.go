package report

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONKeepsSeverity(t *testing.T) {
	in := []Problem{
		{File: "content/ls/a.md", Line: 3, Col: 1, Severity: Fehler, Rule: "satzlaenge", Message: "m"},
		{File: "hugo.toml", Line: 9, Severity: Warnung, Rule: "offen", Message: "m"},
		{File: "content/de/a.md", Severity: Hinweis, Message: "m"},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"severity":"Fehler"`, `"severity":"Warnung"`, `"severity":"Hinweis"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("%s missing in %s", w, b)
		}
	}
	var out []Problem
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("round trip: %+v != %+v", out[i], in[i])
		}
	}
	if err := json.Unmarshal([]byte(`[{"severity":"schlimm"}]`), &out); err == nil {
		t.Error("unknown severity accepted")
	}
}
