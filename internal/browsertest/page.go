package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

//go:embed harness.js
var harnessJS string

// Element describes a focused or offending element for messages.
type Element struct {
	Tag      string `json:"tag"`
	ID       string `json:"id"`
	Selector string `json:"selector"`
	Text     string `json:"text"`
	Href     string `json:"href"`
	HTML     string `json:"html"`
}

func (e Element) String() string {
	s := e.Selector
	if e.Text != "" {
		s += fmt.Sprintf(" „%s“", e.Text)
	}
	if e.Href != "" {
		s += " → " + e.Href
	}
	return s
}

// eval runs a __bt helper, injecting harness.js first when the document does
// not have it yet (every navigation starts a fresh document).
func eval[T any](ctx context.Context, expr string) (T, error) {
	script := harnessJS + "\n;" + expr
	return chromedp.Run(ctx, chromedp.Evaluate[T](script))
}

// Open navigates the tab to url and waits for the load event.
func Open(ctx context.Context, url string) error {
	return chromedp.Do(ctx, chromedp.Navigate(url))
}

// Overflow is the horizontal scroll state of a page.
type Overflow struct {
	Scrolls         bool      `json:"scrolls"`
	ScrollWidth     int       `json:"scrollWidth"`
	ClientWidth     int       `json:"clientWidth"`
	BodyScrollWidth int       `json:"bodyScrollWidth"`
	BodyClientWidth int       `json:"bodyClientWidth"`
	Culprits        []Culprit `json:"culprits"` // innermost elements past the right edge
}

// Culprit is an element that reaches past the viewport.
type Culprit struct {
	Element
	Right int `json:"right"`
}

func (o Overflow) String() string {
	if !o.Scrolls {
		return "kein seitliches Scrollen"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seitliches Scrollen: Seite %d px breit bei %d px Fenster (body %d/%d)",
		o.ScrollWidth, o.ClientWidth, o.BodyScrollWidth, o.BodyClientWidth)
	for _, c := range o.Culprits {
		fmt.Fprintf(&b, "\n    • bis %d px: %s  %s", c.Right, c.Element, c.HTML)
	}
	return b.String()
}

// HorizontalOverflow reports whether the page scrolls sideways (the root or
// the body is wider than its box) and, if so, which elements stick out.
func HorizontalOverflow(ctx context.Context) (Overflow, error) {
	return eval[Overflow](ctx, `__bt.overflow()`)
}

// PressTab sends one Tab key press to the page.
func PressTab(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab))
}

// PressEnter sends one Enter key press to the page.
func PressEnter(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter))
}

// Focused describes the focused element; ok is false when nothing (or only
// the body) has focus.
func Focused(ctx context.Context) (el Element, ok bool, err error) {
	p, err := eval[*Element](ctx, `__bt.focused()`)
	if err != nil || p == nil {
		return Element{}, false, err
	}
	return *p, true, nil
}

