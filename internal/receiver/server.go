// Package receiver is the small HTTP service behind the request forms: it validates
// a submission against the form definitions the site build wrote
// (public/anfragen/empfaenger.json), stores it durably before it answers, notifies
// the organiser through an outbox, and gives staff list, export, purge, backup and
// restore.
package receiver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/receiver/page"
	"budgetsite/internal/receiver/store"
	"budgetsite/internal/variant"
)

// HoneypotField is the hidden field only bots fill in.
const HoneypotField = "website"

// VariantField is the hidden field that says which variant the form page was.
const VariantField = "variante"

// HealthPath is the health check for the operator's monitoring; below /anfragen/, so
// the web server passes it on like the forms.
const HealthPath = "/anfragen/" + bundle.HealthName

// CSP allows only the site's own files; the wasm self-check needs wasm-unsafe-eval
// when the receiver also serves the site (--static).
const CSP = "default-src 'self'; img-src 'self' data:; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Server handles the HTTP side.
type Server struct {
	cfg   Config
	b     *bundle.Bundle
	forms *forms.Set
	// fassung is each form's definition as JSON, stored with each of its requests.
	fassung map[string][]byte
	st      *store.Store
	lim     *limiter
	loc     *time.Location
	log     *slog.Logger
	now     func() time.Time
	// wake tells the outbox a new mail waits; buffered, never blocks a request.
	wake chan struct{}
}

// NewServer wires a server; cfg should come from Defaults with changes, b from the
// built site (bundle.Load).
func NewServer(cfg Config, b *bundle.Bundle, st *store.Store) (*Server, error) {
	loc, err := time.LoadLocation(cfg.Zone)
	if err != nil {
		return nil, fmt.Errorf("Zeitzone %q: %w", cfg.Zone, err)
	}
	s := &Server{cfg: cfg, b: b, forms: b.Forms(), fassung: map[string][]byte{}, st: st, loc: loc, log: cfg.Log, now: cfg.Now,
		lim: newLimiter(cfg.RatePerMinute, cfg.Burst), wake: make(chan struct{}, 1)}
	for id, f := range s.forms.Forms {
		if s.fassung[id], err = json.Marshal(f); err != nil {
			return nil, err
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// text is one of the site's texts for the receiver, in variant v.
func (s *Server) text(v variant.V, key string) string { return s.b.Text(v, key, nil) }

func (s *Server) pageTexts(v variant.V) page.Texts {
	return page.Texts{Summary: s.text(v, bundle.Zusammenfassung), ErrorPrefix: s.text(v, bundle.FehlerPraefix), Number: s.text(v, bundle.Nummer)}
}

// Handler returns the whole HTTP handler with security headers and CSRF protection.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /anfragen/{form}", s.submit)
	mux.HandleFunc("GET /anfragen/{form}", s.formRedirect)
	mux.HandleFunc("GET /anfragen/{form}/danke/{nr}", s.thanks)
	mux.HandleFunc("GET "+HealthPath, s.health)
	if s.cfg.Static {
		mux.Handle("GET /", s.static())
	} else {
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			v := variant.Standard
			s.plain(w, http.StatusOK, v, s.text(v, bundle.StartTitel), s.text(v, bundle.StartText))
		})
		mux.HandleFunc("GET /", s.notFound)
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range s.cfg.Origins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			s.log.Warn("origin ignoriert", "origin", o, "err", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := requestVariant(nil, r)
		s.plain(w, http.StatusForbidden, v, s.text(v, bundle.FremdTitel), s.text(v, bundle.FremdText))
	}))
	return securityHeaders(cop.Handler(mux))
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		next.ServeHTTP(w, r)
	})
}

