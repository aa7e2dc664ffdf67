// Package e2e holds the site-wide browser tests: every built page of both
// variants in headless Chromium (axe-core, 320 px reflow, keyboard, focus,
// network) and in the W3C Nu checker. The harness is internal/browsertest.
package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// viewports are the sizes every page is checked at.
var viewports = []struct {
	name string
	opt  browsertest.TabOption
	// reflow: at 320 CSS px nothing may scroll sideways (WCAG 1.4.10).
	reflow bool
}{
	{"1280x800", browsertest.Desktop, false},
	{"320x640", browsertest.Mobile, true},
}

// builtPages lists the HTML pages of the built site as URL paths relative to
// the base URL ("", "leichte-sprache/", "budget/antrag/", "404.html").
func builtPages(t *testing.T, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "index.html" {
			rel = ""
		} else {
			rel = strings.TrimSuffix(rel, "index.html")
		}
		pages = append(pages, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	for _, must := range []string{"", "leichte-sprache/"} {
		if !slices.Contains(pages, must) {
			t.Fatalf("die gebaute Website hat keine Seite /%s (Seiten: %v)", must, pages)
		}
	}
	return pages
}

// pageName names a page in test output.
func pageName(p string) string { return "/" + p }

// browserWorkers is how many pages are checked at once. Each worker keeps
// one tab per window size for all its pages: the tab keeps its renderer, so
// axe-core (650 KB) compiles once per tab, not once per page (~40 ms instead
// of ~250 ms a load). More workers than cores hide the protocol round trips.
func browserWorkers() int { return max(2, runtime.GOMAXPROCS(0)+1) }

func TestPagesInBrowser(t *testing.T) {
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)
	dir, base := browsertest.Site(t)
	pages := builtPages(t, dir)
	start := time.Now()
	walked := newWalkLog()
	t.Cleanup(func() {
		t.Logf("%d Seiten × %d Fenstergrößen in %v geprüft, %d Tab-Durchläufe (einer je Aufbau und Größe)",
			len(pages), len(viewports), time.Since(start).Round(time.Millisecond), walked.count())
	})
	var sizes [][]browsertest.TabOption
	for _, vp := range viewports {
		sizes = append(sizes, []browsertest.TabOption{vp.opt})
	}
	forEachPage(t, pages, sizes, func(t *testing.T, p string, tabs []context.Context) {
		for i, vp := range viewports {
			t.Run(vp.name, func(t *testing.T) {
				checkPageIn(t, tabs[i], pageName(p), base+p, vp.name, vp.reflow, walked)
			})
		}
	})
}

// forEachPage runs check in a subtest per page on browserWorkers() workers.
// Each worker opens one tab per entry of tabOpts and reuses them for all its
// pages. Shortly before go test's timeout (10 min by default) it stops
// handing out pages, so the run ends with a clear message, not a panic.
func forEachPage(t *testing.T, pages []string, tabOpts [][]browsertest.TabOption, check func(t *testing.T, page string, tabs []context.Context)) {
	todo := make(chan string)
	var wg sync.WaitGroup
	for range min(browserWorkers(), len(pages)) {
		tabs := make([]context.Context, len(tabOpts))
		for i, opts := range tabOpts {
			tabs[i] = browsertest.NewTab(t, opts...)
		}
		wg.Go(func() {
			for p := range todo {
				t.Run(pageName(p), func(t *testing.T) { check(t, p, tabs) })
			}
		})
	}
	deadline, hasDeadline := t.Deadline()
	left := 0
	for i, p := range pages {
		if hasDeadline && time.Until(deadline) < time.Minute {
			left = len(pages) - i
			break
		}
		todo <- p
	}
	close(todo)
	wg.Wait()
	if left > 0 {
		t.Errorf("%d von %d Seiten nicht geprüft: die Zeit von go test reicht nicht (go test -timeout 30m ./internal/e2e)", left, len(pages))
	}
}

// checkPage runs every in-browser check of one page in a new tab of the given
// size (for tests with a handful of pages).
func checkPage(t *testing.T, page, url string, size browsertest.TabOption, reflow bool) {
	checkPageIn(t, browsertest.NewTab(t, size), page, url, "", reflow, nil)
}

// walkLog remembers which focus signatures (per window size) had their
// keyboard walk. The self-check alone builds hundreds of answer pages from
// one template; walking each would take minutes and find nothing new.
// BROWSERTEST_WALK_ALL=1 walks every page anyway.
type walkLog struct {
	mu   sync.Mutex
	seen map[string]string // size + signature → page that was walked
	all  bool
}

