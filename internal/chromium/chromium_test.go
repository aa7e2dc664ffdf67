package chromium_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/chromium"
)

// Launch is what `budgetsite screenshots` starts: it loads a page from
// loopback, a request beyond it ends at the fence, and Close leaves no
// profile behind.
func TestLaunchFencedToLoopback(t *testing.T) {
	browsertest.ChromiumPath(t) // skips, or fails in CI, without Chromium
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Probe</title><img src="http://bilder.example.com/logo.png" alt="">`))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := chromium.Launch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL))
	var title string
	if err == nil {
		title, err = chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.title`))
	}
	hits := strings.Join(b.Hits(), "\n")
	dir := b.Dir()
	b.Close()
	if err != nil || title != "Probe" {
		t.Fatalf("Seite nicht geladen: %q, %v", title, err)
	}
	if !strings.Contains(hits, "bilder.example.com") {
		t.Errorf("Zaun sah die Anfrage nach außen nicht; Treffer:\n%s", hits)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Profil %s nach Close noch da (%v)", dir, err)
	}
}
