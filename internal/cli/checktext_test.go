package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const repoRoot = "../.."

func runCheckText(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = checkText(append([]string{"--root", repoRoot}, args...), strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func TestCheckTextPlain(t *testing.T) {
	cases := []struct {
		text string
		code int
		want []string
	}{
		{"Sie bekommen Geld.\nDas Geld ist für Ihre Hilfe.\n", OK,
			[]string{"Text: 9 Wörter, 2 Sätze, 2 Aussagen", "0 Fehler, 0 Hinweise."}},
		{"Man sagt, dass der Antrag geprüft wird.", Problems,
			[]string{"Eingabe:1:1: Fehler [man]", "Eingabe:1:11: Fehler [mehrere-aussagen]", "Fehler [passiv]", "3 Fehler"}},
		{"", OK, []string{"Text: 0 Wörter, 0 Sätze, 0 Aussagen, Wert 0 von 100"}},
	}
	for _, c := range cases {
		code, out, errOut := runCheckText(t, c.text)
		if code != c.code {
			t.Errorf("%q: code %d, want %d\n%s%s", c.text, code, c.code, out, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q:\n%s", c.text, w, out)
			}
		}
	}
}

func TestCheckTextJSONL(t *testing.T) {
	in := `{"id": "a", "text": "Sie bekommen Geld.", "level": "leicht"}

{"id": 7, "text": "Die Gewährung des Persönlichen Budgets erfolgt auf Antrag, wobei der Leistungsträger die Bedarfe feststellt.", "source": "x"}
{"text": "Man sagt das.", "id": null}
`
	code, out, errOut := runCheckText(t, in, "--jsonl", "-")
	if code != Problems || errOut != "" {
		t.Fatalf("code %d (want %d), stderr %q", code, Problems, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d:\n%s", len(lines), out)
	}
	// The fields in the documented order.
	if !strings.HasPrefix(lines[0], `{"id":"a","words":3,"sentences":1,"score":`) ||
		!strings.Contains(lines[0], `,"statements":1,"fehler":0,"hinweise":0,"findings":[]}`) {
		t.Errorf("line 1: %s", lines[0])
	}
	type result struct {
		ID               any
		Words, Sentences int
		Score            float64
		Statements       int
		Fehler, Hinweise int
		Findings         []struct {
			Rule, Severity, Message string
			Line, Column            int
		}
	}
	var res []result
	for _, l := range lines {
		var r result
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		res = append(res, r)
	}
	if res[1].ID != float64(7) || res[2].ID != nil {
		t.Errorf("ids not echoed as given: %v, %v", res[1].ID, res[2].ID)
	}
	if res[1].Score <= res[0].Score || res[1].Score < 50 || res[0].Score > 50 {
		t.Errorf("score: easy %.1f, standard %.1f", res[0].Score, res[1].Score)
	}
	if res[1].Statements < 2 || res[1].Fehler == 0 {
		t.Errorf("standard sentence: %+v", res[1])
	}
	f := res[2].Findings
	if len(f) != 1 || f[0].Rule != "man" || f[0].Severity != "Fehler" || f[0].Line != 1 || f[0].Column != 1 || f[0].Message == "" {
		t.Errorf("findings of line 3: %+v", f)
	}
}

func TestCheckTextBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "texte.jsonl")
	cases := []struct {
		content, want string
	}{
		{"{\"id\": 1, \"text\": \"Gut.\"}\n{\"id\": 2, \"text\": \"kaputt}\n", bad + ":2: Die Zeile ist kein JSON-Objekt"},
		{"{\"id\": 1}\n", bad + ":1: Das Feld \"text\" fehlt"},
		{"{\"text\": \"x\"}\n", bad + ":1: Das Feld \"id\" fehlt"},
		{"{\"id\": 1, \"text\": 5}\n", bad + ":1: Das Feld \"text\" ist kein Text"},
		{"[1, 2]\n", bad + ":1: Die Zeile ist kein JSON-Objekt"},
	}
	for _, c := range cases {
		if err := os.WriteFile(bad, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCheckText(t, "", "--jsonl", bad)
		if code != Broken || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: code %d, stdout %q, stderr %q; want code 2, no output, %q", c.content, code, out, errOut, c.want)
		}
	}
	if code, _, errOut := runCheckText(t, "", "--jsonl", filepath.Join(dir, "fehlt.jsonl")); code != Broken || !strings.Contains(errOut, "fehlt.jsonl") {
		t.Errorf("missing file: code %d, %q", code, errOut)
	}
	var o, e bytes.Buffer
	if code := checkText([]string{"--root", dir}, strings.NewReader("Text."), &o, &e); code != Broken || !strings.Contains(e.String(), "leichtesprache-gewichte.yaml") {
		t.Errorf("without weights: code %d, %q", code, e.String())
	}
}
