package selbstcheck

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/htmlnode"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// TestSelbstcheckStaticPagesMatchGo follows every path through the built
// static pages, pressing (in the HTML) the button named after the question
// the Go walk expects, and compares the result page with the Go result.
func TestSelbstcheckStaticPagesMatchGo(t *testing.T) {
	dir, _ := browsertest.Site(t)
	rs := RuleSet(t)
	for _, v := range Variants {
		t.Run(v.Name, func(t *testing.T) {
			// The build ran the site's output checks on every one of these pages.
			cache := map[string]*html.Node{}
			for _, p := range rs.Graph.Paths() {
				want, w := GoOutcome(t, rs, p)
				urlPath := "/" + v.Start
				var doc *html.Node
				for i, s := range w.Steps {
					doc = parsePage(t, dir, urlPath, cache)
					b := find(doc, func(n *html.Node) bool {
						return n.Data == "button" && htmlnode.Attr(n, "name") == s.Question && htmlnode.Attr(n, "value") == s.Answer
					})
					if b == nil {
						t.Fatalf("%v, Schritt %d: %s hat keinen Knopf name=%q value=%q", p, i+1, urlPath, s.Question, s.Answer)
					}
					urlPath = htmlnode.Attr(b, "formaction")
				}
				doc = parsePage(t, dir, urlPath, cache)
				res := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && htmlnode.HasAttr(n, "data-outcome") })
				if res == nil {
					t.Fatalf("%v: %s hat kein Element mit data-outcome", p, urlPath)
				}
				got := Outcome{Art: htmlnode.Attr(res, "data-outcome"), Ergebnis: htmlnode.Attr(res, "data-ergebnis")}
				for _, g := range findAll(res, func(n *html.Node) bool { return htmlnode.HasAttr(n, "data-kontaktgruppe") }) {
					got.Kontakt = append(got.Kontakt, htmlnode.Attr(g, "data-kontaktgruppe"))
				}
				if got.String() != want.String() {
					t.Errorf("%v: statische Seite %s zeigt %v, Go sagt %v", p, urlPath, got, want)
				}
				// Every link of the result page within the self-check must lead to a built page.
				for _, a := range findAll(doc, func(n *html.Node) bool {
					return n.Data == "a" && strings.Contains(htmlnode.Attr(n, "href"), "/selbstcheck/")
				}) {
					u, _ := url.Parse(htmlnode.Attr(a, "href"))
					parsePage(t, dir, u.Path, cache)
				}
			}
		})
	}
}

func parsePage(t *testing.T, dir, urlPath string, cache map[string]*html.Node) *html.Node {
	t.Helper()
	if d, ok := cache[urlPath]; ok {
		return d
	}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(urlPath, "/")), "index.html"))
	if err != nil {
		t.Fatalf("Seite %s fehlt: %v", urlPath, err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	cache[urlPath] = doc
	return doc
}

// findAll walks the document, skipping <template> contents (inert markup).
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "template" {
			return
		}
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if all := findAll(n, match); len(all) > 0 {
		return all[0]
	}
	return nil
}

// TestSelbstcheckWasmMatchesGo drives the interactive page through every path.
func TestSelbstcheckWasmMatchesGo(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := RuleSet(t)
	for _, v := range Variants {
		t.Run(v.Name, func(t *testing.T) {
			ctx := browsertest.NewTab(t)
			reqs, err := browsertest.RecordRequests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			OpenInteractive(t, ctx, base+v.Start)
			for _, p := range rs.Graph.Paths() {
				want, w := GoOutcome(t, rs, p)
				if got := AnswerInteractive(t, ctx, w); got.String() != want.String() {
					t.Errorf("%v: WebAssembly-Seite zeigt %v, Go sagt %v", p, got, want)
				}
			}
			if f := reqs.Foreign(); len(f) > 0 {
				t.Errorf("Anfragen an andere Hosts: %v", f)
			}
			if s, err := browsertest.StorageUsed(ctx); err != nil || len(s) > 0 {
				t.Errorf("Cookies oder Speicher benutzt: %v %v", s, err)
			}
		})
	}
}

// BenchmarkSelbstcheckReady measures the time from navigation to the
// interactive check being ready (headless Chromium, loopback), as the page
// itself counts it: ms-ready is the median.
func BenchmarkSelbstcheckReady(b *testing.B) {
	_, base := browsertest.Site(b)
	ctx := browsertest.NewTab(b)
	var ms []int
	for i := range b.N {
		ms = append(ms, OpenInteractive(b, ctx, base+Variants[i%2].Start))
	}
	slices.Sort(ms)
	b.ReportMetric(float64(ms[len(ms)/2]), "ms-ready")
}
