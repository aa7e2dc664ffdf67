package bundle

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	minjson "github.com/tdewolff/minify/v2/json"

	"budgetsite/internal/forms"
	"budgetsite/internal/report"
	"budgetsite/internal/siteconfig"
	"budgetsite/internal/variant"
)

const root = "../../.."

func build(t *testing.T, root string) *Bundle {
	t.Helper()
	data, ps := Build(root)
	if report.Count(ps, report.Fehler) > 0 || data == nil {
		t.Fatalf("Build: %v", ps)
	}
	b, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The project's own sources make a bundle whose every message names its field, in
// both variants, and whose retention period is hugo.toml's.
func TestBuildFromProject(t *testing.T) {
	b := build(t, root)
	cfg, err := siteconfig.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if days, _ := cfg.RetentionDays(); b.SpeicherdauerTage != days || days < 1 {
		t.Errorf("speicherdauer %d, hugo.toml %d", b.SpeicherdauerTage, days)
	}
	set := b.Forms()
	if len(set.IDs()) == 0 {
		t.Fatal("no forms")
	}
	for _, id := range set.IDs() {
		for _, fd := range set.Forms[id].Fields() {
			for _, key := range forms.MessageKeys {
				e := forms.FieldError{Field: fd, Key: key, Other: fd, N: 7}
				for _, v := range variant.All {
					msg := b.Message(v, e)
					if msg == "" || msg == key || strings.Contains(msg, "{{") || strings.Contains(msg, "<no value>") {
						t.Fatalf("%s %s %s: %q", id, key, v, msg)
					}
					if key != forms.MsgReihenfolge && !strings.Contains(msg, fd.Title(v)) {
						t.Errorf("%s/%s %s (%s): %q does not name the field %q", id, fd.Name, key, v, msg, fd.Title(v))
					}
				}
			}
		}
	}
	if got := b.Text(variant.Leicht, ZuOft, map[string]any{"Sekunden": 9}); !strings.Contains(got, "9 Sekunden") {
		t.Errorf("zu_oft: %q", got)
	}
	if b.Text(variant.Standard, Zusammenfassung, nil) == "" {
		t.Error("summary title empty")
	}
}

// copyRoot copies the bundle's sources into a temp folder, for breaking them.
func copyRoot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{FormsFile, "hugo.toml", I18nFile(variant.Standard), I18nFile(variant.Leicht)} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	p := filepath.Join(dir, file)
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", file, old)
	}
	os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
}

func TestBuildProblemsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"text missing in Leichte Sprache", I18nFile(variant.Leicht), "empfaenger_nummer = ", "x_nummer = ", "empfaenger_nummer"},
		{"typo in a name", I18nFile(variant.Standard), "{{ .Max }} Zeichen lang", "{{ .Mx }} Zeichen lang", "empfaenger_zu_lang"},
		{"broken template", I18nFile(variant.Standard), "Bitte füllen Sie „{{ .Feld }}“ aus.", "Bitte füllen Sie „{{ .Feld “ aus.", "empfaenger_pflicht"},
		{"retention not a number", "hugo.toml", "speicherdauer_tage = 180", `speicherdauer_tage = "viele"`, "speicherdauer_tage"},
		{"retention not set", "hugo.toml", "speicherdauer_tage = 180", "", "speicherdauer_tage"},
		{"broken form", FormsFile, "typ: checkboxes", "typ: kaestchen", "kaestchen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyRoot(t)
			edit(t, dir, c.file, c.old, c.new)
			data, ps := Build(dir)
			if data != nil || report.Count(ps, report.Fehler) == 0 {
				t.Fatal("no Fehler")
			}
			p := ps[0]
			// A text that is not there has no line to point at.
			if p.File != c.file || (p.Line == 0) != strings.Contains(c.name, "missing") || !strings.Contains(p.Message, c.want) {
				t.Errorf("%s: %s, want %s with a line and %q", c.name, p, c.file, c.want)
			}
		})
	}
}

// The build's finish step minifies every .json (10000 becomes 1e4); the bundle reads
// the same after it.
func TestParseAfterMinify(t *testing.T) {
	data, _ := Build(root)
	var min bytes.Buffer
	if err := minjson.Minify(minify.New(), &min, bytes.NewReader(data), nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(min.Bytes(), []byte("e4")) {
		t.Log("the minifier kept every number as it was")
	}
	b, err := Parse(min.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := build(t, root)
	for _, id := range want.Forms().IDs() {
		for _, fd := range want.Forms().Forms[id].Fields() {
			got := b.Forms().Forms[id].Field(fd.Name)
			if got.Max != fd.Max || (fd.Min != nil) != (got.Min != nil) || (fd.Min != nil && *fd.Min != *got.Min) {
				t.Errorf("%s.%s: max %d min %v, want %d %v", id, fd.Name, got.Max, got.Min, fd.Max, fd.Min)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	good, _ := Build(root)
	var m map[string]any
	json.Unmarshal(good, &m)
	mod := func(f func(m map[string]any)) []byte {
		var c map[string]any
		json.Unmarshal(good, &c)
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	cases := map[string][]byte{
		"not JSON":      []byte("<html>"),
		"other version": mod(func(m map[string]any) { m["version"] = 99 }),
		"no retention":  mod(func(m map[string]any) { delete(m, "speicherdauer_tage") }),
		"text missing":  mod(func(m map[string]any) { delete(m["texte"].(map[string]any)["ls"].(map[string]any), Prefix+Nummer) }),
		"bad form":      mod(func(m map[string]any) { m["formulare"].(map[string]any)["x y"] = map[string]any{} }),
	}
	for name, data := range cases {
		if _, err := Parse(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "bauen") {
		t.Errorf("missing file: %v", err)
	}
}
