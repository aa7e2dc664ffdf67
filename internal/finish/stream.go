package finish

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html/atom"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"
)

// PageInfo tells a stage which page it works on.
type PageInfo struct {
	Rel     string    // slash path below the output folder: "leichte-sprache/budget/index.html"
	Path    string    // URL path: "/leichte-sprache/budget/"
	Variant variant.V // from the URL path
	File    string    // the page as messages name it: "public/leichte-sprache/budget/index.html"
}

// Emit passes a token to the next stage. The token is only borrowed: the
// receiver neither changes it nor keeps it past the call (Token.Clone).
type Emit func(*Token)

// Filter may rewrite one page's token stream: it passes every token on
// with emit, changed or not, and may add or hold back tokens. A filter that
// keeps a token past the call keeps a copy (Token.Clone).
type Filter interface {
	Token(t *Token, emit Emit)
	// End is called after the page's last token: emit what is still held.
	End(emit Emit)
}

// Check observes one page's final token stream (after every filter) and
// reports what it found.
type Check interface {
	Token(t *Token)
	Problems() []report.Problem
}

// NewFilter makes a page's filter; nil leaves the page alone.
type NewFilter func(PageInfo) Filter

// NewCheck makes a page's check; nil skips the page.
type NewCheck func(PageInfo) Check

// Ref is one reference from a page to a URL, in document order: the tag
// and attribute (Tag, Attr) and the value. It is small (a page has dozens,
// a build keeps them all).
type Ref struct {
	kind refKind
	// Value is the attribute's value as the browser reads it (character
	// references decoded), not resolved against the page's URL; for srcset
	// each candidate's URL is a Ref of its own.
	Value string
}

// Stream runs src through the filters and hands the final tokens to the
// checks; it appends the resulting HTML to out and returns it with the
// page's references and ids (see Page.Refs, Page.IDs). src is left as it
// is (the build's own path lexes its pages in place: the lexer lower-cases
// tag names where they stand).
func Stream(out []byte, src []byte, filters []Filter, checks []Check) ([]byte, []Ref, []string) {
	var s streamer
	out = s.run(out, append(make([]byte, 0, len(src)+1), src...), filters, checks)
	refs, ids := s.sink.rec.done()
	return out, refs, ids
}

// streamer holds what one worker reuses from page to page.
type streamer struct {
	lex   lexer
	emits []Emit
	sink  sink
}

type sink struct {
	out    []byte
	checks []Check
	rec    recorder
}

func (k *sink) token(t *Token) {
	k.out = t.AppendHTML(k.out)
	if t.Kind == Foreign {
		foreignTokens(t.Data, k.observe)
		return
	}
	k.observe(t)
}

func (k *sink) observe(t *Token) {
	for _, c := range k.checks {
		c.Token(t)
	}
	k.rec.token(t)
}

// run leaves the page's references and ids in s.sink.rec.
func (s *streamer) run(out []byte, src []byte, filters []Filter, checks []Check) []byte {
	s.sink.out, s.sink.checks = out, checks
	s.sink.rec.reset()
	// emits[i] hands a token to stage i; the last one is the sink.
	s.emits = s.emits[:0]
	for i := range filters {
		f, i := filters[i], i
		s.emits = append(s.emits, func(t *Token) { f.Token(t, s.emits[i+1]) })
	}
	s.emits = append(s.emits, s.sink.token)
	s.lex.reset(src)
	first := s.emits[0]
	for t := s.lex.next(); t != nil; t = s.lex.next() {
		first(t)
	}
	for i, f := range filters {
		f.End(s.emits[i+1])
	}
	s.sink.checks = nil
	return s.sink.out
}

// recorder collects a page's references and ids.
type recorder struct {
	blob []byte
	refs []refSpan
	ids  []span
	dec  []byte
}

// names keeps one copy of each reference and id the pages share: a build
// keeps them all for the link check, and most are on every page (the
// menu's links, the skip link's target).
type names struct {
	mu   sync.Mutex
	idx  map[string]uint32
	list []string
}

