// Package selbstcheck tests the self-check in the built site: its three
// runners must agree on every path: the Go rules (internal/eligibility), the
// static question pages (followed link by link in the built HTML) and the
// WebAssembly page (driven in Chromium through the stable hooks: the
// question id as the controls' name, data-outcome on the result). Plus
// keyboard-only runs with JavaScript on and off, axe on the interactive page
// before and after answering, and its printout. The static pages themselves
// are checked by the site-wide test (internal/e2e/sitewide: every built page
// at two sizes, the start pages, which have a script, also without it).
package selbstcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/net/html"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
	"budgetsite/internal/eligibility"
	"budgetsite/internal/eligibility/rules"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// variants are the self-check's start pages, relative to the base URL.
var selbstcheckVariants = []struct{ name, start string }{
	{"de", "selbstcheck/"},
	{"ls", "leichte-sprache/selbstcheck/"},
}

func ruleSet(t *testing.T) *eligibility.RuleSet {
	t.Helper()
	root := browsertest.ModuleRoot(t)
	rs, ps := eligibility.LoadFile(filepath.Join(root, "data", "selbstcheck.yaml"), "data/selbstcheck.yaml")
	if rs == nil {
		t.Fatalf("Regeln nicht ladbar: %v", ps)
	}
	return rs
}

type outcome struct {
	Art      string   `json:"art"`
	Ergebnis string   `json:"ergebnis"`
	Kontakt  []string `json:"kontakt"`
}

func (o outcome) String() string {
	return fmt.Sprintf("%s/%s %v", o.Art, o.Ergebnis, o.Kontakt)
}

func goOutcome(t *testing.T, rs *eligibility.RuleSet, path []string) (outcome, rules.Walk) {
	t.Helper()
	w, err := rs.Evaluate(path)
	if err != nil || w.Result == nil {
		t.Fatalf("%v: %v", path, err)
	}
	return outcome{Art: w.Result.Outcome, Ergebnis: w.Result.ID, Kontakt: w.Kontakt}, w
}

