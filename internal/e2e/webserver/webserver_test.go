package webserver_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/security"
	"github.com/chromedp/chromedp"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/deploy"
	"budgetsite/internal/receiver"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/store"
)

// servers are the web servers an operator can choose, each tested alike.
var servers = []string{"caddy", "nginx"}

func TestWebServer(t *testing.T) {
	for _, server := range servers {
		t.Run(server, func(t *testing.T) {
			need(t, server, server)
			b := buildSite(t)
			s := start(t, b, server)
			t.Run("Kompression", s.testCompression)
			t.Run("Sicherheits-Header", s.testHeaders)
			t.Run("Cache und Typen", s.testCache)
			t.Run("404 je Variante", s.testNotFound)
			t.Run("HTTPS und Host", s.testRedirectAndHosts)
			t.Run("Anfragen-Grenze je Besucher", s.testRateLimit)
			t.Run("Formulare mit der Tastatur", s.testForms)
		})
	}
}

// pages lists the URL paths of every HTML page of the built site.
func (s *stack) pages(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(s.dir, p)
		out = append(out, "/"+strings.TrimSuffix(filepath.ToSlash(rel), "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// file is the built file behind a URL path.
func (s *stack) file(urlPath string) string {
	p := filepath.Join(s.dir, filepath.FromSlash(urlPath))
	if strings.HasSuffix(urlPath, "/") {
		p = filepath.Join(p, "index.html")
	}
	return p
}

// hasBrotli tells whether the build wrote .br copies at all.
func (s *stack) hasBrotli() bool {
	found := false
	filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".br") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// testCompression: every page comes precompressed, brotli for a client that
// takes it, gzip for one that does not, byte for byte the build's copy.
func (s *stack) testCompression(t *testing.T) {
	br := s.hasBrotli()
	if !br {
		t.Log("HINWEIS: der Build schreibt noch keine .br-Dateien; geprüft wird gzip. Sobald er es tut, muss jede Seite .br haben und mit br ausgeliefert werden.")
	}
	pages := s.pages(t)
	c := s.client("127.0.0.1")
	var mu sync.Mutex
	var brSizes, gzSizes []int
	check := func(p string) {
		f := s.file(p)
		for _, tc := range []struct{ ae, enc, ext string }{{"br, gzip", "br", ".br"}, {"gzip", "gzip", ".gz"}} {
			if tc.enc == "br" && !br {
				tc.enc, tc.ext = "gzip", ".gz"
			}
			want, err := os.ReadFile(f + tc.ext)
			if err != nil {
				t.Errorf("%s: der Build schrieb keine %s-Kopie", p, tc.ext)
				continue
			}
			resp, body := get(t, c, s.base+strings.TrimPrefix(p, "/"), tc.ae)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.enc || !bytes.Equal(body, want) {
				t.Errorf("%s mit Accept-Encoding %q: %d, Content-Encoding %q, %d Bytes (erwartet %s, %d Bytes)",
					p, tc.ae, resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body), tc.enc, len(want))
				continue
			}
			if v := resp.Header.Get("Vary"); !strings.Contains(strings.ToLower(v), "accept-encoding") {
				t.Errorf("%s: Vary %q ohne Accept-Encoding", p, v)
			}
			mu.Lock()
			if tc.ae == "gzip" {
				gzSizes = append(gzSizes, len(body))
			} else if tc.enc == "br" {
				brSizes = append(brSizes, len(body))
			}
			mu.Unlock()
		}
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				check(p)
			}
		}()
	}
	for _, p := range pages {
		work <- p
	}
	close(work)
	wg.Wait()
	t.Logf("%d Seiten: gzip Median %d, höchstens %d Bytes; br Median %d, höchstens %d Bytes",
		len(pages), median(gzSizes), slices.Max(append(gzSizes, 0)), median(brSizes), slices.Max(append(brSizes, 0)))

	// A client that takes neither gets the file itself.
	resp, body := get(t, c, s.base, "identity")
	if want, _ := os.ReadFile(s.file("/")); resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, want) {
		t.Errorf("ohne Kompression: Content-Encoding %q, %d Bytes statt %d", resp.Header.Get("Content-Encoding"), len(body), len(want))
	}
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// fingerprinted returns the URL path of a fingerprinted asset of the site
// (the stylesheet is inlined into every page; the self-check's script is
// fingerprinted) and a word its Content-Type contains.
func (s *stack) fingerprinted(t *testing.T) (path, ctype string) {
	t.Helper()
	re := regexp.MustCompile(deploy.Fingerprinted)
	filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && re.MatchString(filepath.ToSlash(p)) {
			rel, _ := filepath.Rel(s.dir, p)
			path = "/" + filepath.ToSlash(rel)
			return filepath.SkipAll
		}
		return nil
	})
	switch {
	case strings.HasSuffix(path, ".css"):
		return path, "text/css"
	case strings.HasSuffix(path, ".js"):
		return path, "javascript"
	}
	t.Fatal("keine Datei mit Fingerabdruck im Build")
	return "", ""
}

