// Package variant is the one home of the site's two language variants:
// Standard German and Leichte Sprache. Every other package and every template
// asks it (or the hugo.toml parameter it is tested against) instead of
// spelling "ls", "leichte-sprache" or a URL prefix itself.
package variant

import "strings"

// V is a language variant.
type V uint8

const (
	Standard V = iota
	Leicht
)

// All lists the variants in the order pages are built and reported.
var All = [...]V{Standard, Leicht}

// Key is the variant's short name: the key of a text in data files ("de",
// "ls"), the folder below content/ and the value of the hugo.toml parameter
// `variante` of its language.
func (v V) Key() string {
	if v == Leicht {
		return "ls"
	}
	return "de"
}

// Lang is Hugo's language key. Hugo takes the URL prefix from it, which is
// why the Leichte Sprache key is the readable "leichte-sprache".
func (v V) Lang() string {
	if v == Leicht {
		return "leichte-sprache"
	}
	return "de"
}

// Prefix is the variant's folder below the base URL: "" or "leichte-sprache/".
func (v V) Prefix() string {
	if v == Leicht {
		return "leichte-sprache/"
	}
	return ""
}

// ContentDir is the variant's Markdown folder, relative to the project root.
func (v V) ContentDir() string { return "content/" + v.Key() }

// Label names the variant for people.
func (v V) Label() string {
	if v == Leicht {
		return "Leichte Sprache"
	}
	return "Standard-Sprache"
}

// Easy tells whether v is Leichte Sprache.
func (v V) Easy() bool { return v == Leicht }

func (v V) String() string { return v.Key() }

// Parse accepts a key ("de", "ls") or a Hugo language key ("leichte-sprache").
func Parse(s string) (V, bool) {
	switch s {
	case "de":
		return Standard, true
	case "ls", "leichte-sprache":
		return Leicht, true
	}
	return Standard, false
}

// OfPath tells the variant of a URL path relative to the base URL, with or
// without a leading slash ("/leichte-sprache/kontakt/", "budget/").
func OfPath(p string) V {
	p = strings.TrimPrefix(p, "/")
	if p+"/" == Leicht.Prefix() || strings.HasPrefix(p, Leicht.Prefix()) {
		return Leicht
	}
	return Standard
}

// OfContent tells the variant of a source path below the project root
// ("content/ls/kontakt.md"); ok is false outside both content folders.
func OfContent(p string) (v V, ok bool) {
	for _, v := range All {
		if strings.HasPrefix(p, v.ContentDir()+"/") {
			return v, true
		}
	}
	return Standard, false
}

// Text is one text in both variants, as data files write it.
type Text struct {
	DE string `yaml:"de" json:"de"`
	LS string `yaml:"ls" json:"ls"`
}

// In returns the text of variant v.
func (t Text) In(v V) string {
	if v == Leicht {
		return t.LS
	}
	return t.DE
}

// Empty tells whether both texts are empty.
func (t Text) Empty() bool { return t.DE == "" && t.LS == "" }
