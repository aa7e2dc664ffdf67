package browsertest

import (
	"errors"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
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
	srv := &http.Server{Handler: StaticHandler(dir)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return baseURLOf(ln)
}

func listenLoopback() (net.Listener, error) {
	return net.Listen("tcp4", "127.0.0.1:0")
}

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
