package sitedata

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/report"
)

// Every term of data/synonyme.yaml other than the preferred one is caught by
// the Leichte Sprache checker, both on a page and in an "ls" text of each
// data file whose texts this package collects, at the text's own line.
func TestSynonymsCaughtOnPagesAndInDataTexts(t *testing.T) {
	d, ps := Load("../..")
	for _, p := range ps {
		if p.Severity == report.Fehler {
			t.Fatalf("real data: %s", p)
		}
	}
	cfg := &leichtesprache.Config{Synonyms: d.Synonyms.Gruppen}
	// The pairs issue 8 names must stay in the list.
	named := map[string]bool{"Kompetenz·zentren": false, "Teil-Habe": false, "Amt": false, "Ämter": false, "bestellen": false, "ausleihen": false, "Selbstcheck": false}
	caught := func(file string, src []byte) []report.Problem {
		var out []report.Problem
		for _, p := range leichtesprache.Check(file, src, leichtesprache.Leicht, cfg) {
			if p.Rule == leichtesprache.RuleEinBegriff {
				out = append(out, p)
			}
		}
		return out
	}
	for _, g := range d.Synonyms.Gruppen {
		for _, term := range g[1:] {
			if _, ok := named[term]; ok {
				named[term] = true
			}
			sentence := fmt.Sprintf("Hier steht %s.\n", term)
			if got := caught("content/ls/x.md", []byte(sentence)); len(got) != 1 {
				t.Errorf("page: %q not caught once (want %q): %v", term, g[0], got)
			}
			for _, rel := range EasyTextFiles {
				root := t.TempDir()
				os.MkdirAll(filepath.Join(root, "data"), 0o755)
				src := fmt.Sprintf("# Kommentar\ntext:\n  de: \"x\"\n  ls: |-\n    Das ist gut.\n    %s", sentence)
				os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(src), 0o644)
				dd, _ := Load(root)
				var got []report.Problem
				for _, et := range dd.EasyTexts {
					for _, p := range caught(et.File, []byte(et.Text)) {
						p.Line += et.Line - 1
						got = append(got, p)
					}
				}
				if len(got) != 1 || got[0].File != rel || got[0].Line != 6 {
					t.Errorf("%s: %q not caught once at line 6: %v", rel, term, got)
				}
			}
		}
	}
	for term, listed := range named {
		if !listed {
			t.Errorf("%q is no longer a non-preferred term in %s", term, SynonymsFile)
		}
	}
}
