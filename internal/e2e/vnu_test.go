package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"budgetsite/internal/browsertest"
)

// TestNuChecker runs the W3C Nu HTML checker over the whole built site and
// the listing pages of the site with test bookings, in one run: Java's
// start-up is most of its time.
func TestNuChecker(t *testing.T) {
	browsertest.JavaPath(t)
	dir, _ := browsertest.Site(t)
	dates := browsertest.BuiltSite(t, withDates(t))
	only := filepath.Join(t.TempDir(), "mit-terminen")
	for _, p := range listingPagesBoth() {
		src, err := os.ReadFile(filepath.Join(dates, p, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(only, p, "index.html")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range browsertest.VNU(t, dir, only) {
		t.Errorf("Nu: %s", e)
	}
}
