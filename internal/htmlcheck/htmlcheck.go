// Package htmlcheck checks a built page for the accessibility and privacy
// rules every page of the site must meet (landmarks, headings, labels, link
// texts, ids, scripts, third-party resources, skip link, variant switch).
//
// The build parses each page once and hands the same tree to enrich and then
// to Check, so Check walks the tree exactly once and never re-parses. The
// tree carries no source positions, so problems name the element instead of
// a line.
package htmlcheck

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"budgetsite/internal/report"
)

// Rule ids, stable so editors and tests can refer to them.
const (
	RuleLang        = "html-lang"
	RuleMain        = "main"
	RuleH1          = "h1"
	RuleHeadings    = "ueberschriften"
	RuleEmptyHead   = "ueberschrift-leer"
	RuleImgAlt      = "img-alt"
	RuleLabel       = "beschriftung"
	RuleDuplicateID = "id-doppelt"
	RuleLinkText    = "linktext"
	RuleScript      = "skript"
	RuleForeign     = "fremdquelle"
	RuleSkipLink    = "sprunglink"
	RuleTabindex    = "tabindex"
	RuleVariant     = "variante"
)

// Options says what a page may contain.
type Options struct {
	// AllowScript permits <script> (only the self-check start pages).
	AllowScript bool
	// SiteHost is the host (with port, if any) of the site's base URL, e.g.
	// "127.0.0.1:8123" or "www.example.org". Absolute URLs to any other host
	// count as third-party; when empty, every absolute http(s) URL does.
	SiteHost string
}

// vagueLinkTexts say nothing when read alone, e.g. in a screen reader's list
// of links (WCAG 2.4.4). Compared after lower-casing, collapsing white space
// and trimming punctuation.
var vagueLinkTexts = map[string]bool{
	"hier": true, "mehr": true, "link": true, "klicken sie hier": true,
	"hier klicken": true, "klick": true, "klicken": true, "weiter": true,
	"weiterlesen": true, "mehr erfahren": true, "mehr lesen": true,
	"mehr dazu": true, "mehr infos": true, "mehr informationen": true,
	"details": true, "zum artikel": true, "diese seite": true,
	"dieser link": true,
}

// Check returns every problem found in doc. file names the page in each
// problem, e.g. "public/budget/antrag/index.html".
func Check(file string, doc *html.Node, opt Options) []report.Problem {
	c := checker{file: file, opt: opt, siteHost: normHost(opt.SiteHost, "")}
	c.walk(doc)
	c.finish()
	return c.probs
}

type pendingControl struct {
	n          *html.Node
	id         string
	labelledby string
}

type checker struct {
	file     string
	opt      Options
	siteHost string
	probs    []report.Problem

	sawHTML    bool
	mains, h1s int
	prevLevel  int

	ids       map[string]int
	labelFor  map[string]bool
	controls  []pendingControl
	labelText []bool // per open <label>: does it carry text of its own?

	hidden     int // depth of hidden/inert subtrees: not in the focus order
	firstFocus *html.Node
	variant    bool
	buf        []byte
}

func (c *checker) add(rule, msg string) {
	c.probs = append(c.probs, report.Problem{File: c.file, Severity: report.Fehler, Rule: rule, Message: msg})
}

func (c *checker) walk(n *html.Node) {
	if n.Type != html.ElementNode {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.walk(ch)
		}
		return
	}
	if n.DataAtom == atom.Template {
		return // inert until cloned by script; not part of the page
	}
	hidden := hasAttr(n, "hidden") || hasAttr(n, "inert")
	if hidden {
		c.hidden++
	}
	c.element(n)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch)
	}
	if hidden {
		c.hidden--
	}
	if n.DataAtom == atom.Label && n.Namespace == "" {
		c.labelText = c.labelText[:len(c.labelText)-1]
	}
}

