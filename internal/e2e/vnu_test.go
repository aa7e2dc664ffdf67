package e2e

import (
	"testing"

	"budgetsite/internal/browsertest"
)

// TestNuChecker runs the W3C Nu HTML checker over the whole built site.
func TestNuChecker(t *testing.T) {
	browsertest.JavaPath(t)
	dir, _ := browsertest.Site(t)
	for _, e := range browsertest.VNU(t, dir) {
		t.Errorf("Nu: %s", e)
	}
}
