// Package finish is the last step of a build: every rendered file is checked,
// enriched, minified and precompressed in place, in a staging folder that only
// becomes public/ when nothing failed.
package finish

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	nethtml "golang.org/x/net/html"

	"budgetsite/internal/enrich"
	"budgetsite/internal/htmlcheck"
	"budgetsite/internal/report"
)

// EasyPrefix is the URL folder of the Leichte Sprache variant.
const EasyPrefix = "leichte-sprache/"

// Options configure one run over a staging folder.
type Options struct {
	Dir         string                    // the staging folder Hugo rendered into
	ReportAs    string                    // folder name used in messages, e.g. "public"
	SiteHost    string                    // host of the base URL
	ScriptPages map[string]bool           // URL paths allowed to load a script ("/selbstcheck/")
	Enrichers   map[bool]*enrich.Enricher // per variant (true: Leichte Sprache); nil: no enrichment
	GlossaryRel string                    // URL path of the Wörterbuch page below a variant, "woerterbuch/"
	BasePath    string                    // URL path of the base URL, "/" or "/sub/"
	Gzip        bool                      // write .gz copies (not needed for previews)
	NoWrite     bool                      // check only (budgetsite check): nothing is written
}

// Page is what the step learned about one HTML page.
type Page struct {
	Path    string // URL path, "/budget/antrag/"
	Easy    bool
	Bytes   int // minified HTML
	GzBytes int // gzip of the minified HTML
}

// Result sums up a run.
type Result struct {
	Pages    []Page
	Bytes    int64 // all files after minifying, without the .gz copies
	CSSGz    int   // the stylesheet gzipped (every page loads it)
	Problems []report.Problem
}

// fingerprinted files were minified by Hugo's pipes (the same minifier)
// before their SRI hash was taken; changing a byte would break the hash.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{32,}\.(css|js)$`)

var compressible = map[string]bool{".html": true, ".css": true, ".js": true, ".svg": true, ".xml": true, ".json": true, ".wasm": true, ".ics": true}

var mediaTypes = map[string]string{".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml", ".xml": "text/xml", ".json": "application/json"}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true, KeepSpecialComments: false})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("text/xml", xml.Minify)
	m.AddFunc("application/json", json.Minify)
	return m
}

// Processor finishes files on all cores while they keep arriving.
type Processor struct {
	o       Options
	work    chan job
	wg      sync.WaitGroup
	mu      sync.Mutex
	res     Result
	err     error
	dirMu   sync.Mutex
	dirs    map[string]bool
	written map[string]bool // paths below Dir this run wrote or kept
}

type job struct {
	rel  string // slash path below Options.Dir
	data []byte // nil: read the file from disk
}

// New starts the workers. Give files with Add or AddFile, then call Wait.
func New(o Options) *Processor {
	if o.BasePath == "" {
		o.BasePath = "/"
	}
	p := &Processor{o: o, work: make(chan job, 64), dirs: map[string]bool{}, written: map[string]bool{}}
	// Twice the cores: a worker waiting for the disk leaves its core to another.
	for range 2 * runtime.GOMAXPROCS(0) {
		p.wg.Add(1)
		go p.run()
	}
	return p
}

// Add finishes a file that is still in memory (rel is its path below Dir).
func (p *Processor) Add(rel string, data []byte) {
	p.work <- job{rel: strings.TrimPrefix(filepath.ToSlash(rel), "/"), data: data}
}

// AddFile finishes a file that already lies below Dir.
func (p *Processor) AddFile(rel string) {
	p.work <- job{rel: strings.TrimPrefix(filepath.ToSlash(rel), "/")}
}

// AddTree finishes every file below Dir/rel (e.g. what a later step wrote).
func (p *Processor) AddTree(rel string) error {
	base := filepath.Join(p.o.Dir, filepath.FromSlash(rel))
	return filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(path, ".gz") {
			r, _ := filepath.Rel(p.o.Dir, path)
			p.AddFile(r)
		}
		return nil
	})
}

// Wait lets the workers finish and returns what they found.
func (p *Processor) Wait() (*Result, error) {
	close(p.work)
	p.wg.Wait()
	report.Sort(p.res.Problems)
	return &p.res, p.err
}

func (p *Processor) run() {
	defer p.wg.Done()
	w := worker{o: p.o, m: newMinifier(), p: p}
	for j := range p.work {
		page, n, ps, err := w.file(j)
		p.mu.Lock()
		switch {
		case err != nil && p.err == nil:
			p.err = err
		case page != nil:
			p.res.Pages = append(p.res.Pages, *page)
		}
		p.res.Bytes += int64(n)
		if strings.HasSuffix(j.rel, ".css") && w.lastGz > 0 {
			p.res.CSSGz = max(p.res.CSSGz, w.lastGz)
		}
		p.res.Problems = append(p.res.Problems, ps...)
		p.mu.Unlock()
	}
}