func (c *checker) element(n *html.Node) {
	if id, ok := attr(n, "id"); ok && id != "" {
		if c.ids == nil {
			c.ids = make(map[string]int, 32)
		}
		c.ids[id]++
		if c.ids[id] == 2 {
			c.add(RuleDuplicateID, fmt.Sprintf("Die id „%s“ kommt mehrfach vor (zuletzt an %s). Jede id darf nur einmal auf der Seite stehen.", id, describe(n)))
		}
	}
	c.attributes(n)
	if c.firstFocus == nil && c.hidden == 0 && focusable(n) {
		c.firstFocus = n
	}

	html5 := n.Namespace == ""
	switch n.DataAtom {
	case atom.Html:
		if html5 && !c.sawHTML {
			c.sawHTML = true
			if v, _ := attr(n, "lang"); strings.TrimSpace(v) == "" {
				c.add(RuleLang, "Das <html>-Element hat kein lang-Attribut (erwartet: lang=\"de\"). Screenreader lesen die Seite sonst in der falschen Sprache vor.")
			}
		}
	case atom.Main:
		c.mains++
	default:
		// A second main landmark confuses screen-reader navigation as much as a second <main>.
		if r, ok := attr(n, "role"); ok && strings.EqualFold(strings.TrimSpace(r), "main") {
			c.mains++
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if html5 {
			c.heading(n)
		}
	case atom.Img:
		if _, ok := attr(n, "alt"); !ok {
			c.add(RuleImgAlt, fmt.Sprintf("Bild ohne alt-Attribut: %s. Jedes Bild braucht einen Alternativtext (alt=\"\" nur für reine Schmuckbilder).", describe(n)))
		}
	case atom.Input, atom.Select, atom.Textarea:
		if html5 {
			c.control(n)
		}
	case atom.Label:
		if html5 {
			has := hasOwnText(n)
			c.labelText = append(c.labelText, has)
			if f, ok := attr(n, "for"); ok && has {
				if c.labelFor == nil {
					c.labelFor = make(map[string]bool, 8)
				}
				c.labelFor[f] = true
			}
		}
	case atom.A:
		if _, ok := attr(n, "data-variante"); ok {
			if h, _ := attr(n, "href"); strings.TrimSpace(h) != "" {
				c.variant = true
			}
		}
		if _, ok := attr(n, "href"); ok {
			c.linkText(n)
		}
	case atom.Script:
		if !c.opt.AllowScript && !isDataScript(n) {
			c.add(RuleScript, fmt.Sprintf("Die Seite enthält %s. Inhaltsseiten kommen ohne JavaScript aus; erlaubt ist das nur auf den Selbstcheck-Startseiten (hugo.toml: params.skriptSeiten).", describe(n)))
		}
	case atom.Style:
		if t := n.FirstChild; t != nil && t.Type == html.TextNode {
			c.cssURLs(n, "<style>", t.Data)
		}
	case atom.Meta:
		if he, _ := attr(n, "http-equiv"); strings.EqualFold(strings.TrimSpace(he), "refresh") {
			ct, _ := attr(n, "content")
			if i := indexFold(ct, "url="); i >= 0 {
				c.url(n, "content", trimQuotes(ct[i+4:]))
			}
		}
	}

}

// attributes checks what any element's attributes may load or run.
func (c *checker) attributes(n *html.Node) {
	link := n.DataAtom == atom.A || n.DataAtom == atom.Area
	for i := range n.Attr {
		a := &n.Attr[i]
		switch a.Key {
		case "src", "poster", "formaction", "action", "background", "ping", "manifest":
			c.url(n, a.Key, a.Val)
		case "data":
			if n.DataAtom == atom.Object {
				c.url(n, a.Key, a.Val)
			}
		case "href":
			if link {
				if !c.opt.AllowScript && hasPrefixFold(strings.TrimSpace(a.Val), "javascript:") {
					c.add(RuleScript, fmt.Sprintf("Der Link %s führt JavaScript aus. Inhaltsseiten kommen ohne JavaScript aus.", describe(n)))
				}
			} else {
				c.url(n, a.Key, a.Val)
			}
		case "srcset", "imagesrcset":
			c.srcset(n, a.Key, a.Val)
		case "style":
			c.cssURLs(n, "style", a.Val)
		case "tabindex":
			if v, err := strconv.Atoi(strings.TrimSpace(a.Val)); err == nil && v > 0 {
				c.add(RuleTabindex, fmt.Sprintf("Das Element %s hat tabindex=\"%d\". Ein positiver tabindex ändert die Tab-Reihenfolge (der Sprunglink wäre nicht mehr zuerst); erlaubt sind nur 0 und -1.", describe(n), v))
			}
		default:
			if !c.opt.AllowScript && len(a.Key) > 2 && a.Key[0] == 'o' && a.Key[1] == 'n' && a.Namespace == "" {
				c.add(RuleScript, fmt.Sprintf("Das Element %s hat das Attribut %s (JavaScript). Inhaltsseiten kommen ohne JavaScript aus.", describe(n), a.Key))
			}
		}
	}
}

func (c *checker) heading(n *html.Node) {
	level := int(n.Data[1] - '0')
	c.buf = appendCollapsed(c.buf[:0], n)
	if len(c.buf) == 0 {
		c.add(RuleEmptyHead, fmt.Sprintf("Überschrift h%d ist leer. Eine Überschrift braucht Text.", level))
	}
	if level == 1 {
		c.h1s++
	}
	switch {
	case c.prevLevel == 0 && level > 2:
		c.add(RuleHeadings, fmt.Sprintf("Überschrift h%d ist die erste Überschrift der Seite: Ebene h%d fehlt davor („%s“)", level, level-1, short(string(c.buf))))
	case c.prevLevel > 0 && level > c.prevLevel+1:
		c.add(RuleHeadings, fmt.Sprintf("Überschrift h%d folgt auf h%d: %s („%s“)", level, c.prevLevel, missingLevels(c.prevLevel, level), short(string(c.buf))))
	}
	c.prevLevel = level
}

func missingLevels(prev, level int) string {
	switch level - prev {
	case 2:
		return fmt.Sprintf("Ebene h%d fehlt", prev+1)
	case 3:
		return fmt.Sprintf("Ebenen h%d und h%d fehlen", prev+1, prev+2)
	}
	return fmt.Sprintf("Ebenen h%d bis h%d fehlen", prev+1, level-1)
}

func (c *checker) control(n *html.Node) {
	if n.DataAtom == atom.Input {
		t, _ := attr(n, "type")
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "hidden", "submit", "button", "image", "reset":
			return
		}
	}
	if len(c.labelText) > 0 && c.labelText[len(c.labelText)-1] {
		return
	}
	if v, _ := attr(n, "aria-label"); strings.TrimSpace(v) != "" {
		return
	}
	id, _ := attr(n, "id")
	lb, _ := attr(n, "aria-labelledby")
	c.controls = append(c.controls, pendingControl{n: n, id: id, labelledby: lb})
}

