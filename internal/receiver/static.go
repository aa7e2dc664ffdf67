package receiver

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"budgetsite/internal/mediatype"
)

// encodings are the precompressed copies the build writes beside a file, best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// accepts tells whether the Accept-Encoding header allows the coding (q > 0).
func accepts(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		switch name {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// static serves the built site as the web server in front does: a folder's
// index.html, the .br or .gz copy the client accepts (Vary: Accept-Encoding, the
// original's Content-Type), no hidden files, no listings, and for anything else the
// 404 page of the path's variant with status 404.
func (s *Server) static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, ".") {
				s.notFound(w, r)
				return
			}
		}
		file := filepath.Join(s.cfg.Site, filepath.FromSlash(path.Clean("/"+p)))
		fi, err := os.Stat(file)
		switch {
		case err == nil && fi.IsDir():
			if !strings.HasSuffix(p, "/") {
				target := p + "/"
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, target, http.StatusMovedPermanently)
				return
			}
			file = filepath.Join(file, "index.html")
			fi, err = os.Stat(file)
		case err == nil && strings.HasSuffix(p, "/"):
			err = os.ErrNotExist // a file asked for as a folder
		}
		if err != nil || !fi.Mode().IsRegular() {
			s.notFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", mediatype.Of(file))
		if strings.HasSuffix(file, ".html") {
			if b, err := os.ReadFile(file); err == nil {
				h.Set("Content-Security-Policy", PagePolicy(b))
			}
		}
		send := file
		for _, e := range encodings {
			if _, err := os.Stat(file + e.ext); err != nil {
				continue
			}
			// The answer depends on the header as soon as any copy exists.
			if h.Get("Vary") == "" {
				h.Set("Vary", "Accept-Encoding")
			}
			if send == file && accepts(r.Header.Get("Accept-Encoding"), e.name) {
				send = file + e.ext
				h.Set("Content-Encoding", e.name)
			}
		}
		f, err := os.Open(send)
		if err != nil {
			s.notFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			s.notFound(w, r)
			return
		}
		http.ServeContent(w, r, "", st.ModTime(), f)
	})
}
