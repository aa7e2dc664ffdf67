package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"budgetsite/internal/browsertest"
)

// printedLink is a link whose address the print stylesheet adds after it.
type printedLink struct {
	Href  string `json:"href"`
	Text  string `json:"text"`
	After string `json:"after"`
}

const printedLinksJS = `(function(){var out=[];
document.querySelectorAll("a[href]").forEach(function(a){
  var c=getComputedStyle(a,"::after").content;
  if(c&&c!=="none"&&c!=="normal"&&c!=='""')out.push({href:a.getAttribute("href"),text:a.textContent.replace(/\s+/g," ").trim(),after:c});
});return out})()`

// TestPrint renders pages for paper: an address is printed only after an
// external link whose text does not show it, never after links within the
// site (site title, glossary, menu), phone numbers or e-mail addresses; a
// static self-check result prints the rules' version and the page's date and
// has no print button (it has no script).
func TestPrint(t *testing.T) {
	_, base := browsertest.Site(t)
	ctx := browsertest.NewTab(t, browsertest.PrintMedia(), browsertest.NoJavaScript())
	pages := []struct {
		path string
		// want lists hrefs that must be printed (external, text without the host).
		want []string
	}{
		{"", nil},
		{"budget/arbeitgeber/", nil}, // phone number, Minijob-Zentrale with its host in the text
		{"leichte-sprache/budget/antrag/", []string{"https://www.bezirk-schwaben.de/persoenliches-budget"}},
		{"kontakt/", nil},
		{"barrierefreiheit/", nil},
		{"leichte-sprache/woerterbuch/", nil},
		{"selbstcheck/nein/nein/", nil},
		{"leichte-sprache/selbstcheck/ja/ja/ja/ja/nein/", nil},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			if err := browsertest.Open(ctx, base+p.path); err != nil {
				t.Fatal(err)
			}
			links, err := chromedp.Run(ctx, chromedp.Evaluate[[]printedLink](printedLinksJS))
			if err != nil {
				t.Fatal(err)
			}
			printed := map[string]bool{}
			for _, l := range links {
				printed[l.Href] = true
				u, err := url.Parse(l.Href)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
					t.Errorf("Druck: Adresse hinter einem Link, der kein externer Link ist: %q (%q) → %s", l.Text, l.Href, l.After)
					continue
				}
				if strings.Contains(strings.ToLower(l.Text), strings.TrimPrefix(strings.ToLower(u.Host), "www.")) {
					t.Errorf("Druck: Adresse doppelt, der Linktext zeigt sie schon: %q → %s", l.Text, l.After)
				}
			}
			for _, w := range p.want {
				if !printed[w] {
					t.Errorf("Druck: die Adresse %s fehlt hinter ihrem Link (gedruckt: %v)", w, links)
				}
			}
			if !strings.Contains(p.path, "selbstcheck/") {
				return
			}
			type druck struct {
				Shown   bool   `json:"shown"`
				Text    string `json:"text"`
				Date    string `json:"date"`
				Buttons int    `json:"buttons"`
			}
			d, err := chromedp.Run(ctx, chromedp.Evaluate[druck](`(function(){var p=document.querySelector(".selbstcheck-druck");
			  var tm=p&&p.querySelector("time");
			  return {shown:!!p&&getComputedStyle(p).display!=="none",text:p?p.textContent.replace(/\s+/g," ").trim():"",
			    date:tm?tm.getAttribute("datetime"):"",buttons:document.querySelectorAll("[data-drucken]").length}})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !d.Shown || d.Date == "" || strings.Contains(d.Text, "__") {
				t.Errorf("Druck des Ergebnisses ohne Datum: %+v", d)
			}
			if d.Buttons > 0 {
				t.Errorf("statische Ergebnisseite hat %d Druck-Knöpfe, aber kein Skript", d.Buttons)
			}
		})
	}
}
