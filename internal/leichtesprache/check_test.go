package leichtesprache

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden checks a whole page: positions behind front matter, shortcodes,
// lists, code blocks, tables and image descriptions.
func TestGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatal("no pages in testdata/")
	}
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		report.Print(&b, Check("content/ls/"+filepath.Base(page), src, Leicht, testConfig))
		golden := strings.TrimSuffix(page, ".md") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s: findings differ from %s\ngot:\n%s", page, golden, b.String())
		}
	}
}

func TestPositions(t *testing.T) {
	cases := []struct {
		name, src string
		rule      string
		line, col int
	}{
		{"front matter and umlauts", "---\ntitle: x\nfoo: bar\n---\n\n# Überschrift\n\nÄrger: Das ist nicht gut. Man sagt das.\n",
			RuleVerneinung, 8, 16},
		{"second sentence", "---\ntitle: x\nfoo: bar\n---\n\n# Überschrift\n\nÄrger: Das ist nicht gut. Man sagt das.\n",
			RuleEinSatzProZeile, 8, 27},
		{"after a shortcode", "Text {{< ref \"x\" >}} ist nicht gut.\n", RuleVerneinung, 1, 26},
		{"shortcode at line start", "{{< box >}}Das ist nicht gut.\n", RuleVerneinung, 1, 20},
		{"CRLF", "Sie bekommen Geld.\r\nDas ist nicht gut.\r\n", RuleVerneinung, 2, 9},
		{"list item", "Einleitung.\n\n- Erstens.\n- Das ist nicht gut.\n", RuleVerneinung, 4, 11},
		{"escaped star", "Budget-Nehmer\\*innen bekommen Geld.\n", RuleSonderzeichen, 1, 15},
		{"entity", "Das ist die Eingliederungs&shy;hilfe.\n", RuleWeichesTrennzeichen, 1, 27},
		{"link text", "Lesen Sie [das ist nicht schwer](https://example.org/nicht).\n", RuleVerneinung, 1, 20},
		{"TOML front matter", "+++\ntitle = 'x'\n+++\nDas ist nicht gut.\n", RuleVerneinung, 4, 9},
	}
	for _, c := range cases {
		ps := Check("t.md", []byte(c.src), Leicht, testConfig)
		found := false
		for _, p := range ps {
			if p.Rule == c.rule {
				found = true
				if p.Line != c.line || p.Col != c.col || p.File != "t.md" {
					t.Errorf("%s: %s at %d:%d, want %d:%d", c.name, c.rule, p.Line, p.Col, c.line, c.col)
				}
				break
			}
		}
		if !found {
			t.Errorf("%s: no %s finding\n%s", c.name, c.rule, dump(ps))
		}
	}
}

// Nothing outside the prose is checked.
func TestSkipped(t *testing.T) {
	srcs := []string{
		"---\ntitle: \"Nicht z. B. (PB) 22.02.2022\"\n---\nSie bekommen Geld.\n",
		"Sie bekommen Geld.\n\n```\nnicht z. B. 22.02.2022 man\n```\n",
		"Sie bekommen Geld.\n\n    nicht z. B. 22.02.2022 man\n",
		"Sie bekommen `nicht & man` Geld.\n",
		"Sie bekommen [Geld](https://example.org/nicht_man?a=1&b=2 \"nicht\").\n",
		"Sie bekommen Geld.\n\n<div class=\"nicht\">\n</div>\n",
		"Sie bekommen {{< glossar \"nicht (man)\" >}} Geld.\n",
		"Sie bekommen {{% glossar \"nicht & man\" %}} Geld.\n",
	}
	for _, src := range srcs {
		for _, p := range Check("t.md", []byte(src), Leicht, testConfig) {
			t.Errorf("%q: unexpected %s", src, p)
		}
	}
}

// Bad input never panics and never loses the file name.
func TestOddInput(t *testing.T) {
	for _, src := range []string{"", "---\n", "---\ntitle: x\n", "{{<", "{{< x", "&", "&#xZZ;", "\xff\xfe", "# \n\n-\n\n|a|\n|-|\n", "\ufeff---\na: b\n---\nDas ist nicht gut."} {
		for _, p := range Check("t.md", []byte(src), Leicht, nil) {
			if p.File != "t.md" || p.Rule == "intern" {
				t.Errorf("%q: %s", src, p)
			}
		}
		_ = Measure([]byte(src))
	}
}