func (c *checker) linkText(n *html.Node) {
	if v, _ := attr(n, "aria-label"); strings.TrimSpace(v) != "" {
		c.buf = appendCollapsedString(c.buf[:0], v)
	} else {
		c.buf = appendCollapsed(c.buf[:0], n)
	}
	if len(c.buf) == 0 {
		if _, lb := attr(n, "aria-labelledby"); !lb {
			c.add(RuleLinkText, fmt.Sprintf("Der Link %s hat keinen Text. Screenreader lesen sonst nur die Adresse vor.", describe(n)))
		}
		return
	}
	if isVague(c.buf) {
		c.add(RuleLinkText, fmt.Sprintf("Der Linktext „%s“ (%s) sagt allein nicht, wohin der Link führt. Bitte das Ziel nennen, z. B. „Mehr zum Antrag“.", short(string(c.buf)), describe(n)))
	}
}

// isVague looks text up in vagueLinkTexts without allocating: every entry is
// ASCII, so text with other letters cannot match once the punctuation and
// arrows around it are trimmed.
func isVague(text []byte) bool {
	b := bytes.TrimFunc(text, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	if len(b) > 24 {
		return false
	}
	var low [24]byte
	for i, ch := range b {
		if ch >= 0x80 {
			return false
		}
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		low[i] = ch
	}
	return vagueLinkTexts[string(low[:len(b)])]
}

// appendCollapsed appends the text content of n with white space collapsed
// to single spaces and trimmed. It counts image alt texts (they are the text
// of an image link) and visually hidden spans (they give context to
// screen-reader users).
func appendCollapsed(b []byte, n *html.Node) []byte {
	start := len(b)
	b = appendText(b, n)
	return collapse(b, start)
}

func appendCollapsedString(b []byte, s string) []byte {
	start := len(b)
	return collapse(append(b, s...), start)
}

// collapse rewrites b[start:] in place.
func collapse(b []byte, start int) []byte {
	w := start
	space := true // drops leading white space
	for r := start; r < len(b); r++ {
		ch := b[r]
		if ch == 0xC2 && r+1 < len(b) && b[r+1] == 0xA0 { // no-break space
			r++
			ch = ' '
		}
		if ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' {
			if !space {
				b[w] = ' '
				w++
				space = true
			}
			continue
		}
		b[w] = ch
		w++
		space = false
	}
	if w > start && b[w-1] == ' ' {
		w--
	}
	return b[:w]
}

