package bilder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/variant"
)

// Rule is the id of this module's problems.
const Rule = "bild"

// Module checks every bild shortcode against data/bilder.yaml, offers the
// Leichte Sprache alt texts to the text checks, and copies the pictures the
// pages use into the build.
type Module struct {
	pics   map[string]Picture
	dryRun bool
}

// NewModule makes the module.
func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Bilder" }

func (m *Module) Load(e *site.Env) []report.Problem {
	m.dryRun = e.DryRun
	pics, ps := Load(e.Root)
	m.pics = pics
	return ps
}

// use is one bild shortcode on a page.
type use struct {
	page      *site.Page
	line, col int
	src, alt  string
}

func uses(pages []*site.Page) []use {
	var out []use
	for _, pg := range pages {
		if pg.FrontMatter == nil {
			continue
		}
		for _, sc := range pg.Shortcodes() {
			if sc.Name != "bild" {
				continue
			}
			out = append(out, use{page: pg, line: sc.Line, col: sc.Col, src: sc.Params["src"], alt: sc.Params["alt"]})
		}
	}
	return out
}

// CheckPage: each picture is one of data/bilder.yaml, named as /bilder/NAME.svg.
// (A missing alt text is the content check's: contentlint.Images.)
func (m *Module) CheckPage(_ *site.Env, pg *site.Page) []report.Problem {
	if m.pics == nil {
		return nil
	}
	var ps []report.Problem
	for _, u := range uses([]*site.Page{pg}) {
		name, ok := NameOf(u.src)
		switch {
		case !ok:
			ps = append(ps, report.Problem{File: pg.File, Line: u.line, Col: u.col, Severity: report.Fehler, Rule: Rule,
				Message: fmt.Sprintf("src=%q: ein Bild steht als src=\"/bilder/NAME.svg\" da, mit einem Namen aus %s (%s).", u.src, DataFile, Names(m.pics))})
		case m.pics[name] == (Picture{}):
			ps = append(ps, report.Problem{File: pg.File, Line: u.line, Col: u.col, Severity: report.Fehler, Rule: Rule,
				Message: fmt.Sprintf("Das Bild %q steht nicht in %s. Bekannt sind: %s. Ein neues Bild dort eintragen, dann: go run ./cmd/budgetsite bilder", name, DataFile, Names(m.pics))})
		}
	}
	return ps
}

// Texts offers the alt texts of the Leichte Sprache pages to the Leichte
// Sprache rules: a picture's text is read aloud like any other.
func (m *Module) Texts(e *site.Env) []site.Text {
	var out []site.Text
	for _, u := range uses(e.Pages) {
		if u.page.Easy && strings.TrimSpace(u.alt) != "" {
			out = append(out, site.Text{File: u.page.File, Line: u.line, Variant: variant.Leicht, Text: u.alt})
		}
	}
	return out
}

// used are the pictures the pages show, by name, sorted.
func (m *Module) used(pages []*site.Page) []Picture {
	seen := map[string]bool{}
	var out []Picture
	for _, u := range uses(pages) {
		name, _ := NameOf(u.src)
		if p, ok := m.pics[name]; ok && !seen[name] {
			seen[name] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// HugoData is hugo.Data.bildnachweis: the credits of every picture the site
// shows, for the Impressum.
func (m *Module) HugoData(e *site.Env) (map[string]any, []report.Problem) {
	var list []map[string]any
	for _, p := range m.used(e.Pages) {
		list = append(list, map[string]any{"datei": "/" + p.URL(), "zeigt": p.Zeigt, "von": p.Von, "openmoji": p.OpenMoji})
	}
	return map[string]any{"bildnachweis": map[string]any{"bilder": list}}, nil
}

// MakeFiles copies the used pictures from assets/openmoji/ to /bilder/.
func (m *Module) MakeFiles(_ context.Context, e *site.Env, f site.Files) []report.Problem {
	var ps []report.Problem
	for _, p := range m.used(e.Pages) {
		b, err := os.ReadFile(filepath.Join(e.Root, filepath.FromSlash(p.Asset())))
		if err != nil {
			ps = append(ps, report.Problem{File: DataFile, Line: p.Line, Severity: report.Fehler, Rule: Rule,
				Message: fmt.Sprintf("Das Bild %q (OpenMoji %s) fehlt: %s gibt es nicht. Holen: npm ci, dann go run ./cmd/budgetsite bilder", p.Name, p.OpenMoji, p.Asset())})
			continue
		}
		f.Add(p.URL(), b)
	}
	return ps
}

// Owns answers the link check of `budgetsite check`, which copies nothing:
// a picture of data/bilder.yaml will be there.
func (m *Module) Owns(p string) (bool, string) {
	if !m.dryRun || !strings.HasPrefix(p, URLDir) {
		return false, ""
	}
	name, ok := NameOf("/" + p)
	if _, known := m.pics[name]; ok && known {
		return true, ""
	}
	return true, fmt.Sprintf("das Bild gibt es nicht; bekannt sind: %s", Names(m.pics))
}

// Report says how many Leichte Sprache pages show a picture.
func (m *Module) Report(e *site.Env) []string {
	with, all := Coverage(e.Pages)
	if all == 0 {
		return nil
	}
	return []string{fmt.Sprintf("Bilder: %d von %d Seiten in Leichter Sprache haben ein Bild.", with, all)}
}

// Coverage counts the Leichte Sprache pages with at least one picture, of
// all Leichte Sprache pages that are not drafts.
func Coverage(pages []*site.Page) (with, all int) {
	has := map[string]bool{}
	for _, u := range uses(pages) {
		has[u.page.File] = true
	}
	for _, pg := range pages {
		if !pg.Easy || pg.FrontMatter == nil {
			continue
		}
		if d, _ := pg.FrontMatter["draft"].(bool); d {
			continue
		}
		all++
		if has[pg.File] {
			with++
		}
	}
	return with, all
}
