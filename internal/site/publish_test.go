package site

import (
	"strings"
	"testing"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"
)

func TestForProduction(t *testing.T) {
	ps := []report.Problem{
		{File: "hugo.toml", Line: 69, Severity: report.Warnung, Rule: RuleOpen, Message: "Impressum: „name“ fehlt."},
		{File: "data/x.yaml", Line: 3, Severity: report.Warnung, Rule: "angabe-fehlt", Message: "m"},
		{File: "content/ls/a.md", Severity: report.Hinweis, Rule: "verneinung", Message: "m"},
	}
	ForProduction(ps)
	if ps[0].Severity != report.Fehler || !strings.Contains(ps[0].Message, "--production") {
		t.Errorf("open value: %s", ps[0])
	}
	if ps[1].Severity != report.Warnung || ps[2].Severity != report.Hinweis {
		t.Errorf("other problems changed: %v", ps[1:])
	}
}

func TestSitemap(t *testing.T) {
	day := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	got := string(sitemap("https://www.example.org/", []RenderedPage{
		{File: "index.html", InSitemap: true, Lastmod: day},
		{File: "leichte-sprache/kontakt/index.html", InSitemap: true, Lastmod: day},
		{File: "selbstcheck/j/index.html", InSitemap: false},
		{File: "berichte/index.html", InSitemap: true},
	}))
	for _, want := range []string{
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
		"<url>\n  <loc>https://www.example.org/</loc>\n  <lastmod>2026-11-22</lastmod>\n </url>",
		"<loc>https://www.example.org/leichte-sprache/kontakt/</loc>",
		"<loc>https://www.example.org/berichte/</loc>\n </url>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sitemap lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "selbstcheck/j") {
		t.Errorf("a page out of the sitemap is listed:\n%s", got)
	}
}

func TestDuplicateTitles(t *testing.T) {
	ps := duplicateTitles(t.TempDir(), []RenderedPage{
		{File: "index.html", Title: "Das Persönliche Budget", InSitemap: true},
		{File: "budget/index.html", Title: "Das Persönliche Budget", InSitemap: true},
		{File: "leichte-sprache/index.html", Title: "Das Persönliche Budget", InSitemap: true, Variant: variant.Leicht},
		{File: "selbstcheck/a/index.html", Title: "Frage 2", InSitemap: false},
		{File: "selbstcheck/b/index.html", Title: "Frage 2", InSitemap: false},
	}, "public")
	if len(ps) != 2 {
		t.Fatalf("want a Warnung on each of the two Standard pages, got %v", ps)
	}
	for _, p := range ps {
		if p.Severity != report.Warnung || p.Rule != "titel-doppelt" {
			t.Errorf("%s", p)
		}
	}
	if !strings.Contains(ps[0].Message+ps[1].Message, "steht auch über /budget/") {
		t.Errorf("%v", ps)
	}
}

func TestDropEchoes(t *testing.T) {
	pages := []RenderedPage{{File: "budget/antrag/index.html", Source: "content/de/budget/antrag.md"}, {File: "kontakt/index.html"}}
	ps := dropEchoes([]report.Problem{
		{File: "content/de/budget/antrag.md", Line: 46, Rule: "ueberschrift"},
		{File: "public/budget/antrag/index.html", Rule: "ueberschrift"},
		{File: "public/budget/antrag/index.html", Rule: "linktext"},
		{File: "public/kontakt/index.html", Rule: "ueberschrift"},
	}, pages, "public")
	if len(ps) != 3 {
		t.Fatalf("%v", ps)
	}
	for _, p := range ps {
		if p.File == "public/budget/antrag/index.html" && p.Rule == "ueberschrift" {
			t.Errorf("echo kept: %s", p)
		}
	}
}
