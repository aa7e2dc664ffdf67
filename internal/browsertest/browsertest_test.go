package browsertest_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestServe(t *testing.T) {
	base := browsertest.Serve(t, "testdata/good")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path     string
		status   int
		contains string
	}{
		{"", 200, "<h1>Gute Testseite</h1>"},
		{"unterseite/", 200, "<h1>Unterseite</h1>"},
		{"unterseite", 301, ""},
		{"style.css", 200, "--focus"},
		{"fehlt/", 404, ""},
		{"../bad/index.html", 404, ""}, // cleaned to /bad/index.html inside dir, never escapes it
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := client.Get(base + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if !strings.Contains(string(body), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
			if c := resp.Header.Get("Set-Cookie"); c != "" {
				t.Errorf("server sets a cookie: %s", c)
			}
		})
	}
}

func TestAxe(t *testing.T) {
	browsertest.NeedAxe(t)
	good := browsertest.Serve(t, "testdata/good")
	bad := browsertest.Serve(t, "testdata/bad")
	tests := []struct {
		name    string
		url     string
		opts    []browsertest.TabOption
		wantIDs []string // must all be reported; nil means: no violations at all
	}{
		{"gut 1280", good, nil, nil},
		{"gut 320", good, []browsertest.TabOption{browsertest.Mobile}, nil},
		{"gut Unterseite 320", good + "unterseite/", []browsertest.TabOption{browsertest.Mobile}, nil},
		{"schlecht 320 ohne JS", bad, []browsertest.TabOption{browsertest.Mobile, browsertest.NoJavaScript()}, []string{"image-alt"}},
		{"schlecht 1280", bad, nil, []string{"html-has-lang", "image-alt", "color-contrast", "label", "heading-order", "region", "landmark-one-main"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t, tt.opts...)
			if err := browsertest.Open(ctx, tt.url); err != nil {
				t.Fatal(err)
			}
			vs, err := browsertest.Axe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.ID)
			}
			if tt.wantIDs == nil {
				for _, v := range vs {
					t.Errorf("%s", v)
				}
				return
			}
			t.Logf("axe meldet: %v", ids)
			for _, id := range tt.wantIDs {
				if !slices.Contains(ids, id) {
					t.Errorf("axe meldet %q nicht (gemeldet: %v)", id, ids)
				}
			}
		})
	}
}

func TestHorizontalOverflow(t *testing.T) {
	good := browsertest.Serve(t, "testdata/good")
	bad := browsertest.Serve(t, "testdata/bad")
	tests := []struct {
		name    string
		url     string
		size    browsertest.TabOption
		scrolls bool
	}{
		{"gut 320", good, browsertest.Mobile, false},
		{"schlecht 1280", bad, browsertest.Desktop, false},
		{"schlecht 320", bad, browsertest.Mobile, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t, tt.size)
			if err := browsertest.Open(ctx, tt.url); err != nil {
				t.Fatal(err)
			}
			o, err := browsertest.HorizontalOverflow(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if o.Scrolls != tt.scrolls {
				t.Fatalf("Scrolls = %v, want %v: %s", o.Scrolls, tt.scrolls, o)
			}
			if o.Scrolls && !slices.ContainsFunc(o.Culprits, func(c browsertest.Culprit) bool {
				return strings.Contains(c.HTML, `class="breit"`)
			}) {
				t.Errorf("the wide box is not named as the cause: %s", o)
			}
		})
	}
}

func TestSkipLink(t *testing.T) {
	good := browsertest.Serve(t, "testdata/good")
	bad := browsertest.Serve(t, "testdata/bad")
	for _, size := range []browsertest.TabOption{browsertest.Desktop, browsertest.Mobile} {
		ctx := browsertest.NewTab(t, size, browsertest.NoJavaScript())
		if err := browsertest.Open(ctx, good); err != nil {
			t.Fatal(err)
		}
		if err := browsertest.CheckSkipLink(ctx); err != nil {
			t.Errorf("gute Seite: %v", err)
		}
		if err := browsertest.Open(ctx, bad); err != nil {
			t.Fatal(err)
		}
		err := browsertest.CheckSkipLink(ctx)
		if err == nil || !strings.Contains(err.Error(), "nicht auf einem Sprunglink") {
			t.Errorf("schlechte Seite: err = %v, want the missing skip link", err)
		}
	}
}

