package site

import (
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"sync"

	"budgetsite/internal/linkcheck"
	"budgetsite/internal/report"
)

// integrity checks that every reference of the built site resolves: the
// pages' references as the finish step recorded them, and the entries of
// the feeds and the sitemap.
func (s *Site) integrity(e *Env, b *Built, feeds *xmlFiles, reportAs string) []report.Problem {
	pages := make([]linkcheck.Page, 0, len(b.Pages)+len(feeds.files))
	for _, p := range b.Pages {
		refs := p.Refs()
		lp := linkcheck.Page{File: fileOf(p.Path, e.BasePath), IDs: p.IDs(), Refs: make([]linkcheck.Ref, len(refs))}
		for i, r := range refs {
			lp.Refs[i] = linkcheck.Ref{Tag: r.Tag(), Attr: r.Attr(), Value: r.Value}
		}
		pages = append(pages, lp)
	}
	for name, data := range feeds.files {
		pages = append(pages, linkcheck.Page{File: name, Refs: xmlRefs(data)})
	}
	sources := make(map[string]string, len(b.Rendered))
	for _, r := range b.Rendered {
		if r.Source != "" {
			sources[r.File] = r.Source
		}
	}
	var owners []linkcheck.Owner
	for _, o := range each[PathOwner](s.modules) {
		owners = append(owners, o)
	}
	return linkcheck.Check(pages, linkcheck.Options{
		Files:    b.Files,
		BaseURL:  e.BaseURL,
		ReportAs: reportAs,
		Owners:   owners,
		Locator:  &linkcheck.TextLocator{Root: e.Root, Sources: sources, BasePath: e.BasePath, Dirs: []string{"data", "layouts"}},
	})
}

// fileOf turns a page's URL path into its file below the site root.
func fileOf(urlPath, basePath string) string {
	rel := strings.TrimPrefix(urlPath, strings.TrimSuffix(basePath, "/"))
	rel = strings.TrimPrefix(rel, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	return rel
}

// xmlFiles keeps the feeds and the sitemap as they pass into the finish
// step: they are small, and the link check reads their entries.
type xmlFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (x *xmlFiles) keep(name string, data []byte) {
	name = strings.TrimPrefix(name, "/")
	if path.Ext(name) != ".xml" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.files == nil {
		x.files = map[string][]byte{}
	}
	x.files[name] = bytes.Clone(data)
}

func (x *xmlFiles) tee(next func(string, []byte)) func(string, []byte) {
	return func(name string, data []byte) {
		x.keep(name, data)
		next(name, data)
	}
}

// xmlRefs reads the addresses of an RSS feed or a sitemap: <link>, <loc>,
// <guid isPermaLink> and any href attribute.
func xmlRefs(data []byte) []linkcheck.Ref {
	var refs []linkcheck.Ref
	d := xml.NewDecoder(bytes.NewReader(data))
	var text *strings.Builder
	var name string
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			return refs
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if a.Name.Local == "href" {
					refs = append(refs, linkcheck.Ref{Tag: "xml-" + t.Name.Local, Attr: "href", Value: a.Value})
				}
			}
			permalink := true
			for _, a := range t.Attr {
				if a.Name.Local == "isPermaLink" && a.Value == "false" {
					permalink = false
				}
			}
			switch t.Name.Local {
			case "link", "loc":
				text, name = &strings.Builder{}, t.Name.Local
			case "guid":
				if permalink {
					text, name = &strings.Builder{}, t.Name.Local
				}
			}
		case xml.CharData:
			if text != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if text != nil && t.Name.Local == name {
				if v := strings.TrimSpace(text.String()); v != "" {
					refs = append(refs, linkcheck.Ref{Tag: "xml-" + name, Value: v})
				}
				text = nil
			}
		}
	}
}