// CheckSkipLink checks, on a freshly loaded page, that the first Tab lands on
// a visible same-page link to <main> and that Enter on it moves focus to
// <main>. It leaves focus in <main>.
func CheckSkipLink(ctx context.Context) error {
	if err := PressTab(ctx); err != nil {
		return err
	}
	type skipInfo struct {
		El           Element `json:"el"`
		IsLink       bool    `json:"isLink"`
		TargetFound  bool    `json:"targetFound"`
		TargetIsMain bool    `json:"targetIsMain"`
		InView       bool    `json:"inView"`
	}
	info, err := eval[*skipInfo](ctx, `__bt.skipLink()`)
	switch {
	case err != nil:
		return err
	case info == nil:
		return fmt.Errorf("der erste Tab-Druck fokussiert nichts: es fehlt ein Sprunglink als erstes fokussierbares Element")
	case !info.IsLink:
		return fmt.Errorf("der erste Tab-Druck landet auf %s, nicht auf einem Sprunglink (<a href=\"#…\">)", info.El)
	case !info.TargetFound:
		return fmt.Errorf("Sprunglink %s: Ziel %q gibt es auf der Seite nicht", info.El, info.El.Href)
	case !info.TargetIsMain:
		return fmt.Errorf("Sprunglink %s zeigt nicht auf <main>", info.El)
	case !info.InView:
		return fmt.Errorf("Sprunglink %s ist fokussiert, aber nicht sichtbar im Fenster", info.El)
	}
	if err := PressEnter(ctx); err != nil {
		return err
	}
	// Fragment navigation moves focus asynchronously; allow it a moment.
	deadline := time.Now().Add(2 * time.Second)
	for {
		isMain, err := eval[bool](ctx, `__bt.focusIsMain()`)
		if err != nil {
			return err
		}
		if isMain {
			return nil
		}
		if time.Now().After(deadline) {
			el, ok, _ := Focused(ctx)
			where := "nichts"
			if ok {
				where = el.String()
			}
			return fmt.Errorf("Enter auf dem Sprunglink %s bewegt den Fokus nicht nach <main> (fokussiert: %s; hat <main> tabindex=\"-1\"?)", info.El, where)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// FocusStep is one stop of a keyboard walk.
type FocusStep struct {
	Element Element
	InView  bool     // the focused element has a box inside the window
	Changed []string // style properties that differ between focused and not focused
}

// Visible reports whether focusing the element changed how it looks.
func (s FocusStep) Visible() bool { return len(s.Changed) > 0 }

// MaxFocusSteps bounds a keyboard walk; a page with more stops is an error.
const MaxFocusSteps = 400

// FocusWalk presses Tab from the current focus position (on a fresh page:
// the top) until focus leaves the page or comes back round, and for each
// stop compares the computed styles of the element while focused with its
// styles after focus moved on.
func FocusWalk(ctx context.Context) ([]FocusStep, error) {
	type stepResult struct {
		Done          bool              `json:"done"`
		Repeat        bool              `json:"repeat"`
		Same          bool              `json:"same"`
		InView        bool              `json:"inView"`
		El            *Element          `json:"el"`
		Focused       map[string]string `json:"focused"`
		PrevUnfocused map[string]string `json:"prevUnfocused"`
	}
	if _, err := eval[chromedp.Void](ctx, `__bt.reset()`); err != nil {
		return nil, err
	}
	var steps []FocusStep
	var lastFocused map[string]string
	for range MaxFocusSteps + 1 {
		if err := PressTab(ctx); err != nil {
			return steps, err
		}
		r, err := eval[stepResult](ctx, `__bt.step()`)
		if err != nil {
			return steps, err
		}
		if r.Same {
			continue
		}
		if lastFocused != nil && r.PrevUnfocused != nil {
			steps[len(steps)-1].Changed = diffStyles(lastFocused, r.PrevUnfocused)
		}
		if r.Done || r.Repeat || r.El == nil {
			return steps, nil
		}
		steps = append(steps, FocusStep{Element: *r.El, InView: r.InView})
		lastFocused = r.Focused
	}
	return steps, fmt.Errorf("die Tab-Reihenfolge endet nicht nach %d Schritten", MaxFocusSteps)
}

func diffStyles(focused, unfocused map[string]string) []string {
	f, u := drawn(focused), drawn(unfocused)
	var out []string
	for k := range mapsKeys(f, u) {
		if f[k] != u[k] {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, orNone(u[k]), orNone(f[k])))
		}
	}
	sort.Strings(out)
	return out
}

// drawn keeps only the properties that paint something: an outline colour
// or offset without an outline, a border colour on a 0 px border, an
// underline colour without an underline, or a pseudo-element without
// content cannot make focus visible, so a change in them must not count.
func drawn(st map[string]string) map[string]string {
	out := make(map[string]string, len(st))
	for k, v := range st {
		out[k] = v
	}
	if out["outline-style"] == "none" || out["outline-width"] == "0px" {
		for _, k := range []string{"outline-style", "outline-width", "outline-color", "outline-offset"} {
			delete(out, k)
		}
	}
	for _, side := range []string{"top", "right", "bottom", "left"} {
		if out["border-"+side+"-width"] == "0px" {
			delete(out, "border-"+side+"-width")
			delete(out, "border-"+side+"-color")
		}
	}
	if out["text-decoration-line"] == "none" {
		for _, k := range []string{"text-decoration-line", "text-decoration-thickness", "text-decoration-color", "text-underline-offset"} {
			delete(out, k)
		}
	}
	for _, pseudo := range []string{"::before", "::after"} {
		if c := out[pseudo+" content"]; c == "none" || c == "normal" {
			for k := range st {
				if strings.HasPrefix(k, pseudo+" ") {
					delete(out, k)
				}
			}
		}
	}
	return out
}

func mapsKeys(ms ...map[string]string) map[string]struct{} {
	keys := map[string]struct{}{}
	for _, m := range ms {
		for k := range m {
			keys[k] = struct{}{}
		}
	}
	return keys
}

func orNone(v string) string {
	if v == "" {
		return "(nichts)"
	}
	return v
}

// FocusSignature describes the page's focusable elements by structure,
// not text: two pages with equal signatures (one template, other words)
// behave the same under the keyboard, so a test over hundreds of generated
// pages can walk one of each kind. Tab order, focus styles and the skip link
// follow from the elements, their ancestors' tags, ids, classes and
// attributes, and the stylesheets, which the signature holds. A run of like
// elements in a row (the links of one list) counts once: three of them
// behave as five do.
func FocusSignature(ctx context.Context) (string, error) {
	return eval[string](ctx, `__bt.focusSignature()`)
}

// ShownElements tells, one character per element in document order, which
// elements are rendered at all (not hidden by display, visibility or
// content-visibility, on themselves or an ancestor). Equal strings at two
// window sizes mean no element is shown at one size and hidden at the
// other: axe's rules apart from [LayoutRules] then see the same page.
func ShownElements(ctx context.Context) (string, error) {
	return eval[string](ctx, `__bt.shown()`)
}

// Requests records every request a tab makes.
type Requests struct {
	mu   sync.Mutex
	urls []string
	last time.Time
	stop context.CancelFunc
}

// RecordRequests starts recording the requests of the tab; call it before
// navigating, and Stop when done if the tab lives on.
func RecordRequests(ctx context.Context) (*Requests, error) {
	lctx, cancel := context.WithCancel(ctx)
	r := &Requests{last: time.Now(), stop: cancel}
	err := chromedp.Listen(lctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			r.mu.Lock()
			r.urls = append(r.urls, e.Request.URL)
			r.last = time.Now()
			r.mu.Unlock()
		}
	})
	if err != nil {
		cancel()
		return nil, err
	}
	return r, nil
}

