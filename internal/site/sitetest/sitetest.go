// Package sitetest helps tests that build the real site: it copies the
// project (CopyProject), gives a log to read while a server writes (Log), and
// fills a copied project with a made-up operator (testdata/), as an operator
// fills hugo.toml and data/barrierefreiheit.yaml before a production build.
package sitetest

import (
	"bytes"
	_ "embed"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

//go:embed testdata/betreiber.toml
var operator []byte

//go:embed testdata/barrierefreiheit-kontakt.yaml
var statementContacts string

// FillOperator enters the fixture's operator values into the copied project
// at root: every key of testdata/betreiber.toml into hugo.toml, and the
// statement's contacts into data/barrierefreiheit.yaml.
func FillOperator(t testing.TB, root string) {
	t.Helper()
	var fix struct {
		Params map[string]map[string]string `toml:"params"`
	}
	if err := toml.Unmarshal(operator, &fix); err != nil {
		t.Fatal(err)
	}
	cfg := read(t, root, "hugo.toml")
	for table, kv := range fix.Params {
		for k, v := range kv {
			re := regexp.MustCompile(`(?s)(\[params\.` + table + `\][^\[]*?\n\s*` + k + ` = )""`)
			if !re.MatchString(cfg) {
				t.Fatalf("hugo.toml: [params.%s] %s = \"\" not found", table, k)
			}
			cfg = re.ReplaceAllString(cfg, `${1}"`+v+`"`)
		}
	}
	write(t, root, "hugo.toml", cfg)

	st := read(t, root, "data/barrierefreiheit.yaml")
	for _, line := range strings.Split(statementContacts, "\n") {
		key, val, ok := strings.Cut(line, ": ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		block, field, _ := strings.Cut(key, ".")
		re := regexp.MustCompile(`(\n` + block + `:\n(?:  .*\n)*?  ` + field + `: )""`)
		if !re.MatchString(st) {
			t.Fatalf("data/barrierefreiheit.yaml: %s.%s: \"\" not found", block, field)
		}
		st = re.ReplaceAllString(st, "${1}"+val)
	}
	write(t, root, "data/barrierefreiheit.yaml", st)
}

func read(t testing.TB, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t testing.TB, root, rel, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyProject copies what a build reads from the project at from into a
// temporary folder and returns it.
func CopyProject(t testing.TB, from string) string {
	t.Helper()
	to := t.TempDir()
	for _, name := range []string{"hugo.toml", "go.mod", "content", "data", "layouts", "assets", "i18n", "static", "archetypes"} {
		src := filepath.Join(from, name)
		fi, err := os.Stat(src)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			b, err := os.ReadFile(src)
			if err == nil {
				err = os.WriteFile(filepath.Join(to, name), b, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.CopyFS(filepath.Join(to, name), os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// Log is a buffer a test reads while a server, a preview or a browser it
// started writes to it from other goroutines. It keeps the first MiB: a
// chatty browser must not fill the memory of a long test run.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