// requestVariant reads the hidden field, then the Referer's path.
func requestVariant(vals url.Values, r *http.Request) variant.V {
	if v, ok := variant.Parse(vals.Get(VariantField)); ok {
		return v
	}
	if ref, err := url.Parse(r.Referer()); err == nil {
		return variant.OfPath(ref.Path)
	}
	return variant.Standard
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	if form == nil {
		v := requestVariant(nil, r)
		s.plain(w, http.StatusNotFound, v, s.text(v, bundle.FormularFehltTitel), s.text(v, bundle.FormularFehltText))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	unreadable := func(v variant.V) {
		s.plain(w, http.StatusBadRequest, v, s.text(v, bundle.NichtLesbarTitel), s.text(v, bundle.NichtLesbarText))
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		v := requestVariant(nil, r)
		s.plain(w, http.StatusUnsupportedMediaType, v, s.text(v, bundle.NichtLesbarTitel), s.text(v, bundle.NichtLesbarText))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		v := requestVariant(nil, r)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.plain(w, http.StatusRequestEntityTooLarge, v, s.text(v, bundle.ZuGrossTitel), s.text(v, bundle.ZuGrossText))
			return
		}
		// A body cut off or broken on the way (bad chunked encoding): nothing is
		// stored, and the person learns it.
		s.log.Info("body nicht lesbar", "form", form.ID, "err", err)
		unreadable(v)
		return
	}
	vals, err := forms.Decode(body)
	if err != nil {
		unreadable(requestVariant(nil, r))
		return
	}
	v := requestVariant(vals, r)
	client := clientKey(r, s.cfg.TrustProxy)
	if ok, wait := s.lim.allow(client, s.now()); !ok {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		msg := s.b.Text(v, bundle.ZuOft, map[string]any{"Sekunden": secs})
		s.formAgain(w, form, v, []page.Error{{Message: msg}}, vals, http.StatusTooManyRequests)
		return
	}
	now := s.now().In(s.loc)
	sub := form.Validate(vals, now)
	if !sub.Valid() {
		errs := make([]page.Error, 0, len(sub.Errors))
		for _, e := range sub.Errors {
			errs = append(errs, page.Error{Field: e.Field, Message: s.b.Message(v, e)})
		}
		s.formAgain(w, form, v, errs, vals, http.StatusUnprocessableEntity)
		return
	}
	var nummer string
	if strings.TrimSpace(vals.Get(HoneypotField)) != "" {
		// A bot: answer exactly as a person is answered (a number of its own, the same
		// thank-you address, after a commit like theirs), store nothing.
		nummer, err = s.st.Reserve(r.Context(), now)
		if err == nil {
			s.log.Info("honigtopf gefüllt, verworfen", "form", form.ID, "nummer", nummer)
		}
	} else {
		nummer, err = s.save(r, form, v, sub, client.String(), now)
	}
	if err != nil {
		s.log.Error("speichern fehlgeschlagen", "form", form.ID, "err", err)
		s.formAgain(w, form, v, []page.Error{{Message: s.text(v, bundle.NichtGespeichert)}}, vals, http.StatusServiceUnavailable)
		return
	}
	loc := "/anfragen/" + form.ID + "/danke/" + nummer
	if v == variant.Leicht {
		loc += "?" + VariantField + "=" + v.Key()
	}
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// save stores a valid request with its notification and returns its number.
func (s *Server) save(r *http.Request, form *forms.Form, v variant.V, sub *forms.Submission, client string, now time.Time) (string, error) {
	felder := make([]store.Feld, 0, len(sub.Values))
	for _, fd := range form.Fields() {
		if vs := sub.Values[fd.Name]; len(vs) > 0 {
			felder = append(felder, store.Feld{Name: fd.Name, Werte: vs})
		}
	}
	var mails func(store.Request) ([]store.Mail, error)
	if s.cfg.Mail.Enabled() {
		mails = func(req store.Request) ([]store.Mail, error) {
			msg, err := notification(s.cfg.Mail, form, &req, s.st.Serie())
			if err != nil {
				return nil, err
			}
			return []store.Mail{{To: s.cfg.Mail.To, Message: msg}}, nil
		}
	}
	req, existing, err := s.st.Save(r.Context(), store.Submission{Formular: form.ID, Variante: v.Key(), Felder: felder, Now: now,
		Client: client, Window: s.cfg.DedupeWindow, Fassung: s.fassung[form.ID], Mails: mails})
	if err != nil {
		return "", err
	}
	if existing {
		s.log.Info("doppelte anfrage erkannt", "form", form.ID, "nummer", req.Nummer)
	} else {
		s.log.Info("anfrage gespeichert", "form", form.ID, "nummer", req.Nummer)
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return req.Nummer, nil
}

// formAgain answers with the built form page, the errors and the typed values.
func (s *Server) formAgain(w http.ResponseWriter, form *forms.Form, v variant.V, errs []page.Error, vals url.Values, status int) {
	src, err := s.sitePage(form.Seite.In(v))
	var buf bytes.Buffer
	if err == nil {
		var missing []string
		missing, err = page.ErrorPage(&buf, src, form, s.pageTexts(v), errs, vals)
		if len(missing) > 0 {
			s.log.Warn("formular-seite passt nicht zu den definitionen", "form", form.ID, "fehlende_ids", strings.Join(missing, ","))
		}
	}
	if err != nil {
		// Without the built page the person still learns what is wrong; the browser's
		// back button keeps their input.
		s.log.Error("formular-seite nicht nutzbar", "form", form.ID, "err", err)
		var b strings.Builder
		b.WriteString("<p>" + html.EscapeString(s.text(v, bundle.Korrigieren)) + "</p><ul>")
		for _, e := range errs {
			b.WriteString("<li>" + html.EscapeString(e.Message) + "</li>")
		}
		b.WriteString("</ul>")
		s.page(w, status, v, s.text(v, bundle.FehlerPraefix)+" "+form.Titel.In(v), b.String())
		return
	}
	s.writeHTML(w, status, buf.Bytes())
}

var nummerRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{5,12}$`)

func (s *Server) thanks(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	nr := r.PathValue("nr")
	v, _ := variant.Parse(r.URL.Query().Get(VariantField))
	if form == nil || !nummerRe.MatchString(nr) {
		s.plain(w, http.StatusNotFound, v, s.text(v, bundle.SeiteFehltTitel), s.text(v, bundle.SeiteFehltText))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	src, err := s.sitePage(form.Danke.In(v))
	var buf bytes.Buffer
	if err == nil {
		err = page.ThanksPage(&buf, src, nr, s.pageTexts(v))
	}
	if err != nil {
		s.log.Error("danke-seite nicht nutzbar", "form", form.ID, "err", err)
		s.page(w, http.StatusOK, v, s.text(v, bundle.DankeTitel), "<p>"+html.EscapeString(s.text(v, bundle.DankeText))+" "+
			html.EscapeString(s.text(v, bundle.Nummer))+" <strong>"+html.EscapeString(nr)+"</strong></p>")
		return
	}
	s.writeHTML(w, http.StatusOK, buf.Bytes())
}

// formRedirect sends someone who reloads or bookmarks the POST address to the form.
func (s *Server) formRedirect(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	v := requestVariant(nil, r)
	if form == nil {
		s.plain(w, http.StatusNotFound, v, s.text(v, bundle.FormularFehltTitel), s.text(v, bundle.FormularFehltText))
		return
	}
	http.Redirect(w, r, form.Seite.In(v), http.StatusSeeOther)
}

// sitePage reads the built index.html of a page path such as /angebote/danke/.
func (s *Server) sitePage(p string) ([]byte, error) {
	clean := path.Clean("/" + p)
	return os.ReadFile(filepath.Join(s.cfg.Site, filepath.FromSlash(clean), "index.html"))
}

// NotFoundPage is the site's 404 page of a variant, relative to the site.
func NotFoundPage(v variant.V) string { return v.Prefix() + "404.html" }

// notFound answers with the site's 404 page of the path's variant.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	v := variant.OfPath(r.URL.Path)
	if b, err := os.ReadFile(filepath.Join(s.cfg.Site, filepath.FromSlash(NotFoundPage(v)))); err == nil {
		s.writeHTML(w, http.StatusNotFound, b)
		return
	}
	s.plain(w, http.StatusNotFound, v, s.text(v, bundle.SeiteFehltTitel), s.text(v, bundle.SeiteFehltText))
}

func (s *Server) writeHTML(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Security-Policy", PagePolicy(b))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// plain answers with a minimal page of its own, for answers that have no built page.
func (s *Server) plain(w http.ResponseWriter, status int, v variant.V, title, msg string) {
	s.page(w, status, v, title, "<p>"+html.EscapeString(msg)+"</p>")
}

func (s *Server) page(w http.ResponseWriter, status int, v variant.V, title, bodyHTML string) {
	t := html.EscapeString(title)
	b := `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` +
		t + `</title></head><body><main id="inhalt"><h1>` + t + `</h1>` + bodyHTML + `<p><a href="/` + v.Prefix() + `">` +
		html.EscapeString(s.text(v, bundle.Startseite)) + `</a></p></main></body></html>`
	s.writeHTML(w, status, []byte(b))
}

// Wake returns the channel the outbox listens on.
func (s *Server) Wake() <-chan struct{} { return s.wake }

// Run serves until ctx ends (SIGTERM in the command), then shuts down gracefully:
// requests in flight finish, the outbox stops between mails, the database closes.
func Run(ctx context.Context, cfg Config, ready func(addr string)) error {
	b, err := bundle.Load(cfg.Site)
	if err != nil {
		return err
	}
	unlock, err := store.Lock(cfg.DB)
	if err != nil {
		return fmt.Errorf("%w (ein zweiter Empfänger auf derselben Datenbank?)", err)
	}
	defer unlock()
	st, err := store.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	// The staff commands find the retention period here when the site is not at hand.
	if err := st.SetSetting(ctx, settingRetention, strconv.Itoa(b.SpeicherdauerTage)); err != nil {
		return err
	}
	srv, err := NewServer(cfg, b, st)
	if err != nil {
		return err
	}
	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(srv.log.Handler(), slog.LevelWarn),
	}
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{}, 2)
	go func() { srv.runPurge(bg); done <- struct{}{} }()
	if cfg.Mail.Enabled() {
		go func() { srv.runOutbox(bg); done <- struct{}{} }()
	} else {
		srv.log.Info("keine e-mail-benachrichtigung konfiguriert (smtp-host leer)")
		done <- struct{}{}
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	srv.log.Info("empfänger bereit", "addr", ln.Addr().String(), "db", cfg.DB, "site", cfg.Site, "speicherdauer_tage", b.SpeicherdauerTage)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		srv.log.Info("beende: laufende anfragen werden fertig bearbeitet")
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = hs.Shutdown(sctx)
		cancel()
	}
	stopBG()
	<-done
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// settingRetention is where serve leaves the retention period in the database.
const settingRetention = "speicherdauer_tage"