// id is b's index; the caller holds mu.
func (n *names) id(b []byte) uint32 {
	i, ok := n.idx[string(b)] // no copy of b for the lookup
	if !ok {
		if n.idx == nil {
			n.idx = map[string]uint32{}
		}
		i = uint32(len(n.list))
		s := string(b)
		n.idx[s] = i
		n.list = append(n.list, s)
	}
	return i
}

// values appends the values of the indices to dst.
func (n *names) values(dst []string, indices []uint32) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, i := range indices {
		dst = append(dst, n.list[i])
	}
	return dst
}

type span struct{ start, end int }

type refSpan struct {
	span
	kind refKind
}

// NewRef makes a Ref (for tests); tag and attr must be one of the pairs
// recorded.
func NewRef(tag, attr, value string) Ref {
	for i, k := range refKinds {
		if k.tag == tag && k.attr == attr {
			return Ref{kind: refKind(i), Value: value}
		}
	}
	panic("finish: no reference " + tag + "[" + attr + "]")
}

// Tag is the element's name, "a".
func (r Ref) Tag() string { return refKinds[r.kind].tag }

// Attr is the attribute's name, "href".
func (r Ref) Attr() string { return refKinds[r.kind].attr }

func (r Ref) String() string { return r.Tag() + "[" + r.Attr() + "]=" + r.Value }

type refKind uint8

// refKinds are the attributes that reference another resource.
var refKinds = [...]struct {
	a         atom.Atom
	tag, attr string
}{
	{atom.A, "a", "href"},
	{atom.Link, "link", "href"},
	{atom.Img, "img", "src"},
	{atom.Img, "img", "srcset"},
	{atom.Source, "source", "src"},
	{atom.Source, "source", "srcset"},
	{atom.Track, "track", "src"},
	{atom.Video, "video", "poster"},
	{atom.Video, "video", "src"},
	{atom.Audio, "audio", "src"},
	{atom.Form, "form", "action"},
	{atom.Button, "button", "formaction"},
}

// refAttrs maps an element to its kinds of reference.
var refAttrs = func() map[atom.Atom][]refKind {
	m := map[atom.Atom][]refKind{}
	for i, k := range refKinds {
		m[k.a] = append(m[k.a], refKind(i))
	}
	return m
}()

func (r *recorder) reset() {
	r.blob, r.refs, r.ids = r.blob[:0], r.refs[:0], r.ids[:0]
}

func (r *recorder) token(t *Token) {
	if t.Kind != StartTag {
		return
	}
	kinds := refAttrs[t.Atom]
	for i := range t.Attrs {
		a := &t.Attrs[i]
		switch {
		case string(a.Key) == "id" || string(a.Key) == "name" && t.Atom == atom.A && !t.Foreign:
			if len(a.Val) > 0 && a.Namespace == "" {
				r.ids = append(r.ids, r.add(a.Val))
			}
		case len(kinds) > 0:
			for _, k := range kinds {
				if string(a.Key) != refKinds[k].attr || a.Namespace != "" && a.Namespace != "xlink" {
					continue
				}
				if refKinds[k].attr == "srcset" {
					r.srcset(k, a.Val)
				} else {
					r.refs = append(r.refs, refSpan{r.add(a.Val), k})
				}
			}
		}
	}
}

// srcset records each candidate URL ("a.png 1x, b.png 2x").
func (r *recorder) srcset(k refKind, v []byte) {
	r.dec = Unescape(r.dec[:0], v)
	for cand := range bytes.SplitSeq(r.dec, []byte(",")) {
		cand = bytes.TrimSpace(cand)
		if i := bytes.IndexAny(cand, " \t\n\r\f"); i >= 0 {
			cand = cand[:i]
		}
		if len(cand) > 0 {
			start := len(r.blob)
			r.blob = append(r.blob, cand...)
			r.refs = append(r.refs, refSpan{span{start, len(r.blob)}, k})
		}
	}
}

