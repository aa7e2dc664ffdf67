package receiver

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/store"

	"golang.org/x/net/html"
)

// testNow is a fixed clock: the forms' "future" dates are measured from it.
var testNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

const formsFile = "../../data/formulare.yaml"

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
	c.Forms = formsFile
	c.RatePerMinute = 0
	c.Now = func() time.Time { return testNow }
	c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if mod != nil {
		mod(&c)
	}
	set, err := forms.Load(c.Forms)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(c.DB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := NewServer(c, set, st)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{srv: srv, st: st, h: srv.Handler(), set: set}
}

func (e *testEnv) post(form string, vals url.Values, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/anfragen/"+form, strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.1:40000"
	for i := 0; i+1 < len(hdr); i += 2 {
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
	v.Set(VariantField, "de")
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
			if id := getAttr(n, "id"); id != "" {
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

func getAttr(n *html.Node, k string) string {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, k string) bool {
	for _, a := range n.Attr {
		if a.Key == k {
			return true
		}
	}
	return false
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
			if el := d.ids[fd.OptionID(o.Wert)]; el != nil && hasAttr(el, "checked") {
				out = append(out, o.Wert)
			}
		}
		return out
	case forms.TypCheckbox:
		if el := d.ids[fd.ID()]; el != nil && hasAttr(el, "checked") {
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
	return []string{getAttr(el, "value")}
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
		for _, v := range []forms.Variant{forms.DE, forms.LS} {
			t.Run(id+"/"+string(v), func(t *testing.T) {
				vals := e.example(id)
				vals.Set(VariantField, string(v))
				vals.Set("nachricht", "Mit <b>HTML</b> & \"Zeichen\"\r\nzweite Zeile "+id+string(v))
				w := e.post(id, vals)
				if w.Code != http.StatusSeeOther {
					t.Fatalf("status %d:\n%s", w.Code, w.Body)
				}
				checkSecurityHeaders(t, w.Header())
				m := locRe.FindStringSubmatch(w.Header().Get("Location"))
				if m == nil || m[1] != id || (m[3] != "") != (v == forms.LS) {
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
				if got.Formular != id || got.Variante != string(v) || got.Get("nachricht") != "Mit <b>HTML</b> & \"Zeichen\"\nzweite Zeile "+id+string(v) {
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
					if hasAttr(n, "hidden") {
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
					if sum == nil || getAttr(sum, "class") != "fehlerzusammenfassung" || getAttr(sum, "tabindex") != "-1" || !hasAttr(sum, "autofocus") {
						t.Fatal("error summary is not the focused first element of <main>")
					}
					link := d.find(func(n *html.Node) bool { return n.Data == "a" && getAttr(n, "href") == "#"+fd.Anchor() })
					if link == nil || d.ids[fd.Anchor()] == nil {
						t.Fatalf("no summary link to an existing #%s", fd.Anchor())
					}
					msg := d.ids["fehler-"+fd.Name]
					if msg == nil || !strings.Contains(textContent(msg), strings.TrimSpace(textContent(link))) {
						t.Fatal("message at the field missing or different from the summary")
					}
					described := d.ids[fd.ID()]
					if !strings.Contains(getAttr(described, "aria-describedby"), "fehler-"+fd.Name) {
						t.Error("field not linked to its message by aria-describedby")
					}
					ctl := d.ids[fd.Anchor()]
					if getAttr(ctl, "aria-invalid") != "true" {
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
	if h1 := textContent(d.tag("h1")); h1 != "Die Ausstellung ausleihen" {
		t.Errorf("not the Leichte Sprache page: h1 %q", h1)
	}
	if m := textContent(d.ids["fehler-ansprechperson"]); !strings.Contains(m, "Bitte füllen Sie aus: Ihr Name") {
		t.Errorf("message %q", m)
	}
}

func TestHoneypot(t *testing.T) {
	e := newEnv(t, nil)
	vals := e.example("schulung")
	vals.Set(HoneypotField, "http://spam.example")
	w := e.post("schulung", vals)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/angebote/danke/" {
		t.Fatalf("%d %q", w.Code, w.Header().Get("Location"))
	}
	if n := len(e.stored(t)); n != 0 {
		t.Fatalf("bot request stored (%d)", n)
	}
}

func TestDoubleSubmissionStoredOnce(t *testing.T) {
	e := newEnv(t, nil)
	vals := e.example("feedback")
	a, b := e.post("feedback", vals), e.post("feedback", vals)
	if a.Header().Get("Location") != b.Header().Get("Location") || a.Code != 303 {
		t.Errorf("%q vs %q", a.Header().Get("Location"), b.Header().Get("Location"))
	}
	vals.Set("nachricht", "anders")
	c := e.post("feedback", vals)
	if c.Header().Get("Location") == a.Header().Get("Location") {
		t.Error("a different request got the same number")
	}
	if n := len(e.stored(t)); n != 2 {
		t.Errorf("%d stored, want 2", n)
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
	if got := getAttr(d.ids["feld-anlass"], "value"); got != "Mein dritter Anlass" {
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
		{"static off", func() *httptest.ResponseRecorder { return e.get("/css/main.css") }, 404},
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
		"/": 200, "/css/main.css": 200, "/angebote/ausstellung-anfrage/": 200,
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
