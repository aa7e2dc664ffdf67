package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"budgetsite/internal/report"
)

// A site as small as the pipeline allows: two variants, a layout that only
// prints, one page each. Modules of the tests below add the rest.
const tinySite = `
-- hugo.toml --
baseURL = "https://www.example.org/"
title = "Test"
defaultContentLanguage = "de"
disableKinds = ["sitemap", "taxonomy", "term", "rss"]
[languages.de]
weight = 1
contentDir = "content/de"
[languages.de.params]
variante = "de"
[languages.leichte-sprache]
weight = 2
contentDir = "content/ls"
[languages.leichte-sprache.params]
variante = "ls"
-- layouts/baseof.html --
<!DOCTYPE html><html lang="de"><head><title>{{ .Title }}</title></head><body><main id="inhalt">{{ block "main" . }}{{ end }}</main></body></html>
-- layouts/home.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ with hugo.Data.modell }}<p id="modell">{{ .text }}</p>{{ end }}{{ end }}
-- layouts/page.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/404.html --
{{ define "main" }}<h1>Nicht gefunden</h1>{{ end }}
-- content/de/_index.md --
---
title: Start
---
Zur [Seite](/seite/).
-- content/ls/_index.md --
---
title: Start
---
Zur [Seite](/leichte-sprache/seite/).
-- content/de/seite.md --
---
title: Seite
---
Text.
-- content/ls/seite.md --
---
title: Seite
---
Text.
-- data/beispiel.yaml --
text: "Aus den Daten"
ls: "Ein Satz."
`

// project writes a txtar site (with changes appended) into a temp folder.
func project(t *testing.T, extra string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(tinySite + extra)).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// recorder is a module that takes part in every phase and notes the order.
type recorder struct {
	calls    []string
	loadFail bool
	owns     string
}

func (r *recorder) Name() string { return "Probe" }

func (r *recorder) Load(e *Env) []report.Problem {
	r.calls = append(r.calls, "load")
	if r.loadFail {
		return []report.Problem{{File: "data/beispiel.yaml", Line: 1, Severity: report.Fehler, Rule: "probe", Message: "kaputt"}}
	}
	return nil
}

func (r *recorder) Texts(e *Env) []Text {
	return YAMLTexts(e.Root, "data/beispiel.yaml")
}

func (r *recorder) CheckText(_ *Env, t Text) []report.Problem {
	r.calls = append(r.calls, "text:"+strings.TrimSpace(t.Text))
	return nil
}

func (r *recorder) CheckPage(_ *Env, pg *Page) []report.Problem {
	r.calls = append(r.calls, "page:"+pg.File)
	return nil
}

func (r *recorder) HugoData(*Env) (map[string]any, []report.Problem) {
	r.calls = append(r.calls, "data")
	return map[string]any{"modell": map[string]string{"text": "aus Go vorbereitet"}}, nil
}

func (r *recorder) MakeFiles(_ context.Context, _ *Env, f Files) []report.Problem {
	r.calls = append(r.calls, "files")
	f.Add("probe/datei.json", []byte(`{"a": 1}`))
	return nil
}

func (r *recorder) Owns(p string) (bool, string) {
	if r.owns != "" && strings.HasPrefix(p, r.owns) {
		return true, ""
	}
	return false, ""
}

func (r *recorder) CheckSite(_ *Env, b *Built) []report.Problem {
	r.calls = append(r.calls, "site")
	return nil
}

func (r *recorder) Report(*Env) []string { return []string{"Probe fertig"} }

func build(t *testing.T, root string, ms ...Module) (*Result, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res, err := New(WithModules(ms...)).Build(context.Background(), Options{Root: root, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	return res, out
}

func TestModulePhases(t *testing.T) {
	r := &recorder{}
	res, out := build(t, project(t, ""), r)
	if res.Failed() {
		t.Fatal(res.Problems)
	}
	got := strings.Join(r.calls, " ")
	for _, want := range []string{"load", "data", "page:content/de/_index.md", "page:content/ls/seite.md", "text:Ein Satz.", "files", "site"} {
		if !strings.Contains(got, want) {
			t.Errorf("phase %q missing: %s", want, got)
		}
	}
	if i, j := strings.Index(got, "load"), strings.Index(got, "files"); i > j {
		t.Errorf("files before load: %s", got)
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(home), "aus Go vorbereitet") {
		t.Errorf("Hugo did not get the module's render model:\n%s", home)
	}
	for _, f := range []string{"probe/datei.json", "probe/datei.json.gz", "sitemap.xml", "leichte-sprache/seite/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if len(res.Notes) != 1 || res.Notes[0] != "Probe fertig" {
		t.Errorf("notes: %v", res.Notes)
	}
}

// A data file a module cannot read stops the build before Hugo: one Fehler,
// no false trails from templates, public/ as it was.
func TestUnreadableDataRendersNothing(t *testing.T) {
	r := &recorder{loadFail: true}
	res, out := build(t, project(t, ""), r)
	if !res.Failed() || res.Written {
		t.Fatal("the build went on")
	}
	if n := report.Count(res.Problems, report.Fehler); n != 1 {
		t.Errorf("%d Fehler, want only the module's: %v", n, res.Problems)
	}
	if strings.Contains(strings.Join(r.calls, " "), "files") {
		t.Error("files were made after a Fehler")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("public/ was written: %v", err)
	}
}

// The link check runs on every build and names the Markdown line; a path a
// module owns is the module's to answer.
func TestLinkCheckInPipeline(t *testing.T) {
	root := project(t, `
-- content/de/seite.md --
---
title: Seite
---
Text.

Ein [toter Link](/nirgends/) und ein [Formular](/anfragen/probe).
`)
	res, _ := build(t, root, &recorder{owns: "anfragen/"})
	var dead []string
	for _, p := range res.Problems {
		if p.Severity == report.Fehler {
			dead = append(dead, p.String())
		}
	}
	want := "content/de/seite.md:6:5: Fehler [link-tot]: Der Link „toter Link“ führt zu keiner Seite (/nirgends/). Meinten Sie /seite/?"
	if len(dead) != 1 || dead[0] != want {
		t.Errorf("got  %v\nwant [%s]", dead, want)
	}
}

// A problem at its Markdown line silences the same rule's echo on the built page.
func TestProductionAndEchoes(t *testing.T) {
	open := &openModule{}
	res, _ := build(t, project(t, ""), open)
	if res.Failed() {
		t.Fatalf("a draft build failed on an open value: %v", res.Problems)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := New(WithModules(open)).Build(context.Background(), Options{Root: project(t, ""), OutDir: out, Production: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || res.Written {
		t.Errorf("a production build published an open value: %v", res.Problems)
	}
}

type openModule struct{}

func (openModule) Name() string { return "Offen" }
func (openModule) Load(*Env) []report.Problem {
	return []report.Problem{{File: "hugo.toml", Line: 3, Severity: report.Warnung, Rule: RuleOpen, Message: "Der Name fehlt."}}
}
