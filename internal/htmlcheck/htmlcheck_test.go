package htmlcheck

import (
	"os"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/finish"
	"budgetsite/internal/report"
)

// page wraps main content in the site's frame: skip link first, variant
// switch, one <main> with one <h1>. Cases that must break the frame pass a
// whole document instead (see doc).
func page(main string) string {
	return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>T</title><meta name="description" content="Eine Seite zum Testen."></head><body>
<a class="sprunglink" href="#inhalt">Zum Inhalt springen</a>
<header><a href="/">Startseite</a> <a href="/leichte-sprache/" data-variante="ls">Leichte Sprache</a></header>
<main id="inhalt" tabindex="-1"><h1>Titel</h1>` + main + `</main>
<footer><a href="/kontakt/">Kontakt</a></footer></body></html>`
}

// doc replaces parts of the frame, for the landmark, skip-link and head cases.
func doc(old, new string) string { return strings.Replace(page(""), old, new, 1) }

var site = Options{SiteHost: "www.example.org"}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		html string
		opt  Options
		want []string // rule ids, in order of finding
	}{
		{"frame is clean", page(""), site, nil},
		{"realistic page is clean", mustRead(t, "testdata/seite.html"), site, nil},

		// html[lang]
		{"lang missing", doc(` lang="de"`, ""), site, []string{RuleLang}},
		{"lang empty", doc(` lang="de"`, ` lang=" "`), site, []string{RuleLang}},

		// exactly one <main>
		{"no main", doc(`<main id="inhalt" tabindex="-1"><h1>Titel</h1></main>`, `<div id="inhalt"><h1>Titel</h1></div>`), site, []string{RuleMain}},
		{"two mains", page(`<main hidden></main>`), site, []string{RuleMain}},
		{"role main counts", page(`<div role="main"></div>`), site, []string{RuleMain}},

		// exactly one <h1>
		{"no h1", doc(`<h1>Titel</h1>`, `<h2>Titel</h2>`), site, []string{RuleH1}},
		{"two h1", page(`<h1>Noch eine</h1>`), site, []string{RuleH1}},

		// heading levels
		{"levels step down and up", page(`<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2><h3>E</h3>`), site, nil},
		{"h2 to h4", page(`<h2>Antrag</h2><h4>Schritte</h4>`), site, []string{RuleHeadings}},
		{"h1 to h3", page(`<h3>Schritte</h3>`), site, []string{RuleHeadings}},
		{"h1 to h5", page(`<h5>Tief</h5>`), site, []string{RuleHeadings}},
		{"first heading h3", doc(`<header>`, `<header><h3>Menü</h3>`), site, []string{RuleHeadings}},
		{"h2 before h1 is fine", doc(`<header>`, `<header><h2 class="unsichtbar">Menü</h2>`), site, nil},
		{"empty heading", page(`<h2> </h2>`), site, []string{RuleEmptyHead}},
		{"heading with image text", page(`<h2><img src="/a.png" alt="Antrag"></h2>`), site, nil},

		// description
		{"description missing", doc(`<meta name="description" content="Eine Seite zum Testen.">`, ``), site, []string{RuleDescription}},
		{"description empty", doc(`content="Eine Seite zum Testen."`, `content=" "`), site, []string{RuleDescription}},

		// img alt
		{"img alt present", page(`<img src="/a.png" alt="Ein Antrag">`), site, nil},
		{"img alt empty is decorative", page(`<img src="/a.png" alt="">`), site, nil},
		{"img alt missing", page(`<img src="/a.png">`), site, []string{RuleImgAlt}},
		{"img alt missing even as presentation", page(`<img src="/a.png" role="presentation">`), site, []string{RuleImgAlt}},

		// form labels
		{"label for", page(`<label for="n">Name</label><input id="n" name="n">`), site, nil},
		{"label for after control", page(`<input id="n"><label for="n">Name</label>`), site, nil},
		{"wrapping label", page(`<label>Name <input name="n"></label>`), site, nil},
		{"wrapping label with nested text", page(`<label><span>Name</span><textarea></textarea></label>`), site, nil},
		{"aria-label", page(`<input type="search" aria-label="Suche">`), site, nil},
		{"aria-labelledby", page(`<p id="l">Name</p><select aria-labelledby="l"><option>a</option></select>`), site, nil},
		{"hidden submit button image reset need no label", page(`<form action="/x"><input type="hidden" name="a"><input type="submit" value="Senden"><input type="button" value="B"><input type="image" src="/s.png" alt="Senden"><input type="reset" value="Zurücksetzen"></form>`), site, nil},
		{"input without label", page(`<input name="n">`), site, []string{RuleLabel}},
		{"checkbox without label", page(`<input type="checkbox" id="c">`), site, []string{RuleLabel}},
		{"select without label", page(`<select name="s"><option>Eins</option></select>`), site, []string{RuleLabel}},
		{"textarea without label", page(`<textarea id="t"></textarea>`), site, []string{RuleLabel}},
		{"label for other id", page(`<label for="x">Name</label><input id="n"><input id="x">`), site, []string{RuleLabel}},
		{"empty label", page(`<label for="n"> </label><input id="n">`), site, []string{RuleLabel}},
		{"wrapping label around select only", page(`<label><select><option>Text der Option</option></select></label>`), site, []string{RuleLabel}},
		{"blank aria-label", page(`<input aria-label=" ">`), site, []string{RuleLabel}},
		{"aria-labelledby to missing id", page(`<input aria-labelledby="fehlt">`), site, []string{RuleLabel}},

		// unique ids
		{"duplicate id", page(`<p id="a">1</p><p id="a">2</p>`), site, []string{RuleDuplicateID}},
		{"triple id reported once", page(`<p id="a">1</p><p id="a">2</p><p id="a">3</p>`), site, []string{RuleDuplicateID}},
		{"duplicate id of main", page(`<p id="inhalt">x</p>`), site, []string{RuleDuplicateID}},

		// link text
		{"descriptive link", page(`<a href="/antrag/">Mehr zum Antrag</a>`), site, nil},
		{"hidden context counts", page(`<a href="/antrag/">Mehr <span class="unsichtbar">zum Antrag</span></a>`), site, nil},
		{"aria-label names link", page(`<a href="/antrag/" aria-label="Mehr zum Antrag">Mehr</a>`), site, nil},
		{"image link with alt", page(`<a href="/"><img src="/l.svg" alt="Startseite"></a>`), site, nil},
		{"anchor without href is no link", page(`<a id="x">hier</a>`), site, nil},
		{"link hier", page(`<a href="/antrag/">hier</a>`), site, []string{RuleLinkText}},
		{"link Mehr with arrow", page(`<a href="/antrag/"> Mehr → </a>`), site, []string{RuleLinkText}},
		{"link klicken Sie hier", page(`<a href="/antrag/">Klicken Sie
hier</a>`), site, []string{RuleLinkText}},
		{"link weiterlesen", page(`<a href="/a/">Weiterlesen …</a>`), site, []string{RuleLinkText}},
		{"link Link", page(`<a href="/a/">LINK</a>`), site, []string{RuleLinkText}},
		{"link mehr erfahren", page(`<a href="/a/">mehr erfahren</a>`), site, []string{RuleLinkText}},
		{"link with no-break space", page(`<a href="/a/">klicken&nbsp;Sie&nbsp;hier</a>`), site, []string{RuleLinkText}},
		{"vague word inside a longer text is fine", page(`<a href="/a/">Hier finden Sie die Kontakte</a>`), site, nil},
		{"empty link", page(`<a href="/a/"><img src="/x.png" alt=""></a>`), site, []string{RuleLinkText}},

		// scripts
		{"ld+json is data", page(`<script type="application/ld+json">{}</script>`), site, nil},
		{"script allowed on self-check", doc(`</head>`, `<script src="/js/selbstcheck.js" defer></script></head>`), Options{AllowScript: true, SiteHost: "www.example.org"}, nil},
		{"script", doc(`</head>`, `<script src="/js/x.js"></script></head>`), site, []string{RuleScript}},
		{"inline script", page(`<script>alert(1)</script>`), site, []string{RuleScript}},
		{"module script", page(`<script type="module">x()</script>`), site, []string{RuleScript}},
		{"event handler", page(`<p onclick="x()">a</p>`), site, []string{RuleScript}},
		{"javascript url", page(`<a href="javascript:void(0)">Menü öffnen</a>`), site, []string{RuleScript}},

		// resources from other hosts
		{"outbound link is fine", page(`<a href="https://www.bezirk-schwaben.de/persoenliches-budget">Bezirk Schwaben</a>`), site, nil},
		{"own host absolute", page(`<img src="https://www.example.org/a.png" alt="a"><img src="HTTPS://WWW.EXAMPLE.ORG:443/b.png" alt="b">`), site, nil},
		{"own host with port", page(`<img src="http://127.0.0.1:8123/a.png" alt="a">`), Options{SiteHost: "127.0.0.1:8123"}, nil},
		{"relative, data and mailto", page(`<img src="a.png" alt="a"><img src="data:image/png;base64,AAAA" alt="b"><a href="mailto:x@y.de">x@y.de</a>`), site, nil},
		{"other port is other host", page(`<img src="http://127.0.0.1:9999/a.png" alt="a">`), Options{SiteHost: "127.0.0.1:8123"}, []string{RuleForeign}},
		{"img src", page(`<img src="https://cdn.example.com/a.png" alt="a">`), site, []string{RuleForeign}},
		{"protocol relative", page(`<img src="//cdn.example.com/a.png" alt="a">`), site, []string{RuleForeign}},
		{"srcset second candidate", page(`<img src="/a.png" srcset="/a.png 1x, https://cdn.example.com/a2.png 2x" alt="a">`), site, []string{RuleForeign}},
		{"stylesheet link", doc(`</head>`, `<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>`), site, []string{RuleForeign}},
		{"preconnect", doc(`</head>`, `<link rel="preconnect" href="https://fonts.gstatic.com"></head>`), site, []string{RuleForeign}},
		{"video poster", page(`<video poster="https://x.test/p.jpg" controls src="/v.mp4"></video>`), site, []string{RuleForeign}},
		{"object data", page(`<object data="https://x.test/a.pdf">A</object>`), site, []string{RuleForeign}},
		{"form action", page(`<form action="https://forms.example.net/send"></form>`), site, []string{RuleForeign}},
		{"button formaction", page(`<form action="/x"><button formaction="https://x.test/">Senden</button></form>`), site, []string{RuleForeign}},
		{"meta refresh", doc(`</head>`, `<meta http-equiv="refresh" content="0; URL='https://x.test/'"></head>`), site, []string{RuleForeign}},
		{"inline style url", page(`<div style="background: url(https://x.test/a.png)">a</div>`), site, []string{RuleForeign}},
		{"style element import", doc(`</head>`, `<style>@import "https://x.test/a.css"; p{background:url('/ok.png')}</style></head>`), site, []string{RuleForeign}},
		{"iframe", page(`<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>`), site, []string{RuleForeign}},
		{"tracking ping on link", page(`<a href="/a/" ping="https://t.test/">Antrag</a>`), site, []string{RuleForeign}},
		{"svg use xlink", page(`<svg><use xlink:href="https://x.test/s.svg#i"></use></svg>`), site, []string{RuleForeign}},

		// skip link first
		{"skip link after logo", doc(`<a class="sprunglink" href="#inhalt">Zum Inhalt springen</a>`, `<a href="/"><img src="/l.svg" alt="Startseite"></a><a href="#inhalt">Zum Inhalt springen</a>`), site, []string{RuleSkipLink}},
		{"skip link to missing id", doc(`href="#inhalt"`, `href="#hauptinhalt"`), site, []string{RuleSkipLink}},
		{"skip link missing", doc(`<a class="sprunglink" href="#inhalt">Zum Inhalt springen</a>`, ``), site, []string{RuleSkipLink}},
		{"button before skip link", doc(`<body>`, `<body><button>Menü</button>`), site, []string{RuleSkipLink}},
		{"tabindex 0 before skip link", doc(`<body>`, `<body><div tabindex="0">x</div>`), site, []string{RuleSkipLink}},
		{"unfocusable things before skip link", doc(`<body>`, `<body><div tabindex="-1">x</div><a>kein Link</a><input type="hidden" name="h"><button disabled>x</button><div hidden><a href="/">versteckt</a></div>`), site, nil},
		{"positive tabindex", page(`<a href="/a/" tabindex="3">Antrag</a>`), site, []string{RuleTabindex}},

		// variant switch
		{"variant switch missing", doc(` data-variante="ls"`, ``), site, []string{RuleVariant}},
		{"variant switch without href", doc(`href="/leichte-sprache/" data-variante="ls"`, `data-variante="ls"`), site, []string{RuleVariant}},

		// what a stream learns only later
		{"label text after its control", page(`<label><input name="n"> Name</label>`), site, nil},
		{"label text only in an image", page(`<label><input name="n"><img src="/n.png" alt="Name"></label>`), site, nil},
		{"label text only in a select", page(`<label><select name="s"><option>Eins</option></select></label>`), site, []string{RuleLabel}},
		{"label for, its text in a span", page(`<label for="n"><span>Name</span></label><input id="n">`), site, nil},
		{"heading text in a link", page(`<h2><a href="/a/">Antrag</a></h2>`), site, nil},
		{"link text in a heading's image", page(`<a href="/a/"><h2><img src="/a.png" alt="Antrag"></h2></a>`), site, nil},
		{"link text of nested elements", page(`<a href="/a/"><span>hier</span> <em></em></a>`), site, []string{RuleLinkText}},
		{"script text is no link text", page(`<a href="/a/">hier<script type="application/json">"Antrag stellen"</script></a>`), site, []string{RuleLinkText}},
		{"template content is inert", page(`<template><h3>x</h3><img src="https://x.test/a.png"><p id="inhalt">y</p></template>`), site, nil},
		{"details without summary before skip link", doc(`<body>`, `<body><details><p>x</p></details>`), site, []string{RuleSkipLink}},
		{"details with summary before skip link", doc(`<body>`, `<body><details><summary>Mehr</summary><p>x</p></details>`), site, []string{RuleSkipLink}},
		{"hidden details before skip link", doc(`<body>`, `<body><details hidden><summary>Mehr</summary></details>`), site, nil},
		{"link inside details before its summary", doc(`<body>`, `<body><details><a href="#inhalt">Zum Inhalt</a><summary>Mehr</summary></details>`), site, nil},
		{"svg id counts", page(`<svg><g id="inhalt"></g></svg>`), site, []string{RuleDuplicateID}},
		{"svg script", page(`<svg><script>alert(1)</script></svg>`), site, []string{RuleScript}},
		{"svg link text", page(`<svg><a href="/a/"><text>hier</text></a></svg>`), site, []string{RuleLinkText}},
		{"entities in attributes", page(`<img src="https&#58;//cdn.example.com/a.png" alt="a">`), site, []string{RuleForeign}},
		{"heading of an implied end", page(`<h2>Antrag<h4>x</h4></h2>`), site, []string{RuleHeadings}},

		// several at once, in document order of finding
		{"several problems", page(`<h3>x</h3><img src="/a.png"><a href="/a">hier</a>`), site, []string{RuleHeadings, RuleImgAlt, RuleLinkText}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Check("public/test/index.html", []byte(tt.html), tt.opt)
			var got []string
			for _, p := range ps {
				got = append(got, p.Rule)
				if p.File != "public/test/index.html" || p.Severity != report.Fehler || p.Message == "" {
					t.Errorf("malformed problem %+v", p)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules = %v, want %v", got, tt.want)
				for _, p := range ps {
					t.Log(p)
				}
			}
		})
	}
}

// The messages are what editors read: check the wording of a few.
func TestMessages(t *testing.T) {
	tests := []struct {
		html string
		want string
	}{
		{page(`<h2>Antrag</h2><h4>Schritte</h4>`), "public/x.html: Fehler [ueberschrift]: Überschrift h4 folgt auf h2: Ebene h3 fehlt („Schritte“)"},
		{page(`<h2>Antrag</h2><h5>Tief</h5>`), "Überschrift h5 folgt auf h2: Ebenen h3 und h4 fehlen („Tief“)"},
		{page(`<img src="/bilder/a.png">`), `Bild ohne alt-Attribut: <img src="/bilder/a.png">`},
		{page(`<a href="/antrag/">hier</a>`), `Der Linktext „hier“ (<a href="/antrag/">)`},
		{page(`<input name="vorname">`), `Das Formularfeld <input name="vorname"> hat keine Beschriftung`},
		{page(`<img src="https://cdn.example.com/a.png" alt="">`), `Das Element <img src="https://cdn.example.com/a.png"> lädt über src etwas von einem anderen Server (cdn.example.com)`},
		{doc(`href="#inhalt"`, `href="#x"`), `Der Sprunglink zeigt auf #x, aber kein Element hat die id „x“.`},
		{doc(`<body>`, `<body><details class="mehr"><p>x</p></details>`), `Das erste fokussierbare Element ist <details class="mehr">.`},
		{doc(`<body>`, `<body><details><summary id="s">Mehr</summary></details>`), `Das erste fokussierbare Element ist <summary id="s">.`},
		{page(`<a href="/a/">Mehr&nbsp;<b>erfahren</b> &hellip;</a>`), `Der Linktext „Mehr erfahren …“`},
		{page(`<svg><use xlink:href="https://x.test/s.svg#i"></use></svg>`), `Das Element <use> lädt über href etwas von einem anderen Server (x.test)`},
		{page(`<h2>Antrag</h2><h4> Schritte
  und <em>Fristen</em> </h4>`), `(„Schritte und Fristen“)`},
	}
	for _, tt := range tests {
		ps := Check("public/x.html", []byte(tt.html), site)
		if len(ps) != 1 || !strings.Contains(ps[0].String(), tt.want) {
			t.Errorf("got %v, want one containing %q", ps, tt.want)
		}
	}
}

