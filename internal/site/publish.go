package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"
)

// RuleOpen marks a value that is not known yet (the operator, an address):
// a Warnung while the site is a draft, a Fehler in a build for publishing.
const RuleOpen = "offen"

// ForProduction turns every open value into a Fehler: a site is not
// published with placeholders in its Impressum.
func ForProduction(ps []report.Problem) {
	for i := range ps {
		if ps[i].Rule == RuleOpen && ps[i].Severity != report.Fehler {
			ps[i].Severity = report.Fehler
			ps[i].Message += " Zum Veröffentlichen (build --production) muss die Angabe eingetragen sein."
		}
	}
}

// sitemap lists the pages meant to be found, both variants in one file.
func sitemap(baseURL string, pages []RenderedPage) []byte {
	type url struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod,omitempty"`
	}
	var doc struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []url    `xml:"url"`
	}
	doc.NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	base := strings.TrimSuffix(baseURL, "/") + "/"
	for _, p := range pages {
		if !p.InSitemap {
			continue
		}
		u := url{Loc: base + strings.TrimSuffix(p.File, "index.html")}
		if !p.Lastmod.IsZero() {
			u.Lastmod = p.Lastmod.Format("2006-01-02")
		}
		doc.URLs = append(doc.URLs, u)
	}
	slices.SortFunc(doc.URLs, func(a, b url) int { return strings.Compare(a.Loc, b.Loc) })
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	_ = enc.Encode(doc) // only strings: cannot fail
	buf.WriteByte('\n')
	return buf.Bytes()
}

// duplicateTitles warns where two pages of one variant that search engines
// list share a title: a reader cannot tell them apart in a list of results
// or of open tabs.
func duplicateTitles(root string, pages []RenderedPage, reportAs string) []report.Problem {
	type key struct {
		v     variant.V
		title string
	}
	byTitle := map[key][]RenderedPage{}
	for _, p := range pages {
		if p.InSitemap && strings.TrimSpace(p.Title) != "" {
			k := key{p.Variant, strings.TrimSpace(p.Title)}
			byTitle[k] = append(byTitle[k], p)
		}
	}
	var ps []report.Problem
	for k, same := range byTitle {
		if len(same) < 2 {
			continue
		}
		slices.SortFunc(same, func(a, b RenderedPage) int { return strings.Compare(a.File, b.File) })
		for i, p := range same {
			other := same[(i+1)%len(same)]
			file, line := p.Source, frontMatterLine(root, p.Source, "title")
			if file == "" {
				file = reportAs + "/" + p.File
			}
			ps = append(ps, report.Problem{File: file, Line: line, Severity: report.Warnung, Rule: "titel-doppelt",
				Message: fmt.Sprintf("Der Titel „%s“ steht auch über /%s. Geben Sie jeder Seite einen eigenen Titel.", k.title, strings.TrimSuffix(other.File, "index.html"))})
		}
	}
	return ps
}

// frontMatterLine finds the line of a top-level front matter key; 0 if unknown.
func frontMatterLine(root, file, key string) int {
	if file == "" {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil {
		return 0
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key+":") {
			return i + 1
		}
	}
	return 0
}

// dropEchoes removes a built page's problem when the page's Markdown source
// already has a problem of the same rule: the editor fixes it once, at the
// line the source check names, and the echo in public/ goes with it.
func dropEchoes(ps []report.Problem, pages []RenderedPage, reportAs string) []report.Problem {
	source := make(map[string]string, len(pages))
	for _, p := range pages {
		if p.Source != "" {
			source[reportAs+"/"+p.File] = p.Source
		}
	}
	type fileRule struct{ file, rule string }
	found := map[fileRule]bool{}
	for _, p := range ps {
		found[fileRule{p.File, p.Rule}] = true
	}
	return slices.DeleteFunc(ps, func(p report.Problem) bool {
		src, ok := source[p.File]
		return ok && p.Rule != "" && found[fileRule{src, p.Rule}]
	})
}
