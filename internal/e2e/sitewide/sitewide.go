// Package sitewide checks every built page of both variants in headless
// Chromium: axe-core, no sideways scrolling at 320 CSS px, the skip link,
// keyboard walks with visible focus, nothing loaded from another host, no
// cookies or storage. The pages are split into parts, each checked by a test
// package of its own under this folder (part1, part2, …): go test runs
// packages side by side, and each has its own time budget. The site is built
// once for all of them (see browsertest.Site).
//
// Each page is loaded once, at 320 px, and axe runs there with every rule.
// The window then grows to 1280 px, and axe runs again with the rules that
// measure boxes (browsertest.LayoutRules): the others see the DOM and the
// elements axe counts as visible, and where those are the same at both sizes
// (checked on every page) their result is too; where not, every rule runs
// again. Keyboard walks run once per page structure and size
// (browsertest.FocusSignature); the skip link is tried on every page.
package sitewide

import (
	"context"
	"fmt"
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

// Parts is how many test packages share the pages (part1 … partN). Each
// page costs Chromium about 2 s of CPU, mostly axe-core; on the 2-core
// machine at load 20–25, 44 pages took a package 106–221 s (the first one
// also waits for the shared build). About 26 pages a part keep every package
// well inside go test's limits there.
const Parts = 20

// Pages lists the HTML pages of the built site as URL paths relative to the
// base URL ("", "leichte-sprache/", "budget/antrag/", "404.html"), with the
// size of each file.
func Pages(dir string) (pages []string, sizes []int64, err error) {
	type page struct {
		path string
		size int64
	}
	var all []page
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "index.html" {
			rel = ""
		} else {
			rel = strings.TrimSuffix(rel, "index.html")
		}
		all = append(all, page{rel, info.Size()})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(all, func(a, b page) int { return strings.Compare(a.path, b.path) })
	for _, p := range all {
		pages = append(pages, p.path)
		sizes = append(sizes, p.size)
	}
	for _, must := range []string{"", "leichte-sprache/"} {
		if !slices.Contains(pages, must) {
			return nil, nil, fmt.Errorf("die gebaute Website hat keine Seite /%s (Seiten: %v)", must, pages)
		}
	}
	return pages, sizes, nil
}

// Part returns part i (1 … n) of the pages: runs of neighbouring pages (one
// template's pages stay together, so each part walks few page structures)
// of about equal bytes (the browser's work grows with the page).
func Part(pages []string, sizes []int64, i, n int) []string {
	var total int64
	for _, s := range sizes {
		total += s
	}
	var out []string
	var sum int64
	for k, p := range pages {
		// A page belongs to the part its first byte falls in.
		if part := int(sum*int64(n)/max(total, 1)) + 1; part == i {
			out = append(out, p)
		}
		sum += sizes[k]
	}
	return out
}

// Check runs every in-browser check on part i of n of the built pages.
func Check(t *testing.T, i, n int) {
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)
	dir, base := browsertest.Site(t)
	all, sizes, err := Pages(dir)
	if err != nil {
		t.Fatal(err)
	}
	pages := Part(all, sizes, i, n)
	if len(pages) == 0 {
		t.Fatalf("Teil %d von %d hat keine Seiten (%d Seiten insgesamt)", i, n, len(all))
	}
	t.Logf("Teil %d/%d: %d von %d Seiten, /%s … /%s", i, n, len(pages), len(all), pages[0], pages[len(pages)-1])
	CheckPages(t, base, pages)
}

// CheckPages runs every in-browser check on the pages (paths relative to
// base) in subtests, a few pages at a time. A page with a script is checked
// a second time with JavaScript off.
func CheckPages(t *testing.T, base string, pages []string) {
	start := time.Now()
	walked := newWalkLog()
	t.Cleanup(func() {
		t.Logf("%d Seiten in %v mit %d Tabs geprüft, %d Tab-Durchläufe (einer je Aufbau und Größe); Zeit je Schritt, über alle Tabs: %v",
			len(pages), time.Since(start).Round(time.Millisecond), min(workers(), len(pages)), walked.count(), walked.phases.String())
	})
	forEachPage(t, pages, func(t *testing.T, tab context.Context, p string) {
		url := base + p
		if hasScript := checkPage(t, tab, p, url, walked); hasScript {
			if err := browsertest.SetJavaScript(tab, false); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := browsertest.SetJavaScript(tab, true); err != nil {
					t.Fatal(err)
				}
			}()
			checkPage(t, tab, p+" (ohne JavaScript)", url, walked)
		}
	})
}

