package deploy

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html/atom"

	"budgetsite/internal/finish"
	"budgetsite/internal/variant"
)

// Site is what the web server configuration must know about one built site.
// [Scan] reads it from the files, so the headers allow exactly what the pages use.
type Site struct {
	// ScriptPages are the URL paths that load a script (hugo.toml
	// params.skriptSeiten), each as a folder ("/selbstcheck/").
	ScriptPages []string
	// Wasm: a script page starts Go's WebAssembly (it loads wasm_exec.js), which
	// needs 'wasm-unsafe-eval' and fetches the module (connect-src).
	Wasm bool
	// StyleHashes are the CSP hashes of the inline <style> elements of all pages;
	// StyleAttrHashes those of style="…" attributes ('unsafe-hashes').
	StyleHashes, StyleAttrHashes []string
	// ScriptHashes are the hashes of inline scripts on the script pages. Inline
	// scripts elsewhere stay blocked: content pages run no script.
	ScriptHashes []string
	Media        bool // a page plays video or audio (media-src)
	Fonts        bool // a stylesheet loads fonts (font-src)
	// NotFound is the 404 page per variant, the Leichte Sprache one first (the
	// longer prefix wins).
	NotFound []NotFound
}

// NotFound is the 404 page for the URL paths below Prefix.
type NotFound struct {
	Prefix string // "/leichte-sprache/"
	Page   string // "/leichte-sprache/404.html"
}

// Scanner collects a [Site] from its files: as the build's finish step
// hands them over ([Scanner.File], from several workers at once) or from a
// folder ([Scan]).
type Scanner struct {
	script map[string]bool

	mu                   sync.Mutex
	site                 Site
	style, attr, scripts set
}

// NewScanner starts a scan. scriptPages are hugo.toml's params.skriptSeiten.
func NewScanner(scriptPages []string) *Scanner {
	sc := &Scanner{script: map[string]bool{}, style: set{}, attr: set{}, scripts: set{}}
	for _, p := range scriptPages {
		p = "/" + strings.Trim(p, "/") + "/"
		sc.site.ScriptPages = append(sc.site.ScriptPages, p)
		sc.script[p] = true
	}
	return sc
}

// File reads one file of the site; rel is its slash path below the site
// root ("budget/index.html"). Only pages that contain an inline element are
// parsed.
func (sc *Scanner) File(rel string, b []byte) {
	switch path.Ext(rel) {
	case ".css":
		if bytes.Contains(b, []byte("@font-face")) {
			sc.mu.Lock()
			sc.site.Fonts = true
			sc.mu.Unlock()
		}
	case ".html":
		urlPath := "/" + strings.TrimSuffix(rel, "index.html")
		var ps pageScan
		ps.scan(b, sc.script[urlPath])
		sc.mu.Lock()
		defer sc.mu.Unlock()
		for _, v := range []variant.V{variant.Leicht, variant.Standard} {
			if page := "/" + v.Prefix() + "404.html"; "/"+rel == page {
				sc.site.NotFound = append(sc.site.NotFound, NotFound{Prefix: "/" + v.Prefix(), Page: page})
			}
		}
		sc.site.Wasm = sc.site.Wasm || ps.wasm
		sc.site.Media = sc.site.Media || ps.media
		for _, h := range ps.style {
			sc.style[h] = true
		}
		for _, h := range ps.attr {
			sc.attr[h] = true
		}
		for _, h := range ps.scripts {
			sc.scripts[h] = true
		}
	}
}

// Site is what the files read so far need from the web server.
func (sc *Scanner) Site() (*Site, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	s := sc.site
	if len(s.NotFound) == 0 {
		return nil, fmt.Errorf("keine 404-Seite (404.html) gefunden")
	}
	// The Leichte Sprache one first: the longer prefix wins.
	s.NotFound = slices.Clone(s.NotFound)
	slices.SortFunc(s.NotFound, func(a, b NotFound) int { return len(b.Prefix) - len(a.Prefix) })
	s.StyleHashes, s.StyleAttrHashes, s.ScriptHashes = sc.style.sorted(), sc.attr.sorted(), sc.scripts.sorted()
	return &s, nil
}

