package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"
)

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// archetypeData is what archetypes/berichte.md may use: {{ .Date }}, {{ .Year }}, {{ .Title }}, {{ .Slug }}.
type archetypeData struct {
	Date, Year, Title, Slug string
}

// newContent starts a Praxisdialog report in both variants from the archetype.
func newContent(args []string, stdout, stderr io.Writer) int {
	fs := flags("new", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	if fs.Parse(args) != nil {
		return Broken
	}
	rest := fs.Args()
	if len(rest) != 2 || rest[0] != "report" {
		fmt.Fprint(stderr, "Aufruf: budgetsite new report <kurzname>, z. B. budgetsite new report praxisdialog-2026-augsburg\n")
		return Broken
	}
	files, err := NewReport(*root, rest[1], time.Now())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return Broken
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "Angelegt: %s\n", f)
	}
	fmt.Fprintln(stdout, "Füllen Sie alle Felder aus und prüfen Sie mit: go run ./cmd/budgetsite check")
	return OK
}

// NewReport writes content/de/berichte/<slug>.md and its Leichte Sprache twin
// from archetypes/berichte.md. It never overwrites an existing file.
func NewReport(root, slug string, now time.Time) ([]string, error) {
	if !slugRe.MatchString(slug) {
		return nil, fmt.Errorf("Der Kurzname %q ist nicht erlaubt: nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. praxisdialog-2026-augsburg.", slug)
	}
	src, err := os.ReadFile(filepath.Join(root, "archetypes", "berichte.md"))
	if err != nil {
		return nil, fmt.Errorf("Die Vorlage archetypes/berichte.md fehlt: %w", err)
	}
	tmpl, err := template.New("berichte.md").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("archetypes/berichte.md: %w", err)
	}
	var buf bytes.Buffer
	words := strings.Split(slug, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	title := strings.Join(words, " ") // "praxisdialog-2026-augsburg" → "Praxisdialog 2026 Augsburg"
	if err := tmpl.Execute(&buf, archetypeData{Date: now.Format("2006-01-02"), Year: now.Format("2006"), Title: title, Slug: slug}); err != nil {
		return nil, fmt.Errorf("archetypes/berichte.md: %w", err)
	}
	var made []string
	for _, dir := range []string{"content/de/berichte", "content/ls/berichte"} {
		rel := dir + "/" + slug + ".md"
		p := filepath.Join(root, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			return made, fmt.Errorf("%s gibt es schon; nichts überschrieben.", rel)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return made, err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return made, err
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return made, err
		}
		made = append(made, rel)
	}
	return made, nil
}
