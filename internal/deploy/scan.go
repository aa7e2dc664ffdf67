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

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

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

// Scan reads the built site in dir. scriptPages are hugo.toml's
// params.skriptSeiten. Only pages that contain an inline element are parsed.
func Scan(dir string, scriptPages []string) (*Site, error) {
	s := &Site{}
	for _, p := range scriptPages {
		s.ScriptPages = append(s.ScriptPages, "/"+strings.Trim(p, "/")+"/")
	}
	script := map[string]bool{}
	for _, p := range s.ScriptPages {
		script[p] = true
	}
	for _, v := range []variant.V{variant.Leicht, variant.Standard} {
		page := "/" + v.Prefix() + "404.html"
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(page))); err == nil {
			s.NotFound = append(s.NotFound, NotFound{Prefix: "/" + v.Prefix(), Page: page})
		}
	}
	if len(s.NotFound) == 0 {
		return nil, fmt.Errorf("%s: keine 404-Seite (404.html) gefunden", dir)
	}
	style, attr, scripts := set{}, set{}, set{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".css":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s.Fonts = s.Fonts || bytes.Contains(b, []byte("@font-face"))
		case ".html":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			urlPath := "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
			s.scanPage(b, script[urlPath], style, attr, scripts)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.StyleHashes, s.StyleAttrHashes, s.ScriptHashes = style.sorted(), attr.sorted(), scripts.sorted()
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

func (s *Site) scanPage(b []byte, scriptPage bool, style, attr, scripts set) {
	if !slices.ContainsFunc(triggers, func(t []byte) bool { return bytes.Contains(b, t) }) {
		return
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	var inStyle, inScript bool
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			// Raw text, byte for byte as the browser hashes it.
			if raw := z.Raw(); inStyle {
				style[hash(raw)] = true
			} else if inScript && scriptPage {
				scripts[hash(raw)] = true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			inStyle, inScript = false, false
			a := atom.Lookup(name)
			src, typ := false, ""
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "style":
					attr[hash(v)] = true
				case "src":
					src = true
					if a == atom.Script && scriptPage && path.Base(string(v)) == "wasm_exec.js" {
						s.Wasm = true
					}
				case "type":
					typ = strings.ToLower(string(v))
				}
			}
			switch a {
			case atom.Style:
				inStyle = true
			case atom.Script:
				// Data blocks (application/ld+json) do not run and need no hash.
				inScript = !src && (typ == "" || typ == "module" || strings.Contains(typ, "javascript"))
			case atom.Video, atom.Audio:
				s.Media = true
			}
		case html.EndTagToken:
			inStyle, inScript = false, false
		}
	}
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