// testHeaders: every kind of response carries each security header exactly
// once (the receiver's own copies replaced), with the CSP of its page.
func (s *stack) testHeaders(t *testing.T) {
	c := s.client("127.0.0.1")
	content, script := s.scan.CSP(false), s.scan.CSP(true)
	asset, _ := s.fingerprinted(t)
	if strings.Contains(content, "script-src") || strings.Contains(content, "unsafe-inline") || strings.Contains(script, "unsafe-inline") ||
		!strings.Contains(script, "'wasm-unsafe-eval'") || !strings.Contains(content, "frame-ancestors 'none'") {
		t.Errorf("CSP zu weit:\nInhalt: %s\nSkript: %s", content, script)
	}
	post := func(u string) (*http.Response, []byte) {
		resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader("variante=de"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp, nil
	}
	for _, tc := range []struct {
		name, path string
		csp        string
		status     int
		post       bool
	}{
		{"Startseite", "/", content, 200, false},
		{"Leichte Sprache", "/leichte-sprache/", content, 200, false},
		{"Selbst-Check", "/selbstcheck/", script, 200, false},
		{"Selbst-Check Leichte Sprache", "/leichte-sprache/selbstcheck/", script, 200, false},
		{"404", "/gibt-es-nicht/", content, 404, false},
		{"Datei mit Fingerabdruck", asset, content, 200, false},
		{"Zustand (Empfänger)", receiver.HealthPath, content, 200, false},
		{"Formular-Fehler (Empfänger)", "/anfragen/ausstellung", content, 422, true},
	} {
		var resp *http.Response
		if tc.post {
			resp, _ = post(s.base + strings.TrimPrefix(tc.path, "/"))
		} else {
			resp, _ = get(t, c, s.base+strings.TrimPrefix(tc.path, "/"), "br, gzip")
		}
		if resp.StatusCode != tc.status {
			t.Errorf("%s: Status %d, erwartet %d", tc.name, resp.StatusCode, tc.status)
		}
		want := append(slices.Clone(deploy.Headers), [2]string{"Content-Security-Policy", tc.csp}, [2]string{"Strict-Transport-Security", deploy.HSTS})
		for _, h := range want {
			if got := resp.Header.Values(h[0]); len(got) != 1 || got[0] != h[1] {
				t.Errorf("%s (%s): %s = %q, erwartet einmal %q", tc.name, tc.path, h[0], got, h[1])
			}
		}
	}
}

// testCache: fingerprinted assets a year, everything else asks again and
// gets 304; the receiver's answers keep their own rule; file types labelled.
func (s *stack) testCache(t *testing.T) {
	c := s.client("127.0.0.1")
	asset, assetType := s.fingerprinted(t)
	for _, tc := range []struct{ path, cache, ctype string }{
		{"/", deploy.RevalidateCache, "text/html; charset=utf-8"},
		{"/budget/", deploy.RevalidateCache, "text/html; charset=utf-8"},
		{asset, deploy.ImmutableCache, assetType},
		{"/selbstcheck/wasm_exec.js", deploy.RevalidateCache, "javascript"},
		{"/selbstcheck/selfcheck.wasm", deploy.RevalidateCache, "application/wasm"},
		{"/sitemap.xml", deploy.RevalidateCache, "xml"},
		{"/robots.txt", deploy.RevalidateCache, "text/plain"},
		{receiver.HealthPath, "no-store", "application/json"},
	} {
		resp, body := get(t, c, s.base+strings.TrimPrefix(tc.path, "/"), "br, gzip")
		if tc.path == receiver.HealthPath {
			var h receiver.Health
			if err := json.Unmarshal(body, &h); err != nil || h.Status != "ok" || h.Datenbank != "ok" {
				t.Errorf("Zustand hinter %s: %s (%v)", s.server, body, err)
			}
		}
		if got := resp.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tc.cache {
			t.Errorf("%s: Cache-Control %q, erwartet %q", tc.path, got, tc.cache)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tc.ctype) {
			t.Errorf("%s: Content-Type %q, erwartet %q", tc.path, ct, tc.ctype)
		}
		if tc.cache != deploy.RevalidateCache {
			continue
		}
		// Revalidated: the same version answers 304 without a body.
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Errorf("%s: kein ETag zum Nachfragen", tc.path)
			continue
		}
		again, body := get(t, c, s.base+strings.TrimPrefix(tc.path, "/"), "br, gzip", "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s mit If-None-Match: %d, %d Bytes", tc.path, again.StatusCode, len(body))
		}
	}
}

