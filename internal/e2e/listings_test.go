package e2e

import (
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/modules"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// listingPages are the exhibition, training, request and thank-you pages.
var listingPages = []string{
	"angebote/ausstellung/", "angebote/schulungen/",
	"angebote/ausstellung-anfrage/", "angebote/schulung-anfrage/",
	"angebote/danke/", "barriere-melden/",
}

// TestListingsWithDates builds the site with the test bookings of
// internal/listings/testdata (the shipped data has none, so the shared page
// tests never see a date table) and checks those pages in Chromium at both
// sizes and in the Nu checker.
func TestListingsWithDates(t *testing.T) {
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)
	root := copyProject(t, browsertest.ModuleRoot(t))
	writeFixtures(t, root, time.Now())

	out := filepath.Join(t.TempDir(), "public")
	srv := httptest.NewServer(browsertest.StaticHandler(out))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := modules.Site(modules.Options{NoWasm: true}).Build(ctx, site.Options{Root: root, OutDir: out, BaseURL: srv.URL + "/", NoGzip: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		var b strings.Builder
		report.Print(&b, res.Problems)
		t.Fatalf("Build mit Test-Terminen fehlgeschlagen:\n%s", b.String())
	}
	for _, f := range []string{"angebote/ausstellung.ics", "angebote/schulungen.ics"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("Kalender fehlt: %v", err)
		}
	}

	for _, p := range listingPages {
		for _, p := range []string{p, "leichte-sprache/" + p} {
			t.Run(pageName(p), func(t *testing.T) {
				t.Parallel()
				for _, vp := range viewports {
					t.Run(vp.name, func(t *testing.T) {
						checkPage(t, pageName(p), srv.URL+"/"+p, vp.opt, vp.reflow)
					})
				}
			})
		}
	}

	t.Run("Nu", func(t *testing.T) {
		browsertest.JavaPath(t)
		only := t.TempDir()
		for _, p := range listingPages {
			for _, p := range []string{p, "leichte-sprache/" + p} {
				src, err := os.ReadFile(filepath.Join(out, p, "index.html"))
				if err != nil {
					t.Fatal(err)
				}
				dst := filepath.Join(only, p, "index.html")
				os.MkdirAll(filepath.Dir(dst), 0o755)
				if err := os.WriteFile(dst, src, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, e := range browsertest.VNU(t, only) {
			t.Errorf("Nu: %s", e)
		}
	})
}

// copyProject copies what a build reads into a temporary root.
func copyProject(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	for _, name := range []string{"hugo.toml", "go.mod", "content", "data", "layouts", "assets", "i18n", "static"} {
		src := filepath.Join(from, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(from, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(to, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(to, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return to
}

var relDay = regexp.MustCompile(`T([+-]\d+)`)

// writeFixtures puts the listings' test data in place; T+n there means n
// days after base, so the coming 12 months always hold the same rows.
func writeFixtures(t *testing.T, root string, base time.Time) {
	t.Helper()
	for _, name := range []string{"ausstellung.yaml", "schulungen.yaml"} {
		b, err := os.ReadFile(filepath.Join(browsertest.ModuleRoot(t), "internal", "listings", "testdata", "daten", name))
		if err != nil {
			t.Fatal(err)
		}
		b = relDay.ReplaceAllFunc(b, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[1:]))
			return []byte(base.AddDate(0, 0, n).Format("2006-01-02"))
		})
		if err := os.WriteFile(filepath.Join(root, "data", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
