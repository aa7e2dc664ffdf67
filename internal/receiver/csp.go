package receiver

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
)

// styleRe finds the site's inline stylesheets: the build inlines its one
// stylesheet into every page, so that the first render needs no request.
var styleRe = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)

// PagePolicy is [CSP] for one built page: its inline <style> elements are
// allowed by their SHA-256 hashes, nothing else inline.
func PagePolicy(page []byte) string {
	var hashes []string
	for _, m := range styleRe.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(strings.Join(hashes, " "), h) {
			hashes = append(hashes, h)
		}
	}
	if len(hashes) == 0 || !bytes.Contains(page, []byte("<style")) {
		return CSP
	}
	return CSP + "; style-src 'self' " + strings.Join(hashes, " ")
}
