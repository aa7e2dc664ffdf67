package listings

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gohugoio/hugo/hugolib"
	"golang.org/x/net/html"

	"budgetsite/internal/anfragen"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/siteconfig"
)

const repo = "../.."

// siteFiles are the real files the pages of this package need. The lead's
// baseof is replaced by a minimal one, so that these tests check only the
// "main" blocks.
var siteFiles = []string{
	"i18n/de.toml", "i18n/leichte-sprache.toml",
	"data/formulare.yaml",
	"layouts/_partials/date.html", "layouts/_partials/value.html",
	"layouts/_partials/tel.html", "layouts/_partials/mailto.html",
	"layouts/_partials/lines.html",
	// The Leichte Sprache pages carry a picture (internal/bilder).
	"layouts/_shortcodes/bild.html",
}

var pages = []string{
	"angebote/ausstellung.md", "angebote/schulungen.md", "angebote/ausstellung-anfrage.md",
	"angebote/schulung-anfrage.md", "angebote/danke.md", "barrierefreiheit-rueckmeldung.md",
}

type siteOpts struct {
	dataRoot                string // directory holding data/ausstellung.yaml and data/schulungen.yaml
	adresse, email, telefon string
}

func buildSite(t *testing.T, o siteOpts) *hugolib.IntegrationTestBuilder {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `-- hugo.toml --
baseURL = "https://example.org/"
noBuildLock = true
defaultContentLanguage = "de"
disableKinds = ["sitemap", "robotsTXT", "rss", "taxonomy", "term"]
timeZone = "Europe/Berlin"
[languages.de]
locale = "de-DE"
weight = 1
contentDir = "content/de"
[languages.de.params]
variante = "de"
[languages.leichte-sprache]
locale = "de-DE"
weight = 2
contentDir = "content/ls"
[languages.leichte-sprache.params]
variante = "ls"
[params.anfragen]
adresse = %q
email = %q
telefon = %q
-- layouts/baseof.html --
<!DOCTYPE html><html lang="de"><head><title>{{ .Title }}</title>{{ block "head" . }}{{ end }}</head><body><main id="inhalt">{{ block "main" . }}{{ end }}</main></body></html>
-- layouts/page.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/section.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
-- layouts/home.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
-- content/de/datenschutz.md --
---
title: Datenschutz
---
-- content/ls/datenschutz.md --
---
title: Datenschutz
---
`, o.adresse, o.email, o.telefon)
	add := func(name, path string) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "-- %s --\n%s\n", name, src)
	}
	for _, f := range siteFiles {
		add(f, filepath.Join(repo, f))
	}
	for _, dir := range []string{"layouts/angebote", "layouts/_partials"} {
		entries, err := os.ReadDir(filepath.Join(repo, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			n := e.Name()
			if dir == "layouts/angebote" || strings.HasPrefix(n, "anfrage-") || strings.HasPrefix(n, "formular") || n == "site-url.html" {
				add(dir+"/"+n, filepath.Join(repo, dir, n))
			}
		}
	}
	for _, p := range pages {
		add("content/de/"+p, filepath.Join(repo, "content/de", p))
		add("content/ls/"+p, filepath.Join(repo, "content/ls", p))
	}
	add("data/ausstellung.yaml", filepath.Join(o.dataRoot, AusstellungFile))
	add("data/schulungen.yaml", filepath.Join(o.dataRoot, SchulungenFile))
	// The render model the pipeline hands Hugo (Module.HugoData), as of today.
	m := NewModule()
	if ps := m.Load(&site.Env{Root: o.dataRoot}); report.Count(ps, report.Fehler) > 0 {
		t.Fatal(ps)
	}
	model, _ := m.HugoData(&site.Env{Now: time.Now()})
	// The forms' model, from the project's data/formulare.yaml.
	env := &site.Env{Root: repo, BasePath: "/"}
	if env.Config, _ = siteconfig.Load(repo); env.Config == nil {
		t.Fatal("hugo.toml")
	}
	fm := anfragen.NewModule()
	if ps := fm.Load(env); report.Count(ps, report.Fehler) > 0 {
		t.Fatal(ps)
	}
	forms, _ := fm.HugoData(env)
	maps.Copy(model, forms)
	for name, v := range model {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "-- data/%s.json --\n%s\n", name, js)
	}
	hb := hugolib.Test(t, b.String())
	// LISTINGS_DUMP=dir writes the built pages there, to look at them by eye.
	if dir := os.Getenv("LISTINGS_DUMP"); dir != "" {
		for _, p := range builtPages {
			for _, f := range variants(p) {
				out := filepath.Join(dir, t.Name(), f)
				os.MkdirAll(filepath.Dir(out), 0o755)
				os.WriteFile(out, []byte(hb.FileContent(f)), 0o644)
			}
		}
	}
	return hb
}

