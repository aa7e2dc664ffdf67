// Package linkcheck proves that a built site is whole: every internal
// reference of every page (links, images, media, captions, form targets,
// feed and sitemap entries) leads to a file the build wrote, every #fragment
// to an id on its target page, and every external reference is https:,
// mailto: or tel:. Nothing goes online: external targets are only checked for
// their form.
//
// It knows no Hugo and no domain: the pipeline hands it what the finish step
// recorded, a Locator that finds where a reference was written, and Owners
// for URL paths served by something other than the static files (the request
// receiver).
package linkcheck

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"
)

// Rule ids.
const (
	RuleDead     = "link-tot"
	RuleFile     = "datei-fehlt"
	RuleAnchor   = "anker-fehlt"
	RuleExternal = "link-extern"
)

// Ref is one reference as the page carries it.
type Ref struct {
	Tag, Attr, Value string
}

// Page is one built document.
type Page struct {
	File string   // output path below the site root, "kontakt/index.html", "sitemap.xml"
	Refs []Ref    // in document order
	IDs  []string // element ids (and a[name]) of an HTML page; nil for feeds
}

// Source says where a reference was written.
type Source struct {
	File      string // project-relative, "content/de/kontakt.md", "data/kontakte.yaml", "layouts/…"
	Line, Col int
	Text      string // link text, where known
}

// Locator finds the source of a reference on a page; ok is false when the
// reference came from a template that cannot be pinned down.
type Locator interface {
	Locate(pageFile string, r Ref) (Source, bool)
}

// Owner serves URL paths that are not static files.
type Owner interface {
	// Owns tells whether p (a path below the site root, "anfragen/ausstellung")
	// is the owner's; problem is a German sentence when it owns p but p does
	// not exist there.
	Owns(p string) (owned bool, problem string)
}

// Options of one check.
type Options struct {
	// Files are every file of the built site, slash paths below its root.
	Files []string
	// BaseURL is the site's base URL ("https://www.example.org/" or with a path).
	BaseURL string
	// ReportAs is the folder named for pages in messages ("public").
	ReportAs string
	Locator  Locator
	Owners   []Owner
}

// Check runs over all pages and returns one problem per broken reference
// and source position (a template's broken link is reported once, with the
// number of pages it breaks).
func Check(pages []Page, o Options) []report.Problem {
	c := newChecker(pages, o)
	for i := range pages {
		c.page(&pages[i])
	}
	return c.result()
}

type checker struct {
	o        Options
	base     *url.URL
	basePath string
	files    map[string]bool
	ids      map[string][]string // page file → sorted ids
	pages    map[variant.V][]string
	out      map[string]*finding // dedup key → finding
	order    []string
}

type finding struct {
	p     report.Problem
	pages []string
}

func newChecker(pages []Page, o Options) *checker {
	c := &checker{o: o, files: make(map[string]bool, len(o.Files)), ids: make(map[string][]string, len(pages)),
		pages: map[variant.V][]string{}, out: map[string]*finding{}}
	c.base, _ = url.Parse(o.BaseURL)
	if c.base == nil {
		c.base = &url.URL{Path: "/"}
	}
	c.basePath = c.base.Path
	if !strings.HasSuffix(c.basePath, "/") {
		c.basePath += "/"
	}
	for _, f := range o.Files {
		c.files[f] = true
	}
	for _, p := range pages {
		// Suggestions come from the pages, not from every HTML file: an
		// alias page only redirects.
		if strings.HasSuffix(p.File, ".html") {
			c.pages[variant.OfPath(p.File)] = append(c.pages[variant.OfPath(p.File)], p.File)
		}
		ids := slices.Clone(p.IDs)
		slices.Sort(ids)
		c.ids[p.File] = ids
	}
	return c
}

func (c *checker) page(p *Page) {
	for _, r := range p.Refs {
		c.ref(p, r)
	}
}

