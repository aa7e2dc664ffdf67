package modules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/site/sitetest"
)

// moduleRoot is the project root, two folders up from this package.
func moduleRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestBuildRealSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res, err := Site(Options{NoWasm: true}).Build(context.Background(), site.Options{Root: moduleRoot(t), OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		var b strings.Builder
		report.Print(&b, res.Problems)
		t.Fatalf("the shipped site has Fehler:\n%s", b.String())
	}
	for _, f := range []string{"index.html", "index.html.gz", "leichte-sprache/index.html", "berichte/index.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	std, easy := res.Count()
	if std == 0 || easy == 0 {
		t.Errorf("pages: %d standard, %d easy", std, easy)
	}
}

func appendTo(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, text...), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, root, rel, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lineCount(t *testing.T, root, rel string) int {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// A broken source must fail the build with file and line, and leave the
// previous public/ exactly as it was.
func TestBuildFailsAndKeepsPublic(t *testing.T) {
	cases := []struct {
		name    string
		breakIt func(t *testing.T, root string) (file string, line int)
		want    string
		// together: the mistake lets Hugo render, so it can share one
		// build with the others (a broken data file stops the render).
		together bool
	}{
		{"image without alt", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/de/kontakt.md")
			appendTo(t, root, "content/de/kontakt.md", "\n![](/bild.png)\n")
			return "content/de/kontakt.md", n + 2
		}, "Alternativtext", true},
		{"skipped heading level", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/de/kontakt.md")
			appendTo(t, root, "content/de/kontakt.md", "\n## Eins\n\n#### Drei\n")
			return "content/de/kontakt.md", n + 4
		}, "überspringt", true},
		{"broken front matter", func(t *testing.T, root string) (string, int) {
			writeFile(t, root, "content/de/impressum.md", "---\ntitle: Impressum\ndescription: [kaputt\n---\nText.\n")
			return "content/de/impressum.md", 3
		}, "eckige Klammer [ wird nicht geschlossen", false},
		{"front matter without title", func(t *testing.T, root string) (string, int) {
			writeFile(t, root, "content/ls/impressum.md", "---\ndescription: Ohne Titel.\n---\nText.\n")
			return "content/ls/impressum.md", 2
		}, "Titel fehlt", false},
		{"malformed contacts", func(t *testing.T, root string) (string, int) {
			writeFile(t, root, "data/kontakte.yaml", "gruppen:\n  - id: erwachsene\n    titel: {de: Erwachsene, ls: Erwachsene}\n    personen:\n      - name: A\n        telefon: \"12345\"\n        email: a@b.de\n")
			return "data/kontakte.yaml", 6
		}, "Telefonnummer", false},
		{"malformed abbreviations", func(t *testing.T, root string) (string, int) {
			writeFile(t, root, "data/abkuerzungen.yaml", "- kurz: LVR\n  lang: Landschaftsverband Rheinland\n- kurz: EUTB\n  lang: \"nicht geschlossen\n")
			return "data/abkuerzungen.yaml", 4
		}, "Anführungszeichen \" wird nicht geschlossen", false},
		{"dead link", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/de/kontakt.md")
			appendTo(t, root, "content/de/kontakt.md", "\nMehr dazu auf der [Seite zum Antrag](/gibt-es-nicht/).\n")
			return "content/de/kontakt.md", n + 2
		}, "[link-tot]: Der Link „Seite zum Antrag“ führt zu keiner Seite (/gibt-es-nicht/). Meinten Sie", true},
		{"missing image", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/ls/kontakt.md")
			appendTo(t, root, "content/ls/kontakt.md", "\n{{< bild src=\"/bilder/gibt-es-nicht.svg\" alt=\"Ein Telefon\" >}}\n")
			return "content/ls/kontakt.md", n + 2
		}, "[datei-fehlt]: Das Bild fehlt: /bilder/gibt-es-nicht.svg gibt es in der Website nicht.", true},
		{"missing anchor", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/de/kontakt.md")
			appendTo(t, root, "content/de/kontakt.md", "\nSiehe [Schritt 9](/budget/antrag/#schritt-9).\n")
			return "content/de/kontakt.md", n + 2
		}, "[anker-fehlt]: Der Link „Schritt 9“ zeigt auf den Anker #schritt-9, den es auf /budget/antrag/ nicht gibt.", true},
		{"http link", func(t *testing.T, root string) (string, int) {
			n := lineCount(t, root, "content/de/kontakt.md")
			appendTo(t, root, "content/de/kontakt.md", "\nDas [Gesetz](http://www.gesetze-im-internet.de/sgb_9_2018/__29.html).\n")
			return "content/de/kontakt.md", n + 2
		}, "[link-extern]", true},
		{"missing Leichte Sprache twin", func(t *testing.T, root string) (string, int) {
			if err := os.Remove(filepath.Join(root, "content/ls/gebaerdensprache.md")); err != nil {
				t.Fatal(err)
			}
			return "content/de/gebaerdensprache.md", 1
		}, "content/ls/gebaerdensprache.md", true},
	}
	// check builds root into a public/ that holds an older site, and finds
	// each mistake at its line, with public/ left as it was.
	type planted struct {
		name, file, want string
		line             int
	}
	check := func(t *testing.T, root string, mistakes []planted) {
		out := filepath.Join(t.TempDir(), "public")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Dir(out), "public/alt.txt", "der alte Stand")
		res, err := Site(Options{NoWasm: true}).Build(context.Background(), site.Options{Root: root, OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Failed() || res.Written {
			t.Fatalf("build did not fail: %+v", res.Problems)
		}
		for _, m := range mistakes {
			t.Run(m.name, func(t *testing.T) {
				for _, p := range res.Problems {
					if p.Severity == report.Fehler && p.File == m.file && p.Line == m.line && strings.Contains(p.String(), m.want) {
						return
					}
				}
				var b strings.Builder
				report.Print(&b, res.Problems)
				t.Errorf("want a Fehler at %s:%d mentioning %q, got:\n%s", m.file, m.line, m.want, b.String())
			})
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 1 || entries[0].Name() != "alt.txt" {
			t.Errorf("public/ was changed: %v", entries)
		}
	}
	t.Run("together", func(t *testing.T) {
		root := copyProject(t)
		var mistakes []planted
		for _, c := range cases {
			if c.together {
				file, line := c.breakIt(t, root)
				mistakes = append(mistakes, planted{c.name, file, c.want, line})
			}
		}
		check(t, root, mistakes)
	})
	for _, c := range cases {
		if c.together {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			root := copyProject(t)
			file, line := c.breakIt(t, root)
			check(t, root, []planted{{c.name, file, c.want, line}})
		})
	}
}

// copyProject copies the project into a temporary folder so a test can break
// one of its sources.
func copyProject(t testing.TB) string { return sitetest.CopyProject(t, moduleRoot(t)) }
