package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/leichtesprache"
)

func TestReviewedRecordsTheCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "content", "ls", "kontakt.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	page := "---\ntitle: \"Kontakt\"\ndescription: \"Hier finden Sie Telefon-Nummern.\"\n---\n\nRufen Sie uns an.\n"
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if code := reviewed([]string{"content/ls/kontakt.md", "--gruppe", "Prüfgruppe „Klar“ Augsburg"}, &out, &errOut, now); code != OK {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
	got, _ := os.ReadFile(file)
	fp := leichtesprache.Fingerprint([]byte(page))
	want := "---\ntitle: \"Kontakt\"\ndescription: \"Hier finden Sie Telefon-Nummern.\"\npruefung:\n  datum: 2026-11-30\n  gruppe: \"Prüfgruppe „Klar“ Augsburg\"\n  fassung: \"" + fp + "\"\n---\n\nRufen Sie uns an.\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if leichtesprache.Fingerprint(got) != fp {
		t.Error("recording the check changed the page's fingerprint")
	}
	// A second check replaces the record and keeps the text.
	if code := reviewed([]string{"--datum", "2027-01-15", "--gruppe", "Neue Gruppe", "content/ls/kontakt.md"}, &out, &errOut, now); code != OK {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
	got, _ = os.ReadFile(file)
	if strings.Count(string(got), "pruefung:") != 1 || !strings.Contains(string(got), "datum: 2027-01-15") || leichtesprache.Fingerprint(got) != fp {
		t.Errorf("second record:\n%s", got)
	}
	// The text changes: the fingerprint does too.
	if leichtesprache.Fingerprint(append(got, "Neuer Satz.\n"...)) == fp {
		t.Error("a change of the text keeps the fingerprint")
	}

	for _, args := range [][]string{
		{"content/ls/kontakt.md"},
		{"content/de/kontakt.md", "--gruppe", "X"},
		{"content/ls/kontakt.md", "--gruppe", "X", "--datum", "30.11.2026"},
	} {
		if code := reviewed(args, &out, &errOut, now); code != Broken {
			t.Errorf("%v: code %d", args, code)
		}
	}
}
