package variant

import (
	"os"
	"path/filepath"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

func TestOfPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want V
	}{
		{"", Standard},
		{"/", Standard},
		{"budget/antrag/", Standard},
		{"/leichte-sprache/", Leicht},
		{"leichte-sprache", Leicht},
		{"leichte-sprache/kontakt/", Leicht},
		{"/leichte-sprache-alt/", Standard},
	} {
		if got := OfPath(tc.path); got != tc.want {
			t.Errorf("OfPath(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, v := range All {
		for _, s := range []string{v.Key(), v.Lang()} {
			if got, ok := Parse(s); !ok || got != v {
				t.Errorf("Parse(%q) = %v, %v", s, got, ok)
			}
		}
	}
	if _, ok := Parse("en"); ok {
		t.Error(`Parse("en") accepted`)
	}
}

func TestOfContent(t *testing.T) {
	if v, ok := OfContent("content/ls/kontakt.md"); !ok || v != Leicht {
		t.Errorf("content/ls: %v %v", v, ok)
	}
	if v, ok := OfContent("content/de/kontakt.md"); !ok || v != Standard {
		t.Errorf("content/de: %v %v", v, ok)
	}
	if _, ok := OfContent("data/x.yaml"); ok {
		t.Error("data/ counted as content")
	}
}

// TestHugoConfig keeps hugo.toml and this package in step: each variant is a
// Hugo language with its content folder and the `variante` parameter that
// templates test.
func TestHugoConfig(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Languages map[string]struct {
			ContentDir string         `toml:"contentDir"`
			Params     map[string]any `toml:"params"`
		} `toml:"languages"`
	}
	if err := toml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Languages) != len(All) {
		t.Errorf("hugo.toml has %d languages, want %d", len(cfg.Languages), len(All))
	}
	for _, v := range All {
		l, ok := cfg.Languages[v.Lang()]
		if !ok {
			t.Errorf("hugo.toml: no [languages.%s]", v.Lang())
			continue
		}
		if l.ContentDir != v.ContentDir() {
			t.Errorf("[languages.%s] contentDir = %q, want %q", v.Lang(), l.ContentDir, v.ContentDir())
		}
		if got := l.Params["variante"]; got != v.Key() {
			t.Errorf("[languages.%s.params] variante = %v, want %q", v.Lang(), got, v.Key())
		}
	}
}
