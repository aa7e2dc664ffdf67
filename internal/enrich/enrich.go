// Package enrich adds to a built page what editors should not have to write
// by hand: the expansion of an abbreviation where it is first used, and a
// link to the Wörterbuch (Standard) or an explanation box (Leichte Sprache)
// where a glossary term is first used.
//
// It works on the tree the build parsed once (golang.org/x/net/html), before
// the output checks and minification, and touches only <main>. All matching
// data is prepared once in New; Apply keeps its state on the stack, so one
// Enricher serves concurrent pages.
package enrich

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"budgetsite/internal/htmlnode"
)

// Abbreviation is one entry of the abbreviation list, e.g. LVR.
type Abbreviation struct {
	Short, Long string
}

// Term is one glossary entry in one variant.
type Term struct {
	ID    string // the anchor on the Wörterbuch page
	Title string
	// Forms are the spellings that count as a use, e.g. "Persönliches
	// Budget", "Persönlichen Budgets". Case-sensitive, except that a form
	// starting with a small letter also matches capitalised (sentence start).
	Forms []string
	// Explanation is the variant's text; in Leichte Sprache one sentence a
	// line. A blank line starts a new paragraph.
	Explanation string
}

// Options describe the page being enriched.
type Options struct {
	Variant            string // "de" (links to the Wörterbuch) or "ls" (explanation boxes)
	GlossaryURL        string // e.g. "/woerterbuch/" or "/leichte-sprache/woerterbuch/"
	SkipGlossaryOnPage bool   // the Wörterbuch page itself
}

// Enricher holds the prepared matchers.
type Enricher struct {
	abbrs []Abbreviation
	longs []string // Long with white space collapsed, for the "already written out" test
	terms []Term
	paras [][][]string // per term: paragraphs of lines
	ids   map[string]int

	// index maps the first word of every pattern to its patterns, longest
	// first, so the longest form wins where forms overlap.
	index map[string][]pattern
	// first marks the leading bytes of index keys: most words are rejected
	// without a map lookup.
	first [256]bool
}

type pattern struct {
	text string
	abbr int // index into abbrs, or -1
	term int // index into terms, or -1
}

// New prepares the matchers. Entries with an empty Short or form, or one not
// starting with a letter or digit, cannot be matched on word boundaries and
// are left out; the data loader is where such entries are reported.
func New(abbrs []Abbreviation, terms []Term) *Enricher {
	e := &Enricher{
		abbrs: abbrs,
		terms: slices.Clone(terms),
		longs: make([]string, len(abbrs)),
		paras: make([][][]string, len(terms)),
		ids:   make(map[string]int, len(terms)),
		index: make(map[string][]pattern),
	}
	byText := map[string]int{} // pattern text → position in pats
	var pats []pattern
	add := func(text string, abbr, term int) {
		text = strings.Join(strings.Fields(text), " ")
		if key := firstWord(text); key == "" || key != text[:len(key)] {
			return
		}
		i, ok := byText[text]
		if !ok {
			i = len(pats)
			byText[text] = i
			pats = append(pats, pattern{text: text, abbr: -1, term: -1})
		}
		// The first entry wins when two claim the same text.
		if abbr >= 0 && pats[i].abbr < 0 {
			pats[i].abbr = abbr
		}
		if term >= 0 && pats[i].term < 0 {
			pats[i].term = term
		}
	}
	for i, a := range abbrs {
		e.longs[i] = strings.Join(strings.Fields(a.Long), " ")
		add(a.Short, i, -1)
	}
	for i, t := range terms {
		if t.Title == "" && len(t.Forms) > 0 {
			e.terms[i].Title = t.Forms[0] // the box needs a heading and a name
		}
		if _, dup := e.ids[t.ID]; !dup {
			e.ids[t.ID] = i
		}
		e.paras[i] = paragraphs(t.Explanation)
		for _, f := range t.Forms {
			add(f, -1, i)
			if r, size := utf8.DecodeRuneInString(f); unicode.IsLower(r) {
				add(string(unicode.ToUpper(r))+f[size:], -1, i)
			}
		}
	}
	for _, p := range pats {
		key := firstWord(p.text)
		list := append(e.index[key], p)
		// Keep longest first; lists are short, insertion sort suffices.
		for j := len(list) - 1; j > 0 && len(list[j].text) > len(list[j-1].text); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
		e.index[key] = list
		e.first[key[0]] = true
	}
	return e
}