// Scan reads the built site in dir. scriptPages are hugo.toml's
// params.skriptSeiten.
func Scan(dir string, scriptPages []string) (*Site, error) {
	sc := NewScanner(scriptPages)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".css" && ext != ".html" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sc.File(filepath.ToSlash(rel), b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s, err := sc.Site()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return s, nil
}

type set map[string]bool

func (s set) sorted() []string {
	var out []string
	for k := range s {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// triggers are the bytes a page must contain to need a closer look.
var triggers = [][]byte{[]byte("<style"), []byte("<script"), []byte("style="), []byte("<video"), []byte("<audio")}

// pageScan is what one page needs from the web server.
type pageScan struct {
	style, attr, scripts []string
	wasm, media          bool
}

// buffers are the copies of pages the lexer works on, one per worker.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

func (s *pageScan) scan(b []byte, scriptPage bool) {
	if !slices.ContainsFunc(triggers, func(t []byte) bool { return bytes.Contains(b, t) }) {
		return
	}
	buf := buffers.Get().(*[]byte)
	defer buffers.Put(buf)
	var inStyle, inScript bool
	var val []byte
	*buf = finish.Tokens(*buf, b, func(t *finish.Token) {
		switch t.Kind {
		case finish.Text:
			// Raw text, byte for byte as the browser hashes it.
			if inStyle {
				s.style = append(s.style, hash(t.Data))
			} else if inScript && scriptPage {
				s.scripts = append(s.scripts, hash(t.Data))
			}
		case finish.StartTag:
			inStyle, inScript = false, false
			src, typ := false, ""
			for _, a := range t.Attrs {
				if a.Namespace != "" {
					continue
				}
				// The browser hashes and reads values with their character
				// references decoded; only the three read here are.
				decoded := func() []byte {
					val = finish.Unescape(val[:0], a.Val)
					return val
				}
				switch string(a.Key) {
				case "style":
					s.attr = append(s.attr, hash(decoded()))
				case "src":
					src = true
					if t.Atom == atom.Script && scriptPage && path.Base(string(decoded())) == "wasm_exec.js" {
						s.wasm = true
					}
				case "type":
					typ = strings.ToLower(string(decoded()))
				}
			}
			switch t.Atom {
			case atom.Style:
				inStyle = true
			case atom.Script:
				// Data blocks (application/ld+json) do not run and need no hash.
				inScript = !src && (typ == "" || typ == "module" || strings.Contains(typ, "javascript"))
			case atom.Video, atom.Audio:
				s.media = true
			}
		case finish.EndTag:
			inStyle, inScript = false, false
		}
	})
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// CSP is the Content-Security-Policy of a page: default-src 'none' and only
// what the site's pages use. script is true for the script pages.
func (s *Site) CSP(script bool) string {
	d := []string{"default-src 'none'"}
	if script {
		src := "script-src 'self'"
		if s.Wasm {
			src += " 'wasm-unsafe-eval'"
		}
		d = append(d, join(src, s.ScriptHashes))
		if s.Wasm {
			d = append(d, "connect-src 'self'")
		}
	}
	st := join("style-src 'self'", s.StyleHashes)
	if len(s.StyleAttrHashes) > 0 {
		st = join(st+" 'unsafe-hashes'", s.StyleAttrHashes)
	}
	// data: is the empty favicon every page names (<link rel=icon href=data:,>),
	// which keeps browsers from asking for /favicon.ico.
	d = append(d, st, "img-src 'self' data:")
	if s.Media {
		d = append(d, "media-src 'self'")
	}
	if s.Fonts {
		d = append(d, "font-src 'self'")
	}
	d = append(d, "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'")
	return strings.Join(d, "; ")
}

func join(head string, tail []string) string {
	if len(tail) == 0 {
		return head
	}
	return head + " " + strings.Join(tail, " ")
}
