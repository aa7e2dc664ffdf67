package receiver

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func TestPagePolicy(t *testing.T) {
	css := "body{color:#000}"
	for _, c := range []struct {
		name, page string
		want       []string // hashes in style-src, none: the plain CSP
	}{
		{"no inline style", `<html><head><link rel=stylesheet href=/a.css></head></html>`, nil},
		{"the site's inline stylesheet", `<head><style>` + css + `</style></head>`, []string{hashOf(css)}},
		{"same style twice is one hash", `<style>` + css + `</style><STYLE media=print>` + css + `</STYLE>`, []string{hashOf(css)}},
		{"two styles", `<style>` + css + `</style><style>p{}</style>`, []string{hashOf(css), hashOf("p{}")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := PagePolicy([]byte(c.page))
			if !strings.HasPrefix(got, CSP) {
				t.Fatalf("policy %q does not keep the receiver's CSP", got)
			}
			if c.want == nil {
				if got != CSP {
					t.Errorf("got %q, want the plain CSP", got)
				}
				return
			}
			want := CSP + "; style-src 'self' " + strings.Join(c.want, " ")
			if got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}