func TestForeignHost(t *testing.T) {
	tests := []struct {
		url, site, host string
		foreign         bool
	}{
		{"/a.png", "h", "", false},
		{"a.png", "h", "", false},
		{"#x", "h", "", false},
		{"data:,x", "h", "", false},
		{"https://h/a", "h", "", false},
		{"https://H:443/a", "h", "", false},
		{"http://h:80", "h", "", false},
		{"https://h:80/", "h", "h:80", true},
		{"https://user@evil.test/a", "h", "evil.test", true},
		{" //evil.test?x", "h", "evil.test", true},
		{`\\evil.test\a`, "h", "evil.test", true},
		{"https://h/a", "", "h", true},
	}
	for _, tt := range tests {
		host, foreign := foreignHost(tt.url, normHost(tt.site, ""))
		if host != tt.host || foreign != tt.foreign {
			t.Errorf("foreignHost(%q, %q) = %q, %v; want %q, %v", tt.url, tt.site, host, foreign, tt.host, tt.foreign)
		}
	}
}

func mustRead(t testing.TB, name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkCheck measures Check on a page the layouts render, lexing
// included; BenchmarkLex gives the lexing alone, for comparison.
func BenchmarkCheck(b *testing.B) {
	src := []byte(mustRead(b, "testdata/seite.html"))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if ps := Check("public/budget/antrag/index.html", src, site); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
}

func BenchmarkLex(b *testing.B) {
	src := []byte(mustRead(b, "testdata/seite.html"))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		finish.Stream(nil, src, nil, nil)
	}
}