func TestFocusWalk(t *testing.T) {
	good := browsertest.Serve(t, "testdata/good")
	bad := browsertest.Serve(t, "testdata/bad")
	ctx := browsertest.NewTab(t, browsertest.NoJavaScript())

	if err := browsertest.Open(ctx, good); err != nil {
		t.Fatal(err)
	}
	steps, err := browsertest.FocusWalk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.Element.Tag+" "+s.Element.Text)
		if !s.Visible() || !s.InView {
			t.Errorf("gute Seite: %s: sichtbar=%v im Fenster=%v", s.Element, s.Visible(), s.InView)
		}
	}
	want := []string{"a Zum Inhalt springen", "a Startseite", "a Unterseite", "input ", "button Senden", "a Erklärung zur Barrierefreiheit"}
	if !slices.Equal(got, want) {
		t.Errorf("Tab-Reihenfolge\n got %q\nwant %q", got, want)
	}

	if err := browsertest.Open(ctx, bad); err != nil {
		t.Fatal(err)
	}
	steps, err = browsertest.FocusWalk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var invisible []string
	for _, s := range steps {
		t.Logf("%s: %v", s.Element, s.Changed)
		if !s.Visible() {
			invisible = append(invisible, s.Element.Tag+" "+s.Element.Text)
		}
	}
	// The input keeps the default focus ring; links and the button lost theirs.
	if want := []string{"a Start", "a hier", "button Knopf"}; !slices.Equal(invisible, want) {
		t.Errorf("schlechte Seite, ohne sichtbaren Fokus: got %q, want %q", invisible, want)
	}
}

func TestNetworkFenceAndStorage(t *testing.T) {
	base := browsertest.Serve(t, "testdata/foreign")

	t.Run("mit JavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t)
		reqs, err := browsertest.RecordRequests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := browsertest.Open(ctx, base); err != nil {
			t.Fatal(err)
		}
		foreign := reqs.Foreign()
		for _, want := range []string{"https://fonts.example.org/schrift.css", "http://bilder.example.com/logo.png"} {
			if !slices.Contains(foreign, want) {
				t.Errorf("fremde Anfrage %s nicht erkannt (fremd: %v)", want, foreign)
			}
		}
		used, err := browsertest.StorageUsed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(used) < 2 {
			t.Errorf("Cookie und localStorage nicht erkannt: %v", used)
		}
		if err := browsertest.ClearStorage(ctx); err != nil {
			t.Fatal(err)
		}
		if used, err := browsertest.StorageUsed(ctx); err != nil || len(used) > 0 {
			t.Errorf("nach ClearStorage noch belegt: %v %v", used, err)
		}
		reqs.Stop()
		n := len(reqs.URLs())
		if err := browsertest.Open(ctx, base+"?nochmal"); err != nil {
			t.Fatal(err)
		}
		if len(reqs.URLs()) != n {
			t.Errorf("nach Stop weiter aufgezeichnet: %v", reqs.URLs()[n:])
		}
		// Both hosts hit the fence, none resolved to the outside.
		hits := strings.Join(browsertest.FenceHits(), "\n")
		for _, host := range []string{"fonts.example.org:443", "bilder.example.com/logo.png"} {
			if !strings.Contains(hits, host) {
				t.Errorf("Zaun sah %s nicht; Treffer:\n%s", host, hits)
			}
		}
	})

	t.Run("ohne JavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browsertest.NoJavaScript())
		if err := browsertest.Open(ctx, base+"?ohne-js"); err != nil {
			t.Fatal(err)
		}
		used, err := browsertest.StorageUsed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Each tab has its own browser context, so nothing carries over
		// from the tab above that ran the script.
		if len(used) > 0 {
			t.Errorf("Speicher ohne Skript belegt: %v", used)
		}
		el, err := pageText(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if el != "ohne Skript" {
			t.Errorf("Skript lief trotz NoJavaScript: %q", el)
		}
	})
}

func TestVNU(t *testing.T) {
	// One run over both folders: Java's start-up is most of the time.
	errs := browsertest.VNU(t, "testdata/good", "testdata/bad")
	var bad int
	for _, e := range errs {
		switch {
		case strings.HasPrefix(e, "good/"):
			t.Errorf("gute Seiten: %s", e)
		case strings.HasPrefix(e, "bad/"):
			bad++
		default:
			t.Errorf("Zeile ohne Ordner: %s", e)
		}
	}
	if bad == 0 {
		t.Fatalf("schlechte Seite: keine Fehler gemeldet (%q)", errs)
	}
	t.Logf("Nu meldet:\n%s", strings.Join(errs, "\n"))
}

func TestFocusSignature(t *testing.T) {
	good := browsertest.Serve(t, "testdata/good")
	ctx := browsertest.NewTab(t)
	sig := func() string {
		t.Helper()
		s, err := browsertest.FocusSignature(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if err := browsertest.Open(ctx, good); err != nil {
		t.Fatal(err)
	}
	home := sig()
	if err := runJS(ctx, `document.querySelectorAll("a, p").forEach(e => e.append(" und noch mehr Text"))`); err != nil {
		t.Fatal(err)
	}
	if got := sig(); got != home {
		t.Errorf("anderer Text ändert die Signatur:\n%s\n---\n%s", home, got)
	}
	if err := runJS(ctx, `document.querySelector("footer a").classList.add("knopf")`); err != nil {
		t.Fatal(err)
	}
	if sig() == home {
		t.Error("eine neue Klasse an einem Link ändert die Signatur nicht")
	}
	if err := browsertest.Open(ctx, good+"unterseite/"); err != nil {
		t.Fatal(err)
	}
	if sig() == home {
		t.Error("Unterseite (ohne Formular) hat dieselbe Signatur wie die Startseite")
	}
}
