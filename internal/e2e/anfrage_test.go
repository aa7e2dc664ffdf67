package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/forms"
	"budgetsite/internal/receiver"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/store"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// enableReceiver points the forms of the project copy at root to the
// receiver, as a deployment does in hugo.toml ([params.anfragen] adresse).
// When hugo.toml does so already it changes nothing, so the build is the
// shared one of the whole site.
func enableReceiver(root string) error {
	p := filepath.Join(root, "hugo.toml")
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if regexp.MustCompile(`(?m)^\s*\[params\.anfragen\]\s*\n\s*adresse\s*=\s*"/anfragen"\s*$`).Match(b) {
		return nil
	}
	s := regexp.MustCompile(`(?m)^\s*adresse\s*=.*$`).ReplaceAllString(string(b), "")
	if strings.Contains(s, "[params.anfragen]") {
		s = strings.Replace(s, "[params.anfragen]", "[params.anfragen]\n  adresse = \"/anfragen\"", 1)
	} else {
		s += "\n[params.anfragen]\n  adresse = \"/anfragen\"\n"
	}
	return os.WriteFile(p, []byte(s), 0o644)
}

// withReceiver is the site with its forms posting to the receiver.
var withReceiver = browsertest.Build{Name: "Website mit Empfänger", Prepare: enableReceiver}