var builtPages = []string{
	"angebote/ausstellung/index.html", "angebote/schulungen/index.html",
	"angebote/ausstellung-anfrage/index.html", "angebote/schulung-anfrage/index.html",
	"angebote/danke/index.html", "barriere-melden/index.html",
}

func variants(p string) []string { return []string{"public/" + p, "public/leichte-sprache/" + p} }

// TestPagesShippedData renders the real data: no dates, no empty facts.
func TestPagesShippedData(t *testing.T) {
	b := buildSite(t, siteOpts{dataRoot: repo, adresse: "/anfragen"})
	for _, p := range builtPages {
		for _, f := range variants(p) {
			checkHTML(t, f, b.FileContent(f))
		}
	}
	b.AssertFileContent("public/angebote/ausstellung/index.html",
		"<h1>Wanderausstellung zum Persönlichen Budget</h1>",
		"<dt>Kosten</dt>", "Die Ausstellung kann kostenfrei ausgeliehen werden.",
		"Es sind noch keine Termine eingetragen.",
		`<a class="knopf-link" href="/angebote/ausstellung-anfrage/">Wanderausstellung anfragen</a>`,
		"! <table", "! .ics", "! <dt>Platzbedarf", "! <dt>Transport", "! application/ld+json", "! <dt>Anzahl",
	)
	b.AssertFileContent("public/leichte-sprache/angebote/ausstellung/index.html",
		"Es gibt noch keine Termine.",
		`href="/leichte-sprache/angebote/ausstellung-anfrage/"`,
		"Das Aus·leihen ist kostenlos.",
	)
	b.AssertFileContent("public/angebote/schulungen/index.html",
		"<dt>Für wen</dt>", "Selbsthilfegruppen", "! <dt>Dauer", "! <dt>Form", "! <table",
	)
}

func TestPagesWithDates(t *testing.T) {
	today := time.Now()
	b := buildSite(t, siteOpts{dataRoot: fixtureRoot(t, today), adresse: "/anfragen"})
	for _, p := range builtPages[:2] {
		for _, f := range variants(p) {
			checkHTML(t, f, b.FileContent(f))
		}
	}
	d := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	page := b.FileContent("public/angebote/ausstellung/index.html")
	for _, want := range []string{
		"<caption>Belegung der Wanderausstellung in den nächsten 12 Monaten</caption>",
		`<th scope="col">Zeitraum</th>`,
		fmt.Sprintf(`<th scope="row"><time datetime="%s">`, d(30)),
		fmt.Sprintf(`bis <time datetime="%s">`, d(40)),
		"belegt: ausgeliehen", "frei: kann ausgeliehen werden",
		"Rathaus Musterstadt, Beispielweg 1, 12345 Musterstadt",
		"<li>Zugang ohne Stufen</li>", "<li>keine Induktionsschleife</li>", "<li>Gebärdensprache: nicht bekannt</li>",
		`<td colspan="2">nicht öffentlich</td>`,
		`<a href="/angebote/ausstellung.ics" type="text/calendar">`,
		`<dt>Anzahl der Ausstellungs-Elemente</dt>`, `<dd>7</dd>`, "<dt>Platzbedarf</dt>", "<li>Thema Eins</li>",
		`"@type":"ExhibitionEvent"`, fmt.Sprintf(`"startDate":"%s"`, d(30)), fmt.Sprintf(`"endDate":"%s"`, d(40)),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("Ausstellung: %q fehlt", want)
		}
	}
	for _, bad := range []string{"Geheim", "Vergangen", d(800), "<dt>Transport"} {
		if strings.Contains(page, bad) {
			t.Errorf("Ausstellung: %q darf nicht erscheinen", bad)
		}
	}
	if n := strings.Count(page, "<tr>"); n != 4 {
		t.Errorf("%d Tabellenzeilen, erwartet 4 (Kopf + 3 in den nächsten 12 Monaten)", n)
	}
	if n := strings.Count(page, "application/ld+json"); n != 1 {
		t.Errorf("%d JSON-LD-Blöcke", n)
	}
	ls := b.FileContent("public/leichte-sprache/angebote/ausstellung/index.html")
	for _, want := range []string{"Sie kommen ohne Stufen hinein.", `href="/angebote/ausstellung.ics"`, "frei: Sie können die Ausstellung aus·leihen"} {
		if !strings.Contains(ls, want) {
			t.Errorf("Leichte Sprache: %q fehlt", want)
		}
	}
	if strings.Contains(ls, "<dt>Wie viel Platz") {
		t.Error("Leichte Sprache zeigt den Platzbedarf, obwohl der ls-Text leer ist")
	}
	b.AssertFileContent("public/angebote/schulungen/index.html",
		`"@type":"EducationEvent"`, `"name":"Schulungen Test: Einführung"`,
		fmt.Sprintf(`<th scope="row"><time datetime="%s">`, d(120)),
		"<dt>Form</dt>", "<dd>vor Ort bei Ihnen, online</dd>", "<dd>20</dd>",
		`<a href="/angebote/schulungen.ics"`,
	)
}

