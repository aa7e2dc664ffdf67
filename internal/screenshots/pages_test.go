package screenshots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The question and result pages nearest the start are found by the result
// element's hook, not by the same words in the inline stylesheet.
func TestPagesFindsTheSelfCheckPages(t *testing.T) {
	dir := t.TempDir()
	style := `<style>.selbstcheck-ergebnis[data-outcome=moeglich]{}</style>`
	for _, prefix := range []string{"", "leichte-sprache/"} {
		for _, tp := range templates {
			write(t, dir, prefix+fileOf(tp.Path), style+"<h1>x</h1>")
		}
		write(t, dir, prefix+"selbstcheck/ja/index.html", style+"<h1>Frage 2</h1>")
		write(t, dir, prefix+"selbstcheck/nein/index.html", style+`<section class=selbstcheck-ergebnis data-outcome=andere-stelle><h1>Ergebnis</h1></section>`)
		write(t, dir, prefix+"selbstcheck/ja/ja/index.html", style+`<section data-outcome=moeglich></section>`)
	}
	ps, err := Pages(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.Template] = p.Path
	}
	for name, want := range map[string]string{
		"selbstcheck-frage-de":    "selbstcheck/ja/",
		"selbstcheck-ergebnis-de": "selbstcheck/nein/",
		"selbstcheck-ergebnis-ls": "leichte-sprache/selbstcheck/nein/",
		"start-ls":                "leichte-sprache/",
		"nicht-gefunden-de":       "404.html",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q", name, got[name], want)
		}
	}
	if len(ps) != 2*(len(templates)+2) {
		t.Errorf("%d pages, want %d", len(ps), 2*(len(templates)+2))
	}
}

func TestPagesSaysWhichPageIsMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "selbstcheck/ja/index.html", "<h1>Frage</h1>")
	write(t, dir, "selbstcheck/nein/index.html", "<p data-outcome=x>")
	write(t, dir, "leichte-sprache/selbstcheck/ja/index.html", "<h1>Frage</h1>")
	write(t, dir, "leichte-sprache/selbstcheck/nein/index.html", "<p data-outcome=x>")
	_, err := Pages(dir)
	if err == nil || !strings.Contains(err.Error(), "fehlt in der gebauten Website") {
		t.Fatalf("want a missing page named, got %v", err)
	}
}