// Check reads arbitrary built pages: it must never panic.
func FuzzCheck(f *testing.F) {
	f.Add(page(`<h3>x</h3><label for="a">A</label><input id="a"><a href="#">hier</a>`))
	f.Add(`<html><body><main><main><svg><use xlink:href="//x"/></svg><div style="url(//x">`)
	f.Add(`<meta http-equiv=refresh content="0;url=">`)
	f.Fuzz(func(t *testing.T, in string) {
		for _, p := range Check("public/f.html", []byte(in), Options{SiteHost: "h"}) {
			if p.Rule == "" || p.Message == "" {
				t.Fatalf("malformed %+v", p)
			}
		}
	})
}

// Inside SVG, a self-closing element ends at once, and attribute names are
// read as an HTML parser reads them.
func TestForeignContent(t *testing.T) {
	ps := Check("public/x.html", []byte(page(`<svg><g id="a"><g/><a href="/a/"><text>hier</text></a></g><rect onClick="x()"/></svg><p id="a">x</p>`)), site)
	var got []string
	for _, p := range ps {
		got = append(got, p.Rule+": "+p.Message)
	}
	want := []string{
		RuleLinkText + ": Der Linktext „hier“ (<a href=\"/a/\">) sagt allein nicht, wohin der Link führt. Bitte das Ziel nennen, z. B. „Mehr zum Antrag“.",
		RuleScript + ": Das Element <rect> hat das Attribut onclick (JavaScript). Inhaltsseiten kommen ohne JavaScript aus.",
		RuleDuplicateID + ": Die id „a“ kommt mehrfach vor (zuletzt an <p id=\"a\">). Jede id darf nur einmal auf der Seite stehen.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