// testNotFound: a missing page gets the 404 page of its variant with status
// 404; hidden files and the receiver's bundle are not served.
func (s *stack) testNotFound(t *testing.T) {
	c := s.client("127.0.0.1")
	for _, tc := range []struct{ path, page string }{
		{"/gibt-es-nicht/", "404.html"},
		{"/budget/gibt-es-nicht", "404.html"},
		{"/leichte-sprache/gibt-es-nicht/", "leichte-sprache/404.html"},
		{"/.versteckt", "404.html"},
	} {
		want, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(tc.page)))
		if err != nil {
			t.Fatal(err)
		}
		resp, body := get(t, c, s.base+strings.TrimPrefix(tc.path, "/"), "identity")
		if resp.StatusCode != 404 || !bytes.Equal(body, want) {
			t.Errorf("%s: %d, %d Bytes; erwartet 404 mit %s (%d Bytes)", tc.path, resp.StatusCode, len(body), tc.page, len(want))
		}
		if resp, _ := get(t, c, s.base+strings.TrimPrefix(tc.path, "/"), "gzip"); resp.StatusCode != 404 || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s mit gzip: %d, Content-Encoding %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
	secret, _ := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(bundle.File)))
	if resp, body := get(t, c, s.base+bundle.File, "identity"); resp.StatusCode == 200 || bytes.Contains(body, secret[:min(len(secret), 64)]) {
		t.Errorf("%s ist öffentlich: %d", bundle.File, resp.StatusCode)
	}
}

// testRedirectAndHosts: HTTP goes to HTTPS with path and query; a folder
// without its slash gets it; other hosts get nothing.
func (s *stack) testRedirectAndHosts(t *testing.T) {
	c := s.client("127.0.0.1")
	resp, _ := get(t, c, s.http+"budget/?a=1", "")
	if want := s.base + "budget/?a=1"; resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Errorf("HTTP: %d nach %q, erwartet 308 nach %s", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	resp, _ = get(t, c, s.base+"budget", "")
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 != 3 || !strings.HasSuffix(loc, "/budget/") {
		t.Errorf("/budget: %d nach %q", resp.StatusCode, loc)
	}
	// Another host over HTTP: the connection ends without an answer.
	req, _ := http.NewRequest(http.MethodGet, s.http, nil)
	req.Host = "anderer-host.example"
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("HTTP für einen anderen Host: %d statt keiner Antwort", resp.StatusCode)
	}
	// And over HTTPS there is no handshake for it.
	conn, err := tls.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", s.opts.HTTPSPort), &tls.Config{ServerName: "anderer-host.example", InsecureSkipVerify: true})
	if err == nil {
		conn.Close()
		t.Error("HTTPS für einen anderen Host: Handshake gelang")
	}
}

