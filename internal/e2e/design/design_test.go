// Package design checks the look and layout promises of issue 11 in
// Chromium, on one page of each template in both variants (the pages that
// `budgetsite screenshots` photographs): the <h1> on a phone's first screen,
// the header within a third of it, the main menu on one line at 1280 px,
// targets of at least 44 × 44 CSS px, axe-core with the AAA rules, a
// sensible page without CSS, and buttons and focus in forced colours.
package design

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/screenshots"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

//go:embed design.js
var designJS string

// eval runs a __design helper in the tab's current document.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](designJS+"\n;"+expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := browsertest.Open(ctx, url); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// pages are the template pages of the built site.
func pages(t *testing.T) (string, []screenshots.Page) {
	t.Helper()
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)
	dir, base := browsertest.Site(t)
	ps, err := screenshots.Pages(dir)
	if err != nil {
		t.Fatal(err)
	}
	return base, ps
}

// A third of a 320 × 640 screen, and the screen itself.
const (
	phoneHeight = 640
	headerMax   = phoneHeight / 3
)

// TestTemplates loads each template page once, in a tab of its own, and
// checks it at both widths and in both failure modes:
//
//   - 320 × 640: the header and menu take at most a third of the screen,
//     the <h1> ends on the first screen (on the start pages the self-check's
//     start button too), the targets are large enough, and
//     axe (with the AAA rules) finds nothing;
//   - forced colours (Windows' high contrast): every button keeps a border
//     and every focusable element a focus indicator of at least 2 px;
//   - 1280 × 800: the main menu is one line and the targets are large enough
//     (axe runs at 320 px here; the site-wide test runs it on every page at
//     both sizes with the same tags);
//   - without CSS: the page reads in a sensible order and announces no
//     decorative picture.
//
// The steps share the loaded page: media features and the viewport change
// in place, and the stylesheet is removed last.
func TestTemplates(t *testing.T) {
	base, ps := pages(t)
	for _, p := range ps {
		t.Run(p.Template, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t, browsertest.Mobile)
			open(t, ctx, base+p.Path)
			t.Run("320", func(t *testing.T) { phone(t, ctx) })
			t.Run("forced-colors", func(t *testing.T) { forcedColors(t, ctx) })
			t.Run("1280", func(t *testing.T) { desktop(t, ctx) })
			t.Run("ohne-CSS", func(t *testing.T) { withoutCSS(t, ctx) })
		})
	}
}

func phone(t *testing.T, ctx context.Context) {
	type screen struct{ H1, Header, H1Count, Start int }
	s := eval[screen](t, ctx, `__design.firstScreen()`)
	t.Logf("320 × 640: Kopf bis %d px, <h1> bis %d px, Startknopf bis %d px", s.Header, s.H1, s.Start)
	if s.H1Count != 1 {
		t.Errorf("%d <h1> auf der Seite", s.H1Count)
	}
	if s.H1 > phoneHeight {
		t.Errorf("die <h1> endet bei %d px, nach dem ersten Bildschirm (%d px)", s.H1, phoneHeight)
	}
	// The start pages lead to the self-check: its button is on the first screen.
	if s.Start > phoneHeight {
		t.Errorf("der Startknopf endet bei %d px, nach dem ersten Bildschirm (%d px)", s.Start, phoneHeight)
	}
	if s.Header > headerMax {
		t.Errorf("Kopf und Menü enden bei %d px, mehr als ein Drittel des Bildschirms (%d px)", s.Header, headerMax)
	}
	for _, small := range eval[[]string](t, ctx, `__design.smallTargets()`) {
		t.Errorf("Ziel kleiner als 44 × 44 px: %s", small)
	}
	axe(t, ctx)
}

func forcedColors(t *testing.T, ctx context.Context) {
	setForcedColors(t, ctx, "active")
	defer setForcedColors(t, ctx, "")
	if !eval[bool](t, ctx, `matchMedia("(forced-colors: active)").matches`) {
		t.Fatal("forced-colors: active greift nicht")
	}
	for _, b := range eval[[]string](t, ctx, `__design.buttonsWithoutBorder()`) {
		t.Errorf("Knopf ohne Rahmen: %s", b)
	}
	type focus struct {
		Count    int
		Problems []string
	}
	f := eval[focus](t, ctx, `__design.focusProblems()`)
	if f.Count == 0 {
		t.Fatal("nichts auf der Seite lässt sich fokussieren")
	}
	for _, msg := range f.Problems {
		t.Errorf("mit forced-colors: %s", msg)
	}
}

// setForcedColors emulates forced-colors: value ("" ends the emulation, and
// the page must then say so, or the later steps would measure the wrong page).
func setForcedColors(t *testing.T, ctx context.Context, value string) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: value}}})
	if err != nil {
		t.Fatal(err)
	}
	if value == "" && eval[bool](t, ctx, `document.activeElement && document.activeElement.blur(), scrollTo(0, 0), matchMedia("(forced-colors: active)").matches`) {
		t.Fatal("forced-colors bleibt aktiv")
	}
}

func desktop(t *testing.T, ctx context.Context) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	if w := eval[int](t, ctx, `innerWidth`); w != 1280 {
		t.Fatalf("Fensterbreite %d px statt 1280", w)
	}
	type lines struct{ Items, Lines int }
	l := eval[lines](t, ctx, `__design.menuLines()`)
	if l.Items < 2 || l.Lines != 1 {
		t.Errorf("das Hauptmenü zeigt %d Einträge auf %d Zeilen, erwartet: alle auf einer", l.Items, l.Lines)
	}
	for _, small := range eval[[]string](t, ctx, `__design.smallTargets()`) {
		t.Errorf("Ziel kleiner als 44 × 44 px: %s", small)
	}
}

func withoutCSS(t *testing.T, ctx context.Context) {
	if n := eval[int](t, ctx, `__design.stylesOff()`); n != 0 {
		t.Fatalf("noch %d Stylesheets nach dem Abschalten", n)
	}
	for _, problem := range eval[[]string](t, ctx, `__design.readingOrder()`) {
		t.Errorf("ohne CSS: %s", problem)
	}
	for _, img := range unnamedImages(t, ctx) {
		t.Errorf("ohne CSS wird ein Bild ohne Namen vorgelesen: %s", img)
	}
}

func axe(t *testing.T, ctx context.Context) {
	t.Helper()
	vs, err := browsertest.Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("axe: %s", v)
	}
}

// unnamedImages lists the images the accessibility tree offers without a
// name: a picture that is announced but says nothing.
func unnamedImages(t *testing.T, ctx context.Context) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	res, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range res.Nodes {
		if n.Ignored || n.Role == nil {
			continue
		}
		role := strings.Trim(string(n.Role.Value), `"`)
		if role != "image" && role != "img" && role != "graphics-document" && role != "graphics-symbol" {
			continue
		}
		name := ""
		if n.Name != nil {
			name = strings.Trim(string(n.Name.Value), `"`)
		}
		if strings.TrimSpace(name) == "" {
			out = append(out, fmt.Sprintf("Knoten %s (%s)", n.NodeID, role))
		}
	}
	return out
}
