package receiver

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/htmlnode"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/store"
	"budgetsite/internal/variant"

	"golang.org/x/net/html"
)

// testNow is a fixed clock: the forms' "future" dates are measured from it.
var testNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

// projectRoot holds the sources the site build makes the receiver's bundle from.
const projectRoot = "../.."

// testBundle is the bundle the build writes, made from the project's own sources.
var testBundle = sync.OnceValues(func() ([]byte, error) {
	data, ps := bundle.Build(projectRoot)
	if data == nil {
		return nil, fmt.Errorf("bundle: %v", ps)
	}
	return data, nil
})

func loadBundle(t testing.TB) *bundle.Bundle {
	t.Helper()
	data, err := testBundle()
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testSite is a built site for the receiver: the pages of testdata/site and the
// bundle at anfragen/empfaenger.json, in a folder of the test's own.
func testSite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	err := os.CopyFS(dir, os.DirFS("testdata/site"))
	if err == nil {
		var data []byte
		if data, err = testBundle(); err == nil {
			p := filepath.Join(dir, filepath.FromSlash(bundle.File))
			if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
				err = os.WriteFile(p, data, 0o644)
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// asset is a static file of testdata/site that is not a page: the sign as
// favicon (the stylesheet is inlined into every page).
const asset = "/favicon.svg"

type testEnv struct {
	srv *Server
	st  *store.Store
	h   http.Handler
	set *forms.Set
}

func newEnv(t testing.TB, mod func(*Config)) *testEnv {
	t.Helper()
	c := Defaults()
	c.DB = filepath.Join(t.TempDir(), "anfragen.db")
	c.Site = "testdata/site"
	c.RatePerMinute = 0
	c.Now = func() time.Time { return testNow }
	c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if mod != nil {
		mod(&c)
	}
	b := loadBundle(t)
	st, err := store.Create(c.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := NewServer(c, b, st)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{srv: srv, st: st, h: srv.Handler(), set: b.Forms()}
}

func (e *testEnv) post(form string, vals url.Values, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/anfragen/"+form, strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.1:40000"
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Remote-Addr" {
			r.RemoteAddr = hdr[i+1]
			continue
		}
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func (e *testEnv) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

func (e *testEnv) example(form string) url.Values {
	v := e.set.Forms[form].Example(e.srv.now())
	v.Set(VariantField, variant.Standard.Key())
	v.Set(HoneypotField, "")
	return v
}

func (e *testEnv) stored(t testing.TB) []store.Request {
	t.Helper()
	reqs, err := e.st.List(context.Background(), store.Filter{}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}

// dom is a parsed answer with lookups by id.
type dom struct {
	root *html.Node
	ids  map[string]*html.Node
}

func parseDOM(t testing.TB, body string) *dom {
	t.Helper()
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	d := &dom{root: root, ids: map[string]*html.Node{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := htmlnode.Attr(n, "id"); id != "" {
				if _, dup := d.ids[id]; dup {
					t.Errorf("duplicate id %q in answer", id)
				}
				d.ids[id] = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return d
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func (d *dom) find(pred func(*html.Node) bool) *html.Node {
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode && pred(n) {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	return found
}

func (d *dom) tag(name string) *html.Node {
	return d.find(func(n *html.Node) bool { return n.Data == name })
}

// value is what the control of the field shows: input value, textarea text, or the
// checked options.
func (d *dom) value(fd *forms.Field) []string {
	switch fd.Typ {
	case forms.TypRadio, forms.TypCheckboxes:
		var out []string
		for _, o := range fd.Optionen {
			if el := d.ids[fd.OptionID(o.Wert)]; el != nil && htmlnode.HasAttr(el, "checked") {
				out = append(out, o.Wert)
			}
		}
		return out
	case forms.TypCheckbox:
		if el := d.ids[fd.ID()]; el != nil && htmlnode.HasAttr(el, "checked") {
			return []string{forms.CheckboxValue}
		}
		return nil
	}
	el := d.ids[fd.ID()]
	if el == nil {
		return nil
	}
	if el.Data == "textarea" {
		return []string{textContent(el)}
	}
	return []string{htmlnode.Attr(el, "value")}
}

var securityHeaderWant = map[string]string{
	"Content-Security-Policy": "default-src 'self'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "same-origin",
	"X-Frame-Options":         "DENY",
}

func checkSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for k, want := range securityHeaderWant {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s = %q, want it to contain %q", k, h.Get(k), want)
		}
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP lacks frame-ancestors 'none'")
	}
}

var locRe = regexp.MustCompile(`^/anfragen/([a-z-]+)/danke/([0-9]{4}-[0-9]{5,})(\?variante=ls)?$`)

func TestValidRequestIsStoredThenRedirected(t *testing.T) {
	e := newEnv(t, nil)
	for _, id := range e.set.IDs() {
		for _, v := range variant.All {
			t.Run(id+"/"+v.Key(), func(t *testing.T) {
				vals := e.example(id)
				vals.Set(VariantField, v.Key())
				vals.Set("nachricht", "Mit <b>HTML</b> & \"Zeichen\"\r\nzweite Zeile "+id+v.Key())
				w := e.post(id, vals)
				if w.Code != http.StatusSeeOther {
					t.Fatalf("status %d:\n%s", w.Code, w.Body)
				}
				checkSecurityHeaders(t, w.Header())
				m := locRe.FindStringSubmatch(w.Header().Get("Location"))
				if m == nil || m[1] != id || (m[3] != "") != (v == variant.Leicht) {
					t.Fatalf("Location %q", w.Header().Get("Location"))
				}
				var got *store.Request
				for _, r := range e.stored(t) {
					if r.Nummer == m[2] {
						got = &r
					}
				}
				if got == nil {
					t.Fatalf("request %s not in the database", m[2])
				}
				if got.Formular != id || got.Variante != v.Key() || got.Get("nachricht") != "Mit <b>HTML</b> & \"Zeichen\"\nzweite Zeile "+id+v.Key() {
					t.Errorf("stored %+v", got)
				}
				th := e.get(w.Header().Get("Location"))
				if th.Code != 200 {
					t.Fatalf("thank-you page: %d", th.Code)
				}
				d := parseDOM(t, th.Body.String())
				nr := d.ids["anfrage-nummer"]
				if nr == nil || textContent(nr) != m[2] {
					t.Fatalf("number not on the thank-you page:\n%s", th.Body)
				}
				for n := nr; n != nil; n = n.Parent {
					if htmlnode.HasAttr(n, "hidden") {
						t.Error("number still hidden")
					}
				}
				if th.Header().Get("Cache-Control") != "no-store" {
					t.Error("thank-you page may be cached")
				}
			})
		}
	}
}

// handlerBadInputs are representative bad inputs per field type; internal/forms
// tests every rule in depth, this checks what the person sees.
func handlerBadInputs(fd *forms.Field) map[string][]string {
	cs := map[string][]string{}
	if fd.Pflicht {
		cs["empty"] = []string{""}
	}
	switch fd.Typ {
	case forms.TypRadio, forms.TypCheckboxes:
		cs["unknown option"] = []string{"<script>x</script>"}
		return cs
	case forms.TypCheckbox:
		cs["wrong value"] = []string{"nein"}
		return cs
	}
	cs["too long"] = []string{strings.Repeat("x", fd.MaxLen()+1)}
	cs["control character"] = []string{"a\x07b"}
	switch fd.Typ {
	case forms.TypEmail:
		cs["header injection"] = []string{"a@example.org\r\nBcc: evil@example.com"}
		cs["two addresses"] = []string{"a@example.org, evil@example.com"}
		cs["HTML"] = []string{"<img src=x onerror=alert(1)>@example.org"}
	case forms.TypTel:
		cs["wrong type"] = []string{"<b>abc</b>"}
	case forms.TypNumber:
		cs["wrong type"] = []string{"viele"}
		cs["out of range"] = []string{strconv.Itoa(fd.Max + 1)}
	case forms.TypDate:
		cs["not a date"] = []string{"2027-02-30"}
		if fd.Zukunft {
			cs["in the past"] = []string{"2020-01-01"}
		}
		if fd.Nach != "" {
			cs["before its start"] = []string{testNow.AddDate(0, 0, 2).Format(time.DateOnly)}
		}
	case forms.TypText:
		cs["line break"] = []string{"a\nb"}
	}
	return cs
}

func TestBadInputShowsFormAgain(t *testing.T) {
	e := newEnv(t, nil)
	for _, id := range e.set.IDs() {
		form := e.set.Forms[id]
		for _, fd := range form.Fields() {
			for name, bad := range handlerBadInputs(fd) {
				t.Run(id+"/"+fd.Name+"/"+name, func(t *testing.T) {
					vals := e.example(id)
					vals[fd.Name] = bad
					// HTML typed elsewhere must come back as text, escaped.
					other := "organisation"
					if id == "feedback" {
						other = "seite"
					}
					if other != fd.Name {
						vals.Set(other, `<script>alert("x")</script>`)
					}
					w := e.post(id, vals)
					if w.Code != http.StatusUnprocessableEntity {
						t.Fatalf("status %d", w.Code)
					}
					checkSecurityHeaders(t, w.Header())
					body := w.Body.String()
					if strings.Contains(body, "<script>alert") {
						t.Fatal("typed HTML came back unescaped")
					}
					d := parseDOM(t, body)
					if title := textContent(d.tag("title")); !strings.HasPrefix(title, "Fehler: ") {
						t.Errorf("title %q", title)
					}
					main := d.tag("main")
					sum := main.FirstChild
					if sum == nil || htmlnode.Attr(sum, "class") != "fehlerzusammenfassung" || htmlnode.Attr(sum, "tabindex") != "-1" || !htmlnode.HasAttr(sum, "autofocus") {
						t.Fatal("error summary is not the focused first element of <main>")
					}
					link := d.find(func(n *html.Node) bool { return n.Data == "a" && htmlnode.Attr(n, "href") == "#"+fd.Anchor() })
					if link == nil || d.ids[fd.Anchor()] == nil {
						t.Fatalf("no summary link to an existing #%s", fd.Anchor())
					}
					msg := d.ids["fehler-"+fd.Name]
					if msg == nil || !strings.Contains(textContent(msg), strings.TrimSpace(textContent(link))) {
						t.Fatal("message at the field missing or different from the summary")
					}
					described := d.ids[fd.ID()]
					if !strings.Contains(htmlnode.Attr(described, "aria-describedby"), "fehler-"+fd.Name) {
						t.Error("field not linked to its message by aria-describedby")
					}
					ctl := d.ids[fd.Anchor()]
					if htmlnode.Attr(ctl, "aria-invalid") != "true" {
						t.Error("control lacks aria-invalid")
					}
					if n := strings.Count(body, `class="fehlermeldung"`); n != 1 {
						t.Errorf("%d field messages, want 1", n)
					}
					// Nothing typed is lost.
					for _, f2 := range form.Fields() {
						want := vals[f2.Name]
						if f2.Typ == forms.TypCheckbox || f2.HasOptions() {
							var ok []string
							for _, w := range want {
								if f2.Option(w) != nil || (f2.Typ == forms.TypCheckbox && w == forms.CheckboxValue) {
									ok = append(ok, w)
								}
							}
							want = ok
						} else if len(want) > 0 {
							want = []string{forms.Printable(want[0], f2.Multiline())}
						}
						got := d.value(f2)
						if strings.Join(got, "|") != strings.Join(want, "|") {
							t.Errorf("%s shows %q, typed %q", f2.Name, got, want)
						}
					}
					if n := len(e.stored(t)); n != 0 {
						t.Errorf("%d requests stored", n)
					}
				})
			}
		}
	}
}

func TestLeichteSpracheErrorPage(t *testing.T) {
	e := newEnv(t, nil)
	vals := e.example("ausstellung")
	vals.Del("ansprechperson")
	vals.Del(VariantField)
	w := e.post("ausstellung", vals, "Referer", "http://127.0.0.1/leichte-sprache/angebote/ausstellung-anfrage/")
	d := parseDOM(t, w.Body.String())
	src, err := os.ReadFile("testdata/site/leichte-sprache/angebote/ausstellung-anfrage/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if h1, want := textContent(d.tag("h1")), textContent(parseDOM(t, string(src)).tag("h1")); h1 != want {
		t.Errorf("not the Leichte Sprache page: h1 %q, want %q", h1, want)
	}
	if m := textContent(d.ids["fehler-ansprechperson"]); !strings.Contains(m, "Bitte füllen Sie aus: Ihr Name") {
		t.Errorf("message %q", m)
	}
}

// TestHoneypotLooksLikeSuccess: a bot that fills the hidden field gets what a person
// gets (a number of the same shape, the same thank-you address and page), and invalid
// input is refused for both alike; nothing of the bot is stored (issue 9: it was
// redirected to a different page).
func TestHoneypotLooksLikeSuccess(t *testing.T) {
	e := newEnv(t, nil)
	for _, v := range variant.All {
		person := e.example("schulung")
		person.Set(VariantField, v.Key())
		bot := e.example("schulung")
		bot.Set(VariantField, v.Key())
		bot.Set("organisation", "Spam GmbH")
		bot.Set(HoneypotField, "http://spam.example")
		a, b := e.post("schulung", person), e.post("schulung", bot)
		if a.Code != b.Code || a.Code != http.StatusSeeOther {
			t.Fatalf("%s: person %d, bot %d", v, a.Code, b.Code)
		}
		la, lb := locRe.FindStringSubmatch(a.Header().Get("Location")), locRe.FindStringSubmatch(b.Header().Get("Location"))
		if la == nil || lb == nil || la[1] != lb[1] || la[3] != lb[3] || la[2] == lb[2] {
			t.Errorf("%s: person %q, bot %q", v, a.Header().Get("Location"), b.Header().Get("Location"))
		}
		for _, k := range []string{"Cache-Control", "Content-Type"} {
			if a.Header().Get(k) != b.Header().Get(k) {
				t.Errorf("%s differs: %q vs %q", k, a.Header().Get(k), b.Header().Get(k))
			}
		}
		ta, tb := e.get(a.Header().Get("Location")), e.get(b.Header().Get("Location"))
		if ta.Code != 200 || tb.Code != 200 || strings.Replace(tb.Body.String(), lb[2], la[2], 1) != ta.Body.String() {
			t.Errorf("%s: thank-you pages differ beyond the number", v)
		}
		// A bot probing with bad input learns nothing from the hidden field either.
		bad := e.example("schulung")
		bad.Del("organisation")
		bad.Set(HoneypotField, "x")
		if w := e.post("schulung", bad); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("invalid bot request: %d", w.Code)
		}
	}
	for _, r := range e.stored(t) {
		if r.Get("organisation") == "Spam GmbH" {
			t.Fatal("bot request stored")
		}
	}
	if n := len(e.stored(t)); n != 2 {
		t.Errorf("%d stored, want the 2 of the person", n)
	}
}

// TestDoubleSubmissionPerClient: the same client sending the same thing twice gets
// one number; another person sending identical anonymous feedback gets their own
// (issue 9: they were shown the first one's number).
func TestDoubleSubmissionPerClient(t *testing.T) {
	e := newEnv(t, nil)
	vals := e.example("feedback")
	vals.Del("name")
	vals.Del("email")
	a, b := e.post("feedback", vals), e.post("feedback", vals)
	if a.Header().Get("Location") != b.Header().Get("Location") || a.Code != 303 {
		t.Errorf("double click: %q vs %q", a.Header().Get("Location"), b.Header().Get("Location"))
	}
	c := e.post("feedback", vals, "Remote-Addr", "198.51.100.7:1234")
	if c.Code != 303 || c.Header().Get("Location") == a.Header().Get("Location") {
		t.Errorf("another person's identical feedback got the first one's number: %q", c.Header().Get("Location"))
	}
	vals.Set("nachricht", "anders")
	if d := e.post("feedback", vals); d.Header().Get("Location") == a.Header().Get("Location") {
		t.Error("a different request got the same number")
	}
	if n := len(e.stored(t)); n != 3 {
		t.Errorf("%d stored, want 3", n)
	}
}

// TestOptionalFieldsMayStayEmpty: every field marked optional may stay empty, in every
// form (issue 9: the training form refused requests without ticked access needs).
func TestOptionalFieldsMayStayEmpty(t *testing.T) {
	e := newEnv(t, nil)
	for _, id := range e.set.IDs() {
		vals := e.example(id)
		for _, fd := range e.set.Forms[id].Fields() {
			if !fd.Pflicht {
				vals.Del(fd.Name)
			}
		}
		if w := e.post(id, vals); w.Code != http.StatusSeeOther {
			d := parseDOM(t, w.Body.String())
			t.Errorf("%s: %d %s", id, w.Code, textContent(d.tag("main").FirstChild))
		}
	}
}

// TestUnreadableBodyIs400: a body broken on the way (bad chunked encoding) is
// answered with 400 and the German page, not an empty 200 (issue 9).
func TestUnreadableBodyIs400(t *testing.T) {
	e := newEnv(t, nil)
	ts := httptest.NewServer(e.h)
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /anfragen/feedback HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Transfer-Encoding: chunked\r\n\r\n5\r\nseite\r\nzz-kein-chunk\r\n\r\n", ts.Listener.Addr())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "Anfrage nicht lesbar") {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("%d stored", n)
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t, nil)
	get := func() (int, Health) {
		w := e.get(HealthPath)
		var h Health
		if err := json.Unmarshal(w.Body.Bytes(), &h); err != nil {
			t.Fatalf("%d %q: %v", w.Code, w.Body, err)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Error("health may be cached")
		}
		return w.Code, h
	}
	if code, h := get(); code != 200 || h.Status != "ok" || h.Datenbank != "ok" || h.Mail != "aus" {
		t.Errorf("%d %+v", code, h)
	}
	// A mail that waits too long makes it a warning, without any personal data.
	e.post("feedback", e.example("feedback"))
	if _, err := e.st.Writer().Exec(`INSERT INTO ausgang (anfrage_id, empfaenger, nachricht, naechster, erstellt) VALUES (1, 'team@example.org', 'x', 0, ?)`,
		testNow.Add(-2*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	code, h := get()
	if code != 200 || h.Status != "warnung" || h.MailsWartend != 1 || h.AeltesteWartendSekunden != 7200 {
		t.Errorf("%d %+v", code, h)
	}
	if w := e.get(HealthPath); strings.Contains(w.Body.String(), "frau.a") || strings.Contains(w.Body.String(), "team@") {
		t.Errorf("personal data in %s", w.Body)
	}
	e.st.Close()
	if code, h := get(); code != http.StatusServiceUnavailable || h.Status != "fehler" {
		t.Errorf("closed database: %d %+v", code, h)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RatePerMinute = 1; c.Burst = 2 })
	vals := e.example("ausstellung")
	for i := 0; i < 2; i++ {
		vals.Set("anlass", "Anlass "+strconv.Itoa(i))
		if w := e.post("ausstellung", vals); w.Code != 303 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	vals.Set("anlass", "Mein dritter Anlass")
	w := e.post("ausstellung", vals)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("%d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	d := parseDOM(t, w.Body.String())
	if got := htmlnode.Attr(d.ids["feld-anlass"], "value"); got != "Mein dritter Anlass" {
		t.Errorf("typed text lost: %q", got)
	}
	// Another client is not affected.
	if w := e.post("ausstellung", vals, "X-Forwarded-For", "198.51.100.7"); w.Code != 429 {
		t.Error("X-Forwarded-For must be ignored without --trust-proxy")
	}
	r := httptest.NewRequest("POST", "/anfragen/ausstellung", strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "198.51.100.7:1234"
	w = httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	if w.Code != 303 {
		t.Errorf("other client: %d", w.Code)
	}
}

// TestTrustProxy: behind the site's own reverse proxy each visitor counts by the
// address the proxy saw (the last of X-Forwarded-For), not all as the proxy.
func TestTrustProxy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RatePerMinute, c.Burst, c.TrustProxy = 1, 1, true })
	vals := e.example("feedback")
	send := func(xff string) int {
		vals.Set("nachricht", "Meldung über "+xff)
		return e.post("feedback", vals, "Remote-Addr", "127.0.0.1:5000", "X-Forwarded-For", xff).Code
	}
	if a, b := send("198.51.100.1"), send("198.51.100.2"); a != 303 || b != 303 {
		t.Errorf("two visitors behind one proxy: %d %d", a, b)
	}
	if c := send("198.51.100.1"); c != http.StatusTooManyRequests {
		t.Errorf("the first visitor again: %d", c)
	}
	// A client's own claim in front of the proxy's entry changes nothing.
	if d := send("203.0.113.9, 198.51.100.2"); d != http.StatusTooManyRequests {
		t.Errorf("spoofed first entry: %d", d)
	}
}

func TestRejectedRequests(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxBody = 4096 })
	vals := e.example("ausstellung")
	big := e.example("ausstellung")
	big.Set("nachricht", strings.Repeat("ü", 3000))
	cases := []struct {
		name   string
		do     func() *httptest.ResponseRecorder
		status int
	}{
		{"body too large", func() *httptest.ResponseRecorder { return e.post("ausstellung", big) }, 413},
		{"unknown form", func() *httptest.ResponseRecorder { return e.post("gibtsnicht", vals) }, 404},
		{"JSON", func() *httptest.ResponseRecorder {
			return e.post("ausstellung", vals, "Content-Type", "application/json")
		}, 415},
		{"cross-site (Sec-Fetch-Site)", func() *httptest.ResponseRecorder {
			return e.post("ausstellung", vals, "Sec-Fetch-Site", "cross-site")
		}, 403},
		{"cross-site (Origin)", func() *httptest.ResponseRecorder {
			return e.post("ausstellung", vals, "Origin", "https://evil.example")
		}, 403},
		{"broken encoding", func() *httptest.ResponseRecorder {
			r := httptest.NewRequest("POST", "/anfragen/ausstellung", strings.NewReader("a=%zz"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			return w
		}, 400},
		{"PUT", func() *httptest.ResponseRecorder {
			r := httptest.NewRequest("PUT", "/anfragen/ausstellung", strings.NewReader(vals.Encode()))
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			return w
		}, 405},
		{"bad thank-you number", func() *httptest.ResponseRecorder { return e.get("/anfragen/ausstellung/danke/..%2f..%2fetc") }, 404},
		{"thank-you of unknown form", func() *httptest.ResponseRecorder { return e.get("/anfragen/x/danke/2026-00001") }, 404},
		{"static off", func() *httptest.ResponseRecorder { return e.get(asset) }, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.do()
			if w.Code != c.status {
				t.Errorf("status %d, want %d", w.Code, c.status)
			}
			checkSecurityHeaders(t, w.Header())
			if ct := w.Header().Get("Content-Type"); c.status != 405 && !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("%d stored", n)
	}
}

func TestStoreFailureKeepsInput(t *testing.T) {
	e := newEnv(t, nil)
	e.st.Close()
	vals := e.example("schulung")
	w := e.post("schulung", vals)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d", w.Code)
	}
	d := parseDOM(t, w.Body.String())
	if got := textContent(d.ids["feld-themen"]); got != vals.Get("themen") {
		t.Errorf("input lost: %q", got)
	}
	if !strings.Contains(textContent(d.tag("main")), "nicht gespeichert") {
		t.Error("no message about the failure")
	}
}

func TestMissingSitePageFallsBack(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Site = t.TempDir() })
	vals := e.example("feedback")
	vals.Del("barriere")
	w := e.post("feedback", vals)
	if w.Code != 422 || !strings.Contains(w.Body.String(), "Bitte füllen Sie „Was ist die Barriere?“ aus.") {
		t.Fatalf("%d\n%s", w.Code, w.Body)
	}
	vals = e.example("feedback")
	w = e.post("feedback", vals)
	th := e.get(w.Header().Get("Location"))
	if th.Code != 200 || !strings.Contains(th.Body.String(), "Anfrage-Nummer") {
		t.Fatalf("%d\n%s", th.Code, th.Body)
	}
}

func TestStaticSite(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Static = true })
	for path, want := range map[string]int{
		"/": 200, asset: 200, "/angebote/ausstellung-anfrage/": 200,
		"/angebote/": 404, "/anfragen/ausstellung/danke/2026-00009": 200,
	} {
		w := e.get(path)
		if w.Code != want {
			t.Errorf("GET %s: %d, want %d", path, w.Code, want)
		}
		checkSecurityHeaders(t, w.Header())
	}
	for _, p := range []string{"/../../../etc/passwd", "/..%2f..%2f..%2fetc/passwd", "/css/../../handler_test.go"} {
		if w := e.get(p); w.Code == 200 || strings.Contains(w.Body.String(), "root:") || strings.Contains(w.Body.String(), "package receiver") {
			t.Errorf("GET %s escaped the site: %d", p, w.Code)
		}
	}
	if w := e.get("/anfragen/schulung?x"); w.Code != 303 || w.Header().Get("Location") != "/angebote/schulung-anfrage/" {
		t.Errorf("GET form address: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := e.get("/angebote"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/angebote/" {
		t.Errorf("folder without slash: %d %q", w.Code, w.Header().Get("Location"))
	}
}

// TestStaticNotFoundPerVariant: unknown paths get the site's 404 page of their variant
// with status 404, or a plain German page while the build makes none (issue 8).
func TestStaticNotFoundPerVariant(t *testing.T) {
	site := testSite(t)
	e := newEnv(t, func(c *Config) { c.Static = true; c.Site = site })
	for _, p := range []string{"/gibt-es-nicht/", "/leichte-sprache/gibt-es-nicht/"} {
		w := e.get(p)
		if w.Code != 404 || !strings.Contains(w.Body.String(), "Diese Seite gibt es nicht.") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Errorf("GET %s without 404 pages: %d %q", p, w.Code, w.Body)
		}
	}
	os.WriteFile(filepath.Join(site, "404.html"), []byte("<!DOCTYPE html><title>Standard 404</title>"), 0o644)
	os.WriteFile(filepath.Join(site, "leichte-sprache", "404.html"), []byte("<!DOCTYPE html><title>Leicht 404</title>"), 0o644)
	for p, want := range map[string]string{
		"/gibt-es-nicht/": "Standard 404", "/angebote/fehlt.css": "Standard 404", "/.hugo_build.lock": "Standard 404",
		"/leichte-sprache/gibt-es-nicht/": "Leicht 404", "/leichte-sprache": "", "/leichte-sprache/angebote/x.html": "Leicht 404",
	} {
		w := e.get(p)
		if want == "" {
			if w.Code != 301 {
				t.Errorf("GET %s: %d", p, w.Code)
			}
			continue
		}
		if w.Code != 404 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET %s: %d %q, want %q", p, w.Code, w.Body, want)
		}
	}
}

// TestStaticPrecompressed: the .br copy first, then .gz, as the client accepts them,
// with the original's Content-Type and Vary: Accept-Encoding (issue 9).
func TestStaticPrecompressed(t *testing.T) {
	site := testSite(t)
	file := filepath.Join(site, filepath.FromSlash(asset))
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file+".br", []byte("BROTLI"), 0o644)
	os.WriteFile(file+".gz", []byte("GZIP"), 0o644)
	idx := filepath.Join(site, "index.html")
	os.WriteFile(idx+".gz", []byte("GZIP-HTML"), 0o644)
	e := newEnv(t, func(c *Config) { c.Static = true; c.Site = site })
	get := func(p, ae string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", p, nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	cases := []struct{ path, ae, enc, body, ctype string }{
		{asset, "gzip, deflate, br, zstd", "br", "BROTLI", "image/svg+xml"},
		{asset, "gzip, deflate", "gzip", "GZIP", "image/svg+xml"},
		{asset, "br;q=0, gzip;q=0.5", "gzip", "GZIP", "image/svg+xml"},
		{asset, "", "", string(orig), "image/svg+xml"},
		{asset, "identity", "", string(orig), "image/svg+xml"},
		{"/", "br, gzip", "gzip", "GZIP-HTML", "text/html; charset=utf-8"},
	}
	for _, c := range cases {
		w := get(c.path, c.ae)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != c.enc || w.Body.String() != c.body || w.Header().Get("Content-Type") != c.ctype {
			t.Errorf("%s %q: %d %q %q %q", c.path, c.ae, w.Code, w.Header().Get("Content-Encoding"), w.Header().Get("Content-Type"), w.Body)
		}
		if w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s %q: Vary %q", c.path, c.ae, w.Header().Get("Vary"))
		}
	}
	if w := get("/angebote/danke/", "br, gzip"); w.Header().Get("Vary") != "" || w.Header().Get("Content-Encoding") != "" {
		t.Error("a file without copies: Vary or Content-Encoding set")
	}
	// The bundle is the receiver's, never a file for visitors.
	for _, p := range []string{"/" + bundle.File, "/" + bundle.File + ".gz"} {
		if w := get(p, "gzip"); w.Code != 404 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
}

func openStoreRaw(t testing.TB, path string) *sql.DB {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.Writer()
}
