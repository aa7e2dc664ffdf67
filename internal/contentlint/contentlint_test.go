package contentlint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/report"
)

func page(t *testing.T, file, src string) *Page {
	t.Helper()
	pg := &Page{File: file, Rel: strings.SplitN(file, "/", 3)[2], Easy: strings.HasPrefix(file, EasyDir), Src: []byte(src)}
	if ps := pg.readFrontMatter(); ps != nil {
		t.Fatalf("front matter: %v", ps)
	}
	return pg
}

func TestFrontMatter(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		want      string
	}{
		{"no front matter", "Text ohne Kopf.\n", 1, "beginnt nicht mit dem Kopf-Bereich"},
		{"not closed", "---\ntitle: A\nText\n", 1, "nicht mit --- geschlossen"},
		{"broken yaml", "---\ntitle: A\ndescription: [offen\n---\n", 3, "eckige Klammer [ wird nicht geschlossen"},
		{"no title", "---\ndescription: B\n---\n", 2, "Titel fehlt"},
		{"tab indentation", "---\ntitle: A\nliste:\n\t- x\n---\n", 4, "Tabulator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pg := &Page{File: "content/de/x.md", Src: []byte(c.src)}
			ps := pg.readFrontMatter()
			if len(ps) != 1 || ps[0].Line != c.line || ps[0].Severity != report.Fehler || !strings.Contains(ps[0].Message, c.want) {
				t.Errorf("got %v, want one Fehler at line %d with %q", ps, c.line, c.want)
			}
		})
	}
	pg := page(t, "content/de/x.md", "---\ntitle: A\n---\n\nText\n")
	if pg.BodyLine != 4 || string(pg.Body()) != "\nText\n" {
		t.Errorf("body line %d, body %q", pg.BodyLine, pg.Body())
	}
}

func TestHeadings(t *testing.T) {
	cases := []struct {
		name, body string
		lines      []int
	}{
		{"fine", "## A\n\n### B\n\n## C\n\n### D\n\n#### E\n", nil},
		{"h1 in body", "# A\n\n## B\n", []int{5}},
		{"skip from title", "### A\n", []int{5}},
		{"skip inside", "## A\n\nText\n\n#### B\n\n## C\n\n#### D\n", []int{9, 13}},
		{"setext h1", "A\n===\n", []int{5}},
		{"code block is no heading", "```\n# kein Titel\n```\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pg := page(t, "content/de/x.md", "---\ntitle: T\n---\n\n"+c.body)
			var lines []int
			for _, p := range Headings(pg) {
				lines = append(lines, p.Line)
			}
			if !slices.Equal(lines, c.lines) {
				t.Errorf("lines %v, want %v", lines, c.lines)
			}
		})
	}
}

func TestTwins(t *testing.T) {
	pages := []*Page{
		{File: "content/de/a.md", Rel: "a.md"}, {File: "content/ls/a.md", Rel: "a.md", Easy: true},
		{File: "content/de/b.md", Rel: "b.md"},
		{File: "content/ls/c.md", Rel: "c.md", Easy: true},
	}
	ps := Twins(pages)
	if len(ps) != 2 {
		t.Fatalf("got %v", ps)
	}
	if ps[0].Severity != report.Fehler || !strings.Contains(ps[0].Message, "content/ls/b.md") {
		t.Errorf("missing twin: %v", ps[0])
	}
	if ps[1].Severity != report.Warnung || ps[1].File != "content/ls/c.md" {
		t.Errorf("orphan: %v", ps[1])
	}
}

func TestCollectRealContent(t *testing.T) {
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		t.Fatal(err)
	}
	pages, ps := Collect(root)
	if len(pages) == 0 {
		t.Fatal("no pages")
	}
	for _, p := range ps {
		if p.Severity == report.Fehler {
			t.Errorf("%s", p)
		}
	}
}

func TestImages(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		line, col  int
	}{
		{"markdown image", "Text.\n\n![](/bilder/a.svg)\n", 7, 1},
		{"image inside a line", "Text ![ ](/bilder/a.svg) mehr.\n", 5, 6},
		{"bild shortcode", "Text.\n\n{{< bild src=\"/bilder/a.svg\" >}}\n", 7, 1},
		{"bild with empty alt", "{{< bild src=\"/bilder/a.svg\" alt=\"\" >}}\n", 5, 1},
		{"fine", "![Ein Brief](/bilder/a.svg)\n\n{{< bild src=\"/bilder/a.svg\" alt=\"Ein Brief\" >}}\n", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg := &Page{File: "content/ls/x.md", Src: []byte("---\ntitle: X\n---\n\n" + tc.body)}
			ps := Images(pg)
			if tc.line == 0 {
				if len(ps) > 0 {
					t.Errorf("unexpected: %v", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Line != tc.line || ps[0].Col != tc.col || ps[0].Rule != RuleAlt || !strings.Contains(ps[0].Message, "Alternativtext") {
				t.Errorf("got %v, want one bild-alt at %d:%d", ps, tc.line, tc.col)
			}
		})
	}
}