// Stop ends the recording.
func (r *Requests) Stop() { r.stop() }

// URLs returns the requested URLs so far, in order.
func (r *Requests) URLs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.urls)
}

// WaitIdle waits until no request started for quiet (at most max), for pages
// that load more after the load event, such as the self-check's wasm.
func (r *Requests) WaitIdle(ctx context.Context, quiet, max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		r.mu.Lock()
		idle := time.Since(r.last)
		r.mu.Unlock()
		if idle >= quiet {
			return
		}
		time.Sleep(quiet / 4)
	}
}

// Foreign returns the recorded URLs that go anywhere but the loopback
// server (data: and blob: URLs stay in the page and are allowed).
func (r *Requests) Foreign() []string {
	var out []string
	for _, u := range r.URLs() {
		if !IsLocal(u) {
			out = append(out, u)
		}
	}
	return out
}

// IsLocal reports whether a URL stays on this machine: http(s) to
// 127.0.0.1 or localhost, or an in-page data:/blob:/about: URL.
func IsLocal(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
		h := u.Hostname()
		return h == "127.0.0.1" || h == "localhost"
	}
	return false
}

// StorageUsed lists cookies (from the browser's cookie jar for the page and
// from document.cookie) and localStorage keys; the site must set none.
func StorageUsed(ctx context.Context) ([]string, error) {
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range res.Cookies {
		out = append(out, fmt.Sprintf("Cookie %s (Domain %s)", c.Name, c.Domain))
	}
	js, err := eval[[]string](ctx, `__bt.storage()`)
	if err != nil {
		return nil, err
	}
	return append(out, js...), nil
}

// ClearStorage removes the cookies of the tab's browser context and the
// page's localStorage, for a tab that goes on to the next page.
func ClearStorage(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		return err
	}
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`try { localStorage.clear(); } catch (e) {}`))
	return err
}

// ScriptCount is the number of <script> elements in the page.
func ScriptCount(ctx context.Context) (int, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[int](`document.scripts.length`))
}