func appendText(b []byte, n *html.Node) []byte {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			b = append(b, ch.Data...)
		case html.ElementNode:
			if ch.DataAtom == atom.Img {
				if alt, ok := attr(ch, "alt"); ok {
					b = append(b, ' ')
					b = append(b, alt...)
					b = append(b, ' ')
				}
				continue
			}
			if ch.DataAtom == atom.Script || ch.DataAtom == atom.Style || ch.DataAtom == atom.Template {
				continue
			}
			b = appendText(b, ch)
		}
	}
	return b
}

// hasOwnText reports whether a label names its control: text outside the
// form controls it wraps (a <select>'s options are not its label).
func hasOwnText(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			if strings.TrimSpace(ch.Data) != "" {
				return true
			}
		case html.ElementNode:
			switch ch.DataAtom {
			case atom.Select, atom.Textarea, atom.Script, atom.Style, atom.Template:
				continue
			case atom.Img:
				if alt, _ := attr(ch, "alt"); strings.TrimSpace(alt) != "" {
					return true
				}
				continue
			}
			if hasOwnText(ch) {
				return true
			}
		}
	}
	return false
}

func isDataScript(n *html.Node) bool {
	t, _ := attr(n, "type")
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "application/ld+json" || t == "application/json"
}

// focusable reports whether n takes part in sequential (Tab) focus order.
func focusable(n *html.Node) bool {
	if ti, ok := attr(n, "tabindex"); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(ti)); err == nil {
			return v >= 0
		}
	}
	if _, ok := attr(n, "contenteditable"); ok {
		if v, _ := attr(n, "contenteditable"); !strings.EqualFold(v, "false") {
			return true
		}
	}
	switch n.DataAtom {
	case atom.A, atom.Area:
		_, ok := attr(n, "href")
		return ok
	case atom.Button, atom.Select, atom.Textarea:
		_, disabled := attr(n, "disabled")
		return !disabled
	case atom.Input:
		if _, disabled := attr(n, "disabled"); disabled {
			return false
		}
		t, _ := attr(n, "type")
		return !strings.EqualFold(strings.TrimSpace(t), "hidden")
	case atom.Summary:
		return n.Parent != nil && n.Parent.DataAtom == atom.Details
	case atom.Details:
		// Without a <summary> the browser supplies one, focusable in its place.
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && ch.DataAtom == atom.Summary {
				return false
			}
		}
		return true
	case atom.Iframe:
		return true
	case atom.Audio, atom.Video:
		_, ok := attr(n, "controls")
		return ok
	}
	return false
}

func (c *checker) finish() {
	if !c.sawHTML {
		c.add(RuleLang, "Die Seite hat kein <html>-Element mit lang-Attribut.")
	}
	switch {
	case c.mains == 0:
		c.add(RuleMain, "Die Seite hat kein <main>-Element. Jede Seite braucht genau einen Hauptbereich.")
	case c.mains > 1:
		c.add(RuleMain, fmt.Sprintf("Die Seite hat %d <main>-Elemente. Erlaubt ist genau eines.", c.mains))
	}
	switch {
	case c.h1s == 0:
		c.add(RuleH1, "Die Seite hat keine Überschrift h1. Jede Seite braucht genau eine.")
	case c.h1s > 1:
		c.add(RuleH1, fmt.Sprintf("Die Seite hat %d Überschriften h1. Erlaubt ist genau eine.", c.h1s))
	}
	for _, pc := range c.controls {
		if pc.id != "" && c.labelFor[pc.id] {
			continue
		}
		if pc.labelledby != "" && c.allIDsExist(pc.labelledby) {
			continue
		}
		c.add(RuleLabel, fmt.Sprintf("Das Formularfeld %s hat keine Beschriftung. Nötig ist ein <label for=\"…\"> mit Text, ein umschließendes <label>, aria-label oder aria-labelledby.", describe(pc.n)))
	}
	c.skipLink()
	if !c.variant {
		c.add(RuleVariant, "Der Link zur anderen Sprachfassung (a[data-variante], Leichte Sprache bzw. Standardsprache) fehlt.")
	}
}

func (c *checker) allIDsExist(list string) bool {
	any := false
	for _, id := range strings.Fields(list) {
		if c.ids[id] == 0 {
			return false
		}
		any = true
	}
	return any
}

