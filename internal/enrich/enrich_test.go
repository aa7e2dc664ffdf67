package enrich

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"budgetsite/internal/finish"
	"budgetsite/internal/htmlcheck"
	"budgetsite/internal/variant"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Test data in the shape of data/abkuerzungen.yaml and data/glossar.yaml.
var (
	testAbbrs = []Abbreviation{
		{"LVR", "Landschaftsverband Rheinland"},
		{"EUTB", "Ergänzende unabhängige Teilhabeberatung"},
		{"KSL", "Kompetenzzentrum Selbstbestimmt Leben"},
		{"SGB", "Sozialgesetzbuch"},
		{"SGB IX", "Neuntes Buch Sozialgesetzbuch"},
		{"z. B.", "zum Beispiel"},
	}
	testTerms = []Term{
		{ID: "persoenliches-budget", Title: "Persönliches Budget",
			Forms:       []string{"Persönliches Budget", "Persönlichen Budget", "Persönlichen Budgets"},
			Explanation: "Das Persönliche Budget ist Geld für Hilfe.\nSie bekommen das Geld jeden Monat.\n\nMit dem Geld bezahlen Sie Ihre Hilfe selbst."},
		{ID: "sachleistung", Title: "Sach-Leistung",
			Forms:       []string{"Sachleistung", "Sachleistungen", "Sach-Leistung"},
			Explanation: "Eine Sach-Leistung ist Hilfe.\nDas Amt bezahlt die Hilfe direkt."},
		{ID: "beauftragter-traeger", Title: "beauftragter Träger",
			Forms:       []string{"beauftragter Träger", "beauftragten Träger"},
			Explanation: "Das Amt, das alles für Sie regelt."},
		{ID: "traeger", Title: "Träger", Forms: []string{"Träger"},
			Explanation: "Ein Amt, das eine Leistung bezahlt."},
		{ID: "traegeruebergreifend", Title: "trägerübergreifend",
			Forms:       []string{"trägerübergreifend", "trägerübergreifendes", "trägerübergreifenden"},
			Explanation: "Mehrere Ämter bezahlen zusammen."},
		{ID: "eutb", Title: "EUTB", Forms: []string{"EUTB"},
			Explanation: "Eine Beratungs-Stelle.\nDie Beratung kostet nichts."},
	}
	de = Options{Variant: variant.Standard, GlossaryURL: "/woerterbuch/"}
	ls = Options{Variant: variant.Leicht, GlossaryURL: "/leichte-sprache/woerterbuch/"}
)

const (
	lvr  = `<abbr title="Landschaftsverband Rheinland">LVR</abbr>`
	lvrX = lvr + ` (Landschaftsverband Rheinland)`
)

func wrap(main string) string {
	return `<!DOCTYPE html><html lang="de"><head><title>LVR</title></head><body><header><p>LVR Sachleistung</p></header><main>` + main + `</main><footer>LVR Sachleistung</footer></body></html>`
}

// normalize reads a page as a browser would and writes it back, so pages
// that differ only in how they are written (<br> or <br/>, quotes,
// character references) compare equal.
func normalize(t testing.TB, page []byte) []byte {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// applied returns the inner HTML of <main> after Apply (normalized), and
// fails the test if anything outside <main> changed.
func applied(t *testing.T, e *Enricher, main string, opt Options) string {
	t.Helper()
	s := string(normalize(t, e.Apply([]byte(wrap(main)), opt)))
	const pre = `<!DOCTYPE html><html lang="de"><head><title>LVR</title></head><body><header><p>LVR Sachleistung</p></header><main>`
	const post = `</main><footer>LVR Sachleistung</footer></body></html>`
	if !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, post) {
		t.Fatalf("changed outside <main>:\n%s", s)
	}
	return s[len(pre) : len(s)-len(post)]
}

