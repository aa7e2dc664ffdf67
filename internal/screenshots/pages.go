// Package screenshots builds the site, serves it on loopback and writes
// screenshots of the start pages and one page of each template, in both
// variants, at a phone's and a desktop's width, so that a reviewer can look
// at the design without building anything by hand (budgetsite screenshots
// DIR).
package screenshots

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"budgetsite/internal/variant"
)

// Page is one page that stands for a template.
type Page struct {
	Template string // "start", "inhalt", …: the file name's middle part
	Path     string // below the site root: "budget/antrag/", "404.html"
}

// templates are the pages that stand for each template, by their path in
// the Standard variant (the Leichte Sprache twin has the same path below
// its prefix). The self-check's question and result pages are found in the
// built site, since their paths follow the rule set.
var templates = []Page{
	{"start", ""},
	{"inhalt", "budget/antrag/"},
	{"liste", "budget/"},
	{"bericht", "berichte/praxisdialog-2022-duisburg-wesel-kleve/"},
	{"formular", "angebote/ausstellung-anfrage/"},
	{"selbstcheck-start", "selbstcheck/"},
	{"nicht-gefunden", "404.html"},
}

// Pages lists the pages of each template in the built site dir, for both
// variants: the fixed ones above and, found in dir, the first question page
// and the first result page of the static self-check.
func Pages(dir string) ([]Page, error) {
	var out []Page
	for _, v := range variant.All {
		prefix := v.Prefix()
		for _, t := range templates {
			out = append(out, Page{Template: t.Template + "-" + v.Key(), Path: prefix + t.Path})
		}
		q, r, err := selfCheckPages(dir, prefix+"selbstcheck/")
		if err != nil {
			return nil, err
		}
		out = append(out, Page{"selbstcheck-frage-" + v.Key(), q}, Page{"selbstcheck-ergebnis-" + v.Key(), r})
	}
	for _, p := range out {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(fileOf(p.Path)))); err != nil {
			return nil, fmt.Errorf("die Seite /%s (%s) fehlt in der gebauten Website: %w", p.Path, p.Template, err)
		}
	}
	return out, nil
}

func fileOf(p string) string {
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// outcomeRe finds the result element's hook (DESIGN.md § 4) in a tag, not
// in the inline stylesheet's selectors.
var outcomeRe = regexp.MustCompile(`<[a-z]+\s[^>]*\bdata-outcome=`)

// selfCheckPages finds, below the self-check's start (a folder path), the
// question page and the result page nearest the start: the fewest answers,
// then the first by name.
func selfCheckPages(dir, start string) (question, result string, err error) {
	root := filepath.Join(dir, filepath.FromSlash(start))
	var pages []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == "index.html" && p != filepath.Join(root, "index.html") {
			rel, _ := filepath.Rel(dir, filepath.Dir(p))
			pages = append(pages, filepath.ToSlash(rel)+"/")
		}
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("Selbstcheck-Seiten in %s: %w", root, err)
	}
	sort.Slice(pages, func(i, j int) bool {
		di, dj := strings.Count(pages[i], "/"), strings.Count(pages[j], "/")
		if di != dj {
			return di < dj
		}
		return pages[i] < pages[j]
	})
	for _, p := range pages {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
		if err != nil {
			return "", "", err
		}
		isResult := outcomeRe.Match(b)
		switch {
		case isResult && result == "":
			result = p
		case !isResult && question == "":
			question = p
		}
	}
	if question == "" || result == "" {
		return "", "", fmt.Errorf("unter /%s fehlt eine Frage- oder eine Ergebnis-Seite des Selbstchecks", path.Clean(start))
	}
	return question, result, nil
}
