// Package tastatur_test answers the self-check with the keyboard only, with
// JavaScript on and off, runs axe on the interactive page before, during
// and after answering, and checks its printout; see package selbstcheck.
package tastatur_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/selbstcheck"
	"budgetsite/internal/e2e/sitewide"
	"budgetsite/internal/eligibility"
	"budgetsite/internal/eligibility/rules"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

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

// TestSelbstcheckKeyboard answers one path per Outcome with the keyboard
// only: in the interactive page (radios: Space, arrow keys) and, with
// JavaScript off, through the static pages (buttons: Enter).
func TestSelbstcheckKeyboard(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := selbstcheck.RuleSet(t)
	paths := selbstcheck.OnePathPerOutcome(t, rs)
	// One tab each for all runs: every run starts with a navigation.
	withJS := browsertest.NewTab(t)
	withoutJS := browsertest.NewTab(t, browsertest.NoJavaScript())
	for _, v := range selbstcheck.Variants {
		for _, art := range selbstcheck.SortedKeys(paths) {
			p := paths[art]
			want, w := selbstcheck.GoOutcome(t, rs, p)
			t.Run(v.Name+"/js/"+art, func(t *testing.T) {
				ctx := withJS
				selbstcheck.OpenInteractive(t, ctx, base+v.Start)
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
			t.Run(v.Name+"/ohne-js/"+art, func(t *testing.T) {
				ctx := withoutJS
				if err := browsertest.Open(ctx, base+v.Start); err != nil {
					t.Fatal(err)
				}
				for i, s := range w.Steps {
					tabTo(t, ctx, "Knopf "+s.Question+"="+s.Answer, func(f focusInfo) bool {
						return f.Tag == "button" && f.Name == s.Question && f.Value == s.Answer
					})
					next := base + strings.TrimSuffix(v.Start, "selbstcheck/") + eligibility.Href(p[:i+1])
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
	rs := selbstcheck.RuleSet(t)
	byResult := map[string][]string{}
	for _, p := range rs.Graph.Paths() {
		o, _ := selbstcheck.GoOutcome(t, rs, p)
		if _, ok := byResult[o.Ergebnis]; !ok {
			byResult[o.Ergebnis] = p
		}
	}
	for _, v := range selbstcheck.Variants {
		t.Run(v.Name, func(t *testing.T) {
			ctx := browsertest.NewTab(t, browsertest.Mobile)
			selbstcheck.OpenInteractive(t, ctx, base+v.Start)
			check := func(state string) {
				t.Helper()
				if err := sitewide.AxeBothSizes(t, ctx, state); err != nil {
					t.Fatalf("%s: %v", state, err)
				}
			}
			check("vor dem Antworten")
			for _, id := range selbstcheck.SortedKeys(byResult) {
				_, w := selbstcheck.GoOutcome(t, rs, byResult[id])
				selbstcheck.AnswerInteractive(t, ctx, w)
				check("Ergebnis " + id)
			}
			// Halfway through: a question open, no result yet.
			_, w := selbstcheck.GoOutcome(t, rs, byResult["moeglich"])
			w.Steps = w.Steps[:2]
			selbstcheck.AnswerInteractive(t, ctx, w)
			check("nach zwei Antworten")
		})
	}
}

// TestPrintInteractiveResult: where the script renders a result, it offers a
// print button and fills in today's date for the printout.
func TestPrintInteractiveResult(t *testing.T) {
	_, base := browsertest.Site(t)
	rs := selbstcheck.RuleSet(t)
	ctx := browsertest.NewTab(t)
	for _, v := range selbstcheck.Variants {
		t.Run(v.Name, func(t *testing.T) {
			selbstcheck.OpenInteractive(t, ctx, base+v.Start)
			_, w := selbstcheck.GoOutcome(t, rs, rs.Graph.Paths()[0])
			selbstcheck.AnswerInteractive(t, ctx, w)
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