// workers is how many pages are checked at once: more than the cores hide
// the protocol's round trips.
func workers() int { return max(2, runtime.GOMAXPROCS(0)+1) }

// forEachPage runs check in a subtest per page on workers(), each with a
// tab of its own for all its pages: the tab keeps its renderer, and with it
// axe-core's compiled code. Shortly before go test's timeout it stops handing
// out pages, so the run ends with a clear message, not a panic.
func forEachPage(t *testing.T, pages []string, check func(t *testing.T, tab context.Context, page string)) {
	todo := make(chan string)
	var wg sync.WaitGroup
	for range min(workers(), len(pages)) {
		tab := browsertest.NewTab(t, browsertest.Mobile)
		wg.Go(func() {
			for p := range todo {
				t.Run("/"+p, func(t *testing.T) { check(t, tab, p) })
			}
		})
	}
	deadline, hasDeadline := t.Deadline()
	left := 0
	for k, p := range pages {
		if hasDeadline && time.Until(deadline) < time.Minute {
			left = len(pages) - k
			break
		}
		todo <- p
	}
	close(todo)
	wg.Wait()
	if left > 0 {
		t.Errorf("%d von %d Seiten nicht geprüft: die Zeit von go test reicht nicht", left, len(pages))
	}
}

// checkPage runs every check of one page in the tab ctx (320 px wide when
// it starts and when it ends) and tells whether the page has a script.
func checkPage(t *testing.T, ctx context.Context, page, url string, walked *walkLog) (hasScript bool) {
	name := "/" + page
	mark := time.Now()
	step := func(s string) { walked.phases.since(s, &mark) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	// Load, and nothing from elsewhere, no cookies, no storage.
	reqs, err := browsertest.RecordRequests(ctx)
	must(err)
	err = browsertest.Open(ctx, url)
	if err != nil {
		reqs.Stop()
		t.Fatalf("%s: laden: %v", name, err)
	}
	scripts, err := browsertest.ScriptCount(ctx)
	must(err)
	if scripts > 0 {
		// The self-check loads its wasm after the load event.
		reqs.WaitIdle(ctx, 300*time.Millisecond, 5*time.Second)
	}
	reqs.Stop()
	for _, u := range reqs.Foreign() {
		t.Errorf("%s: lädt von einem anderen Host: %s", name, u)
	}
	used, err := browsertest.StorageUsed(ctx)
	must(err)
	for _, u := range used {
		t.Errorf("%s: setzt %s (keine Cookies, kein localStorage erlaubt)", name, u)
	}
	if len(used) > 0 {
		// The tab serves the next page too: do not blame that one.
		must(browsertest.ClearStorage(ctx))
	}
	step("laden")

	// axe and reflow at both sizes, ending at 1280 px; there the keyboard
	// if this size has a page structure not walked yet.
	if err := AxeBothSizes(t, ctx, name); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	step("axe, 320 px breit")
	reload := false
	sig, err := browsertest.FocusSignature(ctx)
	must(err)
	if like := walked.claim("1280", sig, page); like == "" {
		keyboard(t, ctx, name+" bei 1280 px", url)
		reload = true
	}
	step("Tastatur 1280 px")

	// 320 px: the keyboard; a fresh page if focus moved at 1280.
	must(browsertest.Resize(ctx, browsertest.MobileWidth, browsertest.MobileHeight))
	if reload {
		if err := browsertest.Open(ctx, url); err != nil {
			t.Fatalf("%s: neu laden: %v", name, err)
		}
	}
	step("neu laden")
	sig, err = browsertest.FocusSignature(ctx)
	must(err)
	if like := walked.claim("320", sig, page); like == "" {
		keyboard(t, ctx, name+" bei 320 px", url)
	} else if err := browsertest.CheckSkipLink(ctx); err != nil {
		t.Errorf("%s bei 320 px: %v", name, err)
	}
	step("Tastatur 320 px")
	return scripts > 0
}

// AxeBothSizes checks the page in the tab with axe: every rule at 320 px,
// where nothing may scroll sideways either; then, in the same document, at
// 1280 px the rules that measure boxes (browsertest.LayoutRules), or every
// rule where other elements show at that size. It leaves the tab at 1280 px.
// What it finds are errors of t; err says what kept it from checking.
func AxeBothSizes(t *testing.T, ctx context.Context, where string) error {
	t.Helper()
	if err := browsertest.Resize(ctx, browsertest.MobileWidth, browsertest.MobileHeight); err != nil {
		return err
	}
	o, err := browsertest.HorizontalOverflow(ctx)
	if err != nil {
		return err
	}
	if o.Scrolls {
		t.Errorf("%s bei 320 px: %s", where, o)
	}
	if err := axeErrors(t, ctx, where+" bei 320 px", nil); err != nil {
		return err
	}
	small, err := browsertest.ShownElements(ctx)
	if err != nil {
		return err
	}
	if err := browsertest.Resize(ctx, browsertest.DesktopWidth, browsertest.DesktopHeight); err != nil {
		return err
	}
	large, err := browsertest.ShownElements(ctx)
	if err != nil {
		return err
	}
	rules := browsertest.LayoutRules
	if large != small {
		t.Logf("%s: bei 1280 px sind andere Elemente sichtbar als bei 320 px: alle axe-Regeln auch hier", where)
		rules = nil
	}
	return axeErrors(t, ctx, where+" bei 1280 px", rules)
}

// keyboard walks the whole page with Tab from the top and then checks the
// skip link, on a fresh page.
func keyboard(t *testing.T, ctx context.Context, name, url string) {
	t.Helper()
	steps, err := browsertest.FocusWalk(ctx)
	if err != nil {
		t.Errorf("%s: Tab-Durchlauf: %v", name, err)
	}
	if len(steps) == 0 {
		t.Errorf("%s: mit Tab ist nichts erreichbar", name)
	}
	for i, s := range steps {
		if !s.Visible() {
			t.Errorf("%s: Tab-Schritt %d, %s: Fokus nicht sichtbar (keine Änderung an Umriss, Rahmen, Farbe oder Unterstreichung)", name, i+1, s.Element)
		}
		if !s.InView {
			t.Errorf("%s: Tab-Schritt %d, %s: fokussiertes Element liegt außerhalb des Fensters oder hat keine Größe", name, i+1, s.Element)
		}
	}
	// The walk ends with focus out of the page, and the next Tab enters it
	// from the top as on a fresh load; reload only if focus stayed inside.
	if _, inside, _ := browsertest.Focused(ctx); inside {
		if err := browsertest.Open(ctx, url); err != nil {
			t.Fatalf("%s: neu laden: %v", name, err)
		}
	}
	if err := browsertest.CheckSkipLink(ctx); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// axeErrors runs axe (every rule for nil, else the given ones) and reports
// each violation.
func axeErrors(t *testing.T, ctx context.Context, where string, rules []string) error {
	t.Helper()
	var vs []browsertest.Violation
	var err error
	if rules == nil {
		vs, err = browsertest.Axe(ctx)
	} else {
		vs, err = browsertest.AxeRules(ctx, rules...)
	}
	if err != nil {
		return fmt.Errorf("axe: %w", err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe %s", where, v)
	}
	return nil
}

// phases sums the wall time of each step over all pages, for the summary:
// where the time goes is the first question when the parts get slow.
type phases struct {
	mu    sync.Mutex
	order []string
	took  map[string]time.Duration
}

// since adds the time since *mark to the step and moves the mark.
func (p *phases) since(step string, mark *time.Time) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.took == nil {
		p.took = map[string]time.Duration{}
	}
	if _, ok := p.took[step]; !ok {
		p.order = append(p.order, step)
	}
	p.took[step] += now.Sub(*mark)
	*mark = now
}

func (p *phases) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var parts []string
	for _, s := range p.order {
		parts = append(parts, fmt.Sprintf("%s %v", s, p.took[s].Round(100*time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}

// walkLog remembers which focus signatures (per window size) had their
// keyboard walk. The self-check alone builds hundreds of answer pages from
// one template; walking each would take minutes and find nothing new.
// BROWSERTEST_WALK_ALL=1 walks every page anyway.
type walkLog struct {
	phases phases
	mu     sync.Mutex
	seen   map[string]string // size + signature → page that was walked
	all    bool
}

func newWalkLog() *walkLog {
	return &walkLog{seen: map[string]string{}, all: os.Getenv("BROWSERTEST_WALK_ALL") == "1"}
}

// claim returns "" when page should be walked, else the page that stands for it.
func (w *walkLog) claim(size, signature, page string) string {
	if w.all {
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
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.seen)
}
