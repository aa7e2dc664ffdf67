// Package mediatype is the one table of the site's file types: the receiver's
// --static server answers with it, and the generated nginx configuration lists
// the same types, so a file is labelled alike wherever it is served.
package mediatype

import (
	"mime"
	"path/filepath"
	"sort"
	"strings"
)

// Types maps a file extension to its Content-Type. Text types carry their
// charset: every file of the build is UTF-8.
var Types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml; charset=utf-8",
	".svg":   "image/svg+xml",
	".wasm":  "application/wasm",
	".ics":   "text/calendar; charset=utf-8",
	".vtt":   "text/vtt; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".pdf":   "application/pdf",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".gif":   "image/gif",
	".mp4":   "video/mp4",
	".webm":  "video/webm",
	".woff2": "font/woff2",
}

// Of returns the Content-Type of a file name: the table's, else Go's, else
// application/octet-stream.
func Of(file string) string {
	ext := strings.ToLower(filepath.Ext(file))
	if ct := Types[ext]; ct != "" {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Extensions returns the table's extensions (with the dot), sorted.
func Extensions() []string {
	exts := make([]string, 0, len(Types))
	for e := range Types {
		exts = append(exts, e)
	}
	sort.Strings(exts)
	return exts
}