func (c *checker) ref(p *Page, r Ref) {
	v := strings.TrimSpace(r.Value)
	if r.Attr == "srcset" {
		for _, part := range strings.Split(v, ",") {
			if f := strings.Fields(part); len(f) > 0 {
				c.ref(p, Ref{Tag: r.Tag, Attr: "src", Value: f[0]})
			}
		}
		return
	}
	if v == "" {
		if r.Tag == "form" || r.Tag == "button" {
			return // an empty action posts to the page itself
		}
		c.add(p, r, RuleDead, fmt.Sprintf("Das Ziel von <%s %s> ist leer.", r.Tag, r.Attr), "")
		return
	}
	u, err := url.Parse(v)
	if err != nil {
		c.add(p, r, RuleExternal, fmt.Sprintf("Die Adresse %q ist fehlerhaft: %s.", v, germanURLError(err)), "")
		return
	}
	switch strings.ToLower(u.Scheme) {
	case "":
	case "mailto", "tel":
		if u.Opaque == "" {
			c.add(p, r, RuleExternal, fmt.Sprintf("Die Adresse %q ist leer.", v), "")
		}
		return
	case "data":
		return // self-contained; nothing is loaded from anywhere
	case "https", "http":
		if u.Host == "" {
			c.add(p, r, RuleExternal, fmt.Sprintf("Die Adresse %q hat keinen Host.", v), "")
			return
		}
		if !strings.EqualFold(u.Host, c.base.Host) {
			if u.Scheme != "https" {
				c.add(p, r, RuleExternal, fmt.Sprintf("Die Adresse %q ist nicht verschlüsselt. Verwenden Sie https://.", v), "")
			}
			return
		}
		// An absolute link to the site itself is checked like a relative one.
	default:
		c.add(p, r, RuleExternal, fmt.Sprintf("Die Adresse %q hat die Art %q. Erlaubt sind https:, mailto: und tel:.", v, u.Scheme+":"), "")
		return
	}
	c.internal(p, r, u)
}

// internal resolves a reference inside the site.
func (c *checker) internal(p *Page, r Ref, u *url.URL) {
	pagePath := c.basePath + strings.TrimSuffix(p.File, "index.html")
	target := u.Path
	if target == "" {
		target = pagePath // "#anker" or "?x": this page
	} else if !strings.HasPrefix(target, "/") {
		target = path.Join(path.Dir(pagePath+"x"), target)
		if strings.HasSuffix(u.Path, "/") {
			target += "/"
		}
	}
	rel, ok := strings.CutPrefix(target, c.basePath)
	if !ok && target+"/" != c.basePath {
		c.add(p, r, RuleDead, fmt.Sprintf("%s führt aus der Website hinaus (%s liegt nicht unter %s).", c.what(r), target, c.basePath), "")
		return
	}
	for _, o := range c.o.Owners {
		if owned, problem := o.Owns(rel); owned {
			if problem != "" {
				c.add(p, r, RuleDead, fmt.Sprintf("%s: %s", c.what(r), problem), "")
			}
			return
		}
	}
	file, found := c.resolve(rel)
	if !found {
		rule, msg := RuleDead, fmt.Sprintf("%s führt zu keiner Seite (%s).", c.what(r), "/"+rel)
		if media(r) {
			rule, msg = RuleFile, fmt.Sprintf("%s fehlt: %s gibt es in der Website nicht.", c.what(r), "/"+rel)
		}
		c.add(p, r, rule, msg, c.suggest(rel))
		return
	}
	if u.Fragment == "" || !strings.HasSuffix(file, ".html") {
		return
	}
	ids, known := c.ids[file]
	if !known {
		return // a page the finish step did not read (e.g. a redirect)
	}
	if _, has := slices.BinarySearch(ids, u.Fragment); !has {
		c.add(p, r, RuleAnchor, fmt.Sprintf("%s zeigt auf den Anker #%s, den es auf %s nicht gibt.", c.what(r), u.Fragment, "/"+strings.TrimSuffix(file, "index.html")), closest(u.Fragment, ids, "#"))
	}
}