// TestAnfrageKeyboardFlow: a person asks for the exhibition with the keyboard only,
// mistypes the e-mail address, lands on the error summary, follows its link to the
// field, fixes it and gets the thank-you page with the request number. axe reports
// nothing on any page of the flow, at 1280 and 320 px.
func TestAnfrageKeyboardFlow(t *testing.T) {
	browsertest.ChromiumPath(t)
	browsertest.NeedAxe(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/"
	out := browsertest.BuiltSite(t, withReceiver)

	// The receiver takes its forms, texts and retention period from the built site.
	b, err := bundle.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	set := b.Forms()
	st, err := store.Create(filepath.Join(t.TempDir(), "anfragen.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := receiver.Defaults()
	cfg.Site, cfg.Static, cfg.RatePerMinute = out, true, 0
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := receiver.NewServer(cfg, b, st)
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })

	ctx := browsertest.NewTab(t)
	axeBoth := func(page string) {
		t.Helper()
		for _, vp := range [][2]int{{1280, 800}, {320, 640}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp[0]), int64(vp[1]))); err != nil {
				t.Fatal(err)
			}
			vs, err := browsertest.Axe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("%s bei %d px: axe: %s", page, vp[0], v)
			}
		}
		chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800))
	}
	js := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	keys := func(s string, opts ...chromedp.KeyOption) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(s, opts...)); err != nil {
			t.Fatal(err)
		}
	}
	tabTo := func(id string) {
		t.Helper()
		if err := browsertest.TabTo(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	dateKeys := func(d time.Time) string {
		t.Helper()
		k, err := browsertest.DateKeys(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	waitURL := func(re *regexp.Regexp) string {
		t.Helper()
		u, err := browsertest.WaitURL(ctx, re)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	// 1. The form page.
	if err := browsertest.Open(ctx, base+"angebote/ausstellung-anfrage/"); err != nil {
		t.Fatal(err)
	}
	if js(`document.querySelector("form[action='/anfragen/ausstellung']") ? "ja" : "nein"`) != "ja" {
		t.Fatal("die Seite hat kein Formular, das an den Empfänger schickt")
	}
	axeBoth("Formular")

	start := time.Now().AddDate(0, 1, 0)
	end := start.AddDate(0, 0, 13)
	typed := map[string]string{
		"organisation":   "Selbsthilfe <Mitte> e. V.",
		"ansprechperson": "Frau A.",
		"email":          "frau.a(at)verein.example", // the deliberate mistake
		"zeitraum_von":   start.Format("02.01.2006"),
		"zeitraum_bis":   end.Format("02.01.2006"),
		"ort_adresse":    "Weg 1\n12345 Ort",
		"raum_groesse":   "80",
		"anlass":         "Fachtag",
	}
	fill := func(id, val string) {
		tabTo("feld-" + id)
		// The pages use text fields for dates (TT.MM.JJJJ); a native date field
		// takes the digits in the order of the browser's locale.
		if js(`document.activeElement.type`) == "date" {
			d, _ := time.Parse("02.01.2006", val)
			keys(dateKeys(d))
			typed[id] = d.Format(time.DateOnly)
			return
		}
		keys(val)
	}
	for _, f := range set.Forms["ausstellung"].Fields() {
		switch {
		case typed[f.Name] != "":
			fill(f.Name, typed[f.Name])
		case f.Typ == forms.TypRadio:
			tabTo(f.OptionID(f.Optionen[0].Wert))
			keys(" ")
		case f.Typ == forms.TypCheckbox:
			tabTo(f.ID())
			keys(" ")
		}
	}
	// Enter in a one-line field sends the form.
	tabTo("feld-anlass")
	if err := browsertest.PressEnter(ctx); err != nil {
		t.Fatal(err)
	}

	// 2. The error page: summary focused, message at the field, nothing lost.
	waitURL(regexp.MustCompile(`/anfragen/ausstellung$`))
	if got := js(`document.title`); !strings.HasPrefix(got, "Fehler: ") {
		t.Errorf("Titel %q", got)
	}
	if got := js(`document.activeElement.className`); got != "fehlerzusammenfassung" {
		t.Errorf("Fokus nicht auf der Fehlerzusammenfassung, sondern auf %s", js(`document.activeElement.outerHTML.slice(0, 120)`))
	}
	if got := js(`[...document.querySelectorAll(".fehlerzusammenfassung a")].map(a => a.getAttribute("href")).join(" ")`); got != "#feld-email" {
		t.Errorf("Fehler-Links %q, erwartet nur #feld-email", got)
	}
	for name, val := range typed {
		if got := js(`document.getElementById("feld-` + name + `").value`); got != val {
			t.Errorf("%s nach dem Fehler %q, getippt %q", name, got, val)
		}
	}
	if js(`document.getElementById("feld-einwilligung").checked ? "ja" : "nein"`) != "ja" {
		t.Error("Einwilligung nach dem Fehler nicht mehr angekreuzt")
	}
	axeBoth("Fehlerseite")

	// Tab to the summary's link, follow it: the e-mail field has focus.
	browsertest.PressTab(ctx)
	if got := js(`document.activeElement.getAttribute("href") || ""`); got != "#feld-email" {
		t.Fatalf("erster Tab nach der Zusammenfassung landet auf %s", js(`document.activeElement.outerHTML.slice(0, 120)`))
	}
	if err := browsertest.PressEnterKey(ctx); err != nil {
		t.Fatal(err)
	}
	if got := js(`document.activeElement.id`); got != "feld-email" {
		t.Fatalf("der Link führt nicht in das Feld (Fokus: %s)", js(`document.activeElement.outerHTML.slice(0, 120)`))
	}
	if !strings.Contains(js(`document.activeElement.getAttribute("aria-describedby") || ""`), "fehler-email") {
		t.Error("Feld nicht mit seiner Fehlermeldung verbunden")
	}
	keys(kb.End + strings.Repeat(kb.Backspace, len(typed["email"])))
	keys("frau.a@verein.example")
	browsertest.PressEnter(ctx)

	// 3. The thank-you page with the number.
	u := waitURL(regexp.MustCompile(`/anfragen/ausstellung/danke/\d{4}-\d{5,}$`))
	nr := u[strings.LastIndex(u, "/")+1:]
	if got := js(`(document.getElementById("anfrage-nummer") || document.querySelector(".anfrage-nummer strong") || {}).textContent || ""`); got != nr {
		t.Errorf("Nummer auf der Danke-Seite %q, erwartet %q", got, nr)
	}
	axeBoth("Danke-Seite")

	reqs, err := st.List(context.Background(), store.Filter{}, time.UTC)
	if err != nil || len(reqs) != 1 {
		t.Fatalf("%d Anfragen gespeichert, %v", len(reqs), err)
	}
	r := reqs[0]
	if r.Nummer != nr || r.Get("email") != "frau.a@verein.example" || r.Get("organisation") != typed["organisation"] ||
		r.Get("ort_adresse") != typed["ort_adresse"] || r.Get("kontaktweg") != "email" || r.Get("einwilligung") != "ja" {
		t.Errorf("gespeichert: %+v", r)
	}
}