// paragraphs splits an explanation at blank lines, keeping its lines.
func paragraphs(s string) [][]string {
	var out [][]string
	var cur []string
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// skipped elements: their text is code, a name, a link or a control, or an
// abbreviation or heading that must stay as written.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.A, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Abbr, atom.Code, atom.Pre, atom.Script, atom.Style, atom.Button,
		atom.Label, atom.Legend, atom.Summary, atom.Time,
		atom.Textarea, atom.Select, atom.Option, atom.Kbd, atom.Samp, atom.Var,
		atom.Dfn, atom.Svg, atom.Math, atom.Template, atom.Noscript, atom.Iframe, atom.Object:
		return true
	}
	if n.Namespace != "" {
		return true // inside SVG or MathML
	}
	for _, a := range n.Attr {
		if a.Key == "data-no-enrich" {
			return true
		}
	}
	return false
}

// match is one use found in a text node, in document order.
type match struct {
	node       *html.Node
	start, end int
	abbr, term int  // -1 when not applied
	expand     bool // abbreviation: add " (Long)" after it
}

type run struct {
	e        *Enricher
	opt      Options
	glossary bool
	abbrSeen []bool
	termSeen []bool
	left     int // abbreviations and terms not seen yet
	items    []*html.Node
	matches  []match
	mainRoot *html.Node
	lastBox  map[*html.Node]*html.Node // per block: the last box placed after it
	placed   map[*html.Node]bool       // the boxes inserted so far
}

// Apply enriches the first <main> of doc in place.
func (e *Enricher) Apply(doc *html.Node, opt Options) {
	main := findMain(doc)
	if main == nil || len(e.index) == 0 {
		return
	}
	r := run{
		e:        e,
		opt:      opt,
		glossary: !opt.SkipGlossaryOnPage && len(e.terms) > 0,
		abbrSeen: make([]bool, len(e.abbrs)),
		termSeen: make([]bool, len(e.terms)),
		mainRoot: main,
	}
	r.left = len(e.abbrs)
	if r.glossary {
		r.left += len(e.terms)
	}
	r.collect(main)
	r.scan()
	if len(r.matches) == 0 {
		return
	}
	r.decideExpansions()
	r.rewrite()
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

// collect lists, in document order, the text nodes that may be enriched and
// the authored <abbr> and Wörterbuch links that already count as a use.
func (r *run) collect(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if c.Data != "" {
				r.items = append(r.items, c)
			}
		case html.ElementNode:
			if skipped(c) {
				if c.DataAtom == atom.Abbr || c.DataAtom == atom.A {
					r.items = append(r.items, c)
				}
				continue
			}
			r.collect(c)
		}
	}
}

func (r *run) scan() {
	for _, n := range r.items {
		if r.left == 0 {
			return
		}
		if n.Type == html.ElementNode {
			r.markAuthored(n)
			continue
		}
		r.scanText(n)
	}
}

// markAuthored counts an <abbr> or a link to the Wörterbuch written by hand
// as the first use, so the page does not explain the same thing twice.
func (r *run) markAuthored(n *html.Node) {
	switch n.DataAtom {
	case atom.Abbr:
		t := strings.TrimSpace(textOf(n))
		for _, p := range r.e.index[firstWord(t)] {
			if p.text == t && p.abbr >= 0 && !r.abbrSeen[p.abbr] {
				r.abbrSeen[p.abbr] = true
				r.left--
			}
		}
	case atom.A:
		if !r.glossary || r.opt.GlossaryURL == "" {
			return
		}
		href := htmlnode.Attr(n, "href")
		if !strings.HasPrefix(href, r.opt.GlossaryURL+"#") {
			return
		}
		if i, ok := r.e.ids[href[len(r.opt.GlossaryURL)+1:]]; ok && !r.termSeen[i] {
			r.termSeen[i] = true
			r.left--
		}
	}
}

func (r *run) scanText(n *html.Node) {
	s := n.Data
	e := r.e
	// Only bytes that can start a pattern are looked at; most of the text
	// is skipped without decoding it.
	for i := 0; i < len(s); i++ {
		if !e.first[s[i]] || i > 0 && wordBefore(s, i) {
			continue
		}
		j := wordEnd(s, i)
		if j == i {
			continue // a lead byte shared with a non-letter, e.g. "×"
		}
		cands := e.index[s[i:j]]
		for _, p := range cands {
			end, ok := matchAt(s, i, p.text)
			if !ok {
				continue
			}
			// The longest form claims its words even when its term was
			// used before: "beauftragter Träger" is not a use of "Träger".
			m := match{node: n, start: i, end: end, abbr: -1, term: -1}
			if p.abbr >= 0 && !r.abbrSeen[p.abbr] {
				r.abbrSeen[p.abbr] = true
				r.left--
				m.abbr = p.abbr
			}
			if p.term >= 0 && r.glossary && !r.termSeen[p.term] {
				r.termSeen[p.term] = true
				r.left--
				m.term = p.term
			}
			if m.abbr >= 0 || m.term >= 0 {
				r.matches = append(r.matches, m)
				if r.left == 0 {
					return
				}
			}
			j = end
			break
		}
		i = j - 1 // the loop's i++ moves past the word or match
	}
}

