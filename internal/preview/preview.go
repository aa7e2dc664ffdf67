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

	s := &server{out: out, clients: map[chan struct{}]bool{}}
	rebuild := func() {
		res, err := site.Build(ctx, site.Options{Root: o.Root, ModuleRoot: o.ModuleRoot, OutDir: out, BaseURL: base, NoGzip: true})
		switch {
		case err != nil:
			fmt.Fprintf(o.Log, "Die Vorschau konnte nicht bauen: %v\n", err)
		default:
			report.Print(o.Log, res.Problems)
			std, easy := res.Count()
			if res.Failed() {
				fmt.Fprintf(o.Log, "%s Fehler – die Vorschau zeigt noch den letzten guten Stand.\n", fmt.Sprint(report.Count(res.Problems, report.Fehler)))
				return
			}
			fmt.Fprintf(o.Log, "Vorschau aktualisiert (%d + %d Seiten, %.1f s): %s\n", std, easy, res.Duration.Seconds(), base)
			s.notify()
		}
	}
	rebuild()

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	last := signature(o.Root)
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
	mu      sync.Mutex
	clients map[chan struct{}]bool
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