func TestAbbreviations(t *testing.T) {
	e := New(testAbbrs, nil)
	tests := []struct{ name, in, want string }{
		{"first use expanded, later not", `<p>Der LVR hilft. Der LVR zahlt.</p><p>LVR</p>`,
			`<p>Der ` + lvrX + ` hilft. Der LVR zahlt.</p><p>LVR</p>`},
		{"long form on page: only abbr", `<p>Der LVR hilft.</p><p>Der Landschaftsverband
Rheinland ist zuständig.</p>`,
			`<p>Der ` + lvr + ` hilft.</p><p>Der Landschaftsverband
Rheinland ist zuständig.</p>`},
		{"long form in heading counts", `<h2>Landschaftsverband Rheinland</h2><p>Der LVR.</p>`,
			`<h2>Landschaftsverband Rheinland</h2><p>Der ` + lvr + `.</p>`},
		{"introduced in parentheses", `<p>des Landschaftsverbandes Rheinland (LVR) und</p>`,
			`<p>des Landschaftsverbandes Rheinland (` + lvr + `) und</p>`},
		{"hyphenated compound", `<p>LVR-Mitarbeiter</p>`, `<p>` + lvrX + `-Mitarbeiter</p>`},
		{"not inside a longer word", `<p>LVRS und XLVR und LVR2</p>`, `<p>LVRS und XLVR und LVR2</p>`},
		{"case-sensitive", `<p>lvr und Lvr</p>`, `<p>lvr und Lvr</p>`},
		{"skipped elements, then first plain use",
			`<h2>LVR</h2><p><a href="/x/">LVR</a> <code>LVR</code> <span data-no-enrich="">LVR</span> <label>LVR <input></label> <time>LVR</time></p><p>LVR</p>`,
			`<h2>LVR</h2><p><a href="/x/">LVR</a> <code>LVR</code> <span data-no-enrich="">LVR</span> <label>LVR <input/></label> <time>LVR</time></p><p>` + lvrX + `</p>`},
		{"authored abbr counts as first use", `<p><abbr title="Landschaftsverband Rheinland">LVR</abbr>, LVR</p>`,
			`<p><abbr title="Landschaftsverband Rheinland">LVR</abbr>, LVR</p>`},
		{"inside inline markup", `<p><em>Der LVR</em> zahlt</p>`, `<p><em>Der ` + lvrX + `</em> zahlt</p>`},
		{"longest wins: SGB IX over SGB", `<p>Das SGB IX und das SGB</p>`,
			`<p>Das <abbr title="Neuntes Buch Sozialgesetzbuch">SGB IX</abbr> (Neuntes Buch Sozialgesetzbuch) und das <abbr title="Sozialgesetzbuch">SGB</abbr> (Sozialgesetzbuch)</p>`},
		{"pattern across line break and nbsp", "<p>SGB\u00a0IX</p>",
			"<p><abbr title=\"Neuntes Buch Sozialgesetzbuch\">SGB\u00a0IX</abbr> (Neuntes Buch Sozialgesetzbuch)</p>"},
		{"ending in punctuation", `<p>Hilfen, z. B. Assistenz</p>`,
			`<p>Hilfen, <abbr title="zum Beispiel">z. B.</abbr> (zum Beispiel) Assistenz</p>`},
		{"several in one node", `<p>LVR, KSL und EUTB</p>`,
			`<p>` + lvrX + `, <abbr title="Kompetenzzentrum Selbstbestimmt Leben">KSL</abbr> (Kompetenzzentrum Selbstbestimmt Leben) und <abbr title="Ergänzende unabhängige Teilhabeberatung">EUTB</abbr> (Ergänzende unabhängige Teilhabeberatung)</p>`},
		{"escaping kept", `<p>A &amp; LVR &lt;b&gt;</p>`, `<p>A &amp; ` + lvrX + ` &lt;b&gt;</p>`},
		{"long form later, in a link", `<p>Der LVR.</p><ul><li>KSL</li></ul><p><a href="/lvr/">Landschaftsverband Rheinland</a></p>`,
			`<p>Der ` + lvr + `.</p><ul><li><abbr title="Kompetenzzentrum Selbstbestimmt Leben">KSL</abbr> (Kompetenzzentrum Selbstbestimmt Leben)</li></ul><p><a href="/lvr/">Landschaftsverband Rheinland</a></p>`},
		{"long form across inline markup and a reference", `<p>LVR</p><p>Landschafts<em>verband</em>&nbsp;Rheinland</p>`,
			`<p>` + lvr + `</p><p>Landschafts<em>verband</em>` + "\u00a0" + `Rheinland</p>`},
		{"long form only in a script does not count", `<p>LVR</p><script type="application/ld+json">"Landschaftsverband Rheinland"</script>`,
			`<p>` + lvrX + `</p><script type="application/ld+json">"Landschaftsverband Rheinland"</script>`},
		{"authored abbr inside a heading does not count", `<h2><abbr title="x">LVR</abbr></h2><p>LVR</p>`,
			`<h2><abbr title="x">LVR</abbr></h2><p>` + lvrX + `</p>`},
		{"text in svg and comments is skipped", `<p><svg><text>LVR</text></svg><!-- LVR --> LVR</p>`,
			`<p><svg><text>LVR</text></svg><!-- LVR --> ` + lvrX + `</p>`},
		{"nothing to do", `<p>Text ohne Abkürzung.</p>`, `<p>Text ohne Abkürzung.</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := applied(t, e, tt.in, de); got != tt.want {
				t.Errorf("\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestGlossaryStandard(t *testing.T) {
	e := New(testAbbrs, testTerms)
	g := func(id, text string) string {
		return `<a class="glossar" href="/woerterbuch/#` + id + `">` + text + `</a>`
	}
	tests := []struct{ name, in, want string }{
		{"first use linked, later not", `<p>Die Sachleistung und die Sachleistungen.</p><p>Sachleistung</p>`,
			`<p>Die ` + g("sachleistung", "Sachleistung") + ` und die Sachleistungen.</p><p>Sachleistung</p>`},
		{"any form is a use", `<p>Sachleistungen, dann Sachleistung</p>`,
			`<p>` + g("sachleistung", "Sachleistungen") + `, dann Sachleistung</p>`},
		{"whole words only", `<p>Sachleistungsträger</p>`, `<p>Sachleistungsträger</p>`},
		{"nouns case-sensitive", `<p>sachleistung</p>`, `<p>sachleistung</p>`},
		{"small-letter form also at sentence start", `<p>Trägerübergreifendes Budget, trägerübergreifend</p>`,
			`<p>` + g("traegeruebergreifend", "Trägerübergreifendes") + ` Budget, trägerübergreifend</p>`},
		{"longest form wins", `<p>Der beauftragte Träger? Der beauftragten Träger. Der Träger.</p>`,
			`<p>Der beauftragte ` + g("traeger", "Träger") + `? Der ` + g("beauftragter-traeger", "beauftragten Träger") + `. Der Träger.</p>`},
		{"inner words of a used long form stay", `<p>beauftragter Träger, beauftragter Träger, Träger</p>`,
			`<p>` + g("beauftragter-traeger", "beauftragter Träger") + `, beauftragter Träger, ` + g("traeger", "Träger") + `</p>`},
		{"multi-word form across a line break", "<p>Das Persönliche\nBudget? Das Persönlichen\n  Budgets.</p>",
			"<p>Das Persönliche\nBudget? Das " + g("persoenliches-budget", "Persönlichen\n  Budgets") + ".</p>"},
		{"not in headings or links", `<h2>Sachleistung</h2><p><a href="/s/">Sachleistung</a> und Sachleistung</p>`,
			`<h2>Sachleistung</h2><p><a href="/s/">Sachleistung</a> und ` + g("sachleistung", "Sachleistung") + `</p>`},
		{"authored glossary link counts", `<p><a href="/woerterbuch/#sachleistung">Sachleistung</a>, Sachleistung</p>`,
			`<p><a href="/woerterbuch/#sachleistung">Sachleistung</a>, Sachleistung</p>`},
		{"abbreviation and term at once", `<p>Die EUTB berät. Die EUTB.</p>`,
			`<p>Die <a class="glossar" href="/woerterbuch/#eutb"><abbr title="Ergänzende unabhängige Teilhabeberatung">EUTB</abbr></a> (Ergänzende unabhängige Teilhabeberatung) berät. Die EUTB.</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := applied(t, e, tt.in, de); got != tt.want {
				t.Errorf("\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
	t.Run("not on the Wörterbuch page", func(t *testing.T) {
		opt := de
		opt.SkipGlossaryOnPage = true
		in := `<p>Die Sachleistung beim LVR.</p>`
		if got, want := applied(t, e, in, opt), `<p>Die Sachleistung beim `+lvrX+`.</p>`; got != want {
			t.Errorf("\ngot  %s\nwant %s", got, want)
		}
	})
}

func TestGlossaryLeichteSprache(t *testing.T) {
	e := New(nil, testTerms)
	box := func(id string) string {
		for _, term := range testTerms {
			if term.ID == id {
				var b strings.Builder
				b.WriteString(`<aside class="erklaerung" aria-label="Erklärung: ` + term.Title + `"><p class="erklaerung-titel">` + term.Title + `</p>`)
				for _, p := range paragraphs(term.Explanation) {
					b.WriteString("<p>" + strings.Join(p, "<br/>") + "</p>")
				}
				b.WriteString("</aside>")
				return b.String()
			}
		}
		panic(id)
	}
	s := func(text string) string { return `<strong class="begriff">` + text + `</strong>` }
	tests := []struct{ name, in, want string }{
		{"box after the paragraph", `<p>Die Sach-Leistung ist gut.</p><p>Noch ein Satz.</p>`,
			`<p>Die ` + s("Sach-Leistung") + ` ist gut.</p>` + box("sachleistung") + `<p>Noch ein Satz.</p>`},
		{"two boxes keep order", `<p>Die Sachleistung.<br>Das Persönliche Budget.<br>Die EUTB.</p><p>x</p>`,
			`<p>Die ` + s("Sachleistung") + `.<br/>Das Persönliche Budget.<br/>Die ` + s("EUTB") + `.</p>` + box("sachleistung") + box("eutb") + `<p>x</p>`},
		{"boxes from two nodes of one block keep order", `<p>Die <em>Sachleistung</em> und die EUTB.</p>`,
			`<p>Die <em>` + s("Sachleistung") + `</em> und die ` + s("EUTB") + `.</p>` + box("sachleistung") + box("eutb")},
		{"after the whole list", `<ul><li>Eins</li><li>Die Sachleistung</li><li>Drei</li></ul><p>x</p>`,
			`<ul><li>Eins</li><li>Die ` + s("Sachleistung") + `</li><li>Drei</li></ul>` + box("sachleistung") + `<p>x</p>`},
		{"after the outer list", `<ol><li>Eins<ul><li><p>Die Sachleistung</p></li></ul></li></ol>`,
			`<ol><li>Eins<ul><li><p>Die ` + s("Sachleistung") + `</p></li></ul></li></ol>` + box("sachleistung")},
		{"after the table", `<table><tbody><tr><td>Sachleistung</td></tr></tbody></table>`,
			`<table><tbody><tr><td>` + s("Sachleistung") + `</td></tr></tbody></table>` + box("sachleistung")},
		{"inside a section, after the paragraph", `<section><h2>Titel</h2><p>Sachleistung</p></section>`,
			`<section><h2>Titel</h2><p>` + s("Sachleistung") + `</p>` + box("sachleistung") + `</section>`},
		{"inline text straight in main: after the inline run", `Die Sachleistung <em>hier</em> und EUTB<p>x</p>`,
			`Die ` + s("Sachleistung") + ` <em>hier</em> und ` + s("EUTB") + box("sachleistung") + box("eutb") + `<p>x</p>`},
		{"not into a dl's div", `<dl><div><dt>A</dt><dd>Sachleistung</dd></div></dl>`,
			`<dl><div><dt>A</dt><dd>` + s("Sachleistung") + `</dd></div></dl>` + box("sachleistung")},
		{"inside a named section: after it", `<section aria-labelledby="t"><h2 id="t">Titel</h2><p>Sachleistung</p></section><p>x</p>`,
			`<section aria-labelledby="t"><h2 id="t">Titel</h2><p>` + s("Sachleistung") + `</p></section>` + box("sachleistung") + `<p>x</p>`},
		{"inside an authored aside: after it", `<aside class="hinweis"><div><p>Sachleistung</p></div></aside>`,
			`<aside class="hinweis"><div><p>` + s("Sachleistung") + `</p></div></aside>` + box("sachleistung")},
		{"inside a nav: after it", `<nav aria-label="Seite"><ul><li>Sachleistung</li></ul></nav>`,
			`<nav aria-label="Seite"><ul><li>` + s("Sachleistung") + `</li></ul></nav>` + box("sachleistung")},
		{"inside details: stays inside", `<details><summary>Mehr</summary><p>Sachleistung</p></details>`,
			`<details><summary>Mehr</summary><p>` + s("Sachleistung") + `</p>` + box("sachleistung") + `</details>`},
		{"term across inline markup: after the block", `<p>Die <a href="/x/">Links</a> und <em>die <b>Sachleistung</b></em> hier.</p><p>x</p>`,
			`<p>Die <a href="/x/">Links</a> und <em>die <b>` + s("Sachleistung") + `</b></em> hier.</p>` + box("sachleistung") + `<p>x</p>`},
		{"p closed by a block start", `<div><p>Sachleistung<div>x</div></div>`,
			`<div><p>` + s("Sachleistung") + `</p>` + box("sachleistung") + `<div>x</div></div>`},
		{"li without end tags", `<ul><li>Sachleistung<li>EUTB</ul><p>x</p>`,
			`<ul><li>` + s("Sachleistung") + `</li><li>` + s("EUTB") + `</li></ul>` + box("sachleistung") + box("eutb") + `<p>x</p>`},
		{"skipped on the Wörterbuch page", `<p>Sachleistung</p>`, `<p>Sachleistung</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ls
			opt.SkipGlossaryOnPage = strings.Contains(tt.name, "Wörterbuch")
			if got := applied(t, e, tt.in, opt); got != tt.want {
				t.Errorf("\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
	t.Run("abbreviation with a box: no brackets", func(t *testing.T) {
		in := `<p>Die EUTB und der LVR.</p>`
		want := `<p>Die ` + s(`<abbr title="Ergänzende unabhängige Teilhabeberatung">EUTB</abbr>`) + ` und der ` + lvrX + `.</p>` + box("eutb")
		if got := applied(t, New(testAbbrs, testTerms), in, ls); got != want {
			t.Errorf("\ngot  %s\nwant %s", got, want)
		}
	})
}

// The tree must stay one a browser would build: every aside a child of a
// flow container, never of a <p>; created elements carry their atoms (the
// output checks switch on them).
func TestTreeShape(t *testing.T) {
	out := New(testAbbrs, testTerms).Apply([]byte(wrap(`<p>Sachleistung <b>LVR</b></p><ul><li>Persönliches Budget</li></ul>Text EUTB`)), ls)
	doc, _ := html.Parse(bytes.NewReader(out))
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == 0 || atom.Lookup([]byte(n.Data)) != n.DataAtom {
				t.Errorf("element %q has atom %v", n.Data, n.DataAtom)
			}
			if n.DataAtom == atom.Aside && !holdsBox(n.Parent.DataAtom, &finish.Elem{Atom: n.Parent.Parent.DataAtom}) {
				t.Errorf("aside inside <%s>", n.Parent.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Parent != n {
				t.Errorf("broken parent link at %q", c.Data)
			}
			walk(c)
		}
	}
	walk(doc)
}

// Golden files: testdata/<name>.html → testdata/<name>.golden. The name's
// prefix picks the options: de-, ls-, woerterbuch- (the Wörterbuch page).
func TestGolden(t *testing.T) {
	e := New(testAbbrs, testTerms)
	files, _ := filepath.Glob("testdata/*.html")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".html")
		t.Run(name, func(t *testing.T) {
			var opt Options
			switch {
			case strings.HasPrefix(name, "de-"):
				opt = de
			case strings.HasPrefix(name, "ls-"):
				opt = ls
			case strings.HasPrefix(name, "woerterbuch-"):
				opt = de
				opt.SkipGlossaryOnPage = true
			default:
				t.Fatalf("%s: name must start with de-, ls- or woerterbuch-", in)
			}
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out := e.Apply(src, opt)
			got := bytes.NewBuffer(normalize(t, out))
			doc, err := html.Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".html") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from %s (go test ./internal/enrich -update rewrites it):\n%s", in, golden, got.String())
			}
			// A parser must read the enriched <main> back unchanged: no
			// misnested elements, attribute order as the parser keeps it.
			again, err := html.Parse(bytes.NewReader(got.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if a, b := renderMain(doc), renderMain(again); a != b {
				t.Errorf("<main> changes on re-parse:\n%s\n---\n%s", a, b)
			}
			// And it passes the output checks the build runs next.
			for _, p := range htmlcheck.Check(golden, out, htmlcheck.Options{SiteHost: "www.example.org"}) {
				t.Error(p)
			}
		})
	}
}

func renderMain(doc *html.Node) string {
	var b bytes.Buffer
	html.Render(&b, findMain(doc))
	return b.String()
}

func findMain(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Main {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := findMain(c); m != nil {
			return m
		}
	}
	return nil
}

func TestNoPanicOnOddInput(t *testing.T) {
	e := New([]Abbreviation{{"", "leer"}, {"(x)", "Klammer"}, {"ß", "Eszett"}},
		[]Term{{ID: "a", Forms: []string{"", " ", "-x"}}, {ID: "a", Forms: []string{"ä"}}})
	for _, in := range []string{"", "<main></main>", "<main>ß ä × ×ä</main>", "<p>kein main</p>", "<main>\xff\xfe ß</main>", "<main><p>(x) ä", "<main>ä</body>"} {
		e.Apply([]byte(in), de)
		e.Apply([]byte(in), ls)
	}
	New(nil, nil).Apply(nil, de)
}

// benchGlossary has the size of the real one: the 22 terms with
// their usual forms, and the abbreviations the content uses.
func benchGlossary() ([]Abbreviation, []Term) {
	abbrs := append(slices.Clone(testAbbrs),
		Abbreviation{"BAG", "Bundesarbeitsgemeinschaft"},
		Abbreviation{"KoKoBe", "Koordinierungs-, Kontakt- und Beratungsstellen"},
		Abbreviation{"NRW", "Nordrhein-Westfalen"},
		Abbreviation{"d. h.", "das heißt"})
	terms := slices.Clone(testTerms)
	for _, forms := range [][]string{
		{"Budgetnehmer", "Budgetnehmerin", "Budgetnehmerinnen", "Budgetnehmende", "Budgetnehmenden"},
		{"Leistungsträger", "Leistungsträgern", "Leistungsträgers"},
		{"Budgetkonferenz", "Budgetkonferenzen"},
		{"Zielvereinbarung", "Zielvereinbarungen"},
		{"Bescheid", "Bescheide", "Bescheids"},
		{"Nachweis", "Nachweise", "Nachweisen"},
		{"Arbeitgebermodell", "Arbeitgebermodells"},
		{"Assistenz", "Assistenzleistungen", "Assistentinnen", "Assistenten"},
		{"Eingliederungshilfe"},
		{"Hilfe zur Pflege"},
		{"Pflegegrad", "Pflegegrade", "Pflegegrads"},
		{"Eigenanteil", "Eigenanteils"},
		{"Bezirk", "Bezirks", "Bezirk Schwaben", "Bezirks Schwaben"},
		{"KoKoBe"},
		{"LVR"},
		{"KSL"},
		{"Minijob", "Minijobs", "Minijob-Zentrale"},
	} {
		terms = append(terms, Term{ID: strings.ToLower(forms[0]), Title: forms[0], Forms: forms,
			Explanation: "Ein Satz zur Erklärung.\nNoch ein Satz zur Erklärung."})
	}
	return abbrs, terms
}

func benchApply(b *testing.B, opt Options) {
	src, err := os.ReadFile("testdata/de-seite.html")
	if err != nil {
		b.Fatal(err)
	}
	e := New(benchGlossary())
	f := []finish.Filter{nil}
	var out []byte
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f[0] = e.Filter(opt)
		out, _, _ = finish.Stream(out[:0], src, f, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
}

// BenchmarkApply measures the enrichment of a 10 KB page, lexing and
// writing included (BenchmarkPostProcess has them alone).
func BenchmarkApplyStandard(b *testing.B)       { benchApply(b, de) }
func BenchmarkApplyLeichteSprache(b *testing.B) { benchApply(b, ls) }

func BenchmarkNew(b *testing.B) {
	abbrs, terms := benchGlossary()
	for b.Loop() {
		New(abbrs, terms)
	}
}

// BenchmarkPostProcess is the finish step's per-page work without minify:
// lex once, enrich, check, write. The sub-benchmarks without enrich or
// without both give the share of each step.
func BenchmarkPostProcess(b *testing.B) {
	src, err := os.ReadFile("testdata/de-seite.html")
	if err != nil {
		b.Fatal(err)
	}
	e := New(benchGlossary())
	opt := htmlcheck.Options{SiteHost: "www.example.org"}
	for _, bc := range []struct {
		name          string
		enrich, check bool
	}{
		{"lex+write", false, false},
		{"lex+check+write", false, true},
		{"lex+enrich+check+write", true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var out []byte
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				var fs []finish.Filter
				var cs []finish.Check
				if bc.enrich {
					fs = append(fs, e.Filter(de))
				}
				var c *htmlcheck.Checker
				if bc.check {
					c = htmlcheck.New("public/budget/antrag/index.html", opt)
					cs = append(cs, c)
				}
				out, _, _ = finish.Stream(out[:0], src, fs, cs)
				if c != nil {
					if ps := c.Problems(); len(ps) > 0 {
						b.Fatal(ps)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
		})
	}
}

// One Enricher serves the build's parallel page workers (run with -race).
func TestConcurrentApply(t *testing.T) {
	src, err := os.ReadFile("testdata/ls-antrag.html")
	if err != nil {
		t.Fatal(err)
	}
	e := New(testAbbrs, testTerms)
	want := ""
	done := make(chan string)
	for range 4 {
		go func() {
			done <- string(e.Apply(src, ls))
		}()
	}
	for range 4 {
		got := <-done
		if want == "" {
			want = got
		} else if got != want {
			t.Error("concurrent runs differ")
		}
	}
}

// Whatever the page, Apply must not panic and must leave a tree that
// renders and still passes the structural rules it passed before.
func FuzzApply(f *testing.F) {
	for _, s := range []string{
		`<main><p>Der LVR und die Sachleistung.</p></main>`,
		`<main>EUTB<ul><li>Persönliches Budget<table><td>Träger</table></ul>z. B. x</main>`,
		`<main><section aria-label="x"><p>beauftragter Träger (LVR)</p></section>SGB IX</main>`,
	} {
		f.Add(s, true)
	}
	e := New(testAbbrs, testTerms)
	f.Fuzz(func(t *testing.T, in string, leicht bool) {
		opt := de
		if leicht {
			opt = ls
		}
		out := e.Apply([]byte(in), opt)
		// Outside <main> nothing changes.
		if i := strings.Index(in, "<main"); i >= 0 && !bytes.HasPrefix(out, []byte(strings.ToLower(in[:i]))) && !strings.ContainsAny(in[:i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("changed before <main>:\n%s\n%s", in, out)
		}
	})
}

// Stage picks the Enricher and the Wörterbuch of the page's variant below
// the base path, and leaves the glossary out on the Wörterbuch itself.
func TestStage(t *testing.T) {
	std, easy := New(testAbbrs, testTerms), New(nil, testTerms)
	stage := Stage(func(v variant.V) *Enricher {
		if v.Easy() {
			return easy
		}
		return std
	}, "/sub/", "woerterbuch/")
	run := func(path string, v variant.V, main string) string {
		f := stage(finish.PageInfo{Path: path, Variant: v})
		out, _, _ := finish.Stream(nil, []byte(wrap(main)), []finish.Filter{f}, nil)
		return string(out)
	}
	if got := run("/sub/budget/", variant.Standard, "<p>Sachleistung</p>"); !strings.Contains(got, `href="/sub/woerterbuch/#sachleistung"`) {
		t.Errorf("standard: %s", got)
	}
	if got := run("/sub/leichte-sprache/budget/", variant.Leicht, "<p>Sachleistung LVR</p>"); !strings.Contains(got, `class="erklaerung"`) || strings.Contains(got, "<abbr") {
		t.Errorf("leicht: %s", got)
	}
	if got := run("/sub/woerterbuch/", variant.Standard, "<p>Sachleistung LVR</p>"); strings.Contains(got, "glossar") || !strings.Contains(got, "<abbr") {
		t.Errorf("Wörterbuch: %s", got)
	}
}
