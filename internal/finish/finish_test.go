package finish

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html/atom"

	"budgetsite/internal/report"
)

func TestBreakAfterMiddleDots(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<p>Bürger·amt</p>", "<p>Bürger·<wbr>amt</p>"},
		{"<p>Sozial·leistungs·träger</p>", "<p>Sozial·<wbr>leistungs·<wbr>träger</p>"},
		{"<p>ohne Punkt</p>", "<p>ohne Punkt</p>"},
		{"<p>Ende·</p>", "<p>Ende·<wbr></p>"},
		{"<p><em>Bürger·</em>amt</p>", "<p><em>Bürger·<wbr></em>amt</p>"},
		{"<p>A &amp; B&middot;C</p>", "<p>A &amp; B·<wbr>C</p>"},
		{"<textarea>a·b</textarea>", "<textarea>a·b</textarea>"},
		{"<title>a·b</title><style>p::after{content:'·'}</style><script>x='·'</script>", "<title>a·b</title><style>p::after{content:'·'}</style><script>x='·'</script>"},
		{`<p title="a·b" data-x='·'>c</p>`, `<p title="a·b" data-x='·'>c</p>`},
		{`<svg><text>a·b</text></svg>`, `<svg><text>a·b</text></svg>`},
		{"<title></title><p>a·b</p>", "<title></title><p>a·<wbr>b</p>"},
	}
	for _, c := range cases {
		out, _, _ := Stream(nil, []byte(c.in), []Filter{BreakAfterMiddleDots(PageInfo{})}, nil)
		if string(out) != c.want {
			t.Errorf("%s: got %s, want %s", c.in, out, c.want)
		}
	}
}

const page = `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>T</title></head>
<body><a class="skip" href="#inhalt">Zum Inhalt</a>
<a data-variante href="/leichte-sprache/">Leichte Sprache</a>
<main id="inhalt" tabindex="-1">
    <h1>Titel</h1>
    <p>Ein   Text.</p>
</main></body></html>
`

