// Package receiver is the small HTTP service behind the request forms: it validates
// a submission against data/formulare.yaml, stores it durably before it answers,
// notifies the organiser through an outbox, and gives staff list, export and purge.
package receiver

import (
	"bytes"
	"context"
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
	"budgetsite/internal/receiver/page"
	"budgetsite/internal/receiver/store"
)

// HoneypotField is the hidden field only bots fill in.
const HoneypotField = "website"

// VariantField is the hidden field that says which variant the form page was.
const VariantField = "variante"

// CSP allows only the site's own files; the wasm self-check needs wasm-unsafe-eval
// when the receiver also serves the site (--static).
const CSP = "default-src 'self'; img-src 'self' data:; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Server handles the HTTP side.
type Server struct {
	cfg   Config
	forms *forms.Set
	st    *store.Store
	lim   *limiter
	loc   *time.Location
	log   *slog.Logger
	now   func() time.Time
	// wake tells the outbox a new mail waits; buffered, never blocks a request.
	wake chan struct{}
}

// NewServer wires a server; cfg should come from Defaults with changes.
func NewServer(cfg Config, set *forms.Set, st *store.Store) (*Server, error) {
	loc, err := time.LoadLocation(cfg.Zone)
	if err != nil {
		return nil, fmt.Errorf("Zeitzone %q: %w", cfg.Zone, err)
	}
	s := &Server{cfg: cfg, forms: set, st: st, loc: loc, log: cfg.Log, now: cfg.Now,
		lim: newLimiter(cfg.RatePerMinute, cfg.Burst), wake: make(chan struct{}, 1)}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Handler returns the whole HTTP handler with security headers and CSRF protection.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /anfragen/{form}", s.submit)
	mux.HandleFunc("GET /anfragen/{form}", s.formRedirect)
	mux.HandleFunc("GET /anfragen/{form}/danke/{nr}", s.thanks)
	if s.cfg.Static {
		mux.Handle("GET /", s.static())
	} else {
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			s.plain(w, http.StatusOK, "Anfragen-Empfänger", "Dieser Dienst nimmt die Anfragen der Formulare entgegen.")
		})
		mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { s.notFound(w) })
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range s.cfg.Origins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			s.log.Warn("origin ignoriert", "origin", o, "err", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.plain(w, http.StatusForbidden, "Anfrage abgelehnt",
			"Das Formular wurde von einer fremden Seite geschickt. Bitte nutzen Sie das Formular auf unserer Website.")
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

// variant reads the hidden field, then the Referer path.
func variant(vals url.Values, r *http.Request) forms.Variant {
	if v := vals.Get(VariantField); v != "" {
		return forms.ParseVariant(v)
	}
	if ref, err := url.Parse(r.Referer()); err == nil && strings.HasPrefix(ref.Path, "/leichte-sprache/") {
		return forms.LS
	}
	return forms.DE
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	if form == nil {
		s.plain(w, http.StatusNotFound, "Formular nicht gefunden", "Dieses Formular gibt es nicht.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		s.plain(w, http.StatusUnsupportedMediaType, "Anfrage nicht lesbar", "Bitte schicken Sie das Formular über die Website.")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.plain(w, http.StatusRequestEntityTooLarge, "Anfrage zu groß",
				"Ihre Eingaben sind zu lang. Bitte kürzen Sie die Texte und schicken Sie das Formular noch einmal. Mit der Zurück-Taste Ihres Browsers kommen Sie zu Ihren Eingaben.")
			return
		}
		s.log.Info("body nicht lesbar", "form", form.ID, "err", err)
		return
	}
	vals, err := forms.Decode(body)
	if err != nil {
		s.plain(w, http.StatusBadRequest, "Anfrage nicht lesbar", "Bitte schicken Sie das Formular über die Website.")
		return
	}
	v := variant(vals, r)
	if ok, wait := s.lim.allow(clientKey(r, s.cfg.TrustProxy), s.now()); !ok {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		msg := forms.Text{
			DE: fmt.Sprintf("Sie haben in kurzer Zeit sehr viele Anfragen geschickt. Bitte warten Sie %d Sekunden und schicken Sie das Formular dann noch einmal. Ihre Eingaben stehen unten.", secs),
			LS: fmt.Sprintf("Sie haben sehr oft geschickt. Bitte warten Sie %d Sekunden. Dann schicken Sie noch einmal. Ihre Eingaben sind noch da.", secs),
		}
		s.formAgain(w, form, v, []page.Error{{Message: msg.Get(v)}}, vals, http.StatusTooManyRequests)
		return
	}
	if strings.TrimSpace(vals.Get(HoneypotField)) != "" {
		// Answer like a success, so a bot learns nothing; store nothing.
		s.log.Info("honigtopf gefüllt, verworfen", "form", form.ID)
		http.Redirect(w, r, form.Danke.Get(v), http.StatusSeeOther)
		return
	}
	now := s.now().In(s.loc)
	sub := form.Validate(vals, now)
	if !sub.Valid() {
		s.formAgain(w, form, v, page.Errors(sub, v), vals, http.StatusUnprocessableEntity)
		return
	}
	felder := make([]store.Feld, 0, len(sub.Values))
	for _, fd := range form.Fields() {
		if vs := sub.Values[fd.Name]; len(vs) > 0 {
			felder = append(felder, store.Feld{Name: fd.Name, Werte: vs})
		}
	}
	var mails func(store.Request) ([]store.Mail, error)
	if s.cfg.Mail.Enabled() {
		mails = func(req store.Request) ([]store.Mail, error) {
			msg, err := notification(s.cfg.Mail, form, &req)
			if err != nil {
				return nil, err
			}
			return []store.Mail{{To: s.cfg.Mail.To, Message: msg}}, nil
		}
	}
	req, existing, err := s.st.Save(r.Context(), form.ID, string(v), felder, now, s.cfg.DedupeWindow, mails)
	if err != nil {
		s.log.Error("speichern fehlgeschlagen", "form", form.ID, "err", err)
		msg := forms.Text{
			DE: "Ihre Anfrage konnte gerade nicht gespeichert werden. Bitte schicken Sie das Formular in ein paar Minuten noch einmal. Ihre Eingaben stehen unten.",
			LS: "Es gibt gerade ein Problem bei uns. Ihre Anfrage ist nicht angekommen. Bitte schicken Sie das Formular später noch einmal. Ihre Eingaben sind noch da.",
		}
		s.formAgain(w, form, v, []page.Error{{Message: msg.Get(v)}}, vals, http.StatusServiceUnavailable)
		return
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
	loc := "/anfragen/" + form.ID + "/danke/" + req.Nummer
	if v == forms.LS {
		loc += "?variante=ls"
	}
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// formAgain answers with the built form page, the errors and the typed values.
func (s *Server) formAgain(w http.ResponseWriter, form *forms.Form, v forms.Variant, errs []page.Error, vals url.Values, status int) {
	src, err := s.sitePage(form.Seite.Get(v))
	var buf bytes.Buffer
	if err == nil {
		var missing []string
		missing, err = page.ErrorPage(&buf, src, form, v, errs, vals)
		if len(missing) > 0 {
			s.log.Warn("formular-seite passt nicht zu den definitionen", "form", form.ID, "fehlende_ids", strings.Join(missing, ","))
		}
	}
	if err != nil {
		// Without the built page the person still learns what is wrong; the browser's
		// back button keeps their input.
		s.log.Error("formular-seite nicht nutzbar", "form", form.ID, "err", err)
		var b strings.Builder
		b.WriteString("<p>Bitte gehen Sie mit der Zurück-Taste Ihres Browsers zum Formular und korrigieren Sie:</p><ul>")
		for _, e := range errs {
			b.WriteString("<li>" + html.EscapeString(e.Message) + "</li>")
		}
		b.WriteString("</ul>")
		s.page(w, status, "Fehler: "+form.Titel.Get(v), b.String())
		return
	}
	s.writeHTML(w, status, buf.Bytes())
}

var nummerRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{5,12}$`)

func (s *Server) thanks(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	nr := r.PathValue("nr")
	if form == nil || !nummerRe.MatchString(nr) {
		s.plain(w, http.StatusNotFound, "Seite nicht gefunden", "Diese Seite gibt es nicht.")
		return
	}
	v := forms.ParseVariant(r.URL.Query().Get("variante"))
	w.Header().Set("Cache-Control", "no-store")
	src, err := s.sitePage(form.Danke.Get(v))
	var buf bytes.Buffer
	if err == nil {
		err = page.ThanksPage(&buf, src, nr, v)
	}
	if err != nil {
		s.log.Error("danke-seite nicht nutzbar", "form", form.ID, "err", err)
		s.page(w, http.StatusOK, "Vielen Dank", "<p>Vielen Dank. Ihre Anfrage ist angekommen. Ihre Anfrage-Nummer: <strong>"+html.EscapeString(nr)+"</strong></p>")
		return
	}
	s.writeHTML(w, http.StatusOK, buf.Bytes())
}

// formRedirect sends someone who reloads or bookmarks the POST address to the form.
func (s *Server) formRedirect(w http.ResponseWriter, r *http.Request) {
	form := s.forms.Forms[r.PathValue("form")]
	if form == nil {
		s.plain(w, http.StatusNotFound, "Formular nicht gefunden", "Dieses Formular gibt es nicht.")
		return
	}
	http.Redirect(w, r, form.Seite.Get(variant(nil, r)), http.StatusSeeOther)
}

// sitePage reads the built index.html of a page path such as /angebote/danke/.
func (s *Server) sitePage(p string) ([]byte, error) {
	clean := path.Clean("/" + p)
	return os.ReadFile(filepath.Join(s.cfg.Site, filepath.FromSlash(clean), "index.html"))
}

// static serves the built site without directory listings.
func (s *Server) static() http.Handler {
	fs := http.FileServer(http.Dir(s.cfg.Site))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			p := filepath.Join(s.cfg.Site, filepath.FromSlash(path.Clean(r.URL.Path)), "index.html")
			if _, err := os.Stat(p); err != nil {
				s.notFound(w)
				return
			}
		}
		fs.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w http.ResponseWriter) {
	if b, err := os.ReadFile(filepath.Join(s.cfg.Site, "404.html")); err == nil {
		s.writeHTML(w, http.StatusNotFound, b)
		return
	}
	s.plain(w, http.StatusNotFound, "Seite nicht gefunden", "Diese Seite gibt es nicht.")
}

func (s *Server) writeHTML(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// plain answers with a minimal page of its own, for answers that have no built page.
func (s *Server) plain(w http.ResponseWriter, status int, title, msg string) {
	s.page(w, status, title, "<p>"+html.EscapeString(msg)+"</p>")
}

func (s *Server) page(w http.ResponseWriter, status int, title, bodyHTML string) {
	t := html.EscapeString(title)
	b := `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` +
		t + `</title></head><body><main id="inhalt"><h1>` + t + `</h1>` + bodyHTML + `<p><a href="/">Zur Startseite</a></p></main></body></html>`
	s.writeHTML(w, status, []byte(b))
}

// Wake returns the channel the outbox listens on.
func (s *Server) Wake() <-chan struct{} { return s.wake }

// Run serves until ctx ends (SIGTERM in the command), then shuts down gracefully:
// requests in flight finish, the outbox stops between mails, the database closes.
func Run(ctx context.Context, cfg Config, ready func(addr string)) error {
	set, err := forms.Load(cfg.Forms)
	if err != nil {
		return err
	}
	st, err := store.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := NewServer(cfg, set, st)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Site); err != nil {
		srv.log.Warn("website-verzeichnis fehlt: fehler- und danke-seiten fallen auf einfache seiten zurück", "site", cfg.Site)
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
	srv.log.Info("empfänger bereit", "addr", ln.Addr().String(), "db", cfg.DB, "site", cfg.Site)
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