// TestSelbstcheckStaticPagesMatchGo follows every path through the built
// static pages, pressing (in the HTML) the button named after the question
// the Go walk expects, and compares the result page with the Go result.
func TestSelbstcheckStaticPagesMatchGo(t *testing.T) {
	dir, _ := browsertest.Site(t)
	rs := ruleSet(t)
	for _, v := range selbstcheckVariants {
		t.Run(v.name, func(t *testing.T) {
			// The build ran the site's output checks on every one of these pages.
			cache := map[string]*html.Node{}
			for _, p := range rs.Graph.Paths() {
				want, w := goOutcome(t, rs, p)
				urlPath := "/" + v.start
				var doc *html.Node
				for i, s := range w.Steps {
					doc = parsePage(t, dir, urlPath, cache)
					b := find(doc, func(n *html.Node) bool {
						return n.Data == "button" && attr(n, "name") == s.Question && attr(n, "value") == s.Answer
					})
					if b == nil {
						t.Fatalf("%v, Schritt %d: %s hat keinen Knopf name=%q value=%q", p, i+1, urlPath, s.Question, s.Answer)
					}
					urlPath = attr(b, "formaction")
				}
				doc = parsePage(t, dir, urlPath, cache)
				res := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && hasAttr(n, "data-outcome") })
				if res == nil {
					t.Fatalf("%v: %s hat kein Element mit data-outcome", p, urlPath)
				}
				got := outcome{Art: attr(res, "data-outcome"), Ergebnis: attr(res, "data-ergebnis")}
				for _, g := range findAll(res, func(n *html.Node) bool { return hasAttr(n, "data-kontaktgruppe") }) {
					got.Kontakt = append(got.Kontakt, attr(g, "data-kontaktgruppe"))
				}
				if got.String() != want.String() {
					t.Errorf("%v: statische Seite %s zeigt %v, Go sagt %v", p, urlPath, got, want)
				}
				// Every link of the result page within the self-check must lead to a built page.
				for _, a := range findAll(doc, func(n *html.Node) bool { return n.Data == "a" && strings.Contains(attr(n, "href"), "/selbstcheck/") }) {
					u, _ := url.Parse(attr(a, "href"))
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

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
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

// openInteractive opens a start page and waits until the wasm has turned it
// into the one-page check. It returns the page's own figure: milliseconds
// from navigation start to ready.
func openInteractive(t testing.TB, ctx context.Context, u string) int {
	t.Helper()
	if err := browsertest.Open(ctx, u); err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(function(){var s=document.documentElement.getAttribute("data-selbstcheck");return s||false})()`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("%s: der interaktive Selbstcheck wurde nicht bereit: %v", u, err)
	}
	if state != "bereit" {
		t.Fatalf("%s: WebAssembly nicht geladen (Zustand %q)", u, state)
	}
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.getAttribute("data-selbstcheck-ms")`))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	fmt.Sscan(ms, &n)
	return n
}

// answerJS answers the given steps in the interactive page by clicking the
// radios (name = question id) and reports the result element's hooks. A
// question that is not visible when its turn comes is an error.
const answerJS = `(function(steps){
  var form = document.querySelector("[data-selbstcheck-form]");
  form.querySelectorAll("input[type=radio]").forEach(function(r){ r.checked = false; });
  form.dispatchEvent(new Event("change", {bubbles: true}));
  for (var i = 0; i < steps.length; i++) {
    var fs = form.querySelector("fieldset[data-frage='" + steps[i][0] + "']");
    if (!fs || fs.hidden) return {fehler: "Frage " + steps[i][0] + " ist nicht sichtbar"};
    var r = form.querySelector("input[name='" + steps[i][0] + "'][value='" + steps[i][1] + "']");
    if (!r) return {fehler: "kein Radio " + steps[i][0] + "=" + steps[i][1]};
    r.click();
  }
  var e = document.querySelector("#selbstcheck [data-outcome]");
  var k = [];
  e.querySelectorAll("[data-kontaktgruppe]").forEach(function(g){ if (!g.hidden && !g.closest("[hidden]")) k.push(g.getAttribute("data-kontaktgruppe")); });
  return {art: e.getAttribute("data-outcome"), ergebnis: e.getAttribute("data-ergebnis"), kontakt: k, fehler: ""};
})(%s)`

func answerInteractive(t *testing.T, ctx context.Context, w rules.Walk) outcome {
	t.Helper()
	steps := make([][2]string, len(w.Steps))
	for i, s := range w.Steps {
		steps[i] = [2]string{s.Question, s.Answer}
	}
	js, _ := json.Marshal(steps)
	type res struct {
		outcome
		Fehler string `json:"fehler"`
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[res](fmt.Sprintf(answerJS, js)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Fehler != "" {
		t.Fatalf("%v: %s", w.Steps, r.Fehler)
	}
	if len(r.Kontakt) == 0 {
		r.Kontakt = nil
	}
	return r.outcome
}

// TestSelbstcheckWasmMatchesGo drives the interactive page through every path.
func TestSelbstcheckWasmMatchesGo(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := ruleSet(t)
	for _, v := range selbstcheckVariants {
		t.Run(v.name, func(t *testing.T) {
			ctx := browsertest.NewTab(t)
			reqs, err := browsertest.RecordRequests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			openInteractive(t, ctx, base+v.start)
			for _, p := range rs.Graph.Paths() {
				want, w := goOutcome(t, rs, p)
				if got := answerInteractive(t, ctx, w); got.String() != want.String() {
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

// onePathPerOutcome picks, for each outcome kind, the shortest path.
func onePathPerOutcome(t *testing.T, rs *eligibility.RuleSet) map[string][]string {
	out := map[string][]string{}
	for _, p := range rs.Graph.Paths() {
		o, _ := goOutcome(t, rs, p)
		if q, ok := out[o.Art]; !ok || len(p) < len(q) {
			out[o.Art] = p
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

type focusInfo struct {
	Tag, Name, Value, ID string
}

func focusNow(t *testing.T, ctx context.Context) focusInfo {
	t.Helper()
	f, err := chromedp.Run(ctx, chromedp.Evaluate[focusInfo](`(function(){var e=document.activeElement||{};
	  return {Tag:(e.tagName||"").toLowerCase(),Name:e.name||"",Value:e.value||"",ID:e.id||""}})()`))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// tabTo presses Tab until the focused element matches, at most 80 times.
func tabTo(t *testing.T, ctx context.Context, what string, match func(focusInfo) bool) {
	t.Helper()
	for i := 0; i < 80; i++ {
		if match(focusNow(t, ctx)) {
			return
		}
		if err := browsertest.PressTab(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("mit Tab nicht erreichbar: %s", what)
}

// TestSelbstcheckKeyboard answers one path per outcome with the keyboard
// only: in the interactive page (radios: Space, arrow keys) and, with
// JavaScript off, through the static pages (buttons: Enter).
func TestSelbstcheckKeyboard(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := ruleSet(t)
	paths := onePathPerOutcome(t, rs)
	// One tab each for all runs: every run starts with a navigation.
	withJS := browsertest.NewTab(t)
	withoutJS := browsertest.NewTab(t, browsertest.NoJavaScript())
	for _, v := range selbstcheckVariants {
		for _, art := range sortedKeys(paths) {
			p := paths[art]
			want, w := goOutcome(t, rs, p)
			t.Run(v.name+"/js/"+art, func(t *testing.T) {
				ctx := withJS
				openInteractive(t, ctx, base+v.start)
				for _, s := range w.Steps {
					tabTo(t, ctx, "Frage "+s.Question, func(f focusInfo) bool { return f.Name == s.Question })
					// Tab enters a radio group on its first radio; arrows move and choose.
					keys := map[string]string{rules.Ja: " ", rules.Nein: kb.ArrowDown, rules.WeissNicht: kb.ArrowDown + kb.ArrowDown}[s.Answer]
					if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
						t.Fatal(err)
					}
					if f := focusNow(t, ctx); f.Name != s.Question || f.Value != s.Answer {
						t.Fatalf("nach der Antwort %s=%s steht der Fokus auf %+v: er darf sich nicht ungefragt bewegen", s.Question, s.Answer, f)
					}
				}
				tabTo(t, ctx, "Knopf „Zum Ergebnis“", func(f focusInfo) bool { return f.Tag == "button" && f.Name == "" })
				if err := browsertest.PressEnter(ctx); err != nil {
					t.Fatal(err)
				}
				if f := focusNow(t, ctx); f.ID != "selbstcheck-ergebnis-titel" {
					t.Fatalf("„Zum Ergebnis“ setzt den Fokus auf %+v statt auf die Überschrift des Ergebnisses", f)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#selbstcheck [data-outcome]").getAttribute("data-outcome")`))
				if err != nil || got != want.Art {
					t.Errorf("Ergebnis %q (%v), erwartet %q", got, err, want.Art)
				}
			})
			t.Run(v.name+"/ohne-js/"+art, func(t *testing.T) {
				ctx := withoutJS
				if err := browsertest.Open(ctx, base+v.start); err != nil {
					t.Fatal(err)
				}
				for i, s := range w.Steps {
					tabTo(t, ctx, "Knopf "+s.Question+"="+s.Answer, func(f focusInfo) bool {
						return f.Tag == "button" && f.Name == s.Question && f.Value == s.Answer
					})
					next := base + strings.TrimSuffix(v.start, "selbstcheck/") + eligibility.Href(p[:i+1])
					if err := browsertest.PressEnter(ctx); err != nil {
						t.Fatal(err)
					}
					waitForURL(t, ctx, next)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-outcome]").getAttribute("data-outcome")`))
				if err != nil || got != want.Art {
					t.Errorf("Ergebnis %q (%v), erwartet %q", got, err, want.Art)
				}
			})
		}
	}
}

// waitForURL waits until the tab shows a loaded page at want (ignoring the
// query the GET form adds). It polls from Go: with page scripts off, timers
// inside the page do not run.
func waitForURL(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var href string
	for time.Now().Before(deadline) {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.origin + location.pathname : ""`))
		if err == nil {
			href = h
			if h == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("Seite %s nicht geladen (zuletzt %q)", want, href)
}

// TestSelbstcheckAxeInteractive runs axe on the interactive start page before
// answering, after answering into every result and halfway through: every
// rule at 320 px (and nothing may scroll sideways there), and at 1280 px the
// rules that measure boxes, or all of them where other elements show at that
// size (as the site-wide test does).
func TestSelbstcheckAxeInteractive(t *testing.T) {
	browsertest.NeedAxe(t)
	_, base := browsertest.Site(t)
	rs := ruleSet(t)
	byResult := map[string][]string{}
	for _, p := range rs.Graph.Paths() {
		o, _ := goOutcome(t, rs, p)
		if _, ok := byResult[o.Ergebnis]; !ok {
			byResult[o.Ergebnis] = p
		}
	}
	for _, v := range selbstcheckVariants {
		t.Run(v.name, func(t *testing.T) {
			ctx := browsertest.NewTab(t, browsertest.Mobile)
			openInteractive(t, ctx, base+v.start)
			check := func(state string) {
				t.Helper()
				if err := sitewide.AxeBothSizes(t, ctx, state); err != nil {
					t.Fatalf("%s: %v", state, err)
				}
			}
			check("vor dem Antworten")
			for _, id := range sortedKeys(byResult) {
				_, w := goOutcome(t, rs, byResult[id])
				answerInteractive(t, ctx, w)
				check("Ergebnis " + id)
			}
			// Halfway through: a question open, no result yet.
			_, w := goOutcome(t, rs, byResult["moeglich"])
			w.Steps = w.Steps[:2]
			answerInteractive(t, ctx, w)
			check("nach zwei Antworten")
		})
	}
}

// TestPrintInteractiveResult: where the script renders a result, it offers a
// print button and fills in today's date for the printout.
func TestPrintInteractiveResult(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := ruleSet(t)
	ctx := browsertest.NewTab(t)
	for _, v := range selbstcheckVariants {
		t.Run(v.name, func(t *testing.T) {
			openInteractive(t, ctx, base+v.start)
			_, w := goOutcome(t, rs, rs.Graph.Paths()[0])
			answerInteractive(t, ctx, w)
			type state struct {
				Button bool   `json:"button"`
				Date   string `json:"date"`
			}
			s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(function(){var b=document.querySelector("[data-drucken]");
			  var d=document.querySelector(".selbstcheck-ergebnis [data-datum]");
			  return {button:!!b&&!!b.offsetParent,date:d?d.textContent.trim():""}})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !s.Button || s.Date == "" {
				t.Errorf("interaktives Ergebnis: Druck-Knopf sichtbar %v, Datum %q", s.Button, s.Date)
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
		ms = append(ms, openInteractive(b, ctx, base+selbstcheckVariants[i%2].start))
	}
	slices.Sort(ms)
	b.ReportMetric(float64(ms[len(ms)/2]), "ms-ready")
}