// testRateLimit: the receiver sees each visitor's own address through the web
// server. One visitor who uses up the limit is refused (also when it claims
// another address in X-Forwarded-For); another visitor still gets through.
func (s *stack) testRateLimit(t *testing.T) {
	burst := receiver.Defaults().Burst
	post := func(c *http.Client, claim string) int {
		req, _ := http.NewRequest(http.MethodPost, s.base+"anfragen/ausstellung", strings.NewReader("variante=de"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if claim != "" {
			req.Header.Set("X-Forwarded-For", claim)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	a, b := s.client("127.0.0.2"), s.client("127.0.0.3")
	for i := range burst {
		if code := post(a, ""); code != http.StatusUnprocessableEntity {
			t.Fatalf("Besucher A, Anfrage %d: %d statt 422", i+1, code)
		}
	}
	if code := post(a, ""); code != http.StatusTooManyRequests {
		t.Errorf("Besucher A nach %d Anfragen: %d statt 429", burst, code)
	}
	if code := post(a, "127.0.0.9"); code != http.StatusTooManyRequests {
		t.Errorf("Besucher A mit anderer Adresse in X-Forwarded-For: %d statt 429", code)
	}
	if code := post(b, ""); code != http.StatusUnprocessableEntity {
		t.Errorf("Besucher B: %d statt 422 (teilt sich die Grenze mit A)", code)
	}
}

// testForms: one request per form, typed with the keyboard only in Chromium,
// through the web server to the receiver and into its database; the pages of
// the flow and the self-check's WebAssembly break no rule of the CSP.
func (s *stack) testForms(t *testing.T) {
	browsertest.ChromiumPath(t)
	ctx := browsertest.NewTab(t)
	var mu sync.Mutex
	var violations []string
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && e.Entry != nil && strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			violations = append(violations, e.Entry.URL+": "+e.Entry.Text)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// The test's own certificate: the browser is told to trust it here only.
		if _, err := cdp.Call(ctx, tg, security.SetIgnoreCertificateErrors, security.SetIgnoreCertificateErrorsParams{Ignore: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// The detector works: a request the CSP forbids is reported.
	fail(browsertest.Open(ctx, s.base+"kontakt/"))
	_, err = browsertest.Eval(ctx, `fetch("/robots.txt").then(() => "", () => ""), ""`)
	fail(err)
	waitFor := func(cond func() bool) bool {
		for range 50 {
			if cond() {
				return true
			}
			time.Sleep(100 * time.Millisecond)
		}
		return false
	}
	if !waitFor(func() bool { mu.Lock(); defer mu.Unlock(); return len(violations) > 0 }) {
		t.Fatal("eine verbotene Anfrage (fetch auf einer Inhaltsseite) meldet der Browser nicht: die CSP-Prüfung sähe nichts")
	}
	mu.Lock()
	violations = nil
	mu.Unlock()

	b, err := bundle.Load(s.dir)
	fail(err)
	set := b.Forms()
	numbers := map[string]string{}
	today := time.Now()
	for _, id := range set.IDs() {
		f := set.Forms[id]
		fail(browsertest.Open(ctx, s.base+strings.TrimPrefix(f.Seite.DE, "/")))
		fail(browsertest.FillForm(ctx, f, f.Example(today)))
		// Tab on to the send button and press Enter.
		for i := 0; ; i++ {
			typ, err := browsertest.Eval(ctx, `document.activeElement ? document.activeElement.type || "" : ""`)
			fail(err)
			if typ == "submit" {
				break
			}
			if i == 30 {
				t.Fatalf("%s: Tab erreicht den Knopf zum Absenden nicht", id)
			}
			fail(browsertest.PressTab(ctx))
		}
		fail(browsertest.PressEnterKey(ctx))
		u, err := browsertest.WaitURL(ctx, regexp.MustCompile(`/anfragen/`+id+`/danke/\d{4}-\d{5,}$`))
		if err != nil {
			page, _ := browsertest.Eval(ctx, `document.title + " " + [...document.querySelectorAll(".fehlerzusammenfassung a")].map(a => a.textContent).join(" | ")`)
			t.Fatalf("%s: %v (%s)", id, err, page)
		}
		numbers[id] = u[strings.LastIndex(u, "/")+1:]
	}

	// The self-check loads its script and WebAssembly under its CSP.
	fail(browsertest.Open(ctx, s.base+"selbstcheck/"))
	state, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(function(){var s=document.documentElement.getAttribute("data-selbstcheck");return s||false})()`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || state != "bereit" {
		t.Errorf("der Selbst-Check wurde hinter %s nicht bereit: %q, %v", s.server, state, err)
	}
	time.Sleep(200 * time.Millisecond) // reports arrive after the event
	mu.Lock()
	for _, v := range violations {
		t.Errorf("CSP-Verstoß: %s", v)
	}
	mu.Unlock()

	// Every request is in the database, under the number its page showed.
	s.stopReceive()
	st, err := store.Open(s.db)
	fail(err)
	defer st.Close()
	reqs, err := st.List(context.Background(), store.Filter{}, time.UTC)
	fail(err)
	got := map[string]string{}
	for _, r := range reqs {
		got[r.Formular] = r.Nummer
	}
	if len(reqs) != len(numbers) || !maps.Equal(got, numbers) {
		t.Errorf("gespeichert %v, auf den Danke-Seiten %v", got, numbers)
	}
}
