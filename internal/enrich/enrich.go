// Package enrich adds to a built page what editors should not have to write
// by hand: the expansion of an abbreviation where it is first used, and a
// link to the Wörterbuch (Standard) or an explanation box (Leichte Sprache)
// where a glossary term is first used.
//
// It works on the page's token stream as a finish.Filter, before the output
// checks and minification, and touches only <main>. All matching data is
// prepared once in New; each page gets its own filter, so one Enricher
// serves concurrent pages. The filter holds tokens back only while it must:
// from the first abbreviation whose expansion depends on the rest of <main>
// (is the long form written out somewhere?) to the end of <main>.
package enrich

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"budgetsite/internal/finish"
	"budgetsite/internal/variant"
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
	Variant            variant.V // Standard: links to the Wörterbuch; Leicht: explanation boxes
	GlossaryURL        string    // e.g. "/woerterbuch/" or "/leichte-sprache/woerterbuch/"
	SkipGlossaryOnPage bool      // the Wörterbuch page itself
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

	// The markup the filter adds, made once.
	abbrStart []finish.Token // per abbreviation: <abbr title="…">
	expansion []finish.Token // per abbreviation: " (Long)"
	boxes     [][]finish.Token
	links     sync.Map // glossary URL → []finish.Token: per term <a class="glossar" href="…">
	pool      sync.Pool
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
	for _, a := range abbrs {
		e.abbrStart = append(e.abbrStart, finish.NewStart(atom.Abbr, "title", finish.EscapeAttr(a.Long)))
		e.expansion = append(e.expansion, finish.NewText(" ("+a.Long+")"))
	}
	for i := range e.terms {
		e.boxes = append(e.boxes, e.box(i))
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
func skipped(t *finish.Token) bool {
	switch t.Atom {
	case atom.A, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Abbr, atom.Code, atom.Pre, atom.Script, atom.Style, atom.Button,
		atom.Label, atom.Legend, atom.Summary, atom.Time,
		atom.Textarea, atom.Select, atom.Option, atom.Kbd, atom.Samp, atom.Var,
		atom.Dfn, atom.Svg, atom.Math, atom.Template, atom.Noscript, atom.Iframe, atom.Object:
		return true
	}
	if t.Foreign {
		return true // inside SVG or MathML
	}
	for i := range t.Attrs {
		if string(t.Attrs[i].Key) == "data-no-enrich" {
			return true
		}
	}
	return false
}

// match is one use found in a text token.
type match struct {
	start, end int // in the decoded text
	abbr, term int // -1 when not applied
}

// Per-element flags on the filter's stack.
const (
	fLandmark uint32 = 1 << iota
	fHoldsBox
	fPhrasing
	fMain
)

// pendingBox is an explanation box waiting for its place: after the element
// at depth closes (after), or before the next block child of the element at
// depth or its end (!after).
type pendingBox struct {
	depth int
	after bool
	term  int
}

// held is a token held back; abbr >= 0 marks the place of an expansion
// still to be decided.
type held struct {
	t    finish.Token
	abbr int
}

type state uint8

const (
	beforeMain state = iota
	inMain
	afterMain
)

type filter struct {
	e        *Enricher
	opt      Options
	easy     bool
	glossary bool
	links    []finish.Token
	abbrSeen []bool
	termSeen []bool
	left     int // abbreviations and terms not seen yet

	state    state
	st       finish.Stack
	skip     int // depth of the outermost open skipped element, -1 when none
	abbr     bool
	abbrText []byte // text of an authored <abbr> being read

	texts   []mainText // the text of <main> as written, for the expansion decisions
	matches []match
	terms   []int
	boxes   []pendingBox
	holding bool
	held    []held
	attrs   []finish.Attr // copies of held tokens' attributes
	dec     []byte
	arena   []byte       // the text of the pieces made this page
	tmp     finish.Token // a piece being passed on
	flat    []byte       // collapsedText's buffer
}

// Filter returns the enrichment of one page as a finish.Filter.
func (e *Enricher) Filter(opt Options) finish.Filter {
	f, _ := e.pool.Get().(*filter)
	if f == nil {
		f = &filter{e: e}
	}
	f.opt = opt
	f.easy = opt.Variant.Easy()
	f.glossary = !opt.SkipGlossaryOnPage && len(e.terms) > 0
	f.abbrSeen = resetBools(f.abbrSeen, len(e.abbrs))
	f.termSeen = resetBools(f.termSeen, len(e.terms))
	f.left = len(e.abbrs)
	if f.glossary {
		f.left += len(e.terms)
		if !f.easy {
			f.links = e.glossaryLinks(opt.GlossaryURL)
		}
	}
	if len(e.index) == 0 {
		f.state = afterMain // nothing to look for
	} else {
		f.state = beforeMain
	}
	f.st.Reset()
	f.skip, f.abbr, f.holding = -1, false, false
	f.texts, f.boxes, f.held, f.attrs, f.arena = f.texts[:0], f.boxes[:0], f.held[:0], f.attrs[:0], f.arena[:0]
	return f
}

func resetBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// Stage enriches every page with the Enricher of its variant (nil: none).
// base is the site's base path ("/"), glossary the Wörterbuch's path below
// a variant's root ("woerterbuch/").
func Stage(of func(variant.V) *Enricher, base, glossary string) finish.NewFilter {
	var urls [len(variant.All)]string
	for _, v := range variant.All {
		urls[v] = base + v.Prefix() + glossary
	}
	return func(p finish.PageInfo) finish.Filter {
		e := of(p.Variant)
		if e == nil {
			return nil
		}
		url := urls[p.Variant]
		return e.Filter(Options{Variant: p.Variant, GlossaryURL: url, SkipGlossaryOnPage: p.Path == url})
	}
}

// Apply enriches the page src and returns it (tests, and callers with a
// whole page in hand).
func (e *Enricher) Apply(src []byte, opt Options) []byte {
	out, _, _ := finish.Stream(nil, src, []finish.Filter{e.Filter(opt)}, nil)
	return out
}

func (e *Enricher) glossaryLinks(url string) []finish.Token {
	if l, ok := e.links.Load(url); ok {
		return l.([]finish.Token)
	}
	l := make([]finish.Token, len(e.terms))
	for i, t := range e.terms {
		l[i] = finish.NewStart(atom.A, "class", "glossar", "href", finish.EscapeAttr(url+"#"+t.ID))
	}
	e.links.Store(url, l)
	return l
}

var (
	strongStart = finish.NewStart(atom.Strong, "class", "begriff")
	strongEnd   = finish.NewEnd(atom.Strong)
	abbrEnd     = finish.NewEnd(atom.Abbr)
	aEnd        = finish.NewEnd(atom.A)
)

// out passes a token on, or holds it while an expansion is undecided.
func (f *filter) out(t *finish.Token, emit finish.Emit) {
	if !f.holding {
		emit(t)
		return
	}
	c := *t
	if len(t.Attrs) > 0 {
		start := len(f.attrs)
		f.attrs = append(f.attrs, t.Attrs...)
		c.Attrs = f.attrs[start:len(f.attrs):len(f.attrs)]
	}
	f.held = append(f.held, held{t: c, abbr: -1})
}

func (f *filter) Token(t *finish.Token, emit finish.Emit) {
	switch f.state {
	case afterMain:
		emit(t)
		return
	case beforeMain:
		if t.Kind == finish.StartTag && t.Atom == atom.Main && !t.Foreign {
			f.state = inMain
			f.st.Reset()
			emit(t)
			e := f.st.Push(t)
			e.Flags = fMain | fHoldsBox
			return
		}
		emit(t)
		return
	}
	switch t.Kind {
	case finish.StartTag:
		f.closeTo(f.st.Closes(t), emit)
		if f.state != inMain {
			emit(t)
			return
		}
		if !phrasing(t) {
			f.flushBoxes(f.st.Len()-1, false, emit)
		}
		f.out(t, emit)
		parent := f.st.Top()
		e := f.st.Push(t)
		if e == nil {
			return
		}
		e.Flags = elemFlags(t, parent)
		if f.skip < 0 && skipped(t) {
			f.skip = f.st.Len() - 1
			switch t.Atom {
			case atom.Abbr:
				f.abbr = true
				f.abbrText = f.abbrText[:0]
			case atom.A:
				f.markLink(t)
			}
		}
	case finish.EndTag:
		n := f.st.Closes(t)
		if n == 0 && (t.Atom == atom.Body || t.Atom == atom.Html) {
			f.closeTo(f.st.Len(), emit) // </body> without </main>
			emit(t)
			return
		}
		if n == 0 {
			f.out(t, emit) // closes nothing that is open
			return
		}
		f.closeTo(n-1, emit)
		f.close(f.st.Pop(), t, emit)
	case finish.Text:
		f.text(t, emit)
	case finish.Foreign:
		f.texts = append(f.texts, mainText{t.Data, true})
		f.out(t, emit)
	default:
		f.out(t, emit)
	}
}

func (f *filter) closeTo(n int, emit finish.Emit) {
	for range n {
		f.close(f.st.Pop(), nil, emit)
	}
}

// close ends an open element; end is its end tag, nil when implied.
func (f *filter) close(e finish.Elem, end *finish.Token, emit finish.Emit) {
	depth := f.st.Len()
	if f.skip == depth {
		f.skip = -1
		if f.abbr {
			f.abbr = false
			f.markAbbr(bytes.TrimSpace(f.abbrText))
		}
	}
	f.flushBoxes(depth, false, emit)
	if e.Flags&fMain != 0 {
		f.endMain(end, emit)
		return
	}
	if end != nil {
		f.out(end, emit)
	}
	f.flushBoxes(depth, true, emit)
}

// endMain decides the expansions held back and lets everything go.
func (f *filter) endMain(end *finish.Token, emit finish.Emit) {
	f.state = afterMain
	if f.holding {
		f.holding = false
		text := f.collapsedText()
		for i := range f.held {
			h := &f.held[i]
			if h.abbr < 0 {
				emit(&h.t)
			} else if !bytes.Contains(text, []byte(f.e.longs[h.abbr])) {
				emit(&f.e.expansion[h.abbr])
			}
		}
	}
	if end != nil {
		emit(end)
	}
}

func (f *filter) End(emit finish.Emit) {
	if f.state == inMain {
		f.closeTo(f.st.Len(), emit)
	}
	f.e.pool.Put(f)
}

func (f *filter) flushBoxes(depth int, after bool, emit finish.Emit) {
	if len(f.boxes) == 0 {
		return
	}
	kept := f.boxes[:0]
	for _, b := range f.boxes {
		if b.depth != depth || b.after != after {
			kept = append(kept, b)
			continue
		}
		for i := range f.e.boxes[b.term] {
			f.out(&f.e.boxes[b.term][i], emit)
		}
	}
	f.boxes = kept
}

// markLink counts a link to the Wörterbuch written by hand as the first
// use of its term, so the page does not explain the same thing twice.
func (f *filter) markLink(t *finish.Token) {
	if !f.glossary || f.opt.GlossaryURL == "" {
		return
	}
	raw, _ := t.Attr("href")
	href := finish.Unescape(f.dec[:0], raw)
	f.dec = href
	prefix := f.opt.GlossaryURL + "#"
	if !bytes.HasPrefix(href, []byte(prefix)) {
		return
	}
	if i, ok := f.e.ids[string(href[len(prefix):])]; ok && !f.termSeen[i] {
		f.termSeen[i] = true
		f.left--
	}
}

// markAbbr counts an <abbr> written by hand as the abbreviation's first use.
func (f *filter) markAbbr(t []byte) {
	for _, p := range f.e.index[firstWordBytes(t)] {
		if p.text == string(t) && p.abbr >= 0 && !f.abbrSeen[p.abbr] {
			f.abbrSeen[p.abbr] = true
			f.left--
		}
	}
}

func (f *filter) text(t *finish.Token, emit finish.Emit) {
	top := f.st.Top()
	raw := top.Atom == atom.Script || top.Atom == atom.Style
	if !raw {
		f.texts = append(f.texts, mainText{t.Data, false})
	}
	if f.abbr {
		f.abbrText = finish.Unescape(f.abbrText, t.Data)
	}
	if f.skip >= 0 || f.left == 0 || raw {
		f.out(t, emit)
		return
	}
	s := t.Data
	escaped := bytes.IndexByte(s, '&') >= 0
	if escaped {
		f.dec = finish.Unescape(f.dec[:0], s)
		s = f.dec
	}
	f.matches = f.scan(s, f.matches[:0])
	if len(f.matches) == 0 {
		f.out(t, emit)
		return
	}
	f.rewrite(t, s, escaped, emit)
}

// piece passes on s[from:to] of a text token as a token of its own.
func (f *filter) piece(s []byte, from, to int, escaped bool, emit finish.Emit) {
	if from >= to {
		return
	}
	d := s[from:to]
	if escaped {
		// The pieces stay valid for the whole page (a held token refers to
		// them): the arena only grows; what it outgrows stays where it was.
		start := len(f.arena)
		f.arena = finish.EscapeText(f.arena, d)
		d = f.arena[start:len(f.arena):len(f.arena)]
	}
	f.tmp = finish.Token{Kind: finish.Text, Data: d, Raw: d}
	f.out(&f.tmp, emit)
}

// rewrite passes on a text token with its matches marked up.
func (f *filter) rewrite(t *finish.Token, s []byte, escaped bool, emit finish.Emit) {
	f.terms = f.terms[:0]
	pos := 0
	for _, m := range f.matches {
		f.piece(s, pos, m.start, escaped, emit)
		if m.term >= 0 {
			if f.easy {
				f.out(&strongStart, emit)
				f.terms = append(f.terms, m.term)
			} else {
				f.out(&f.links[m.term], emit)
			}
		}
		if m.abbr >= 0 {
			f.out(&f.e.abbrStart[m.abbr], emit)
		}
		f.piece(s, m.start, m.end, escaped, emit)
		if m.abbr >= 0 {
			f.out(&abbrEnd, emit)
		}
		if m.term >= 0 {
			if f.easy {
				f.out(&strongEnd, emit)
			} else {
				f.out(&aEnd, emit)
			}
		}
		// In Leichte Sprache the box explains it, without brackets.
		// "Landschaftsverbandes Rheinland (LVR)": the author introduces
		// the abbreviation in place, in an inflected form we cannot search for.
		if m.abbr >= 0 && !(m.term >= 0 && f.easy) &&
			!(m.start > 0 && s[m.start-1] == '(' && m.end < len(s) && s[m.end] == ')') {
			// Written out unless the page does so somewhere in <main>
			// (headings and links too): known only at the end of <main>.
			f.holding = true
			f.held = append(f.held, held{abbr: m.abbr})
		}
		pos = m.end
	}
	f.piece(s, pos, len(s), escaped, emit)
	if len(f.terms) > 0 {
		depth, after := f.anchor()
		for _, term := range f.terms {
			f.boxes = append(f.boxes, pendingBox{depth: depth, after: after, term: term})
		}
	}
}

// anchor finds where an explanation box for the current text goes: after
// the enclosing block whose parent takes flow content (after: the element
// at depth), or, for inline content straight in such a parent, after that
// run of inline content: into the parent (at depth) before its next block.
// Lists, tables, quotes and figures are kept whole, so the box follows
// them; a box never goes inside a <p>. Boxes for one place keep the order
// of first use.
func (f *filter) anchor() (depth int, after bool) {
	x := f.st.Len() // the text itself, a child of the top element
	// A box is a complementary landmark: inside <main> it is fine, inside
	// another landmark (a named section, a nav, an aside) it is not (axe
	// landmark-complementary-is-top-level). So it goes after the outermost one.
	for i := f.st.Len() - 1; i > 0; i-- {
		if f.st.At(i).Flags&fLandmark != 0 {
			x = i
		}
	}
	for x > 0 {
		p := f.st.At(x - 1)
		if p.Flags&(fMain|fHoldsBox) != 0 {
			if x < f.st.Len() && f.st.At(x).Flags&fPhrasing == 0 {
				return x, true
			}
			return x - 1, false
		}
		x--
	}
	return 0, false
}

func elemFlags(t *finish.Token, parent *finish.Elem) uint32 {
	var fl uint32
	if landmark(t) {
		fl |= fLandmark
	}
	if holdsBox(t.Atom, parent) {
		fl |= fHoldsBox
	}
	if phrasing(t) {
		fl |= fPhrasing
	}
	return fl
}

// holdsBox reports whether an <aside> may be a child of the element: flow
// content that is not itself a list, table, quote, figure or paragraph.
func holdsBox(a atom.Atom, parent *finish.Elem) bool {
	switch a {
	case atom.Main, atom.Section, atom.Article, atom.Details, atom.Form,
		atom.Fieldset, atom.Header, atom.Footer, atom.Body:
		return true
	case atom.Div:
		return parent == nil || parent.Atom != atom.Dl
	}
	return false
}

// landmark reports whether t opens an ARIA landmark inside <main>.
func landmark(t *finish.Token) bool {
	for _, a := range t.Attrs {
		switch string(a.Key) {
		case "role":
			switch strings.ToLower(strings.TrimSpace(string(a.Val))) {
			case "banner", "complementary", "contentinfo", "form", "main", "navigation", "region", "search":
				return true
			}
		case "aria-label", "aria-labelledby", "title":
			// A named section or form is a region or form landmark.
			if (t.Atom == atom.Section || t.Atom == atom.Form) && len(bytes.TrimSpace(a.Val)) > 0 {
				return true
			}
		}
	}
	switch t.Atom {
	case atom.Nav, atom.Aside, atom.Search:
		return true
	}
	return false
}

func phrasing(t *finish.Token) bool {
	switch t.Atom {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Br, atom.Cite, atom.Code,
		atom.Data, atom.Dfn, atom.Em, atom.I, atom.Img, atom.Kbd, atom.Mark, atom.Q,
		atom.S, atom.Samp, atom.Small, atom.Span, atom.Strong, atom.Sub, atom.Sup,
		atom.Time, atom.U, atom.Var, atom.Wbr, atom.Del, atom.Ins, atom.Label,
		atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Output, atom.Meter,
		atom.Progress, atom.Picture, atom.Svg, atom.Math:
		return true
	}
	return t.Kind != finish.StartTag
}

// box is the explanation box of a term as tokens.
func (e *Enricher) box(term int) []finish.Token {
	t := e.terms[term]
	ts := []finish.Token{
		finish.NewStart(atom.Aside, "class", "erklaerung", "aria-label", finish.EscapeAttr("Erklärung: "+t.Title)),
		finish.NewStart(atom.P, "class", "erklaerung-titel"),
		finish.NewText(t.Title),
		finish.NewEnd(atom.P),
	}
	for _, para := range e.paras[term] {
		ts = append(ts, finish.NewStart(atom.P))
		for i, line := range para {
			if i > 0 {
				ts = append(ts, finish.NewStart(atom.Br))
			}
			ts = append(ts, finish.NewText(line))
		}
		ts = append(ts, finish.NewEnd(atom.P))
	}
	return append(ts, finish.NewEnd(atom.Aside))
}

// scan appends to ms the first uses in s.
func (f *filter) scan(s []byte, ms []match) []match {
	e := f.e
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
		cands := e.index[string(s[i:j])]
		for _, p := range cands {
			end, ok := matchAt(s, i, p.text)
			if !ok {
				continue
			}
			// The longest form claims its words even when its term was
			// used before: "beauftragter Träger" is not a use of "Träger".
			m := match{start: i, end: end, abbr: -1, term: -1}
			if p.abbr >= 0 && !f.abbrSeen[p.abbr] {
				f.abbrSeen[p.abbr] = true
				f.left--
				m.abbr = p.abbr
			}
			if p.term >= 0 && f.glossary && !f.termSeen[p.term] {
				f.termSeen[p.term] = true
				f.left--
				m.term = p.term
			}
			if m.abbr >= 0 || m.term >= 0 {
				ms = append(ms, m)
				if f.left == 0 {
					return ms
				}
			}
			j = end
			break
		}
		i = j - 1 // the loop's i++ moves past the word or match
	}
	return ms
}

