package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/modules"
)

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, Broken, "budgetsite build"},
		{[]string{"bauen"}, Broken, "Unbekannter Befehl"},
		{[]string{"check", "--format", "xml"}, Broken, "erlaubt sind text und json"},
		{[]string{"new", "bericht", "x"}, Broken, "Aufruf: budgetsite new report"},
		{[]string{"help"}, OK, "budgetsite serve"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := Run(c.args, &out, &errOut, modules.Site)
		if code != c.code || !strings.Contains(out.String()+errOut.String(), c.want) {
			t.Errorf("%v: code %d, output %q; want code %d and %q", c.args, code, out.String()+errOut.String(), c.code, c.want)
		}
	}
}

func TestNewReport(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "archetypes"), 0o755); err != nil {
		t.Fatal(err)
	}
	arche := "---\ntitle: \"{{ .Title }}\"\ndate: {{ .Date }}\njahre: [\"{{ .Year }}\"]\n---\n"
	if err := os.WriteFile(filepath.Join(root, "archetypes", "berichte.md"), []byte(arche), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	files, err := NewReport(root, "praxisdialog-2026-augsburg", now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content/de/berichte/praxisdialog-2026-augsburg.md", "content/ls/berichte/praxisdialog-2026-augsburg.md"}
	if strings.Join(files, ",") != strings.Join(want, ",") {
		t.Fatalf("files %v, want %v", files, want)
	}
	b, _ := os.ReadFile(filepath.Join(root, want[1]))
	if got := string(b); got != "---\ntitle: \"Praxisdialog 2026 Augsburg\"\ndate: 2026-11-22\njahre: [\"2026\"]\n---\n" {
		t.Errorf("content:\n%s", got)
	}
	if _, err := NewReport(root, "praxisdialog-2026-augsburg", now); err == nil || !strings.Contains(err.Error(), "gibt es schon") {
		t.Errorf("second call must refuse to overwrite, got %v", err)
	}
	if _, err := NewReport(root, "Mit Leerzeichen", now); err == nil || !strings.Contains(err.Error(), "nicht erlaubt") {
		t.Errorf("bad slug must be refused, got %v", err)
	}
}

// The real archetype must give a report that passes the report checks once filled in.
func TestRealArchetypeHasEveryField(t *testing.T) {
	b, err := os.ReadFile("../../archetypes/berichte.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"title:", "date:", "veranstalter:", "format:", "regionen:", "teilnehmergruppen:", "teilnehmerzahl:", "themen:", "ergebnisse:", "jahre:"} {
		if !bytes.Contains(b, []byte(f)) {
			t.Errorf("archetypes/berichte.md lacks %s", f)
		}
	}
}
