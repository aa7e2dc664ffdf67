package modules

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// The record of the check by Prüflesende: today no page is checked and the
// statement lists them all; a recorded check shows on its page and leaves
// the list; a change after the check takes the claim back.
func TestReviewRecord(t *testing.T) {
	root := copyProject(t)
	build := func() (*site.Result, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Site(Options{NoWasm: true}).Build(context.Background(), site.Options{Root: root, OutDir: out})
		if err != nil || res.Failed() {
			t.Fatalf("%v %v", err, res.Problems)
		}
		return res, out
	}
	hints := func(res *site.Result, file string) []string {
		var out []string
		for _, p := range res.Problems {
			if p.File == file && p.Rule == leichtesprache.RuleReview {
				if p.Severity != report.Hinweis {
					t.Errorf("not a Hinweis: %s", p)
				}
				out = append(out, p.Message)
			}
		}
		return out
	}
	const page = "content/ls/kontakt.md"
	res, out := build()
	if h := hints(res, page); len(h) != 1 || !strings.Contains(h[0], "noch keine Prüfgruppe") {
		t.Errorf("unchecked page: %v", h)
	}
	for _, v := range []string{"", "leichte-sprache/"} {
		st := readFile(t, out, v+"barrierefreiheit/index.html")
		if !strings.Contains(st, `<li><a href=/leichte-sprache/kontakt/>`) {
			t.Errorf("%sbarrierefreiheit/ does not list the unchecked page", v)
		}
	}
	if strings.Contains(readFile(t, out, "leichte-sprache/kontakt/index.html"), "class=geprueft") {
		t.Error("an unchecked page claims a check")
	}

	// Recorded as `budgetsite geprueft` does.
	src := readFile(t, root, page)
	fp := leichtesprache.Fingerprint([]byte(src))
	writeFile(t, root, page, strings.Replace(src, "\n---\n", "\npruefung:\n  datum: 2026-11-30\n  gruppe: \"Prüfgruppe Beispiel\"\n  fassung: \""+fp+"\"\n---\n", 1))
	res, out = build()
	if h := hints(res, page); len(h) != 0 {
		t.Errorf("checked page: %v", h)
	}
	if p := readFile(t, out, "leichte-sprache/kontakt/index.html"); !strings.Contains(p, "Diese Seite hat geprüft: Prüfgruppe Beispiel") || !strings.Contains(p, `<time datetime=2026-11-30>`) {
		t.Error("the checked page does not say who checked it")
	}
	if strings.Contains(readFile(t, out, "barrierefreiheit/index.html"), `<li><a href=/leichte-sprache/kontakt/>`) {
		t.Error("the statement still lists the checked page")
	}

	// Changed after the check.
	appendTo(t, root, page, "\nEin neuer Satz.\n")
	res, out = build()
	if h := hints(res, page); len(h) != 1 || !strings.Contains(h[0], "nach der Prüfung am 2026-11-30 geändert") {
		t.Errorf("changed page: %v", h)
	}
	if strings.Contains(readFile(t, out, "leichte-sprache/kontakt/index.html"), "class=geprueft") {
		t.Error("a changed page still claims its check")
	}
	if !strings.Contains(readFile(t, out, "barrierefreiheit/index.html"), "geprüft am") {
		t.Error("the statement does not list the changed page")
	}
}
