package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// AxeTimeout bounds one axe run.
var AxeTimeout = 2 * time.Minute

// AxeTags are the rule sets the site must pass. All WCAG levels are listed:
// axe with only wcag22aa runs a single rule. The AAA rules (7:1 contrast and
// the others) are in: the site aims for AAA where it can (issue 11).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag21aaa", "wcag22aa", "wcag22aaa", "best-practice"}

// Violation is one failed axe rule on a page.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Nodes   []string `json:"nodes"` // CSS target, HTML snippet and axe's failure summary
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		b.WriteString("\n    • ")
		b.WriteString(strings.ReplaceAll(n, "\n", "\n      "))
	}
	return b.String()
}

const axeRel = "axe-core/axe.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	p, err := nodeModule(axeRel)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	return string(b), err
})

// NeedAxe skips (or fails in CI) when node_modules/axe-core is missing, so a
// fresh checkout without `npm ci` says what to do instead of failing oddly.
func NeedAxe(t testing.TB) {
	t.Helper()
	if _, err := axeSource(); err != nil {
		missing(t, "axe-core", err.Error(), "Installieren: npm ci")
	}
}

// LayoutRules are the axe rules (of those [AxeTags] enables) whose result
// can change with the window size for the same document: they measure boxes
// (contrast behind overlapping boxes, target sizes and spacing, scrolling
// regions, links told apart within a line of text). Every other rule looks
// at the DOM, the styles and which elements are shown; where the same
// elements are shown at two sizes ([ShownElements]), running them at one
// size says what running them at both would.
var LayoutRules = []string{"color-contrast", "target-size", "scrollable-region-focusable", "link-in-text-block"}

// Axe runs every rule of [AxeTags] on the page of ctx. It works in tabs with
// [NoJavaScript] too: the protocol's evaluations are not page scripts.
func Axe(ctx context.Context) ([]Violation, error) {
	return runAxe(ctx, nil)
}

// AxeRules runs only the given rules (those of them [AxeTags] enables).
func AxeRules(ctx context.Context, ids ...string) ([]Violation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return runAxe(ctx, ids)
}

func runAxe(ctx context.Context, rules []string) ([]Violation, error) {
	var res []Violation
	err := withAxe(ctx, func(ctx context.Context) error {
		tags, _ := json.Marshal(AxeTags)
		only := "axe.getRules(" + string(tags) + ").map((r) => r.ruleId)"
		if rules != nil {
			ids, _ := json.Marshal(rules)
			only += ".filter((id) => " + string(ids) + ".includes(id))"
		}
		script := `axe.run(document, {runOnly: {type: "rule", values: ` + only + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(" ") + "  " + n.html + (n.failureSummary ? "\n" + n.failureSummary : ""))
  })))`
		var err error
		res, err = chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script, chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("axe.run: %w", err)
		}
		return nil
	})
	return res, err
}

// withAxe makes sure axe-core is in the page of ctx (once per document) and
// runs f with page scripts allowed and a deadline.
func withAxe(ctx context.Context, f func(context.Context) error) error {
	src, err := axeSource()
	if err != nil {
		return err
	}
	// axe.run resolves through timers, and timers do not fire while page
	// scripts are off: allow them for the run. The page's own scripts were
	// skipped at load and do not come back.
	if tab := tabOf(ctx); tab != nil && tab.noJS {
		if err := chromedp.Do(ctx, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})); err != nil {
			return err
		}
		defer chromedp.Do(ctx, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	// A run that never settles must fail the test, not stall it.
	ctx, cancel := context.WithTimeout(ctx, AxeTimeout)
	defer cancel()
	type state struct {
		Has    bool   `json:"has"`
		Origin string `json:"origin"`
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({has: typeof window.axe === "object", origin: location.origin})`))
	if err != nil {
		return err
	}
	if !st.Has {
		if err := injectAxe(ctx, st.Origin, src); err != nil {
			return fmt.Errorf("axe-core laden: %w", err)
		}
	}
	return f(ctx)
}

// injectAxe puts axe-core into the page. On the harness's own servers (no
// Content-Security-Policy) it loads as a script from the harness's loopback
// asset server: Chromium then keeps V8's compiled code between pages, which
// makes loading it about three times cheaper than evaluating its 650 KB
// source in each new document. Anywhere else (a real web server with a CSP
// the script would violate) the source is evaluated through the protocol,
// which no CSP restricts.
func injectAxe(ctx context.Context, origin, src string) error {
	if assets := harnessAssets(); assets != "" && isOwnOrigin(origin) {
		return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`new Promise((ok, fail) => {
  const s = document.createElement("script");
  s.src = `+jsString(assets+"axe.min.js")+`;
  s.onload = () => { s.remove(); ok(); };
  s.onerror = () => { s.remove(); fail(new Error("axe.min.js nicht geladen")); };
  document.head.append(s);
})`, chromedp.EvalAwaitPromise))
	}
	return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
