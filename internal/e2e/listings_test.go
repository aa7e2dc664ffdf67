package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

// listingPages are the exhibition, training, request and thank-you pages.
var listingPages = []string{
	"angebote/ausstellung/", "angebote/schulungen/",
	"angebote/ausstellung-anfrage/", "angebote/schulung-anfrage/",
	"angebote/danke/", "barriere-melden/",
}

// withDates is the site with the test bookings of internal/listings/testdata
// (the shipped data has none, so the site-wide tests never see a date table).
func withDates(t *testing.T) browsertest.Build {
	mod := browsertest.ModuleRoot(t)
	return browsertest.Build{
		Name:     "Website mit Test-Terminen",
		Prepare:  func(root string) error { return writeFixtures(mod, root, time.Now()) },
		SkipWasm: true, NoGzip: true,
	}
}

// listingPagesBoth are listingPages in both variants.
func listingPagesBoth() []string {
	var out []string
	for _, p := range listingPages {
		out = append(out, p, "leichte-sprache/"+p)
	}
	return out
}

// TestListingsWithDates checks the listing pages of the site with test
// bookings in Chromium with every check of the site-wide test. (The Nu
// checker reads them in TestNuChecker, in the same run as the whole site.)
func TestListingsWithDates(t *testing.T) {
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)
	out := browsertest.BuiltSite(t, withDates(t))
	for _, f := range []string{"angebote/ausstellung.ics", "angebote/schulungen.ics"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("Kalender fehlt: %v", err)
		}
	}
	sitewide.CheckPages(t, browsertest.Serve(t, out), listingPagesBoth())
}

var relDay = regexp.MustCompile(`T([+-]\d+)`)

// writeFixtures puts the listings' test data of the module mod into the
// project copy at root; T+n there means n days after base, so the coming 12
// months always hold the same rows.
func writeFixtures(mod, root string, base time.Time) error {
	for _, name := range []string{"ausstellung.yaml", "schulungen.yaml"} {
		b, err := os.ReadFile(filepath.Join(mod, "internal", "listings", "testdata", "daten", name))
		if err != nil {
			return err
		}
		b = relDay.ReplaceAllFunc(b, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[1:]))
			return []byte(base.AddDate(0, 0, n).Format("2006-01-02"))
		})
		if err := os.WriteFile(filepath.Join(root, "data", name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