func newWalkLog() *walkLog {
	return &walkLog{seen: map[string]string{}, all: os.Getenv("BROWSERTEST_WALK_ALL") == "1"}
}

// claim returns "" when page should be walked, else the page that stands for it.
func (w *walkLog) claim(size, signature, page string) string {
	if w == nil || w.all {
		return ""
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	key := size + "\x00" + signature
	if first, ok := w.seen[key]; ok {
		return first
	}
	w.seen[key] = page
	return ""
}

func (w *walkLog) count() int {
	if w == nil {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.seen)
}

// checkPageIn runs every in-browser check of one page in the tab ctx.
func checkPageIn(t *testing.T, ctx context.Context, page, url, size string, reflow bool, walked *walkLog) {
	if err := browsertest.Open(ctx, url); err != nil {
		t.Fatalf("%s: laden: %v", page, err)
	}

	vs, err := browsertest.Axe(ctx)
	if err != nil {
		t.Fatalf("%s: axe: %v", page, err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe %s", page, v)
	}

	if reflow {
		o, err := browsertest.HorizontalOverflow(ctx)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if o.Scrolls {
			t.Errorf("%s: %s", page, o)
		}
	}

	sig, err := browsertest.FocusSignature(ctx)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	if like := walked.claim(size, sig, page); like != "" {
		t.Logf("%s: Tab-Durchlauf wie auf %s (gleicher Aufbau)", page, like)
	} else {
		walkPage(t, ctx, page, url)
	}
	if err := browsertest.CheckSkipLink(ctx); err != nil {
		t.Errorf("%s: %v", page, err)
	}
}

// walkPage tabs through the whole page and leaves it so that the next Tab
// starts at the top again.
func walkPage(t *testing.T, ctx context.Context, page, url string) {
	steps, err := browsertest.FocusWalk(ctx)
	if err != nil {
		t.Errorf("%s: Tab-Durchlauf: %v", page, err)
	}
	if len(steps) == 0 {
		t.Errorf("%s: mit Tab ist nichts erreichbar", page)
	}
	for i, s := range steps {
		if !s.Visible() {
			t.Errorf("%s: Tab-Schritt %d, %s: Fokus nicht sichtbar (keine Änderung an Umriss, Rahmen, Farbe oder Unterstreichung)", page, i+1, s.Element)
		}
		if !s.InView {
			t.Errorf("%s: Tab-Schritt %d, %s: fokussiertes Element liegt außerhalb des Fensters oder hat keine Größe", page, i+1, s.Element)
		}
	}

	// The walk ends with focus out of the page, and the next Tab enters it
	// from the top as on a fresh load; reload only if focus stayed inside.
	if _, inside, _ := browsertest.Focused(ctx); inside {
		if err := browsertest.Open(ctx, url); err != nil {
			t.Fatalf("%s: neu laden: %v", page, err)
		}
	}
}

func TestPagesLoadNothingFromElsewhere(t *testing.T) {
	browsertest.ChromiumPath(t)
	dir, base := browsertest.Site(t)
	forEachPage(t, builtPages(t, dir), [][]browsertest.TabOption{nil}, func(t *testing.T, p string, tabs []context.Context) {
		ctx := tabs[0]
		reqs, err := browsertest.RecordRequests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer reqs.Stop()
		if err := browsertest.Open(ctx, base+p); err != nil {
			t.Fatalf("%s: laden: %v", pageName(p), err)
		}
		// Only pages with a script (the self-check loads its wasm after the
		// load event) can load more after the load event.
		if n, err := browsertest.ScriptCount(ctx); err != nil {
			t.Fatal(err)
		} else if n > 0 {
			reqs.WaitIdle(ctx, 300*time.Millisecond, 5*time.Second)
		}
		for _, u := range reqs.Foreign() {
			t.Errorf("%s: lädt von einem anderen Host: %s", pageName(p), u)
		}
		used, err := browsertest.StorageUsed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range used {
			t.Errorf("%s: setzt %s (keine Cookies, kein localStorage erlaubt)", pageName(p), u)
		}
		if len(used) > 0 {
			// The tab serves the next page too: do not blame that one.
			if err := browsertest.ClearStorage(ctx); err != nil {
				t.Fatal(err)
			}
		}
	})
}
