// Package e2e holds browser tests of whole flows over the built site: the
// request forms with the receiver, the listings with dates, printing, the
// W3C Nu checker over every page, and the receiver's fixtures from a real
// build. The checks of every page are in internal/e2e/sitewide, the
// self-check's in internal/e2e/selbstcheck; the harness is
// internal/browsertest.
package e2e

import (
	"testing"

	"budgetsite/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }
