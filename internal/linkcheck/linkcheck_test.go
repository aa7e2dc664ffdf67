package linkcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/report"
)

var files = []string{
	"index.html", "kontakt/index.html", "budget/antrag/index.html", "css/main.css",
	"bilder/geld.svg", "leichte-sprache/index.html", "leichte-sprache/kontakt/index.html",
	"berichte/index.xml", "videos/a.vtt",
}

var ids = map[string][]string{
	"index.html":         {"inhalt", "oben"},
	"kontakt/index.html": {"inhalt", "telefon"},
}

type owner struct{}

func (owner) Owns(p string) (bool, string) {
	if !strings.HasPrefix(p, "anfragen/") {
		return false, ""
	}
	if p == "anfragen/ausstellung" {
		return true, ""
	}
	return true, "ein solches Formular gibt es nicht"
}

func run(page string, refs ...Ref) []report.Problem {
	var pages []Page
	for _, f := range files {
		if f != page {
			pages = append(pages, Page{File: f, IDs: ids[f]})
		}
	}
	pages = append(pages, Page{File: page, Refs: refs, IDs: ids[page]})
	return Check(pages, Options{Files: files, BaseURL: "https://www.example.org/", ReportAs: "public", Owners: []Owner{owner{}}})
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		page string
		ref  Ref
		want string // "" means no problem; else rule and a part of the message
	}{
		{"folder", "index.html", Ref{"a", "href", "/kontakt/"}, ""},
		{"folder without slash", "index.html", Ref{"a", "href", "/kontakt"}, ""},
		{"relative", "budget/antrag/index.html", Ref{"a", "href", "../../kontakt/"}, ""},
		{"relative dead", "budget/antrag/index.html", Ref{"a", "href", "../kontakt/"}, "link-tot: Der Link führt zu keiner Seite (/budget/kontakt/). Meinten Sie /budget/antrag/?"},
		{"home", "kontakt/index.html", Ref{"a", "href", "/"}, ""},
		{"own host", "index.html", Ref{"a", "href", "https://www.example.org/kontakt/#telefon"}, ""},
		{"own host dead", "index.html", Ref{"a", "href", "https://www.example.org/gibt-es-nicht/"}, "link-tot"},
		{"anchor", "index.html", Ref{"a", "href", "/kontakt/#telefon"}, ""},
		{"anchor missing", "index.html", Ref{"a", "href", "/kontakt/#fax"}, "anker-fehlt: Der Link zeigt auf den Anker #fax, den es auf /kontakt/ nicht gibt. Meinten Sie #inhalt?"},
		{"own anchor", "index.html", Ref{"a", "href", "#inhalt"}, ""},
		{"own anchor missing", "kontakt/index.html", Ref{"a", "href", "#oben"}, "anker-fehlt"},
		{"dead", "index.html", Ref{"a", "href", "/gibt-es-nicht/"}, "link-tot: Der Link führt zu keiner Seite (/gibt-es-nicht/). Meinten Sie /kontakt/?"},
		{"easy suggests easy", "leichte-sprache/index.html", Ref{"a", "href", "/leichte-sprache/kontak/"}, "Meinten Sie /leichte-sprache/kontakt/?"},
		{"image", "index.html", Ref{"img", "src", "/bilder/geld.svg"}, ""},
		{"image missing", "index.html", Ref{"img", "src", "/bilder/brief.svg"}, "datei-fehlt: Das Bild fehlt: /bilder/brief.svg gibt es in der Website nicht."},
		{"srcset", "index.html", Ref{"img", "srcset", "/bilder/geld.svg 1x, /bilder/x.svg 2x"}, "datei-fehlt"},
		{"track", "index.html", Ref{"track", "src", "/videos/b.vtt"}, "datei-fehlt: Die Untertitel-Datei fehlt"},
		{"stylesheet", "index.html", Ref{"link", "href", "/css/main.css"}, ""},
		{"download", "index.html", Ref{"a", "download", "/x.pdf"}, "datei-fehlt"},
		{"form owned", "index.html", Ref{"form", "action", "/anfragen/ausstellung"}, ""},
		{"form unknown", "index.html", Ref{"form", "action", "/anfragen/nichts"}, "link-tot: Das Formular-Ziel: ein solches Formular gibt es nicht"},
		{"form empty", "index.html", Ref{"form", "action", ""}, ""},
		{"https", "index.html", Ref{"a", "href", "https://www.bundestag.de/"}, ""},
		{"http", "index.html", Ref{"a", "href", "http://www.bundestag.de/"}, "link-extern: Die Adresse \"http://www.bundestag.de/\" ist nicht verschlüsselt"},
		{"no host", "index.html", Ref{"a", "href", "https:///x"}, "link-extern"},
		{"malformed", "index.html", Ref{"a", "href", "https://www.example.org/%zz"}, "link-extern: Die Adresse \"https://www.example.org/%zz\" ist fehlerhaft: ein %-Zeichen ohne zwei Hex-Ziffern danach."},
		{"javascript", "index.html", Ref{"a", "href", "javascript:alert(1)"}, "link-extern"},
		{"mailto", "index.html", Ref{"a", "href", "mailto:info@example.org"}, ""},
		{"tel", "index.html", Ref{"a", "href", "tel:+498213101333"}, ""},
		{"empty mailto", "index.html", Ref{"a", "href", "mailto:"}, "link-extern"},
		{"data", "index.html", Ref{"link", "href", "data:,"}, ""},
		{"feed entry", "berichte/index.xml", Ref{"xml-link", "", "https://www.example.org/berichte/x/"}, "link-tot: Der Verweis führt zu keiner Seite (/berichte/x/)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := run(tc.page, tc.ref)
			if tc.want == "" {
				for _, p := range ps {
					t.Errorf("unexpected: %s", p)
				}
				return
			}
			if len(ps) != 1 {
				t.Fatalf("want one problem %q, got %v", tc.want, ps)
			}
			got := ps[0].Rule + ": " + ps[0].Message
			if !strings.Contains(got, tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if ps[0].Severity != report.Fehler {
				t.Errorf("severity %v", ps[0].Severity)
			}
		})
	}
}

