// Package selbstcheck tests the self-check in the built site: its three
// runners must agree on every path: the Go rules (internal/eligibility), the
// static question pages (followed link by link in the built HTML) and the
// WebAssembly page (driven in Chromium through the stable hooks: the
// question id as the controls' name, data-outcome on the result). The
// keyboard-only runs with JavaScript on and off, axe on the interactive page
// and its printout are in the package tastatur below, so that each package
// stays within minutes on a busy machine; this file holds what both use.
// The static pages themselves are checked by the site-wide test
// (internal/e2e/sitewide: every built page at two sizes, the start pages,
// which have a script, also without it).
package selbstcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/eligibility"
	"budgetsite/internal/eligibility/rules"
)

// Variants are the self-check's start pages, relative to the base URL.
var Variants = []struct{ Name, Start string }{
	{"de", "selbstcheck/"},
	{"ls", "leichte-sprache/selbstcheck/"},
}

// RuleSet loads the project's rule set (data/selbstcheck.yaml).
func RuleSet(t *testing.T) *eligibility.RuleSet {
	t.Helper()
	root := browsertest.ModuleRoot(t)
	rs, ps := eligibility.LoadFile(filepath.Join(root, "data", "selbstcheck.yaml"), "data/selbstcheck.yaml")
	if rs == nil {
		t.Fatalf("Regeln nicht ladbar: %v", ps)
	}
	return rs
}

// Outcome is what a runner shows at the end of a path: the kind, the result
// and the contact groups, in the hooks the tests read.
type Outcome struct {
	Art      string   `json:"art"`
	Ergebnis string   `json:"ergebnis"`
	Kontakt  []string `json:"kontakt"`
}

func (o Outcome) String() string {
	return fmt.Sprintf("%s/%s %v", o.Art, o.Ergebnis, o.Kontakt)
}

// GoOutcome is the Go rules' answer for the path, with the walk.
func GoOutcome(t *testing.T, rs *eligibility.RuleSet, path []string) (Outcome, rules.Walk) {
	t.Helper()
	w, err := rs.Evaluate(path)
	if err != nil || w.Result == nil {
		t.Fatalf("%v: %v", path, err)
	}
	return Outcome{Art: w.Result.Outcome, Ergebnis: w.Result.ID, Kontakt: w.Kontakt}, w
}

// OpenInteractive opens a start page and waits until the wasm has turned it
// into the one-page check. It returns the page's own figure: milliseconds
// from navigation start to ready.
func OpenInteractive(t testing.TB, ctx context.Context, u string) int {
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

// AnswerInteractive answers the walk's steps in the interactive page.
func AnswerInteractive(t *testing.T, ctx context.Context, w rules.Walk) Outcome {
	t.Helper()
	steps := make([][2]string, len(w.Steps))
	for i, s := range w.Steps {
		steps[i] = [2]string{s.Question, s.Answer}
	}
	js, _ := json.Marshal(steps)
	type res struct {
		Outcome
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
	return r.Outcome
}

// OnePathPerOutcome picks, for each kind of outcome, the shortest path.
func OnePathPerOutcome(t *testing.T, rs *eligibility.RuleSet) map[string][]string {
	out := map[string][]string{}
	for _, p := range rs.Graph.Paths() {
		o, _ := GoOutcome(t, rs, p)
		if q, ok := out[o.Art]; !ok || len(p) < len(q) {
			out[o.Art] = p
		}
	}
	return out
}

// SortedKeys returns the map's keys in order.
func SortedKeys(m map[string][]string) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}