// wordBefore reports whether the rune before s[i] is a word rune, i.e.
// whether i is inside a word.
func wordBefore(s string, i int) bool {
	if c := s[i-1]; c < utf8.RuneSelf {
		return asciiWord[c]
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWord(r)
}

// matchAt reports whether pat occurs in s at i, ending on a word boundary.
// Any run of white space in s (line breaks from Markdown, no-break spaces)
// matches a single space in pat.
func matchAt(s string, i int, pat string) (int, bool) {
	k := 0
	for k < len(pat) {
		if pat[k] == ' ' {
			n := spaceRun(s, i)
			if n == 0 {
				return 0, false
			}
			i += n
			k++
			continue
		}
		if i >= len(s) || s[i] != pat[k] {
			return 0, false
		}
		i++
		k++
	}
	if last, _ := utf8.DecodeLastRuneInString(pat); isWord(last) && i < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[i:]); isWord(next) {
			return 0, false
		}
	}
	return i, true
}

func spaceRun(s string, i int) int {
	start := i
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f':
			i++
		case s[i] == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
			i += 2
		default:
			return i - start
		}
	}
	return i - start
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// isWord: words are runs of letters and digits; everything else (space,
// hyphen, punctuation, the Leichte Sprache middle dot) separates them.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			return i
		}
		i += size
	}
	return i
}

func firstWord(s string) string {
	for i, c := range s {
		if !isWord(c) {
			return s[:i]
		}
	}
	return s
}

// decideExpansions writes an abbreviation out only where the page does not
// already do so somewhere in <main> (including headings and links), judged
// on the text before any rewriting.
func (r *run) decideExpansions() {
	text := ""
	for i := range r.matches {
		m := &r.matches[i]
		if m.abbr < 0 || m.term >= 0 && r.opt.Variant == "ls" {
			continue // in Leichte Sprache the box explains it, without brackets
		}
		s := m.node.Data
		// "Landschaftsverbandes Rheinland (LVR)": the author introduces
		// the abbreviation in place, in an inflected form we cannot search for.
		if m.start > 0 && s[m.start-1] == '(' && m.end < len(s) && s[m.end] == ')' {
			continue
		}
		if text == "" {
			text = collapsedText(r.mainRoot)
		}
		m.expand = !strings.Contains(text, r.e.longs[m.abbr])
	}
}

func (r *run) rewrite() {
	for i := 0; i < len(r.matches); {
		j := i + 1
		for j < len(r.matches) && r.matches[j].node == r.matches[i].node {
			j++
		}
		r.rewriteNode(r.matches[i:j])
		i = j
	}
}

// rewriteNode replaces one text node by its text with the matches marked up.
func (r *run) rewriteNode(ms []match) {
	t := ms[0].node
	parent := t.Parent
	s := t.Data
	var pending strings.Builder // text waiting for the next element
	flush := func() {
		if pending.Len() > 0 {
			parent.InsertBefore(&html.Node{Type: html.TextNode, Data: pending.String()}, t)
			pending.Reset()
		}
	}
	var boxes []int
	pos := 0
	for _, m := range ms {
		pending.WriteString(s[pos:m.start])
		var el *html.Node
		word := s[m.start:m.end]
		if m.abbr >= 0 {
			el = htmlnode.Elem(atom.Abbr, "title", r.e.abbrs[m.abbr].Long)
			el.AppendChild(htmlnode.Text(word))
		}
		if m.term >= 0 {
			var wrap *html.Node
			if r.opt.Variant == "ls" {
				wrap = htmlnode.Elem(atom.Strong, "class", "begriff")
				boxes = append(boxes, m.term)
			} else {
				// Attributes in the order the parser sorts them for <a>, so the
				// page reads back the same.
				wrap = htmlnode.Elem(atom.A, "class", "glossar", "href", r.opt.GlossaryURL+"#"+r.e.terms[m.term].ID)
			}
			if el != nil {
				wrap.AppendChild(el)
			} else {
				wrap.AppendChild(htmlnode.Text(word))
			}
			el = wrap
		}
		flush()
		parent.InsertBefore(el, t)
		if m.expand {
			pending.WriteString(" (")
			pending.WriteString(r.e.abbrs[m.abbr].Long)
			pending.WriteString(")")
		}
		pos = m.end
	}
	pending.WriteString(s[pos:])
	flush()
	if len(boxes) > 0 {
		block, parentOf, before := r.anchor(t)
		for _, term := range boxes {
			box := r.box(term)
			if block != nil {
				if r.lastBox == nil {
					r.lastBox = map[*html.Node]*html.Node{}
				}
				after := block
				if prev := r.lastBox[block]; prev != nil {
					after = prev
				}
				block.Parent.InsertBefore(box, after.NextSibling)
				r.lastBox[block] = box
			} else {
				// Past boxes already placed after this run, keeping order.
				for before != nil && r.placed[before] {
					before = before.NextSibling
				}
				parentOf.InsertBefore(box, before) // before == nil appends
			}
			if r.placed == nil {
				r.placed = map[*html.Node]bool{}
			}
			r.placed[box] = true
		}
	}
	parent.RemoveChild(t)
}