func TestFormPages(t *testing.T) {
	b := buildSite(t, siteOpts{dataRoot: repo, adresse: "https://anfragen.example.org/anfragen/", email: "", telefon: "0211 123"})
	page := b.FileContent("public/angebote/ausstellung-anfrage/index.html")
	for _, want := range []string{
		`<div id="fehler-zusammenfassung-platz"></div>`,
		`<form class="formular" method="post" action="https://anfragen.example.org/anfragen/ausstellung" novalidate>`,
		`<input type="hidden" name="variante" value="de">`,
		`<legend>Ihre Kontaktdaten</legend>`,
		`<label for="feld-organisation">Name der Organisation <span class="feld-marke">(Pflichtfeld)</span></label>`,
		`<p class="feld-hilfe" id="hilfe-organisation">`,
		`id="feld-organisation" name="organisation" autocomplete="organization" maxlength="200" required aria-describedby="hilfe-organisation">`,
		`<label for="feld-telefon">Telefonnummer <span class="feld-marke">(freiwillig)</span></label>`,
		`type="email" id="feld-email" name="email" autocomplete="email" maxlength="254" spellcheck="false" required>`,
		`<fieldset class="feld feld-auswahl" id="feld-kontaktweg">`,
		`<input type="radio" id="feld-kontaktweg-email" name="kontaktweg" value="email" required>`,
		`<p class="feld-hilfe" id="hilfe-zeitraum_von">Bitte als Tag.Monat.Jahr eingeben, zum Beispiel 15.03.2027.</p>`,
		`<input class="eingabe eingabe-date" type="text" id="feld-zeitraum_von" name="zeitraum_von" required aria-describedby="hilfe-zeitraum_von">`,
		"<p class=\"feld-hilfe\" id=\"hilfe-alternative_von\">Freiwillig. Falls der gewünschte Zeitraum schon belegt ist.<br>\nBitte als Tag.Monat.Jahr eingeben, zum Beispiel 15.03.2027.</p>",
		`<textarea class="eingabe" id="feld-ort_adresse" name="ort_adresse" rows="6" autocomplete="street-address" maxlength="500" required aria-describedby="hilfe-ort_adresse"></textarea>`,
		`type="text" inputmode="numeric" id="feld-raum_groesse" name="raum_groesse" required>`,
		`<input type="checkbox" id="feld-einwilligung" name="einwilligung" value="ja" required>`,
		`<a href="/datenschutz/">Datenschutzerklärung lesen</a>`,
		`<div class="formular-honigtopf" aria-hidden="true">`,
		`<input type="text" id="feld-website" name="website" value="" tabindex="-1" autocomplete="off">`,
		`<button type="submit" class="knopf">Absenden</button>`,
		`<a href="tel:&#43;49211123">0211 123</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("Formularseite: %q fehlt", want)
		}
	}
	checkHTML(t, "ausstellung-anfrage", page)
	b.AssertFileContent("public/leichte-sprache/angebote/schulung-anfrage/index.html",
		`<input type="hidden" name="variante" value="ls">`, `action="https://anfragen.example.org/anfragen/schulung"`,
		`<input type="checkbox" id="feld-bedarfe-gebaerdensprache" name="bedarfe" value="gebaerdensprache">`,
		`<fieldset class="feld feld-auswahl" id="feld-bedarfe" aria-describedby="hilfe-bedarfe">`,
		"(Pflicht-Feld)",
	)
	b.AssertFileContent("public/barriere-melden/index.html", `action="https://anfragen.example.org/anfragen/feedback"`, `id="feld-barriere"`)
	b.AssertFileContent("public/leichte-sprache/barriere-melden/index.html", `<input type="hidden" name="variante" value="ls">`)
	b.AssertFileContent("public/angebote/danke/index.html",
		`<meta name="robots" content="noindex">`,
		`<p class="anfrage-nummer" hidden>Ihre Anfrage-Nummer: <strong><span id="anfrage-nummer"></span></strong></p>`)
}

func TestFormFallbackMail(t *testing.T) {
	b := buildSite(t, siteOpts{dataRoot: repo, adresse: "", email: "ausstellung@example.org"})
	page := b.FileContent("public/angebote/ausstellung-anfrage/index.html")
	if strings.Contains(page, "<form") {
		t.Error("ohne Empfänger darf kein Formular erscheinen")
	}
	for _, want := range []string{
		`href="mailto:ausstellung@example.org?subject=Anfrage%20%c3%bcber%20die%20Website%3a%20Wanderausstellung%20anfragen&amp;body=Guten%20Tag%2c%0d%0a`,
		`Name%20der%20Organisation%20%28Pflichtfeld%29%3a%20%0d%0a`,
		"Wie möchten Sie eine Antwort bekommen? (Per E-Mail / Per Telefon) (Pflichtfeld)",
		`Telefonnummer: <mark class="offen">`,
	} {
		if !strings.Contains(strings.ToLower(page), strings.ToLower(want)) {
			t.Errorf("E-Mail-Ersatz: %q fehlt", want)
		}
	}
	if strings.Contains(page, "+") && strings.Contains(page, "subject=Anfrage+") {
		t.Error("Leerzeichen als + kodiert (mailto braucht %20)")
	}
	checkHTML(t, "ersatz", page)

	b = buildSite(t, siteOpts{dataRoot: repo})
	b.AssertFileContent("public/leichte-sprache/angebote/ausstellung-anfrage/index.html",
		"! <form", "! mailto:", `E-Mail-Adresse: <mark class="offen">`, `Telefon·nummer: <mark class="offen">`)
}

