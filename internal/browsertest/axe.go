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

// Axe injects axe-core into the page of ctx (once per document) and runs it
// with [AxeTags]. It works in tabs with [NoJavaScript] too: the protocol's
// evaluations are not page scripts.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	// axe.run resolves through timers, and timers do not fire while page
	// scripts are off: allow them for the run. The page's own scripts were
	// skipped at load and do not come back.
	if tab := tabOf(ctx); tab != nil && tab.noJS {
		if err := chromedp.Do(ctx, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})); err != nil {
			return nil, err
		}
		defer chromedp.Do(ctx, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	// A run that never settles must fail the test, not stall it.
	ctx, cancel := context.WithTimeout(ctx, AxeTimeout)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !has {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("axe-core laden: %w", err)
		}
	}
	tags, _ := json.Marshal(AxeTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(" ") + "  " + n.html + (n.failureSummary ? "\n" + n.failureSummary : ""))
  })))`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	return res, nil
}
