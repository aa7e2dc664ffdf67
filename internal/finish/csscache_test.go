package finish

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
)

// The cache must give what css.Minify gives, for stylesheets and style
// attributes alike, the first time and from the cache.
func TestCSSCacheSameAsMinify(t *testing.T) {
	cases := []struct {
		name, src string
		params    map[string]string
	}{
		{"stylesheet", "body { color : #ff0000 ; margin: 0px 0px }\n.a:focus { outline: 3px solid black }", nil},
		{"attribute", "color : #ff0000 ; margin: 0px", map[string]string{"inline": "1"}},
		{"same source as attribute", "body { color : #ff0000 ; margin: 0px 0px }\n.a:focus { outline: 3px solid black }", map[string]string{"inline": "1"}},
	}
	c := &cssCache{}
	m := minify.New()
	for _, tc := range cases {
		var want bytes.Buffer
		wantErr := css.Minify(m, &want, strings.NewReader(tc.src), tc.params)
		for round := range 2 {
			var got bytes.Buffer
			err := c.minify(m, &got, strings.NewReader(tc.src), tc.params)
			if (err != nil) != (wantErr != nil) || got.String() != want.String() {
				t.Errorf("%s, round %d: got %q, %v; want %q, %v", tc.name, round, got.String(), err, want.String(), wantErr)
			}
		}
	}
}

// A page with an inline stylesheet minifies the same through a shared cache.
func TestMinifierWithCachedStyles(t *testing.T) {
	page := `<!doctype html><html lang="de"><head><title>T</title><style>
  body { color : #ff0000 }
</style></head><body><p style="margin : 0px">x</p></body></html>`
	c := &cssCache{}
	var first string
	for round := range 3 {
		var out bytes.Buffer
		if err := newMinifier(c).Minify("text/html", &out, strings.NewReader(page)); err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			first = out.String()
			if !strings.Contains(first, "<style>body{color:red}</style>") || !strings.Contains(first, `style=margin:0`) {
				t.Fatalf("not minified: %s", first)
			}
		} else if out.String() != first {
			t.Errorf("round %d differs:\n%s\n%s", round, out.String(), first)
		}
	}
}
