package browsertest

import (
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Serve serves dir on 127.0.0.1 until the test ends and returns its base URL
// with a trailing slash ("http://127.0.0.1:PORT/").
func Serve(t testing.TB, dir string) (baseURL string) {
	t.Helper()
	ln, err := listenLoopback()
	if err != nil {
		t.Fatal(err)
	}
	srv := serveDir(ln, dir)
	t.Cleanup(func() { srv.Close() })
	return baseURLOf(ln)
}

// ownOrigins are the origins of the servers this package started for the
// site's pages ("http://127.0.0.1:PORT"): static files and no headers of
// their own, so no Content-Security-Policy.
var ownOrigins sync.Map

func listenLoopback() (net.Listener, error) {
	return net.Listen("tcp4", "127.0.0.1:0")
}

// serveDir serves dir on ln with [StaticHandler] and counts its origin as one
// of ours.
func serveDir(ln net.Listener, dir string) *http.Server {
	ownOrigins.Store("http://"+ln.Addr().String(), true)
	srv := &http.Server{Handler: StaticHandler(dir)}
	go srv.Serve(ln)
	return srv
}

func isOwnOrigin(origin string) bool {
	_, ok := ownOrigins.Load(origin)
	return ok
}

// harnessAssets serves the harness's own scripts (axe-core) on a loopback
// port of their own for as long as the process runs, and returns its base
// URL, or "" when it cannot. The files may be cached for a day: Chromium
// then also keeps their compiled code.
var harnessAssets = sync.OnceValue(func() string {
	src, err := axeSource()
	if err != nil {
		return ""
	}
	ln, err := listenLoopback()
	if err != nil {
		return ""
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /axe.min.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
		io.WriteString(w, src)
	})
	go http.Serve(ln, mux)
	return baseURLOf(ln)
})

func baseURLOf(ln net.Listener) string {
	return "http://" + ln.Addr().String() + "/"
}

// StaticHandler serves the files under dir the way a plain static host does:
// index.html for a directory, a redirect to add the slash, 404 otherwise. It
// adds no headers of its own beyond what net/http sets (no cookies, no
// listings), so what the browser sees is the built site and nothing else.
func StaticHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		clean := path.Clean("/" + r.URL.Path)
		name := filepath.Join(dir, filepath.FromSlash(clean))
		fi, err := os.Stat(name)
		if err == nil && fi.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			name = filepath.Join(name, "index.html")
			fi, err = os.Stat(name)
		}
		if err != nil || fi.IsDir() {
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	})
}
