// Package lighthouse runs Google's Lighthouse over the built site: the SEO
// audits must pass in full on the start pages (a test), and the
// performance figures are printed by a benchmark.
package lighthouse

import (
	"context"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// Both start pages score 100 in Lighthouse's SEO category.
func TestSEOStartPages(t *testing.T) {
	browsertest.NeedLighthouse(t)
	_, base := browsertest.Site(t)
	for _, page := range []string{"", "leichte-sprache/"} {
		t.Run("/"+page, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r, err := browsertest.Lighthouse(ctx, t, base+page, "seo")
			if err != nil {
				t.Fatal(err)
			}
			if r.Scores["seo"] != 1 {
				t.Errorf("SEO %.0f, nicht 100: %v", 100*r.Scores["seo"], r.Failed)
			}
		})
	}
}

// Lighthouse (mobile, simulated slow network) on the start pages and a
// content page of each variant, all four categories:
//
//	go test -run '^$' -bench Lighthouse -benchtime 1x ./internal/e2e/lighthouse/
func BenchmarkLighthouse(b *testing.B) {
	browsertest.NeedLighthouse(b)
	_, base := browsertest.Site(b)
	for _, page := range []string{"", "leichte-sprache/", "budget/antrag/", "leichte-sprache/budget/antrag/"} {
		b.Run("/"+page, func(b *testing.B) {
			var r *browsertest.LighthouseReport
			for b.Loop() {
				var err error
				if r, err = browsertest.Lighthouse(context.Background(), b, base+page, "performance", "accessibility", "best-practices", "seo"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(100*r.Scores["performance"], "performance")
			b.ReportMetric(100*r.Scores["accessibility"], "accessibility")
			b.ReportMetric(100*r.Scores["best-practices"], "best-practices")
			b.ReportMetric(100*r.Scores["seo"], "seo")
			b.ReportMetric(r.Metrics["first-contentful-paint"], "ms-FCP")
			b.ReportMetric(r.Metrics["largest-contentful-paint"], "ms-LCP")
			b.ReportMetric(r.Metrics["total-blocking-time"], "ms-TBT")
			// How long Lighthouse says the first render waits for other
			// requests; 0 since the stylesheet is inlined.
			b.ReportMetric(r.Metrics["render-blocking-resources"], "ms-render-blocking")
			if len(r.Failed) > 0 {
				b.Logf("nicht bestanden: %v", r.Failed)
			}
		})
	}
}
