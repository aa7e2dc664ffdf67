// Package contentlint checks the editors' Markdown sources before Hugo sees
// them: front matter, headings, Leichte Sprache twins and the report type.
// Every problem names the file and line in the source, because the built
// HTML no longer knows where a heading came from.
package contentlint

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"

	"budgetsite/internal/markdown"
	"budgetsite/internal/report"
	"budgetsite/internal/variant"
	"budgetsite/internal/yamlfile"
)

// Variant directories below content/.
const (
	StandardDir = "content/de"
	EasyDir     = "content/ls"
)

// Page is one Markdown source after its front matter was read.
type Page struct {
	File        string // content/de/budget/antrag.md
	Rel         string // budget/antrag.md, the same for both twins
	Easy        bool   // Leichte Sprache variant
	Src         []byte // the whole file
	FrontMatter map[string]any
	BodyLine    int // 1-based line where the body starts

	mu     sync.Mutex
	md     *markdown.Doc
	scs    []markdown.Shortcode
	scDone bool
}

// Collect reads every Markdown file of both variants. Files that Hugo treats
// specially (content adapters) are skipped.
func Collect(root string) ([]*Page, []report.Problem) {
	var pages []*Page
	var ps []report.Problem
	for _, dir := range []string{StandardDir, EasyDir} {
		base := filepath.Join(root, filepath.FromSlash(dir))
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".md") {
				return nil
			}
			rel, _ := filepath.Rel(base, p)
			rel = filepath.ToSlash(rel)
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			pg := &Page{File: dir + "/" + rel, Rel: rel, Easy: dir == EasyDir, Src: src}
			ps = append(ps, pg.readFrontMatter()...)
			pages = append(pages, pg)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			ps = append(ps, report.Problem{File: dir, Severity: report.Fehler, Rule: "ordner", Message: "Der Ordner ist nicht lesbar: " + err.Error()})
		}
	}
	return pages, ps
}

// NewPage reads one Markdown source; file is its project-relative path
// ("content/ls/kontakt.md").
func NewPage(file string, src []byte) (*Page, []report.Problem) {
	rel := file
	v, ok := variant.OfContent(file)
	if ok {
		rel = strings.TrimPrefix(file, v.ContentDir()+"/")
	}
	pg := &Page{File: file, Rel: rel, Easy: v.Easy(), Src: src}
	return pg, pg.readFrontMatter()
}

