package markdown

import (
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestParseKeepsPositions(t *testing.T) {
	src := []byte("---\ntitle: Ä\n---\n\nÄrger {{< tel \"0821 1\" >}} hier.\n\n{{< bild src=\"/bilder/geld.svg\" alt=\"Ein Geld-Schein\" >}}\n\n## Über\n")
	d := Parse(src)
	if len(d.Body) != len(src) {
		t.Fatalf("body %d bytes, src %d", len(d.Body), len(src))
	}
	if len(d.Shortcodes) != 2 {
		t.Fatalf("shortcodes: %+v", d.Shortcodes)
	}
	tel, bild := d.Shortcodes[0], d.Shortcodes[1]
	if tel.Name != "tel" || tel.Params["0"] != "0821 1" {
		t.Errorf("tel: %+v", tel)
	}
	if bild.Name != "bild" || bild.Params["src"] != "/bilder/geld.svg" || bild.Params["alt"] != "Ein Geld-Schein" {
		t.Errorf("bild: %+v", bild)
	}
	if tel.Line != 5 || tel.Col != 7 {
		t.Errorf("tel shortcode recorded at %d:%d, want 5:7", tel.Line, tel.Col)
	}
	if l, c := d.Position(tel.Offset); l != 5 || c != 7 {
		t.Errorf("tel at %d:%d, want 5:7 (columns in characters)", l, c)
	}
	var heading *ast.Heading
	d.Walk(func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			heading = h
		}
		return ast.WalkContinue, nil
	})
	if heading == nil {
		t.Fatal("no heading: the front matter or a shortcode confused the parser")
	}
	if l, _ := d.Position(d.Start(heading)); l != 9 {
		t.Errorf("heading on line %d, want 9", l)
	}
}