// wordBefore reports whether the rune before s[i] is a word rune, i.e.
// whether i is inside a word.
func wordBefore(s []byte, i int) bool {
	if c := s[i-1]; c < utf8.RuneSelf {
		return asciiWord[c]
	}
	r, _ := utf8.DecodeLastRune(s[:i])
	return isWord(r)
}

// matchAt reports whether pat occurs in s at i, ending on a word boundary.
// Any run of white space in s (line breaks from Markdown, no-break spaces)
// matches a single space in pat.
func matchAt(s []byte, i int, pat string) (int, bool) {
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
		if next, _ := utf8.DecodeRune(s[i:]); isWord(next) {
			return 0, false
		}
	}
	return i, true
}

func spaceRun(s []byte, i int) int {
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

func wordEnd(s []byte, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
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

func firstWordBytes(s []byte) string {
	return string(s[:wordEnd(s, 0)])
}

// mainText is a text token of <main>, or an inline SVG/MathML element
// whose text counts too.
type mainText struct {
	b       []byte
	foreign bool
}

// mainText is the text of <main> as written (before any rewriting) with
// every run of white space (including no-break spaces) as one space, so a
// long form broken across lines is found.
func (f *filter) collapsedText() []byte {
	b := f.flat[:0]
	space := true
	add := func(s []byte) {
		f.dec = finish.Unescape(f.dec[:0], s)
		for s := f.dec; len(s) > 0; {
			ch, size := utf8.DecodeRune(s)
			s = s[size:]
			if unicode.IsSpace(ch) {
				if !space {
					b = append(b, ' ')
					space = true
				}
				continue
			}
			b = utf8.AppendRune(b, ch)
			space = false
		}
	}
	for _, t := range f.texts {
		if t.foreign {
			finish.ForeignText(t.b, add)
		} else {
			add(t.b)
		}
	}
	f.flat = b
	return b
}