func TestRunMinifiesChecksAndCompresses(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", page)
	write("kaputt/index.html", strings.Replace(page, "<h1>Titel</h1>", "<h3>Titel</h3>", 1))
	write("css/site.min.0123456789abcdef0123456789abcdef.css", "a  {  color : red }")
	write("bild.png", "PNG")
	write("alt/index.html", `<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url=/"></head></html>`)

	res, err := Run(Options{Dir: dir, ReportAs: "public", Compress: true, Checks: []NewCheck{newH1Check}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2 {
		t.Errorf("pages: %+v", res.Pages)
	}
	min, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if bytes.Contains(min, []byte("   ")) || !bytes.Contains(min, []byte("Ein Text.")) {
		t.Errorf("not minified: %s", min)
	}
	gz, err := os.Open(filepath.Join(dir, "index.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := gzip.NewReader(gz)
	unz, _ := io.ReadAll(zr)
	if !bytes.Equal(unz, min) {
		t.Error(".gz differs from the page")
	}
	br, err := os.ReadFile(filepath.Join(dir, "index.html.br"))
	if err != nil {
		t.Fatal(err)
	}
	unbr, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	if !bytes.Equal(unbr, min) {
		t.Error(".br differs from the page")
	}
	for _, p := range res.Pages {
		if p.Path == "/" && (p.BrBytes != len(br) || p.GzBytes == 0 || p.Bytes != len(min)) {
			t.Errorf("sizes of / : %+v", p)
		}
	}
	css, _ := os.ReadFile(filepath.Join(dir, "css/site.min.0123456789abcdef0123456789abcdef.css"))
	if string(css) != "a  {  color : red }" {
		t.Errorf("fingerprinted CSS must stay as Hugo wrote it (SRI): %q", css)
	}
	if _, err := os.Stat(filepath.Join(dir, "bild.png.gz")); err == nil {
		t.Error("PNG must not be gzipped")
	}
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.String())
	}
	if len(res.Problems) == 0 || !strings.HasPrefix(res.Problems[0].File, "public/kaputt/index.html") {
		t.Errorf("want the broken page reported, got %v", msgs)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.File, "alt/") {
			t.Errorf("a redirect page is no content page: %v", p)
		}
	}
}

// h1Check is a stand-in for the real checks: it reports a page without <h1>.
type h1Check struct {
	file string
	h1   bool
}

func newH1Check(p PageInfo) Check { return &h1Check{file: p.File} }

func (c *h1Check) Token(t *Token) { c.h1 = c.h1 || t.Kind == StartTag && t.Atom == atom.H1 }

func (c *h1Check) Problems() []report.Problem {
	if c.h1 {
		return nil
	}
	return []report.Problem{{File: c.file, Severity: report.Fehler, Rule: "h1", Message: "keine h1"}}
}

// A page no filter touches is written back byte for byte.
func TestStreamKeepsBytes(t *testing.T) {
	for _, in := range []string{
		page,
		"<!doctype html><P CLASS=x>a &amp; b<br/>c<!-- k --><svg viewBox='0 0 1 1'><use xlink:href='#i'/></svg>",
		"<p>unclosed <em>tags",
		"<script>if (a < b && c > d) {}</script><style>p>a{}</style>",
		"<p a='1\" b=2>x",
	} {
		out, _, _ := Stream(nil, []byte(in), []Filter{nopFilter{}}, nil)
		if want := strings.NewReplacer("<P CLASS", "<p class").Replace(in); string(out) != want {
			t.Errorf("got  %q\nwant %q", out, want)
		}
	}
}

// Tokens gives a reader of built pages the tokens the checks see and
// leaves the page as it is, also when the lexer lower-cases in place.
func TestTokens(t *testing.T) {
	in := `<P CLASS=x>a &amp; b<STYLE>p>a{}</STYLE><svg viewBox="0 0 1 1"><style>s{}</style><path d=M0/></svg>`
	page := []byte(in)
	var got []string
	var buf []byte
	for range 2 { // the second time with the first's buffer
		got = got[:0]
		buf = Tokens(buf, page, func(t *Token) {
			s := fmt.Sprintf("%d:%s:%s", t.Kind, t.Name, t.Data)
			if t.Foreign {
				s += ":foreign"
			}
			got = append(got, s)
		})
	}
	want := []string{"2:p:", "1::a &amp; b", "2:style:", "1::p>a{}", "3:style:",
		"2:svg::foreign", "2:style::foreign", "1::s{}:foreign", "3:style::foreign", "2:path::foreign", "3:path::foreign", "3:svg::foreign"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens\n got %q\nwant %q", got, want)
	}
	if string(page) != in {
		t.Errorf("page changed: %q", page)
	}
}

type nopFilter struct{}

func (nopFilter) Token(t *Token, emit Emit) { emit(t) }
func (nopFilter) End(Emit)                  {}

// linkAdder stands in for enrich: it adds a link, which must be recorded.
type linkAdder struct{}

func (linkAdder) Token(t *Token, emit Emit) {
	emit(t)
	if t.Kind == StartTag && t.Atom == atom.Main {
		a, end, txt := NewStart(atom.A, "href", "/woerterbuch/#budget"), NewEnd(atom.A), NewText("Budget")
		emit(&a)
		emit(&txt)
		emit(&end)
	}
}
func (linkAdder) End(Emit) {}

func TestRefsAndIDs(t *testing.T) {
	src := `<html><head><link rel="stylesheet" href="/css/a.css"></head><body id="top">
<a href="#inhalt">Sprung</a><main id="inhalt"><img src="/b.png" srcset="/b.png 1x, /b2.png 2x" alt="">
<picture><source srcset="/c.webp" type="image/webp"></picture>
<video poster="/p.jpg" src="/v.mp4"><track src="/t.vtt"></video><audio src="/a.mp3"></audio>
<form action="/anfragen/x"><button formaction="/anfragen/y">Senden</button></form>
<a name="alt">alt</a><a href="/x/?a=1&amp;b=2" id="inhalt">doppelt</a>
<svg><a href="/svg/"><text id="s">t</text></a></svg><p data-href="/nein/">kein Verweis</p></main></body></html>`
	_, refs, ids := Stream(nil, []byte(src), []Filter{linkAdder{}}, nil)
	r := NewRef
	want := []Ref{
		r("link", "href", "/css/a.css"), r("a", "href", "#inhalt"), r("a", "href", "/woerterbuch/#budget"),
		r("img", "src", "/b.png"), r("img", "srcset", "/b.png"), r("img", "srcset", "/b2.png"),
		r("source", "srcset", "/c.webp"), r("video", "poster", "/p.jpg"), r("video", "src", "/v.mp4"),
		r("track", "src", "/t.vtt"), r("audio", "src", "/a.mp3"), r("form", "action", "/anfragen/x"),
		r("button", "formaction", "/anfragen/y"), r("a", "href", "/x/?a=1&b=2"), r("a", "href", "/svg/"),
	}
	if refs[0].Tag() != "link" || refs[0].Attr() != "href" || refs[0].String() != "link[href]=/css/a.css" {
		t.Errorf("first ref %v: %s %s", refs[0], refs[0].Tag(), refs[0].Attr())
	}
	if !slices.Equal(refs, want) {
		t.Errorf("refs\n got  %v\n want %v", refs, want)
	}
	wantIDs := []string{"alt", "inhalt", "s", "top"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("ids = %v, want %v", ids, wantIDs)
	}

	// A build keeps them as indices into the values all its pages share.
	p := New(Options{Dir: t.TempDir(), NoWrite: true, Filters: []NewFilter{func(PageInfo) Filter { return linkAdder{} }}})
	p.Add("a/index.html", []byte(src))
	p.Add("b/index.html", []byte(`<a href="/css/a.css" id="top">x</a><a href="/neu/" id="b">y</a>`))
	res, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range res.Pages {
		wantRefs, wantPageIDs := want, wantIDs
		if pg.Path == "/b/" {
			wantRefs, wantPageIDs = []Ref{r("a", "href", "/css/a.css"), r("a", "href", "/neu/")}, []string{"b", "top"}
		}
		if got := pg.Refs(); !slices.Equal(got, wantRefs) {
			t.Errorf("%s: Refs()\n got  %v\n want %v", pg.Path, got, wantRefs)
		}
		if got := pg.IDs(); !slices.Equal(got, wantPageIDs) {
			t.Errorf("%s: IDs() = %v, want %v", pg.Path, got, wantPageIDs)
		}
	}
	if len(res.Pages) != 2 {
		t.Errorf("%d pages, want 2", len(res.Pages))
	}
}

func TestStack(t *testing.T) {
	var s Stack
	var names []string
	for _, tok := range lexAll(t, "<main><p>a<ul><li>b<li>c</ul><p>d<div>e</div><dl><dt>x<dd>y</dl><h2>z<h3>w</main>") {
		n := s.Closes(&tok)
		for range n {
			names = append(names, "/"+string(s.Pop().Name))
		}
		if tok.Kind == StartTag {
			s.Push(&tok)
			names = append(names, string(tok.Name))
		}
	}
	got := strings.Join(names, " ")
	want := "main p /p ul li /li li /li /ul p /p div /div dl dt /dt dd /dd /dl h2 /h2 h3 /h3 /main"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func lexAll(t *testing.T, src string) []Token {
	var z lexer
	z.reset([]byte(src))
	var ts []Token
	for tok := z.next(); tok != nil; tok = z.next() {
		ts = append(ts, tok.Clone())
	}
	return ts
}

// BenchmarkCompress weighs time against size for gzip and the brotli
// qualities on minified pages the layouts render (the fixtures of enrich).
// It chose brotliSmall.
func BenchmarkCompress(b *testing.B) {
	files, _ := filepath.Glob("../enrich/testdata/*.html")
	m := newMinifier(&cssCache{})
	var pages [][]byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := m.Minify("text/html", &out, bytes.NewReader(src)); err != nil {
			b.Fatal(err)
		}
		pages = append(pages, out.Bytes())
	}
	var out bytes.Buffer
	size := func(b *testing.B, w io.WriteCloser, reset func()) {
		n := 0
		for b.Loop() {
			n = 0
			for _, p := range pages {
				out.Reset()
				reset()
				w.Write(p)
				w.Close()
				n += out.Len()
			}
		}
		b.ReportMetric(float64(n)/float64(len(pages)), "bytes/page")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
	}
	b.Run("gzip6", func(b *testing.B) {
		zw, _ := gzip.NewWriterLevel(&out, 6)
		size(b, zw, func() { zw.Reset(&out) })
	})
	for _, q := range []int{4, 5, 6, 7, 9} {
		b.Run(fmt.Sprintf("brotli%d", q), func(b *testing.B) {
			bw := brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: q, LGWin: 16})
			size(b, bw, func() { bw.Reset(&out) })
		})
	}
}

