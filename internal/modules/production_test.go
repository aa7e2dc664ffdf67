package modules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/site/sitetest"
)

func readFile(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProductionBuild(t *testing.T) {
	const base = "https://www.example.org/"
	root := copyProject(t)
	build := func(production bool) (*site.Result, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Site(Options{NoWasm: true}).Build(context.Background(), site.Options{Root: root, OutDir: out, BaseURL: base, Production: production})
		if err != nil {
			t.Fatal(err)
		}
		return res, out
	}

	// Today's placeholders: a draft builds with Warnungen, a build for
	// publishing fails at each open value's line.
	res, _ := build(false)
	if res.Failed() {
		t.Fatalf("the draft build failed: %v", res.Problems)
	}
	open := 0
	for _, p := range res.Problems {
		if p.Rule == site.RuleOpen {
			open++
			if p.Severity != report.Warnung {
				t.Errorf("draft: %s", p)
			}
		}
	}
	if open == 0 {
		t.Fatal("no open value reported for the empty Impressum")
	}
	res, _ = build(true)
	if !res.Failed() || res.Written {
		t.Fatal("the production build published placeholders")
	}
	files := map[string]bool{}
	for _, p := range res.Problems {
		if p.Rule != site.RuleOpen {
			// Only the open values: no false trails (pictures, calendars
			// reported missing because the build had already failed).
			if p.Severity == report.Fehler {
				t.Errorf("production, besides the open values: %s", p)
			}
			continue
		}
		if p.Severity != report.Fehler || p.Line == 0 {
			t.Errorf("production: %s", p)
		}
		files[p.File] = true
	}
	for _, f := range []string{"hugo.toml", "data/barrierefreiheit.yaml"} {
		if !files[f] {
			t.Errorf("no open value reported in %s: %v", f, files)
		}
	}

	// Filled in: it publishes, with the production address in robots.txt and the sitemap.
	sitetest.FillOperator(t, root)
	res, out := build(true)
	if res.Failed() || !res.Written {
		var b strings.Builder
		report.Print(&b, res.Problems)
		t.Fatalf("the filled-in site did not publish:\n%s", b.String())
	}
	for _, p := range res.Problems {
		if p.Rule == site.RuleOpen {
			t.Errorf("still open: %s", p)
		}
	}
	if robots := readFile(t, out, "robots.txt"); !strings.Contains(robots, "Sitemap: "+base+"sitemap.xml") {
		t.Errorf("robots.txt:\n%s", robots)
	}
	sm := readFile(t, out, "sitemap.xml")
	for _, want := range []string{"<loc>" + base + "</loc>", "<loc>" + base + "leichte-sprache/</loc>", "<lastmod>"} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap.xml lacks %s", want)
		}
	}
	for _, f := range []string{"404.html", "leichte-sprache/404.html"} {
		if page := readFile(t, out, f); !strings.Contains(page, "Diese Seite gibt es nicht") {
			t.Errorf("%s does not say that the page does not exist", f)
		}
	}
	if imp := readFile(t, out, "impressum/index.html"); !strings.Contains(imp, "Beispiel-Verein für Teilhabe e. V.") {
		t.Error("the Impressum does not show the operator")
	}
}