func (c *checker) skipLink() {
	n := c.firstFocus
	if n == nil {
		c.add(RuleSkipLink, "Die Seite hat keinen Sprunglink: sie enthält kein fokussierbares Element.")
		return
	}
	href, _ := attr(n, "href")
	href = strings.TrimSpace(href)
	if n.DataAtom != atom.A || len(href) < 2 || href[0] != '#' {
		c.add(RuleSkipLink, fmt.Sprintf("Das erste fokussierbare Element ist %s. Zuerst muss der Sprunglink kommen (<a href=\"#inhalt\">).", describe(n)))
		return
	}
	if c.ids[href[1:]] == 0 {
		c.add(RuleSkipLink, fmt.Sprintf("Der Sprunglink zeigt auf %s, aber kein Element hat die id „%s“.", href, href[1:]))
	}
}

// url reports a resource URL that points to another host.
func (c *checker) url(n *html.Node, key, val string) {
	if host, ok := foreignHost(val, c.siteHost); ok {
		c.add(RuleForeign, fmt.Sprintf("Das Element %s lädt über %s etwas von einem anderen Server (%s). Alles muss von dieser Website selbst kommen.", describe(n), key, host))
	}
}

func (c *checker) srcset(n *html.Node, key, val string) {
	for cand := range strings.SplitSeq(val, ",") {
		cand = strings.TrimSpace(cand)
		if i := strings.IndexFunc(cand, unicode.IsSpace); i >= 0 {
			cand = cand[:i]
		}
		c.url(n, key, cand)
	}
}

// cssURLs checks url(…) and @import in a style attribute or <style>.
func (c *checker) cssURLs(n *html.Node, key, css string) {
	for rest := css; ; {
		i := indexFold(rest, "url(")
		if i < 0 {
			break
		}
		rest = rest[i+4:]
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			end = len(rest)
		}
		c.url(n, key, trimQuotes(rest[:end]))
		rest = rest[end:]
	}
	for rest := css; ; {
		i := indexFold(rest, "@import")
		if i < 0 {
			break
		}
		rest = strings.TrimSpace(rest[i+7:])
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			if end := strings.IndexByte(rest[1:], rest[0]); end >= 0 {
				c.url(n, key, rest[1:end+1])
			}
		}
	}
}

// foreignHost returns the host of an absolute http(s) or protocol-relative
// URL when it differs from site; relative, data:, mailto: etc. are local.
func foreignHost(u, site string) (string, bool) {
	u = strings.TrimSpace(u)
	scheme := ""
	switch {
	case hasPrefixFold(u, "https://"):
		scheme, u = "https", u[8:]
	case hasPrefixFold(u, "http://"):
		scheme, u = "http", u[7:]
	case strings.HasPrefix(u, "//"), strings.HasPrefix(u, `\\`), strings.HasPrefix(u, `/\`), strings.HasPrefix(u, `\/`):
		u = u[2:]
	default:
		return "", false
	}
	if i := strings.IndexAny(u, "/?#\\"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	host := normHost(u, scheme)
	if site != "" && host == site {
		return "", false
	}
	return u, true
}

// normHost lower-cases a host and drops the port a scheme implies.
func normHost(h, scheme string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if scheme != "https" {
		h = strings.TrimSuffix(h, ":80")
	}
	if scheme != "http" {
		h = strings.TrimSuffix(h, ":443")
	}
	return h
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attr(n, key)
	return ok
}

func attr(n *html.Node, key string) (string, bool) {
	for i := range n.Attr {
		if n.Attr[i].Key == key && n.Attr[i].Namespace == "" {
			return n.Attr[i].Val, true
		}
	}
	return "", false
}

// describe names an element for an editor: its tag and the attribute that
// best identifies it.
func describe(n *html.Node) string {
	for _, k := range [...]string{"id", "name", "src", "href", "data", "action", "type", "class"} {
		if v, ok := attr(n, k); ok && v != "" {
			return fmt.Sprintf("<%s %s=\"%s\">", n.Data, k, short(v))
		}
	}
	return "<" + n.Data + ">"
}

func short(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

func trimQuotes(s string) string {
	return strings.Trim(strings.TrimSpace(s), `"'`)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// indexFold finds a lower-case ASCII needle case-insensitively without
// allocating; a cheap first-byte test keeps long <style> text fast.
func indexFold(s, needle string) int {
	first := needle[0]
	for i := 0; i+len(needle) <= len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == first && strings.EqualFold(s[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}
