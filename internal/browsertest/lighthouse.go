package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"budgetsite/internal/chromium"
)

// NeedLighthouse stops the test (loudly, and as a failure in CI) when the
// Lighthouse CLI from package-lock.json is not installed.
func NeedLighthouse(t testing.TB) string {
	t.Helper()
	p, err := nodeModule("lighthouse/cli/index.js")
	if err != nil {
		missing(t, "lighthouse", err.Error(), "Installieren: npm ci")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing(t, "node", "Lighthouse braucht Node.js", "Debian: apt-get install nodejs")
	}
	return p
}

// LighthouseReport is what a run found: the score of each category (0 to
// 1) and every audit of those categories that did not pass.
type LighthouseReport struct {
	Scores map[string]float64
	Failed []string // "id: title (explanation)"
	// Metrics are the performance timings in milliseconds (first
	// contentful paint, largest contentful paint, …), when measured.
	Metrics map[string]float64
}

// Lighthouse runs Google's Lighthouse (mobile, simulated throttling, as its
// CLI does by default) on url with the given categories ("seo",
// "performance"), in a Chromium fenced to loopback like the harness's own.
func Lighthouse(ctx context.Context, t testing.TB, url string, categories ...string) (*LighthouseReport, error) {
	t.Helper()
	cli := NeedLighthouse(t)
	exe := ChromiumPath(t)
	f, err := chromium.StartFence()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	profile, err := os.MkdirTemp("", fmt.Sprintf("%slighthouse-%d-", tempPrefix, os.Getpid()))
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	out := filepath.Join(profile, "bericht.json")
	refuse := "http://" + f.Addr()
	flags := strings.Join(append([]string{
		"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-sync",
		"--disable-client-side-phishing-detection",
		"--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
		"--safebrowsing-disable-auto-update", "--password-store=basic", "--disable-breakpad",
		"--user-data-dir=" + filepath.Join(profile, "chromium"),
	}, chromium.CommandLine(chromium.FenceFlags(refuse))...), " ")
	cmd := exec.CommandContext(ctx, "node", cli, url,
		"--only-categories="+strings.Join(categories, ","),
		"--output=json", "--output-path="+out, "--quiet",
		"--chrome-flags="+flags)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+exe)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("lighthouse: %v\n%s", err, msg)
	}
	// What Chromium still tries on its own (update and account hosts) ends
	// at the fence, as in the harness's browser.
	if hits := f.Hits(); len(hits) > 0 {
		t.Logf("vom Zaun abgefangen: %v", hits)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Categories map[string]struct {
			Score     *float64 `json:"score"`
			AuditRefs []struct {
				ID     string  `json:"id"`
				Weight float64 `json:"weight"`
			} `json:"auditRefs"`
		} `json:"categories"`
		Audits map[string]struct {
			Title        string   `json:"title"`
			Score        *float64 `json:"score"`
			Explanation  string   `json:"explanation"`
			NumericValue float64  `json:"numericValue"`
		} `json:"audits"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("lighthouse: Bericht nicht lesbar: %w", err)
	}
	r := &LighthouseReport{Scores: map[string]float64{}, Metrics: map[string]float64{}}
	for name, c := range raw.Categories {
		if c.Score == nil {
			return nil, fmt.Errorf("lighthouse: keine Wertung für %s", name)
		}
		r.Scores[name] = *c.Score
		for _, a := range c.AuditRefs {
			au := raw.Audits[a.ID]
			if au.Score != nil && *au.Score < 1 && a.Weight > 0 {
				r.Failed = append(r.Failed, fmt.Sprintf("%s: %s (%s)", a.ID, au.Title, au.Explanation))
			}
		}
	}
	for _, m := range []string{"first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time", "render-blocking-resources"} {
		if au, ok := raw.Audits[m]; ok {
			r.Metrics[m] = au.NumericValue
		}
	}
	sort.Strings(r.Failed)
	return r, nil
}