func (pg *Page) readFrontMatter() []report.Problem {
	src := pg.Src
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return []report.Problem{{File: pg.File, Line: 1, Severity: report.Fehler, Rule: "front-matter",
			Message: "Die Datei beginnt nicht mit dem Kopf-Bereich. Die erste Zeile muss --- sein, danach title: … und wieder ---."}}
	}
	first := bytes.IndexByte(src, '\n') + 1
	end := -1
	for i, line := first, 2; i < len(src); line++ {
		j := bytes.IndexByte(src[i:], '\n')
		l := src[i:]
		if j >= 0 {
			l = src[i : i+j]
		}
		if string(bytes.TrimRight(l, "\r ")) == "---" {
			end = i
			pg.BodyLine = line + 1
			break
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	if end < 0 {
		return []report.Problem{{File: pg.File, Line: 1, Severity: report.Fehler, Rule: "front-matter",
			Message: "Der Kopf-Bereich wird nicht mit --- geschlossen."}}
	}
	fm := map[string]any{}
	_, ps := yamlfile.Decode(pg.File, src[first:end], &fm)
	for i := range ps {
		// The YAML parser counts from the first line after the opening ---.
		ps[i].Line++
		ps[i].Rule = "front-matter"
	}
	pg.FrontMatter = fm
	if ps == nil {
		if t, _ := fm["title"].(string); strings.TrimSpace(t) == "" {
			ps = append(ps, report.Problem{File: pg.File, Line: 2, Severity: report.Fehler, Rule: "front-matter", Message: "Der Titel fehlt (title: …)."})
		}
	}
	return ps
}

// Body is the Markdown after the front matter.
func (pg *Page) Body() []byte {
	off := 0
	for i := 1; i < pg.BodyLine && off < len(pg.Src); i++ {
		j := bytes.IndexByte(pg.Src[off:], '\n')
		if j < 0 {
			return nil
		}
		off += j + 1
	}
	return pg.Src[off:]
}

// Twins reports every Standard page without its Leichte Sprache twin (Fehler)
// and every Leichte Sprache page without a Standard page (Warnung).
func Twins(pages []*Page) []report.Problem {
	have := map[string]map[bool]bool{}
	for _, p := range pages {
		if have[p.Rel] == nil {
			have[p.Rel] = map[bool]bool{}
		}
		have[p.Rel][p.Easy] = true
	}
	var ps []report.Problem
	for _, p := range pages {
		if !p.Easy && !have[p.Rel][true] {
			ps = append(ps, report.Problem{File: p.File, Line: 1, Severity: report.Fehler, Rule: "zwilling",
				Message: fmt.Sprintf("Die Seite in Leichter Sprache fehlt: %s/%s. Jede Seite braucht ihren Zwilling in Leichter Sprache.", EasyDir, p.Rel)})
		}
		if p.Easy && !have[p.Rel][false] {
			ps = append(ps, report.Problem{File: p.File, Line: 1, Severity: report.Warnung, Rule: "zwilling",
				Message: fmt.Sprintf("Zu dieser Seite gibt es keine Seite in Standard-Sprache (%s/%s).", StandardDir, p.Rel)})
		}
	}
	return ps
}

// Markdown is the page parsed once for every check that reads it.
func (pg *Page) Markdown() *markdown.Doc {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.md == nil {
		pg.md = markdown.Parse(pg.Src)
	}
	return pg.md
}

// Release drops the parsed page once its checks are done: a build keeps
// every page's source, but holding every page's tree as well would make
// its memory grow with the site (a tree is several times its source).
func (pg *Page) Release() {
	pg.mu.Lock()
	pg.md = nil
	pg.mu.Unlock()
}

// Shortcodes are the page's shortcode calls, without a Markdown parse when
// the page has not been parsed.
func (pg *Page) Shortcodes() []markdown.Shortcode {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.md != nil {
		return pg.md.Shortcodes
	}
	if !pg.scDone {
		pg.scs, pg.scDone = markdown.Shortcodes(pg.Src), true
	}
	return pg.scs
}

// Headings checks that the body starts at ## (the layout owns the single h1)
// and never skips a level.
func Headings(pg *Page) []report.Problem {
	md := pg.Markdown()
	var ps []report.Problem
	prev := 1
	md.Walk(func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		line, _ := md.Position(md.Start(h))
		title := strings.TrimSpace(string(h.Lines().Value(md.Body)))
		switch {
		case h.Level == 1:
			ps = append(ps, report.Problem{File: pg.File, Line: line, Severity: report.Fehler, Rule: RuleHeading,
				Message: fmt.Sprintf("Die Überschrift „%s“ hat ein einzelnes #. Die Hauptüberschrift ist schon der Titel der Seite: beginnen Sie mit ##.", title)})
		case h.Level > prev+1:
			ps = append(ps, report.Problem{File: pg.File, Line: line, Severity: report.Fehler, Rule: RuleHeading,
				Message: fmt.Sprintf("Die Überschrift „%s“ (Ebene %d) überspringt eine Ebene: davor steht Ebene %d. Nehmen Sie %s.", title, h.Level, prev, strings.Repeat("#", prev+1))})
		}
		prev = h.Level
		return ast.WalkSkipChildren, nil
	})
	return ps
}

// Rule ids shared with the checks of the built pages, so that a problem
// found here silences its echo in public/.
const (
	RuleHeading = "ueberschrift"
	RuleAlt     = "bild-alt"
)

// Images checks that every picture has a text for people who cannot see
// it: Markdown images and the bild shortcode. (alt="" for decoration is
// for templates, not for pictures an editor places next to the text.)
func Images(pg *Page) []report.Problem {
	md := pg.Markdown()
	var ps []report.Problem
	add := func(off int, what, how string) {
		line, col := md.Position(off)
		ps = append(ps, report.Problem{File: pg.File, Line: line, Col: col, Severity: report.Fehler, Rule: RuleAlt,
			Message: fmt.Sprintf("Bild ohne Alternativtext (%s). %s", what, how)})
	}
	md.Walk(func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		if strings.TrimSpace(plainText(img, md.Body)) == "" {
			off := bytes.LastIndex(md.Src[:max(0, imageEnd(img, md))], []byte("!["))
			add(off, string(img.Destination), fmt.Sprintf("Schreiben Sie in die eckigen Klammern, was auf dem Bild zu sehen ist: ![Beschreibung](%s)", img.Destination))
		}
		return ast.WalkSkipChildren, nil
	})
	for _, sc := range md.Shortcodes {
		if sc.Name == "bild" && strings.TrimSpace(sc.Params["alt"]) == "" {
			add(sc.Offset, sc.Params["src"], "Schreiben Sie alt=\"…\": was auf dem Bild zu sehen ist.")
		}
	}
	return ps
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		} else {
			b.WriteString(plainText(c, src))
		}
	}
	return b.String()
}

// imageEnd is an offset just after the image's "![": goldmark keeps no
// position for an image without text, so take the next text after it, or
// the paragraph's end.
func imageEnd(img *ast.Image, md *markdown.Doc) int {
	if t, ok := img.FirstChild().(*ast.Text); ok {
		return t.Segment.Start
	}
	for n := img.NextSibling(); n != nil; n = n.NextSibling() {
		if t, ok := n.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	if p := img.Parent(); p != nil && p.Lines().Len() > 0 {
		return p.Lines().At(p.Lines().Len() - 1).Stop
	}
	return len(md.Src)
}
