// Package preview is `budgetsite serve`: the real pipeline (with all checks)
// rebuilt on every change, served on 127.0.0.1 with a reload in the browser.
// Editors see exactly what `build` would publish, and its messages.
package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Options of the preview server.
type Options struct {
	// Site is the pipeline with the site's modules.
	Site *site.Site
	Root string
	// ModuleRoot is where go.mod is (for the self-check's WebAssembly); default Root.
	ModuleRoot string
	Port       int
	Log        io.Writer
	// Poll is how often sources are checked for changes.
	Poll time.Duration
	// Ready, if set, learns the address once the port is open.
	Ready func(addr string)
}

// watched are the sources whose change triggers a rebuild.
var watched = []string{"content", "data", "layouts", "assets", "i18n", "static", "archetypes", "hugo.toml"}

// testHookBuild, when set by a test, runs as each build starts.
var testHookBuild func()

const reloadScript = `<script>new EventSource("/_vorschau/neu").onmessage=function(){location.reload()}</script>`

// Run serves until ctx ends.
func Run(ctx context.Context, o Options) error {
	if o.Poll == 0 {
		o.Poll = 700 * time.Millisecond
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.Port))
	if err != nil {
		return err
	}
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	base := "http://" + ln.Addr().String() + "/"
	tmp, err := os.MkdirTemp("", "budgetsite-vorschau-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "site")

	s := &server{out: out, root: o.Root, clients: map[chan struct{}]bool{}}
	shown := map[string]bool{} // Warnungen and Hinweise already printed
	rebuild := func() {
		if testHookBuild != nil {
			testHookBuild()
		}
		res, err := o.Site.Build(ctx, site.Options{Root: o.Root, ModuleRoot: o.ModuleRoot, OutDir: out, BaseURL: base, NoGzip: true})
		if err != nil {
			fmt.Fprintf(o.Log, "Die Vorschau konnte nicht bauen: %v\n", err)
			s.fail([]report.Problem{{File: o.Root, Severity: report.Fehler, Message: "Die Vorschau konnte nicht bauen: " + err.Error()}})
			return
		}
		printNew(o.Log, res.Problems, shown)
		std, easy := res.Count()
		if res.Failed() {
			fmt.Fprintf(o.Log, "%d Fehler – der Browser zeigt sie, bis sie behoben sind: %s\n", report.Count(res.Problems, report.Fehler), base)
			s.fail(res.Problems)
			return
		}
		fmt.Fprintf(o.Log, "Vorschau aktualisiert (%d + %d Seiten, %.1f s): %s\n", std, easy, res.Duration.Seconds(), base)
		s.fail(nil)
	}
	// The baseline is taken before the first build: a file saved while it
	// runs is seen as a change and rebuilt.
	last := signature(o.Root)
	rebuild()

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	tick := time.NewTicker(o.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if sig := signature(o.Root); sig != last {
				last = sig
				rebuild()
			}
		}
	}
}

// printNew prints every Fehler, and each Warnung or Hinweis only the first
// time: an editor saving a file wants to see what changed, not the same
// open Impressum fields again.
func printNew(w io.Writer, ps []report.Problem, shown map[string]bool) {
	var show []report.Problem
	known := 0
	for _, p := range ps {
		key := p.String()
		switch {
		case p.Severity == report.Fehler:
			show = append(show, p)
		case shown[key]:
			known++
		default:
			shown[key] = true
			show = append(show, p)
		}
	}
	report.Print(w, show)
	if known > 0 {
		fmt.Fprintf(w, "(%d Warnungen und Hinweise wie beim letzten Mal, nicht noch einmal gezeigt.)\n", known)
	}
}

// signature changes whenever a watched file is added, removed or written.
func signature(root string) string {
	var b strings.Builder
	for _, w := range watched {
		_ = filepath.WalkDir(filepath.Join(root, w), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if info, err := d.Info(); err == nil && !d.IsDir() {
				fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return b.String()
}

type server struct {
	out     string
	root    string
	mu      sync.Mutex
	clients map[chan struct{}]bool
	failed  []report.Problem // the last build's problems while it failed
}

// fail records the outcome of a build (nil: it succeeded) and tells every
// open page to reload: to the new site, or to the error page.
func (s *server) fail(ps []report.Problem) {
	s.mu.Lock()
	s.failed = ps
	s.mu.Unlock()
	s.notify()
}

func (s *server) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_vorschau/neu" {
		s.events(w, r)
		return
	}
	p := filepath.Join(s.out, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		p = filepath.Join(p, "index.html")
	}
	page := strings.HasSuffix(p, ".html") || filepath.Ext(p) == ""
	s.mu.Lock()
	failed := s.failed
	s.mu.Unlock()
	if failed != nil && page {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		_ = errorPage(w, s.root, failed)
		return
	}
	if !strings.HasSuffix(p, ".html") {
		http.ServeFile(w, r, p)
		return
	}
	body, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body = bytes.Replace(body, []byte("</body>"), []byte(reloadScript+"</body>"), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

func (s *server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "kein Streaming", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c:
			fmt.Fprint(w, "data: neu\n\n")
			fl.Flush()
		}
	}
}
