// Package htmlcheck checks a built page for the accessibility and privacy
// rules every page of the site must meet (landmarks, headings, labels, link
// texts, ids, scripts, third-party resources, skip link, variant switch).
//
// It reads the page's token stream once, as a finish.Check after the
// filters that change the page, and keeps only what a rule still waits for
// (the text of an open heading or link, the controls of an open label).
// Tokens carry no source positions, so problems name the element instead
// of a line.
package htmlcheck

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/net/html/atom"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/finish"
	"budgetsite/internal/report"
)

// Rule ids, stable so editors and tests can refer to them.
const (
	RuleLang        = "html-lang"
	RuleMain        = "main"
	RuleH1          = "h1"
	RuleHeadings    = contentlint.RuleHeading // the same rule as in the Markdown: a problem there silences its echo here
	RuleEmptyHead   = "ueberschrift-leer"
	RuleImgAlt      = contentlint.RuleAlt
	RuleLabel       = "beschriftung"
	RuleDuplicateID = "id-doppelt"
	RuleLinkText    = "linktext"
	RuleScript      = "skript"
	RuleForeign     = "fremdquelle"
	RuleSkipLink    = "sprunglink"
	RuleTabindex    = "tabindex"
	RuleVariant     = "variante"
	RuleDescription = "beschreibung"
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

// Check returns every problem found in the page src. file names the page
// in each problem, e.g. "public/budget/antrag/index.html".
func Check(file string, src []byte, opt Options) []report.Problem {
	c := New(file, opt)
	finish.Stream(nil, src, nil, []finish.Check{c})
	return c.Problems()
}

// Stage is the check as a finish stage: one Checker per page, with the
// options opt returns for it.
func Stage(opt func(finish.PageInfo) Options) finish.NewCheck {
	return func(p finish.PageInfo) finish.Check {
		c, _ := pool.Get().(*Checker)
		if c == nil {
			c = &Checker{}
		}
		c.reset(p.File, opt(p))
		c.pooled = true
		return c
	}
}

// pool keeps the Checkers of Stage, with their buffers, from page to page.
var pool sync.Pool

func (c *Checker) reset(file string, opt Options) {
	*c = Checker{
		file: file, opt: opt, siteHost: normHost(opt.SiteHost, ""),
		probs: c.probs[:0], st: c.st, ids: c.ids[:0], controls: c.controls[:0],
		labels: c.labels[:0], texts: c.texts[:0], text: c.text[:0], focus: c.focus[:0], buf: c.buf[:0],
	}
	c.st.Reset()
}

// Checker checks one page from its token stream (a finish.Check).
type Checker struct {
	file     string
	opt      Options
	siteHost string
	probs    []found
	ord      int // number of the current element in document order

	st       finish.Stack
	template int // depth inside <template>: inert, not part of the page
	hidden   int // depth of hidden/inert subtrees: not in the focus order
	skipText int // open script, style and template: not part of a text
	skipOwn  int // open select, textarea, script, style, template: not a label's own text

	sawHTML    bool
	mains, h1s int
	prevLevel  int

	ids      [][]byte // every element id, in document order
	labelFor map[string]bool
	controls []pendingControl
	labels   []openLabel
	texts    []collector
	text     []byte // the text of the open headings and links
	focus    []focusCand
	focusSet bool // focus holds a candidate that is surely focusable
	variant  bool
	// description: the page has a non-empty <meta name="description">.
	description bool
	style       desc // the open <style>
	buf         []byte
	pooled      bool
}

// New makes the check of one page.
func New(file string, opt Options) *Checker {
	return &Checker{file: file, opt: opt, siteHost: normHost(opt.SiteHost, "")}
}

// found is a problem with the number of the element it belongs to, so the
// page's problems come in document order although some are known only at
// the element's end.
type found struct {
	ord int
	p   report.Problem
}

type pendingControl struct {
	ord        int
	d          desc
	id         string
	labelledby string
}

type openLabel struct {
	skipOwn  int // skipOwn when it opened
	hasText  bool
	forID    []byte
	hasFor   bool
	controls []pendingControl // controls inside, waiting for the label's text
}

// collector gathers the text of an open heading or link.
type collector struct {
	ord        int
	start      int // offset in Checker.text
	level      int // heading level; 0 for a link
	prevLevel  int
	d          desc
	labelledby bool
}

// focusCand is an element that may be the first in the focus order.
type focusCand struct {
	d       desc
	isA     bool
	href    []byte
	pending bool // a <details>: focusable unless it has a <summary>
	depth   int  // its place on the stack
	dropped bool
}

// desc names an element for an editor: its tag and the attribute that best
// identifies it. It keeps slices of the page and is only made a string when
// a problem needs it.
type desc struct {
	name []byte
	key  string
	val  []byte
}

const (
	fHidden uint32 = 1 << iota
	fText          // Index: a collector
	fLabel
	fSkipText
	fSkipOwn
	fDetails
)

func (c *Checker) add(rule, msg string) { c.addAt(c.ord, rule, msg) }

func (c *Checker) addAt(ord int, rule, msg string) {
	c.probs = append(c.probs, found{ord, report.Problem{File: c.file, Severity: report.Fehler, Rule: rule, Message: msg}})
}

// Token takes the next token of the page.
func (c *Checker) Token(t *finish.Token) {
	if c.template > 0 {
		// Only the template's own end matters.
		if !t.Foreign && t.Atom == atom.Template {
			switch t.Kind {
			case finish.StartTag:
				c.template++
			case finish.EndTag:
				if c.template--; c.template == 0 {
					c.closeTo(c.st.Closes(t))
				}
			}
		}
		return
	}
	switch t.Kind {
	case finish.StartTag:
		c.closeTo(c.st.Closes(t))
		c.ord++
		c.start(t)
	case finish.EndTag:
		c.closeTo(c.st.Closes(t))
	case finish.Text:
		c.textToken(t)
	}
}

func (c *Checker) closeTo(n int) {
	for range n {
		c.close(c.st.Pop())
	}
}

func (c *Checker) start(t *finish.Token) {
	hidden := hasAttr(t, "hidden") || hasAttr(t, "inert")
	if hidden {
		c.hidden++
	}
	isTemplate := t.Atom == atom.Template && !t.Foreign
	if !isTemplate {
		c.element(t)
	}
	e := c.st.Push(t)
	if e == nil {
		if hidden {
			c.hidden--
		}
		return
	}
	if hidden {
		e.Flags |= fHidden
	}
	if isTemplate {
		c.template = 1
		return
	}
	switch t.Atom {
	case atom.Script, atom.Style:
		e.Flags |= fSkipText | fSkipOwn
		c.skipText++
		c.skipOwn++
	case atom.Select, atom.Textarea:
		e.Flags |= fSkipOwn
		c.skipOwn++
	case atom.Details:
		e.Flags |= fDetails
	case atom.Label:
		if !t.Foreign {
			e.Flags |= fLabel
			forID, hasFor := attr(t, "for")
			c.labels = append(c.labels, openLabel{skipOwn: c.skipOwn, forID: forID, hasFor: hasFor})
		}
	case atom.A:
		if _, ok := attr(t, "href"); ok {
			if v, _ := attr(t, "aria-label"); len(bytes.TrimSpace(v)) > 0 {
				c.buf = appendCollapsed(c.buf[:0], v)
				c.linkText(c.ord, describe(t), false)
			} else {
				_, lb := attr(t, "aria-labelledby")
				c.openText(e, collector{ord: c.ord, d: describe(t), labelledby: lb})
			}
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if !t.Foreign {
			level := int(t.Name[1] - '0')
			c.openText(e, collector{ord: c.ord, level: level, prevLevel: c.prevLevel})
			if level == 1 {
				c.h1s++
			}
			c.prevLevel = level
		}
	}
}

func (c *Checker) openText(e *finish.Elem, col collector) {
	col.start = len(c.text)
	e.Flags |= fText
	e.Index = len(c.texts)
	c.texts = append(c.texts, col)
}

// close ends an element: what waited for its content is decided now.
func (c *Checker) close(e finish.Elem) {
	if e.Flags&fHidden != 0 {
		c.hidden--
	}
	if e.Flags&fSkipText != 0 {
		c.skipText--
	}
	if e.Flags&fSkipOwn != 0 {
		c.skipOwn--
	}
	if e.Flags&fText != 0 && e.Index < len(c.texts) {
		col := c.texts[e.Index]
		c.buf = collapse(append(c.buf[:0], c.text[col.start:]...), 0)
		c.texts = c.texts[:e.Index]
		if len(c.texts) == 0 {
			c.text = c.text[:0]
		}
		if col.level > 0 {
			c.heading(col)
		} else {
			c.linkText(col.ord, col.d, col.labelledby)
		}
	}
	if e.Flags&fLabel != 0 && len(c.labels) > 0 {
		l := c.labels[len(c.labels)-1]
		c.labels = c.labels[:len(c.labels)-1]
		if l.hasText && l.hasFor {
			if c.labelFor == nil {
				c.labelFor = make(map[string]bool, 8)
			}
			c.labelFor[string(l.forID)] = true
		}
		if !l.hasText {
			for _, pc := range l.controls {
				c.pendControl(pc)
			}
		}
	}
	if e.Flags&fDetails != 0 {
		for i := range c.focus {
			if f := &c.focus[i]; f.pending && !f.dropped && f.depth == c.st.Len() {
				f.pending = false // no <summary>: the browser's own one takes the focus
			}
		}
	}
}

func (c *Checker) textToken(t *finish.Token) {
	top := c.st.Top()
	// Only a stylesheet that refers to anything becomes a string: the
	// copy of every page's stylesheet was most of this check's garbage.
	if top != nil && top.Atom == atom.Style && (indexFold(t.Data, "url(") >= 0 || indexFold(t.Data, "@import") >= 0) {
		c.cssURLs(c.style, "<style>", string(t.Data))
	}
	raw := top != nil && (top.Atom == atom.Script || top.Atom == atom.Style)
	if len(c.texts) == 0 && len(c.labels) == 0 || raw {
		return
	}
	start := len(c.text)
	c.text = finish.Unescape(c.text, t.Data)
	if len(c.labels) > 0 && len(bytes.TrimFunc(c.text[start:], unicode.IsSpace)) > 0 {
		c.ownText()
	}
	if len(c.texts) == 0 || c.skipText > 0 {
		c.text = c.text[:start]
	}
}

// ownText marks the open labels that the current text names.
func (c *Checker) ownText() {
	for i := range c.labels {
		if c.labels[i].skipOwn == c.skipOwn {
			c.labels[i].hasText = true
		}
	}
}

func (c *Checker) element(t *finish.Token) {
	if id, ok := attr(t, "id"); ok && len(id) > 0 {
		n := c.idCount(id) + 1
		c.ids = append(c.ids, id)
		if n == 2 {
			c.add(RuleDuplicateID, fmt.Sprintf("Die id „%s“ kommt mehrfach vor (zuletzt an %s). Jede id darf nur einmal auf der Seite stehen.", id, describe(t)))
		}
	}
	c.attributes(t)
	c.focusable(t)

	html5 := !t.Foreign
	switch t.Atom {
	case atom.Html:
		if html5 && !c.sawHTML {
			c.sawHTML = true
			if v, _ := attr(t, "lang"); len(bytes.TrimSpace(v)) == 0 {
				c.add(RuleLang, "Das <html>-Element hat kein lang-Attribut (erwartet: lang=\"de\"). Screenreader lesen die Seite sonst in der falschen Sprache vor.")
			}
		}
	case atom.Main:
		c.mains++
	case atom.Img:
		alt, ok := attr(t, "alt")
		if !ok {
			c.add(RuleImgAlt, fmt.Sprintf("Bild ohne alt-Attribut: %s. Jedes Bild braucht einen Alternativtext (alt=\"\" nur für reine Schmuckbilder).", describe(t)))
		} else {
			// The alt text is the image's text in a heading, link or label.
			if len(c.texts) > 0 && c.skipText == 0 {
				c.text = append(c.text, ' ')
				c.text = append(c.text, alt...)
				c.text = append(c.text, ' ')
			}
			if len(c.labels) > 0 && len(bytes.TrimSpace(alt)) > 0 {
				c.ownText()
			}
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Label:
		// see start: they wait for their text
	case atom.Input, atom.Select, atom.Textarea:
		if html5 {
			c.control(t)
		}
	case atom.A:
		if _, ok := attr(t, "data-variante"); ok {
			if h, _ := attr(t, "href"); len(bytes.TrimSpace(h)) > 0 {
				c.variant = true
			}
		}
	case atom.Script:
		if !c.opt.AllowScript && !isDataScript(t) {
			c.add(RuleScript, fmt.Sprintf("Die Seite enthält %s. Inhaltsseiten kommen ohne JavaScript aus; erlaubt ist das nur auf den Selbstcheck-Startseiten (hugo.toml: params.skriptSeiten).", describe(t)))
		}
	case atom.Style:
		c.style = describe(t)
	case atom.Meta:
		if n, _ := attr(t, "name"); strings.EqualFold(string(n), "description") {
			if ct, _ := attr(t, "content"); len(bytes.TrimSpace(ct)) > 0 {
				c.description = true
			}
		}
		if he, _ := attr(t, "http-equiv"); strings.EqualFold(string(bytes.TrimSpace(he)), "refresh") {
			ct, _ := attr(t, "content")
			if i := indexFold(string(ct), "url="); i >= 0 {
				c.url(describe(t), "content", trimQuotes(string(ct[i+4:])))
			}
		}
	default:
		// A second main landmark confuses screen-reader navigation as much as a second <main>.
		if r, ok := attr(t, "role"); ok && strings.EqualFold(string(bytes.TrimSpace(r)), "main") {
			c.mains++
		}
	}
}

// attributes checks what any element's attributes may load or run.
func (c *Checker) attributes(t *finish.Token) {
	link := t.Atom == atom.A || t.Atom == atom.Area
	for i := range t.Attrs {
		a := &t.Attrs[i]
		switch key := string(a.Key); key {
		case "src", "poster", "formaction", "action", "background", "ping", "manifest":
			c.urlBytes(t, a)
		case "data":
			if t.Atom == atom.Object {
				c.urlBytes(t, a)
			}
		case "href":
			if link {
				if !c.opt.AllowScript && mayBeScheme(a.Val) && hasPrefixFold(strings.TrimSpace(value(a)), "javascript:") {
					c.add(RuleScript, fmt.Sprintf("Der Link %s führt JavaScript aus. Inhaltsseiten kommen ohne JavaScript aus.", describe(t)))
				}
			} else {
				c.urlBytes(t, a)
			}
		case "srcset", "imagesrcset":
			c.srcset(describe(t), attrKey(a), value(a))
		case "style":
			c.cssURLs(describe(t), "style", value(a))
		case "tabindex":
			if v, err := strconv.Atoi(strings.TrimSpace(value(a))); err == nil && v > 0 {
				c.add(RuleTabindex, fmt.Sprintf("Das Element %s hat tabindex=\"%d\". Ein positiver tabindex ändert die Tab-Reihenfolge (der Sprunglink wäre nicht mehr zuerst); erlaubt sind nur 0 und -1.", describe(t), v))
			}
		default:
			if !c.opt.AllowScript && len(a.Key) > 2 && a.Key[0] == 'o' && a.Key[1] == 'n' && a.Namespace == "" {
				c.add(RuleScript, fmt.Sprintf("Das Element %s hat das Attribut %s (JavaScript). Inhaltsseiten kommen ohne JavaScript aus.", describe(t), a.Key))
			}
		}
	}
}

// urlBytes checks a resource URL attribute; the common relative URL is
// let go before anything is copied.
func (c *Checker) urlBytes(t *finish.Token, a *finish.Attr) {
	if mayBeScheme(a.Val) {
		c.url(describe(t), attrKey(a), value(a))
	}
}

// mayBeScheme: v might be an absolute or protocol-relative URL (or a
// javascript: one), once spaces and character references are read.
func mayBeScheme(v []byte) bool {
	v = bytes.TrimLeft(v, " \t\n\r\f")
	return len(v) > 0 && v[0] != '/' && v[0] != '#' && v[0] != '.' && v[0] != '?' || len(v) > 1 && v[0] == '/' && (v[1] == '/' || v[1] == '\\')
}

// attrKey is the attribute's name as a string, without copying the common ones.
func attrKey(a *finish.Attr) string {
	switch string(a.Key) {
	case "src":
		return "src"
	case "href":
		return "href"
	case "srcset":
		return "srcset"
	case "poster":
		return "poster"
	case "action":
		return "action"
	case "formaction":
		return "formaction"
	case "data":
		return "data"
	}
	return string(a.Key)
}

func (c *Checker) heading(col collector) {
	level := col.level
	if len(c.buf) == 0 {
		c.addAt(col.ord, RuleEmptyHead, fmt.Sprintf("Überschrift h%d ist leer. Eine Überschrift braucht Text.", level))
	}
	switch {
	case col.prevLevel == 0 && level > 2:
		c.addAt(col.ord, RuleHeadings, fmt.Sprintf("Überschrift h%d ist die erste Überschrift der Seite: Ebene h%d fehlt davor („%s“)", level, level-1, short(string(c.buf))))
	case col.prevLevel > 0 && level > col.prevLevel+1:
		c.addAt(col.ord, RuleHeadings, fmt.Sprintf("Überschrift h%d folgt auf h%d: %s („%s“)", level, col.prevLevel, missingLevels(col.prevLevel, level), short(string(c.buf))))
	}
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

func (c *Checker) control(t *finish.Token) {
	if t.Atom == atom.Input {
		ty, _ := attr(t, "type")
		switch strings.ToLower(strings.TrimSpace(string(ty))) {
		case "hidden", "submit", "button", "image", "reset":
			return
		}
	}
	if v, _ := attr(t, "aria-label"); len(bytes.TrimSpace(v)) > 0 {
		return
	}
	id, _ := attr(t, "id")
	lb, _ := attr(t, "aria-labelledby")
	pc := pendingControl{ord: c.ord, d: describe(t), id: string(id), labelledby: string(lb)}
	if len(c.labels) > 0 {
		// The innermost label names it if it has text of its own, which
		// may come after the control.
		l := &c.labels[len(c.labels)-1]
		l.controls = append(l.controls, pc)
		return
	}
	c.pendControl(pc)
}

func (c *Checker) pendControl(pc pendingControl) {
	c.controls = append(c.controls, pc)
}

// linkText checks the collapsed text in c.buf of the link d.
func (c *Checker) linkText(ord int, d desc, labelledby bool) {
	if len(c.buf) == 0 {
		if !labelledby {
			c.addAt(ord, RuleLinkText, fmt.Sprintf("Der Link %s hat keinen Text. Screenreader lesen sonst nur die Adresse vor.", d))
		}
		return
	}
	if isVague(c.buf) {
		c.addAt(ord, RuleLinkText, fmt.Sprintf("Der Linktext „%s“ (%s) sagt allein nicht, wohin der Link führt. Bitte das Ziel nennen, z. B. „Mehr zum Antrag“.", short(string(c.buf)), d))
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

// appendCollapsed appends s with white space collapsed to single spaces
// and trimmed.
func appendCollapsed(b []byte, s []byte) []byte {
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

func isDataScript(t *finish.Token) bool {
	ty, _ := attr(t, "type")
	s := strings.ToLower(strings.TrimSpace(string(ty)))
	return s == "application/ld+json" || s == "application/json"
}

// focusable notes t if it may be the first element in sequential (Tab)
// focus order.
func (c *Checker) focusable(t *finish.Token) {
	parent := c.st.Top()
	if t.Atom == atom.Summary && parent != nil && parent.Atom == atom.Details {
		// A <summary> takes the focus in place of its <details>.
		for i := range c.focus {
			if f := &c.focus[i]; f.pending && f.depth == c.st.Len()-1 {
				f.dropped = true
			}
		}
	}
	if c.focusSet || c.hidden > 0 {
		return
	}
	yes, pending := false, false
	if ti, ok := attr(t, "tabindex"); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(string(ti))); err == nil {
			yes = v >= 0
			goto decided
		}
	}
	if v, ok := attr(t, "contenteditable"); ok && !strings.EqualFold(string(v), "false") {
		yes = true
		goto decided
	}
	switch t.Atom {
	case atom.A, atom.Area:
		_, yes = attr(t, "href")
	case atom.Button, atom.Select, atom.Textarea:
		_, disabled := attr(t, "disabled")
		yes = !disabled
	case atom.Input:
		if _, disabled := attr(t, "disabled"); !disabled {
			ty, _ := attr(t, "type")
			yes = !strings.EqualFold(strings.TrimSpace(string(ty)), "hidden")
		}
	case atom.Summary:
		yes = parent != nil && parent.Atom == atom.Details
	case atom.Details:
		// Without a <summary> the browser supplies one, focusable in its place.
		pending = true
	case atom.Iframe:
		yes = true
	case atom.Audio, atom.Video:
		_, yes = attr(t, "controls")
	}
decided:
	if !yes && !pending {
		return
	}
	f := focusCand{d: describe(t), isA: t.Atom == atom.A, pending: pending, depth: c.st.Len()}
	f.href, _ = attr(t, "href")
	c.focus = append(c.focus, f)
	c.focusSet = !pending
}

// Problems ends the page and returns every problem found, in document
// order, then the page's own (landmarks, labels, skip link).
func (c *Checker) Problems() []report.Problem {
	c.closeTo(c.st.Len())
	slices.SortStableFunc(c.probs, func(a, b found) int { return a.ord - b.ord })
	c.finish()
	var out []report.Problem
	if len(c.probs) > 0 {
		out = make([]report.Problem, len(c.probs))
		for i, f := range c.probs {
			out[i] = f.p
		}
	}
	if c.pooled {
		c.pooled = false
		pool.Put(c)
	}
	return out
}

func (c *Checker) finish() {
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
	slices.SortStableFunc(c.controls, func(a, b pendingControl) int { return a.ord - b.ord })
	for _, pc := range c.controls {
		if pc.id != "" && c.labelFor[pc.id] {
			continue
		}
		if pc.labelledby != "" && c.allIDsExist(pc.labelledby) {
			continue
		}
		c.add(RuleLabel, fmt.Sprintf("Das Formularfeld %s hat keine Beschriftung. Nötig ist ein <label for=\"…\"> mit Text, ein umschließendes <label>, aria-label oder aria-labelledby.", pc.d))
	}
	c.skipLink()
	if !c.description {
		c.add(RuleDescription, "Die Seite hat keine Beschreibung (<meta name=\"description\">). Suchmaschinen und Vorschauen zeigen sie: ein Satz im Kopf-Bereich der Seite, description: …")
	}
	if !c.variant {
		c.add(RuleVariant, "Der Link zur anderen Sprachfassung (a[data-variante], Leichte Sprache bzw. Standardsprache) fehlt.")
	}
}

// idCount is how often id occurs so far. A page has a few dozen ids: a
// list is cheaper than a map.
func (c *Checker) idCount(id []byte) int {
	n := 0
	for _, x := range c.ids {
		if bytes.Equal(x, id) {
			n++
		}
	}
	return n
}

func (c *Checker) allIDsExist(list string) bool {
	any := false
	for _, id := range strings.Fields(list) {
		if c.idCount([]byte(id)) == 0 {
			return false
		}
		any = true
	}
	return any
}

func (c *Checker) skipLink() {
	var n *focusCand
	for i := range c.focus {
		if !c.focus[i].dropped {
			n = &c.focus[i]
			break
		}
	}
	if n == nil {
		c.add(RuleSkipLink, "Die Seite hat keinen Sprunglink: sie enthält kein fokussierbares Element.")
		return
	}
	href := strings.TrimSpace(string(n.href))
	if !n.isA || len(href) < 2 || href[0] != '#' {
		c.add(RuleSkipLink, fmt.Sprintf("Das erste fokussierbare Element ist %s. Zuerst muss der Sprunglink kommen (<a href=\"#inhalt\">).", n.d))
		return
	}
	if c.idCount([]byte(href[1:])) == 0 {
		c.add(RuleSkipLink, fmt.Sprintf("Der Sprunglink zeigt auf %s, aber kein Element hat die id „%s“.", href, href[1:]))
	}
}

// url reports a resource URL that points to another host.
func (c *Checker) url(d desc, key, val string) {
	if host, ok := foreignHost(val, c.siteHost); ok {
		c.add(RuleForeign, fmt.Sprintf("Das Element %s lädt über %s etwas von einem anderen Server (%s). Alles muss von dieser Website selbst kommen.", d, key, host))
	}
}

func (c *Checker) srcset(d desc, key, val string) {
	for cand := range strings.SplitSeq(val, ",") {
		cand = strings.TrimSpace(cand)
		if i := strings.IndexFunc(cand, unicode.IsSpace); i >= 0 {
			cand = cand[:i]
		}
		c.url(d, key, cand)
	}
}

// cssURLs checks url(…) and @import in a style attribute or <style>.
func (c *Checker) cssURLs(d desc, key, css string) {
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
		c.url(d, key, trimQuotes(rest[:end]))
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
				c.url(d, key, rest[1:end+1])
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

func hasAttr(t *finish.Token, key string) bool {
	_, ok := t.Attr(key)
	return ok
}

// attr is the value of an attribute as the browser reads it.
func attr(t *finish.Token, key string) ([]byte, bool) {
	v, ok := t.Attr(key)
	if ok && bytes.IndexByte(v, '&') >= 0 {
		v = finish.Unescape(nil, v)
	}
	return v, ok
}

func value(a *finish.Attr) string {
	return string(finish.Unescape(nil, a.Val))
}

func describe(t *finish.Token) desc {
	for _, k := range [...]string{"id", "name", "src", "href", "data", "action", "type", "class"} {
		if v, ok := attr(t, k); ok && len(v) > 0 {
			return desc{name: t.Name, key: k, val: v}
		}
	}
	return desc{name: t.Name}
}

func (d desc) String() string {
	if d.key != "" {
		return fmt.Sprintf("<%s %s=\"%s\">", d.name, d.key, short(string(d.val)))
	}
	return "<" + string(d.name) + ">"
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
func indexFold[T string | []byte](s T, needle string) int {
	first := needle[0]
	for i := 0; i+len(needle) <= len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == first && strings.EqualFold(string(s[i:i+len(needle)]), needle) {
			return i
		}
	}
	return -1
}