// A second run over the same folder leaves unchanged files and their
// compressed copies as they are, and still reports their sizes.
func TestUnchangedFilesStay(t *testing.T) {
	dir := t.TempDir()
	run := func(pages map[string]string) *Result {
		t.Helper()
		p := New(Options{Dir: dir, ReportAs: "public", Compress: true})
		for rel, s := range pages {
			p.Add(rel, []byte(s))
		}
		res, err := p.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Prune(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	pages := map[string]string{"index.html": page, "a/index.html": strings.Replace(page, "Titel", "A", 1)}
	first := run(pages)
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"index.html", "index.html.gz", "index.html.br", "a/index.html"} {
		os.Chtimes(filepath.Join(dir, f), old, old)
	}
	pages["a/index.html"] = strings.Replace(page, "Titel", "B", 1)
	second := run(pages)
	for f, stays := range map[string]bool{"index.html": true, "index.html.gz": true, "index.html.br": true, "a/index.html": false} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.ModTime().Equal(old); got != stays {
			t.Errorf("%s: unchanged = %v, want %v", f, got, stays)
		}
	}
	size := func(r *Result, path string) Page {
		for _, p := range r.Pages {
			if p.Path == path {
				return p
			}
		}
		return Page{}
	}
	if a, b := size(first, "/"), size(second, "/"); a.GzBytes == 0 || a.GzBytes != b.GzBytes || a.BrBytes != b.BrBytes {
		t.Errorf("sizes differ: %+v, %+v", a, b)
	}
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err != nil {
		t.Error("no manifest after a run")
	}
	// A run that writes without compressing makes the next one write all.
	p := New(Options{Dir: dir, ReportAs: "public"})
	p.Add("index.html", []byte(page))
	p.Wait()
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err == nil {
		t.Error("manifest left by a run without compressed copies")
	}
}

// A file another step writes again (unminified) before AddFile gets its
// minified bytes back even when they are what the last run wrote.
func TestAddFileRewrittenByAnotherStep(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "a.js")
	for range 2 {
		if err := os.WriteFile(js, []byte("var  a  =  1 ;"), 0o644); err != nil {
			t.Fatal(err)
		}
		p := New(Options{Dir: dir, Compress: true})
		p.AddFile("a.js")
		if _, err := p.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(js)
	gz, _ := os.ReadFile(js + ".gz")
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	unz, _ := io.ReadAll(zr)
	if string(got) != "var a=1" || !bytes.Equal(unz, got) {
		t.Errorf("a.js = %q, its .gz %q", got, unz)
	}
}