// resolve maps a path below the site root to the file that answers it.
func (c *checker) resolve(rel string) (string, bool) {
	switch {
	case rel == "" || strings.HasSuffix(rel, "/"):
		f := rel + "index.html"
		return f, c.files[f]
	case c.files[rel]:
		return rel, true
	case c.files[rel+"/index.html"]:
		return rel + "/index.html", true // web servers redirect to the folder
	}
	return rel, false
}

func media(r Ref) bool {
	switch r.Tag {
	case "img", "source", "track", "video", "audio", "link", "script":
		return true
	}
	return r.Attr == "download"
}

func (c *checker) what(r Ref) string {
	switch r.Tag {
	case "a":
		return "Der Link"
	case "img":
		return "Das Bild"
	case "video", "audio", "source":
		return "Die Mediendatei"
	case "track":
		return "Die Untertitel-Datei"
	case "form", "button":
		return "Das Formular-Ziel"
	case "link":
		return "Die eingebundene Datei"
	case "script":
		return "Das Skript"
	}
	return "Der Verweis"
}

// suggest names the closest existing page of the same variant.
func (c *checker) suggest(rel string) string {
	cands := c.pages[variant.OfPath(rel)]
	urls := make([]string, len(cands))
	for i, f := range cands {
		urls[i] = strings.TrimSuffix(f, "index.html")
	}
	return closest(strings.TrimSuffix(rel, "index.html"), urls, "/")
}

func closest(s string, cands []string, prefix string) string {
	best, bestD := "", -1
	for _, c := range cands {
		if d := distance(s, c); bestD < 0 || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	if bestD < 0 {
		return ""
	}
	return "Meinten Sie " + prefix + best + "?"
}

// distance is the Levenshtein distance over bytes; paths are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (c *checker) add(p *Page, r Ref, rule, msg, suggestion string) {
	pr := report.Problem{File: c.o.ReportAs + "/" + p.File, Severity: report.Fehler, Rule: rule, Message: msg}
	// Where the source is unknown (a template), the same broken reference on
	// many pages is one finding.
	key := pr.Rule + "\x00" + msg
	if c.o.Locator != nil {
		if s, ok := c.o.Locator.Locate(p.File, r); ok {
			pr.File, pr.Line, pr.Col = s.File, s.Line, s.Col
			if s.Text != "" && strings.HasPrefix(pr.Message, "Der Link ") {
				pr.Message = "Der Link „" + s.Text + "“ " + strings.TrimPrefix(pr.Message, "Der Link ")
			}
			key = fmt.Sprintf("%s\x00%d\x00%d\x00%s", pr.File, pr.Line, pr.Col, key)
		}
	}
	if suggestion != "" {
		pr.Message += " " + suggestion
	}
	f, seen := c.out[key]
	if !seen {
		f = &finding{p: pr}
		c.out[key] = f
		c.order = append(c.order, key)
	}
	f.pages = append(f.pages, c.o.ReportAs+"/"+p.File)
}

func (c *checker) result() []report.Problem {
	ps := make([]report.Problem, 0, len(c.order))
	for _, k := range c.order {
		f := c.out[k]
		p := f.p
		// A template puts the same broken reference on many pages: name it
		// once, with how far it reaches.
		if n := len(f.pages); n > 1 {
			p.Message += fmt.Sprintf(" (auf %d Seiten, z. B. %s)", n, f.pages[0])
		}
		ps = append(ps, p)
	}
	report.Sort(ps)
	return ps
}

func germanURLError(err error) string {
	var ue *url.Error
	msg := err.Error()
	if e, ok := err.(*url.Error); ok {
		ue = e
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "invalid URL escape"):
		return "ein %-Zeichen ohne zwei Hex-Ziffern danach"
	case strings.Contains(msg, "invalid character"):
		return "ein Zeichen, das in Adressen nicht stehen darf"
	case strings.Contains(msg, "missing protocol scheme"):
		return "die Art der Adresse (https:) fehlt"
	case strings.Contains(msg, "invalid port"):
		return "die Port-Nummer ist ungültig"
	}
	return msg
}