// anchor finds where an explanation box for text node n goes: after the
// enclosing block whose parent takes flow content (block != nil), or, for
// inline content straight in such a parent, after that run of inline
// content: into parent before the next block (before == nil: at the end).
// Lists, tables, quotes and figures are kept whole, so the box follows them;
// a box never goes inside a <p>. Boxes for one block keep the order of first
// use (lastBox).
func (r *run) anchor(n *html.Node) (block, parent, before *html.Node) {
	x := n
	// A box is a complementary landmark: inside <main> it is fine, inside
	// another landmark (a named section, a nav, an aside) it is not (axe
	// landmark-complementary-is-top-level). So it goes after the outermost one.
	for a := n.Parent; a != nil && a != r.mainRoot; a = a.Parent {
		if landmark(a) {
			x = a
		}
	}
	for x.Parent != nil && x != r.mainRoot {
		p := x.Parent
		if p == r.mainRoot || holdsBox(p) {
			if !phrasing(x) {
				return x, nil, nil
			}
			for before = x.NextSibling; before != nil && phrasing(before); before = before.NextSibling {
			}
			return nil, p, before
		}
		x = p
	}
	return nil, r.mainRoot, nil
}

// holdsBox reports whether an <aside> may be a child of n: flow content
// that is not itself a list, table, quote, figure or paragraph.
func holdsBox(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Main, atom.Section, atom.Article, atom.Details, atom.Form,
		atom.Fieldset, atom.Header, atom.Footer, atom.Body:
		return true
	case atom.Div:
		return n.Parent == nil || n.Parent.DataAtom != atom.Dl
	}
	return false
}

// landmark reports whether n is an ARIA landmark inside <main>.
func landmark(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "banner", "complementary", "contentinfo", "form", "main", "navigation", "region", "search":
				return true
			}
		case "aria-label", "aria-labelledby", "title":
			// A named section or form is a region or form landmark.
			if (n.DataAtom == atom.Section || n.DataAtom == atom.Form) && strings.TrimSpace(a.Val) != "" {
				return true
			}
		}
	}
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Search:
		return true
	}
	return false
}

func phrasing(n *html.Node) bool {
	switch n.DataAtom {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Br, atom.Cite, atom.Code,
		atom.Data, atom.Dfn, atom.Em, atom.I, atom.Img, atom.Kbd, atom.Mark, atom.Q,
		atom.S, atom.Samp, atom.Small, atom.Span, atom.Strong, atom.Sub, atom.Sup,
		atom.Time, atom.U, atom.Var, atom.Wbr, atom.Del, atom.Ins, atom.Label,
		atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Output, atom.Meter,
		atom.Progress, atom.Picture, atom.Svg, atom.Math:
		return true
	}
	return n.Type != html.ElementNode
}

func (r *run) box(term int) *html.Node {
	t := r.e.terms[term]
	box := htmlnode.Elem(atom.Aside, "class", "erklaerung", "aria-label", "Erklärung: "+t.Title)
	title := htmlnode.Elem(atom.P, "class", "erklaerung-titel")
	title.AppendChild(htmlnode.Text(t.Title))
	box.AppendChild(title)
	for _, para := range r.e.paras[term] {
		p := htmlnode.Elem(atom.P)
		for i, line := range para {
			if i > 0 {
				p.AppendChild(htmlnode.Elem(atom.Br))
			}
			p.AppendChild(htmlnode.Text(line))
		}
		box.AppendChild(p)
	}
	return box
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// collapsedText is the text of n with every run of white space (including
// no-break spaces) as one space, so a long form broken across lines is found.
func collapsedText(n *html.Node) string {
	var b strings.Builder
	space := true
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				for _, ch := range c.Data {
					if unicode.IsSpace(ch) {
						if !space {
							b.WriteByte(' ')
							space = true
						}
						continue
					}
					b.WriteRune(ch)
					space = false
				}
			case html.ElementNode:
				if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
					walk(c)
				}
			}
		}
	}
	walk(n)
	return b.String()
}
