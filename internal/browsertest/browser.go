package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"budgetsite/internal/chromium"
	"budgetsite/internal/site/sitetest"
)

// Window sizes the site must work at, in CSS pixels.
const (
	DesktopWidth, DesktopHeight = 1280, 800
	MobileWidth, MobileHeight   = 320, 640
)

// Tab options for the two window sizes.
var (
	Desktop = WindowSize(DesktopWidth, DesktopHeight)
	Mobile  = WindowSize(MobileWidth, MobileHeight)
)

// TabOption configures a tab opened by [NewTab].
type TabOption func(*tabConfig)

type tabConfig struct {
	width, height int64
	noJS          bool
	print         bool
}

// WindowSize sets the viewport in CSS pixels (device scale factor 1, desktop
// mode, so 320 means what WCAG's reflow criterion means).
func WindowSize(width, height int) TabOption {
	return func(c *tabConfig) { c.width, c.height = int64(width), int64(height) }
}

// NoJavaScript turns off page scripts, as in a browser with JavaScript off.
// The harness's own evaluations (axe, focus checks) still run.
func NoJavaScript() TabOption {
	return func(c *tabConfig) { c.noJS = true }
}

// PrintMedia renders the pages as for printing (CSS @media print).
func PrintMedia() TabOption {
	return func(c *tabConfig) { c.print = true }
}

// tempPrefix names every temp dir this package makes, with the owning pid, so
// a later run can remove what a killed test binary left behind.
const tempPrefix = "browsertest-"

// browser is the one Chromium of this test binary.
type browser struct {
	*chromium.Browser // Ctx is the browser context; tabs are its children
	stderr            *sitetest.Log
}

var (
	sharedMu sync.Mutex
	shared   *browser
)

// NewTab opens a new tab in the shared headless Chromium (started on first
// use) and closes it when the test ends. Every tab gets focus emulation, so
// :focus and :focus-visible match as in a focused window even when tests run
// in parallel tabs. Default size is [Desktop].
func NewTab(t testing.TB, opts ...TabOption) context.Context {
	t.Helper()
	exe := ChromiumPath(t)
	cfg := tabConfig{width: 1280, height: 800}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := sharedBrowser(exe)
	if err != nil {
		t.Fatalf("Chromium startet nicht: %v", err)
	}
	// A browser context of its own per tab: no cookie, storage or cache
	// carries over from another test.
	ctx, cancel := chromedp.NewContext(b.Ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(cfg.width, cfg.height),
		call(emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}),
	}
	if cfg.noJS {
		steps = append(steps, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if cfg.print {
		steps = append(steps, call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("neuer Tab: %v%s", err, b.stderrTail())
	}
	return context.WithValue(ctx, tabKey{}, &cfg)
}

type tabKey struct{}

// Resize sets the tab's viewport (CSS pixels), in the same document: the
// page lays itself out anew, as when a window is resized.
func Resize(ctx context.Context, width, height int) error {
	tab := tabOf(ctx)
	if tab != nil && tab.width == int64(width) && tab.height == int64(height) {
		return nil
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		return err
	}
	if tab != nil {
		tab.width, tab.height = int64(width), int64(height)
	}
	return nil
}

// SetJavaScript turns the page scripts of a tab on or off from the next
// navigation on, as [NoJavaScript] does when the tab opens.
func SetJavaScript(ctx context.Context, on bool) error {
	tab := tabOf(ctx)
	if tab == nil {
		return fmt.Errorf("SetJavaScript: kein Tab von NewTab")
	}
	if err := chromedp.Do(ctx, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})); err != nil {
		return err
	}
	tab.noJS = !on
	return nil
}

func tabOf(ctx context.Context) *tabConfig {
	c, _ := ctx.Value(tabKey{}).(*tabConfig)
	return c
}

// call wraps one protocol command as an action.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

func sharedBrowser(exe string) (*browser, error) {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil && shared.Ctx.Err() == nil {
		return shared, nil
	}
	b, err := startBrowser(exe)
	if err != nil {
		return nil, err
	}
	shared = b
	return b, nil
}

func startBrowser(exe string) (*browser, error) {
	sweepStale()
	stderr := new(sitetest.Log)
	cb, err := chromium.Start(context.Background(), chromium.Config{Exe: exe,
		ProfilePattern: fmt.Sprintf("%schromium-%d-", tempPrefix, os.Getpid()), Output: stderr})
	b := &browser{Browser: cb, stderr: stderr}
	if err != nil {
		return nil, fmt.Errorf("%w%s", err, b.stderrTail())
	}
	return b, nil
}

func (b *browser) close() {
	// What the browser tests cost, independent of how busy the machine is.
	if c := chromedp.FromContext(b.Ctx); c != nil && c.Browser != nil {
		if p := c.Browser.Process(); p != nil {
			if cpu := treeCPU(p.Pid); cpu > 0 {
				fmt.Fprintf(os.Stderr, "browsertest: Chromium hat %v Rechenzeit gebraucht (alle Prozesse)\n", cpu.Round(100*time.Millisecond))
			}
		}
	}
	b.Close()
}

func (b *browser) stderrTail() string {
	s := strings.TrimSpace(b.stderr.String())
	if s == "" {
		return ""
	}
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return "\nChromium-Ausgabe:\n" + s
}

// Main runs the tests and then stops the shared Chromium and removes the
// temp dirs of this package. Use it as
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// Without it everything still works: Chromium dies with the test binary and a
// later run removes the leftover profile.
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops the shared browser and removes the built site, if any.
func Shutdown() {
	sharedMu.Lock()
	if shared != nil {
		shared.close()
		shared = nil
	}
	sharedMu.Unlock()
	siteCleanup()
}

// FenceHits lists what Chromium tried to reach beyond loopback since the
// browser started (the first request line of each attempt, e.g.
// "CONNECT example.org:443 HTTP/1.1"). Empty means nothing left the fence.
func FenceHits() []string {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil {
		return nil
	}
	return shared.Hits()
}

// sweepStale removes temp dirs of test binaries that are gone.
func sweepStale() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, m := range matches {
		parts := strings.SplitN(filepath.Base(m), "-", 4) // browsertest-<kind>-<pid>-<rand>
		if len(parts) < 4 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if processGone(pid) {
			os.RemoveAll(m)
		}
	}
}