func (r *recorder) add(v []byte) span {
	start := len(r.blob)
	r.blob = Unescape(r.blob, v)
	return span{start, len(r.blob)}
}

// done returns the page's references and ids as strings of their own.
func (r *recorder) done() ([]Ref, []string) {
	if len(r.refs) == 0 && len(r.ids) == 0 {
		return nil, nil
	}
	blob := string(r.blob) // one allocation for all the page's values
	var refs []Ref
	if len(r.refs) > 0 {
		refs = make([]Ref, len(r.refs))
		for i, s := range r.refs {
			refs[i] = Ref{kind: s.kind, Value: blob[s.start:s.end]}
		}
	}
	var ids []string
	if len(r.ids) > 0 {
		ids = make([]string, len(r.ids))
		for i, s := range r.ids {
			ids[i] = blob[s.start:s.end]
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	return refs, ids
}

// indices returns the page's references and ids as indices into the
// build's names (see Page).
func (r *recorder) indices(n *names) (refs []uint32, kinds []refKind, ids []uint32) {
	if len(r.refs) == 0 && len(r.ids) == 0 {
		return nil, nil, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(r.refs) > 0 {
		refs, kinds = make([]uint32, len(r.refs)), make([]refKind, len(r.refs))
		for i, s := range r.refs {
			refs[i], kinds[i] = n.id(r.blob[s.start:s.end]), s.kind
		}
	}
	if len(r.ids) > 0 {
		ids = make([]uint32, len(r.ids))
		for i, s := range r.ids {
			ids[i] = n.id(r.blob[s.start:s.end])
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	return refs, kinds, ids
}

// BreakAfterMiddleDots gives the browser a break chance after every "·"
// that splits a compound word in Leichte Sprache ("Bürger·amt"): without
// one a long compound overflows at 320 px. Text inside script, style,
// title, textarea and attributes stays as it is.
func BreakAfterMiddleDots(PageInfo) Filter {
	d, _ := dotsPool.Get().(*dots)
	if d == nil {
		d = &dots{}
	}
	d.raw = false
	return d
}

var dotsPool sync.Pool

type dots struct {
	raw  bool // the next text is the content of a raw-text element
	dec  []byte
	part Token
}

var (
	middleDot = []byte("·")
	wbr       = NewStart(atom.Wbr)
)

func (d *dots) Token(t *Token, emit Emit) {
	if t.Kind != Text {
		d.raw = t.Kind == StartTag && !t.Foreign && rawText(t.Atom)
		emit(t)
		return
	}
	raw := d.raw
	d.raw = false
	data := t.Data
	if raw || !bytes.Contains(data, middleDot) && !(bytes.IndexByte(data, '&') >= 0 && hasDotReference(data)) {
		emit(t)
		return
	}
	if bytes.IndexByte(data, '&') >= 0 {
		// Written as a character reference: split the decoded text. The
		// pieces live until the page is done, so they get their own bytes.
		data = EscapeText(nil, Unescape(d.dec[:0], data))
	}
	for len(data) > 0 {
		i := bytes.Index(data, middleDot)
		if i < 0 {
			d.part = Token{Kind: Text, Data: data, Raw: data}
			emit(&d.part)
			return
		}
		end := i + len(middleDot)
		d.part = Token{Kind: Text, Data: data[:end], Raw: data[:end]}
		emit(&d.part)
		emit(&wbr)
		data = data[end:]
	}
}

func (d *dots) End(Emit) { dotsPool.Put(d) }

func hasDotReference(b []byte) bool {
	s := strings.ToLower(string(b))
	return strings.Contains(s, "&middot;") || strings.Contains(s, "&#183;") || strings.Contains(s, "&#xb7;") || strings.Contains(s, "&centerdot;")
}

// rawText elements hold text that is not markup.
func rawText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Title, atom.Textarea, atom.Xmp, atom.Iframe, atom.Noembed, atom.Noframes, atom.Plaintext:
		return true
	}
	return false
}
