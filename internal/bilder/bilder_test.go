package bilder

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// root is the project root, two folders up.
const root = "../.."

func writeData(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, DataFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadSaysWhatIsWrongAndWhere(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		line       int
		says       string
	}{
		{"good", "geld:\n  openmoji: 1F4B6\n  zeigt: Geldschein\n  von: A\n", 0, ""},
		// A picture's problems stand at its first line below the name.
		{"bad name", "Geld:\n  openmoji: 1F4B6\n  zeigt: x\n  von: A\n", 2, "Kleinbuchstaben"},
		{"bad code", "geld:\n  openmoji: 1f4b6\n  zeigt: x\n  von: A\n", 2, "OpenMoji-Code"},
		{"no meaning", "geld:\n  openmoji: 1F4B6\n  von: A\n", 2, "zeigt"},
		{"no designer", "geld:\n  openmoji: 1F4B6\n  zeigt: x\n", 2, "von"},
		{"unknown key", "geld:\n  openmoji: 1F4B6\n  zeigt: x\n  von: A\n  farbe: rot\n", 5, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			pics, ps := Load(writeData(t, c.yaml))
			if c.line == 0 {
				if len(ps) > 0 || pics["geld"].OpenMoji != "1F4B6" {
					t.Fatalf("problems %v, pictures %v", ps, pics)
				}
				return
			}
			if len(ps) != 1 || ps[0].Line != c.line || ps[0].Severity != report.Fehler || !strings.Contains(ps[0].Message, c.says) {
				t.Fatalf("want one Fehler at line %d saying %q, got %v", c.line, c.says, ps)
			}
		})
	}
}

func page(t *testing.T, file, body string) *site.Page {
	t.Helper()
	pg, ps := contentlint.NewPage(file, []byte("---\ntitle: T\n---\n\n"+body))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return pg
}

func TestCheckPageNamesTheLineAndTheKnownPictures(t *testing.T) {
	m := NewModule()
	if ps := m.Load(&site.Env{Root: writeData(t, "geld:\n  openmoji: 1F4B6\n  zeigt: x\n  von: A\n")}); len(ps) > 0 {
		t.Fatal(ps)
	}
	pg := page(t, "content/ls/a.md", "Text.\n\n{{< bild src=\"/bilder/geld.svg\" alt=\"Ein Geld-Schein\" >}}\n\n{{< bild src=\"/bilder/brot.svg\" alt=\"Ein Brot\" >}}\n\n{{< bild src=\"geld.png\" alt=\"x\" >}}\n")
	ps := m.CheckPage(nil, pg)
	if len(ps) != 2 {
		t.Fatalf("want 2 problems, got %v", ps)
	}
	if ps[0].Line != 9 || !strings.Contains(ps[0].Message, `"brot"`) || !strings.Contains(ps[0].Message, "geld") {
		t.Errorf("unknown picture: %v", ps[0])
	}
	if ps[1].Line != 11 || !strings.Contains(ps[1].Message, "/bilder/NAME.svg") {
		t.Errorf("wrong form: %v", ps[1])
	}
	texts := m.Texts(&site.Env{Pages: []*site.Page{pg, page(t, "content/de/a.md", "{{< bild src=\"/bilder/geld.svg\" alt=\"Geldschein\" >}}\n")}})
	if len(texts) != 3 || texts[0].Text != "Ein Geld-Schein" || texts[0].Line != 7 || !texts[0].Variant.Easy() {
		t.Errorf("the Leichte Sprache alt texts go to the text checks with their line: %+v", texts)
	}
}

type files struct {
	dir   string
	added map[string][]byte
}

func (f *files) Add(rel string, b []byte) { f.added[rel] = b }
func (f *files) AddFile(string)           {}
func (f *files) Dir() string              { return f.dir }

// The build copies the used pictures, and only those, from assets/openmoji/;
// a missing copy is a Fehler that says how to get it.
func TestMakeFilesCopiesWhatThePagesUse(t *testing.T) {
	dir := writeData(t, "geld:\n  openmoji: 1F4B6\n  zeigt: x\n  von: A\nbrief:\n  openmoji: 2709\n  zeigt: y\n  von: B\nbuch:\n  openmoji: 1F4D6\n  zeigt: z\n  von: C\n")
	if err := os.MkdirAll(filepath.Join(dir, AssetDir), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, AssetDir, "1F4B6.svg"), []byte("<svg>geld</svg>"), 0o644)
	m := NewModule()
	m.Load(&site.Env{Root: dir})
	e := &site.Env{Root: dir, Pages: []*site.Page{
		page(t, "content/ls/a.md", "{{< bild src=\"/bilder/geld.svg\" alt=\"Geld\" >}}\n\n{{< bild src=\"/bilder/brief.svg\" alt=\"Ein Brief\" >}}\n"),
	}}
	f := &files{added: map[string][]byte{}}
	ps := m.MakeFiles(context.Background(), e, f)
	if string(f.added["bilder/geld.svg"]) != "<svg>geld</svg>" || len(f.added) != 1 {
		t.Errorf("copied %v", f.added)
	}
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "npm ci") || ps[0].Line != 6 {
		t.Errorf("the missing copy of brief: %v", ps)
	}
	data, _ := m.HugoData(e)
	if list := data["bildnachweis"].(map[string]any)["bilder"].([]map[string]any); len(list) != 2 || list[0]["von"] != "B" {
		t.Errorf("credits of the used pictures, sorted by name: %v", list)
	}
}

// The committed copies are the npm package's files, unchanged (CC BY-SA:
// the site says it shows them as they are).
func TestCopiesAreThePackagesFiles(t *testing.T) {
	pics, ps := Load(root)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	pkg := filepath.Join(root, PackageDir)
	if _, err := os.Stat(pkg); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s fehlt: npm ci", PackageDir)
		}
		t.Skipf("%s fehlt (npm ci): die Kopien lassen sich nicht vergleichen", PackageDir)
	}
	for name, p := range pics {
		want, err := os.ReadFile(filepath.Join(pkg, p.OpenMoji+".svg"))
		if err != nil {
			t.Errorf("%s: OpenMoji %s: %v", name, p.OpenMoji, err)
			continue
		}
		got, err := os.ReadFile(filepath.Join(root, p.Asset()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %s differs from the package or is missing (go run ./cmd/budgetsite bilder)", name, p.Asset())
		}
	}
}

// At least four of five Leichte Sprache pages carry a picture (issue 11).
func TestMostLeichteSprachePagesHaveAPicture(t *testing.T) {
	pages, ps := contentlint.Collect(root)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	with, all := Coverage(pages)
	if all == 0 || with*5 < all*4 {
		t.Errorf("%d of %d Leichte Sprache pages have a picture, want at least 80 %%", with, all)
	}
}