func TestTemplateLinkReportedOnce(t *testing.T) {
	var pages []Page
	for _, f := range files {
		pages = append(pages, Page{File: f, IDs: ids[f], Refs: []Ref{{"a", "href", "/impressum/"}}})
	}
	ps := Check(pages, Options{Files: files, BaseURL: "https://www.example.org/", ReportAs: "public"})
	if len(ps) != 1 {
		t.Fatalf("want one problem, got %d: %v", len(ps), ps)
	}
	if !strings.Contains(ps[0].Message, "(auf 9 Seiten, z. B. public/index.html)") {
		t.Errorf("message: %s", ps[0].Message)
	}
}

func TestBasePath(t *testing.T) {
	fs := []string{"index.html", "kontakt/index.html"}
	pages := []Page{{File: "index.html", Refs: []Ref{{"a", "href", "/sub/kontakt/"}, {"a", "href", "/kontakt/"}}}}
	ps := Check(pages, Options{Files: fs, BaseURL: "https://www.example.org/sub/", ReportAs: "public"})
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "führt aus der Website hinaus") {
		t.Errorf("got %v", ps)
	}
}

func TestTextLocator(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/de/kontakt.md", "---\ntitle: Kontakt\n---\n\nSchreiben Sie uns.\n\n- Zum [Formular für Rückmeldungen](/gibt-es-nicht/) gehen.\n")
	write("data/kontakte.yaml", "stellen:\n  - web: \"/aus-daten/\"\n")
	write("layouts/_partials/fuss.html", `<a href="/aus-vorlage/">x</a>`)
	l := &TextLocator{Root: root, Sources: map[string]string{"kontakt/index.html": "content/de/kontakt.md"}, BasePath: "/", Dirs: []string{"data", "layouts"}}
	for _, tc := range []struct {
		page, ref string
		want      Source
		ok        bool
	}{
		{"kontakt/index.html", "/gibt-es-nicht/", Source{File: "content/de/kontakt.md", Line: 7, Col: 7, Text: "Formular für Rückmeldungen"}, true},
		{"kontakt/index.html", "/aus-daten/", Source{File: "data/kontakte.yaml", Line: 2, Col: 11}, true},
		{"index.html", "/aus-vorlage/", Source{File: "layouts/_partials/fuss.html", Line: 1, Col: 10}, true},
		{"index.html", "/gibt-es-nicht/", Source{}, false}, // not in this page's source
		{"index.html", "/aus", Source{}, false},            // only as a part of a longer path
	} {
		got, ok := l.Locate(tc.page, Ref{"a", "href", tc.ref})
		if ok != tc.ok || got != tc.want {
			t.Errorf("Locate(%s, %s) = %+v %v, want %+v %v", tc.page, tc.ref, got, ok, tc.want, tc.ok)
		}
	}

	// The message an editor reads.
	ps := Check([]Page{{File: "kontakt/index.html", Refs: []Ref{{"a", "href", "/gibt-es-nicht/"}}}},
		Options{Files: []string{"kontakt/index.html"}, BaseURL: "https://www.example.org/", ReportAs: "public", Locator: l})
	want := "content/de/kontakt.md:7:7: Fehler [link-tot]: Der Link „Formular für Rückmeldungen“ führt zu keiner Seite (/gibt-es-nicht/). Meinten Sie /kontakt/?"
	if len(ps) != 1 || ps[0].String() != want {
		t.Errorf("got  %v\nwant %s", ps, want)
	}
}