// checkHTML applies the page rules that matter here: one h1, no skipped
// heading level, unique ids, every control labelled, aria-describedby and
// label targets exist.
func checkHTML(t *testing.T, name, src string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ids := map[string]int{}
	labelFor := map[string]bool{}
	var controls, describedBy []string
	h1, last := 0, 1
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			if id, ok := attr["id"]; ok {
				ids[id]++
			}
			switch n.Data {
			case "h1", "h2", "h3", "h4":
				lvl := int(n.Data[1] - '0')
				if lvl == 1 {
					h1++
				} else if lvl > last+1 {
					t.Errorf("%s: Überschrift %s folgt auf h%d", name, n.Data, last)
				}
				last = lvl
			case "label":
				labelFor[attr["for"]] = true
				inLabel = true
			case "input", "textarea", "select":
				if attr["type"] != "hidden" && !inLabel {
					controls = append(controls, attr["id"])
				}
			}
			if v, ok := attr["aria-describedby"]; ok {
				describedBy = append(describedBy, strings.Fields(v)...)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	if h1 != 1 {
		t.Errorf("%s: %d h1", name, h1)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q kommt %d-mal vor", name, id, n)
		}
	}
	for _, c := range controls {
		if c == "" || !labelFor[c] {
			t.Errorf("%s: Eingabefeld %q ohne Label", name, c)
		}
	}
	for _, d := range describedBy {
		if ids[d] == 0 {
			t.Errorf("%s: aria-describedby verweist auf fehlende id %q", name, d)
		}
	}
}
