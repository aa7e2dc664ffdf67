package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/modules"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/site/sitetest"
)

// fill answers the archetype's fields the way an editor would.
func fill(t *testing.T, path string, easy bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	set := func(key, value string) {
		i := strings.Index(s, "\n"+key+":")
		if i < 0 {
			t.Fatalf("%s: no %s", path, key)
		}
		end := strings.Index(s[i+1:], "\n") + i + 1
		s = s[:i+1] + key + ": " + value + s[end:]
	}
	set("date", "2026-05-12")
	set("jahre", `["2026"]`)
	set("regionen", `["Stadt Augsburg"]`)
	set("themen", `["Assistenz"]`)
	set("teilnehmerzahl", "12")
	set("draft", "false")
	body := "\n## Was besprochen wurde\n\nDie Gruppe hat über Assistenz gesprochen.\n"
	if easy {
		set("description", `"Hier lesen Sie über ein Treffen in Augsburg."`)
		set("veranstalter", `"Eine Beratungs-Stelle in Augsburg"`)
		set("format", `"Treffen in einem Raum"`)
		set("teilnehmergruppen", `["Menschen mit einem Persönlichen Budget"]`)
		set("ergebnisse", `["Assistenz ist wichtig."]`)
		set("summary", `"Im Mai 2026 gab es ein Treffen in Augsburg."`)
		body = "\n## Das Treffen\n\nIm Mai 2026 gab es ein Treffen.\nDie Menschen haben über Assistenz gesprochen.\n"
	} else {
		set("description", `"Bericht über einen Praxisdialog in Augsburg im Mai 2026."`)
		set("veranstalter", `"Eine Beratungsstelle in Augsburg"`)
		set("format", `"Präsenzveranstaltung"`)
		set("teilnehmergruppen", `["Budgetnehmerinnen und Budgetnehmer"]`)
		set("ergebnisse", `["Assistenz ist für viele wichtig."]`)
		set("summary", `"Zwölf Teilnehmende sprachen im Mai 2026 in Augsburg über Assistenz."`)
	}
	s = s[:strings.LastIndex(s, "---\n")+4] + body
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fehlerIn(ps []report.Problem, files ...string) []string {
	var out []string
	for _, p := range ps {
		for _, f := range files {
			if p.File == f && p.Severity == report.Fehler {
				out = append(out, p.String())
			}
		}
	}
	return out
}

// The scaffold of `new report`: a draft never blocks the build, and once
// filled in it passes every check and is published under its title.
func TestNewReportScaffold(t *testing.T) {
	root := copyProject(t)
	made, err := NewReport(root, "praxisdialog-2026-augsburg", time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := modules.Site(modules.Options{NoWasm: true}).Build(ctx, site.Options{Root: root, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("the new draft blocks the build: %v", fehlerIn(res.Problems, made...))
	}
	for _, f := range made {
		fill(t, filepath.Join(root, filepath.FromSlash(f)), strings.HasPrefix(f, "content/ls/"))
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err = modules.Site(modules.Options{NoWasm: true}).Build(ctx, site.Options{Root: root, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if errs := fehlerIn(res.Problems, made...); len(errs) > 0 || res.Failed() {
		var b strings.Builder
		report.Print(&b, res.Problems)
		t.Fatalf("the filled-in report fails:\n%s", b.String())
	}
	page, err := os.ReadFile(filepath.Join(out, "berichte", "praxisdialog-2026-augsburg", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<h1>Praxisdialog 2026 Augsburg</h1>") {
		t.Errorf("title not on the page")
	}
	if n := strings.Count(string(page), "id=ergebnisse"); n != 1 {
		t.Errorf("the outcomes appear %d times", n)
	}
}

func copyProject(t *testing.T) string {
	root, _ := filepath.Abs("../..")
	return sitetest.CopyProject(t, root)
}
