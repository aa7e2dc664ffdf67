package e2e

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/variant"
)

var update = flag.Bool("update", false, "internal/receiver/testdata/site aus dem echten Build neu schreiben")

// receiverFixtureDir is where the receiver's tests find their built site.
const receiverFixtureDir = "internal/receiver/testdata/site"

// TestReceiverFixtures keeps the receiver's test pages those of a real
// build: what the receiver reads of the built site (the form and thank-you
// pages of every form in both variants, the start page, and the files
// they link in their head: icons, stylesheets), taken from the site built with its forms posting to the
// receiver. When the site changes, write them anew with
//
//	go test ./internal/e2e -run TestReceiverFixtures -update
func TestReceiverFixtures(t *testing.T) {
	out := browsertest.BuiltSite(t, withReceiver)
	want, err := receiverFixtures(out)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(browsertest.ModuleRoot(t), filepath.FromSlash(receiverFixtureDir))
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, data := range want {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%d Dateien nach %s geschrieben", len(want), receiverFixtureDir)
		return
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var stale []string
	for name, data := range want {
		if g, ok := got[name]; !ok {
			stale = append(stale, name+" fehlt")
		} else if !bytes.Equal(g, data) {
			stale = append(stale, name+" ist anders als im Build")
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			stale = append(stale, name+" gibt es im Build nicht")
		}
	}
	if len(stale) > 0 {
		slices.Sort(stale)
		t.Errorf("%s ist nicht mehr die gebaute Website:\n  %s\nNeu schreiben: go test ./internal/e2e -run TestReceiverFixtures -update",
			receiverFixtureDir, strings.Join(stale, "\n  "))
	}
}

// receiverFixtures reads from the built site in out what the receiver
// reads: the pages of its forms (from the bundle the build wrote), the start
// page, and every file they link in their head (the icons; the stylesheet
// is inlined). Names are slash paths relative to out.
func receiverFixtures(out string) (map[string][]byte, error) {
	b, err := bundle.Load(out)
	if err != nil {
		return nil, err
	}
	pages := []string{"/"}
	for _, f := range b.Forms().Forms {
		for _, v := range variant.All {
			pages = append(pages, f.Seite.In(v), f.Danke.In(v))
		}
	}
	files := map[string][]byte{}
	for _, p := range pages {
		name := strings.TrimPrefix(path.Join(p, "index.html"), "/")
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		files[name] = data
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		for _, href := range linked(doc) {
			f := strings.TrimPrefix(path.Clean(href), "/")
			if files[f], err = os.ReadFile(filepath.Join(out, filepath.FromSlash(f))); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// linkedRels are the <link> relations whose files a browser loads with the page.
var linkedRels = []string{"stylesheet", "icon", "apple-touch-icon"}

// linked lists the hrefs within the site of the <link>s of [linkedRels].
func linked(n *html.Node) []string {
	var out []string
	if n.Type == html.ElementNode && n.Data == "link" {
		var rel, href string
		for _, a := range n.Attr {
			switch a.Key {
			case "rel":
				rel = a.Val
			case "href":
				href = a.Val
			}
		}
		loaded := slices.ContainsFunc(strings.Fields(rel), func(r string) bool { return slices.Contains(linkedRels, r) })
		if loaded && strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
			out = append(out, href)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, linked(c)...)
	}
	return out
}