// mkdir creates each output folder once.
func (p *Processor) mkdir(dir string) error {
	p.dirMu.Lock()
	defer p.dirMu.Unlock()
	if p.dirs[dir] {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p.dirs[dir] = true
	return nil
}

// Run processes every file below o.Dir.
func Run(o Options) (*Result, error) {
	p := New(o)
	err := p.AddTree("")
	res, werr := p.Wait()
	if err == nil {
		err = werr
	}
	return res, err
}

type worker struct {
	p      *Processor
	o      Options
	m      *minify.M
	buf    bytes.Buffer
	out    bytes.Buffer
	gz     bytes.Buffer
	zw     *gzip.Writer
	lastGz int
}

func (w *worker) file(j job) (*Page, int, []report.Problem, error) {
	path := filepath.Join(w.o.Dir, filepath.FromSlash(j.rel))
	ext := filepath.Ext(path)
	w.lastGz = 0
	src := j.data
	if src == nil {
		var err error
		if src, err = os.ReadFile(path); err != nil {
			return nil, 0, nil, err
		}
	} else if !w.o.NoWrite {
		if err := w.p.mkdir(filepath.Dir(path)); err != nil {
			return nil, 0, nil, err
		}
	}
	var page *Page
	var ps []report.Problem
	data := src
	switch {
	case ext == ".html" && !isRedirect(src):
		var err error
		if data, page, ps, err = w.page(j.rel, src); err != nil {
			return nil, 0, nil, err
		}
	case mediaTypes[ext] != "" && !fingerprinted.MatchString(path):
		w.out.Reset()
		if err := w.m.Minify(mediaTypes[ext], &w.out, bytes.NewReader(src)); err == nil {
			data = w.out.Bytes()
		}
	}
	if err := w.write(path, data, j.data != nil || !bytes.Equal(data, src)); err != nil {
		return nil, 0, nil, err
	}
	if err := w.gzip(path, data); err != nil {
		return nil, 0, nil, err
	}
	if page != nil {
		page.Bytes, page.GzBytes = len(data), w.lastGz
	}
	return page, len(data), ps, nil
}

func (w *worker) page(rel string, src []byte) ([]byte, *Page, []report.Problem, error) {
	doc, err := nethtml.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, nil, nil, err
	}
	urlPath := w.o.BasePath + strings.TrimSuffix(strings.TrimSuffix(rel, "index.html"), "/")
	if !strings.HasSuffix(urlPath, "/") && !strings.HasSuffix(urlPath, ".html") {
		urlPath += "/"
	}
	easy := strings.HasPrefix(rel, EasyPrefix)
	if e := w.o.Enrichers[easy]; e != nil {
		variant, glossary := "de", w.o.BasePath+w.o.GlossaryRel
		if easy {
			variant, glossary = "ls", w.o.BasePath+EasyPrefix+w.o.GlossaryRel
		}
		e.Apply(doc, enrich.Options{Variant: variant, GlossaryURL: glossary, SkipGlossaryOnPage: urlPath == glossary})
	}
	BreakAfterMiddleDots(doc)
	ps := htmlcheck.Check(w.o.ReportAs+"/"+rel, doc, htmlcheck.Options{AllowScript: w.o.ScriptPages[urlPath], SiteHost: w.o.SiteHost})
	w.buf.Reset()
	if err := nethtml.Render(&w.buf, doc); err != nil {
		return nil, nil, nil, err
	}
	w.out.Reset()
	data := w.buf.Bytes()
	if err := w.m.Minify("text/html", &w.out, bytes.NewReader(data)); err == nil {
		data = w.out.Bytes()
	}
	return data, &Page{Path: urlPath, Easy: easy}, ps, nil
}

func (w *worker) gzip(path string, data []byte) error {
	if !compressible[filepath.Ext(path)] {
		return nil
	}
	w.gz.Reset()
	if w.zw == nil {
		// Level 6: on pages of a few KB, level 9 saves under 1 % and costs far more time.
		w.zw, _ = gzip.NewWriterLevel(&w.gz, gzip.DefaultCompression)
	} else {
		w.zw.Reset(&w.gz)
	}
	if _, err := w.zw.Write(data); err != nil {
		return err
	}
	if err := w.zw.Close(); err != nil {
		return err
	}
	w.lastGz = w.gz.Len()
	if !w.o.Gzip {
		return nil
	}
	return w.write(path+".gz", w.gz.Bytes(), true)
}

// write puts data at path (unless the file already holds it) and records
// that this run produced the file, so Prune keeps it.
func (w *worker) write(path string, data []byte, changed bool) error {
	if w.o.NoWrite {
		return nil
	}
	if changed {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	w.p.dirMu.Lock()
	w.p.written[path] = true
	w.p.dirMu.Unlock()
	return nil
}

// Prune removes every file below Dir that this run did not produce, and the
// folders left empty: the output folder is reused from build to build
// (rewriting a file is much cheaper than creating it), so what an earlier
// build wrote must go when it is no longer part of the site.
func (p *Processor) Prune() error {
	var dirs []string
	err := filepath.WalkDir(p.o.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		if !p.written[path] {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i > 0; i-- {
		_ = os.Remove(dirs[i]) // fails, as it should, unless the folder is empty
	}
	return nil
}

// isRedirect spots Hugo's alias pages (a meta refresh and nothing else),
// which are not content pages.
func isRedirect(src []byte) bool {
	return len(src) < 1024 && bytes.Contains(src, []byte(`http-equiv="refresh"`))
}

// BreakAfterMiddleDots gives the browser a break chance after every "·" that
// splits a compound word in Leichte Sprache ("Bürger·amt"); without it a long
// compound overflows at 320 px.
func BreakAfterMiddleDots(doc *nethtml.Node) {
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch {
			case c.Type == nethtml.TextNode && strings.Contains(c.Data, "·"):
				splitDots(c)
			case c.Type == nethtml.ElementNode && c.Data != "script" && c.Data != "style" && c.Data != "title" && c.Data != "textarea":
				walk(c)
			}
			c = next
		}
	}
	walk(doc)
}

func splitDots(t *nethtml.Node) {
	parts := strings.SplitAfter(t.Data, "·")
	t.Data = parts[0]
	at := t
	for _, p := range parts[1:] {
		wbr := &nethtml.Node{Type: nethtml.ElementNode, Data: "wbr"}
		t.Parent.InsertBefore(wbr, at.NextSibling)
		at = wbr
		if p != "" {
			txt := &nethtml.Node{Type: nethtml.TextNode, Data: p}
			t.Parent.InsertBefore(txt, at.NextSibling)
			at = txt
		}
	}
}
