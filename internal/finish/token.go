package finish

import (
	"bytes"
	"html"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	phtml "github.com/tdewolff/parse/v2/html"
	"github.com/tdewolff/parse/v2/xml"
	"golang.org/x/net/html/atom"
)

// Kind is the kind of a token.
type Kind uint8

const (
	Text     Kind = iota + 1
	StartTag      // with its attributes
	EndTag
	Comment
	Doctype
	// Foreign is an inline <svg> or <math> element as a whole, as written.
	// Filters pass it on untouched; checks see its elements and text as
	// tokens of their own with Token.Foreign set (and never the whole).
	Foreign
)

// Token is one piece of a page's token stream. Its byte slices point into
// the page or into data a stage owns: they stay valid while the page is
// processed, but the Token itself is reused after a stage returns, so a
// stage that keeps a token keeps a copy (Token.Clone).
type Token struct {
	Kind Kind
	// Atom identifies a start or end tag's element (0 for names without an
	// atom, such as custom elements).
	Atom atom.Atom
	// Name is the tag name, lower-case in HTML, as written inside SVG/MathML.
	Name  []byte
	Attrs []Attr
	// Void: a start tag written as <x/>.
	Void bool
	// Foreign: an element or text inside <svg> or <math> (checks only).
	Foreign bool
	// Data is a text token's text as written: entities are not decoded
	// (see Unescape); inside script, style, title and textarea it is the
	// element's whole content. For a comment it is the comment's text.
	Data []byte
	// Raw is the token exactly as in the page. A stage that makes a token
	// leaves it nil and the token is written from its fields.
	Raw []byte
}

// Attr is one attribute of a start tag.
type Attr struct {
	Key []byte // lower-case in HTML; the local name inside SVG/MathML
	// Namespace is "xlink", "xml" or "xmlns" for the prefixed attributes of
	// SVG/MathML (xlink:href has Key "href"), else "".
	Namespace string
	// Val is the value as written, without quotes; entities are not decoded
	// (see Unescape). An attribute without a value has an empty Val.
	Val []byte
}

// Attr returns the value of the attribute key (without namespace) as
// written, and whether the tag has it.
func (t *Token) Attr(key string) ([]byte, bool) {
	for i := range t.Attrs {
		if t.Attrs[i].Namespace == "" && string(t.Attrs[i].Key) == key {
			return t.Attrs[i].Val, true
		}
	}
	return nil, false
}

// Clone copies t, including its attribute list, so a stage can keep it.
func (t *Token) Clone() Token {
	c := *t
	if len(t.Attrs) > 0 {
		c.Attrs = append([]Attr(nil), t.Attrs...)
	}
	return c
}

// NewStart makes a start tag; kv are attribute keys and values, the values
// as they are to be written (escape them with EscapeAttr).
func NewStart(a atom.Atom, kv ...string) Token {
	t := Token{Kind: StartTag, Atom: a, Name: []byte(a.String())}
	for i := 0; i+1 < len(kv); i += 2 {
		t.Attrs = append(t.Attrs, Attr{Key: []byte(kv[i]), Val: []byte(kv[i+1])})
	}
	t.Raw = t.AppendHTML(nil)
	return t
}

// NewEnd makes an end tag.
func NewEnd(a atom.Atom) Token {
	t := Token{Kind: EndTag, Atom: a, Name: []byte(a.String())}
	t.Raw = t.AppendHTML(nil)
	return t
}

// NewText makes a text token of s, escaping it.
func NewText(s string) Token {
	d := EscapeText(nil, []byte(s))
	return Token{Kind: Text, Data: d, Raw: d}
}

// AppendHTML appends the token as HTML to b: Raw when it has one.
func (t *Token) AppendHTML(b []byte) []byte {
	if t.Raw != nil {
		return append(b, t.Raw...)
	}
	switch t.Kind {
	case StartTag:
		b = append(b, '<')
		b = append(b, t.Name...)
		for _, a := range t.Attrs {
			b = append(b, ' ')
			if a.Namespace != "" {
				b = append(b, a.Namespace...)
				b = append(b, ':')
			}
			b = append(b, a.Key...)
			b = append(b, '=')
			q := byte('"')
			if bytes.IndexByte(a.Val, '"') >= 0 {
				q = '\''
			}
			b = append(b, q)
			if q == '\'' && bytes.IndexByte(a.Val, '\'') >= 0 {
				b = append(b, bytes.ReplaceAll(a.Val, []byte("'"), []byte("&#39;"))...)
			} else {
				b = append(b, a.Val...)
			}
			b = append(b, q)
		}
		if t.Void {
			b = append(b, '/')
		}
		return append(b, '>')
	case EndTag:
		b = append(b, "</"...)
		b = append(b, t.Name...)
		return append(b, '>')
	case Comment:
		b = append(b, "<!--"...)
		b = append(b, t.Data...)
		return append(b, "-->"...)
	}
	return append(b, t.Data...)
}

// Unescape appends s with its character references decoded to dst, as a
// browser reads text and attribute values. Without '&' it appends s as is.
func Unescape(dst, s []byte) []byte {
	for {
		i := bytes.IndexByte(s, '&')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		n, r := reference(s)
		if n == 0 {
			// Rare forms (no ';', names outside the table): the standard
			// library's decoder, on the rest of the text.
			return append(dst, html.UnescapeString(string(s))...)
		}
		dst = utf8.AppendRune(dst, r)
		s = s[n:]
	}
}

// reference decodes the character reference at the start of s ("&amp;",
// "&#160;", "&#xA0;"): its length and rune, or 0 when it is none of the
// common forms.
func reference(s []byte) (int, rune) {
	end := bytes.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	name := s[1:end]
	if name[0] == '#' {
		base, digits := 10, name[1:]
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			base, digits = 16, digits[1:]
		}
		if len(digits) == 0 {
			return 0, 0
		}
		r := rune(0)
		for _, c := range digits {
			var d rune
			switch {
			case '0' <= c && c <= '9':
				d = rune(c - '0')
			case base == 16 && 'a' <= c && c <= 'f':
				d = rune(c-'a') + 10
			case base == 16 && 'A' <= c && c <= 'F':
				d = rune(c-'A') + 10
			default:
				return 0, 0
			}
			r = r*rune(base) + d
		}
		// NUL, surrogates, C1 controls and the like: the library knows the rules.
		if r == 0 || r > utf8.MaxRune || 0xD800 <= r && r <= 0xDFFF || 0x80 <= r && r <= 0x9F {
			return 0, 0
		}
		return end + 1, r
	}
	if r, ok := entities[string(name)]; ok {
		return end + 1, r
	}
	return 0, 0
}

// entities are the named references pages commonly hold (Hugo's
// typographer writes several); others go to the standard decoder.
var entities = map[string]rune{
	"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "nbsp": '\u00a0',
	"shy": '\u00ad', "ndash": '–', "mdash": '—', "hellip": '…', "laquo": '«',
	"raquo": '»', "lsquo": '‘', "rsquo": '’', "sbquo": '‚', "ldquo": '“',
	"rdquo": '”', "bdquo": '„', "middot": '·', "euro": '€', "sect": '§',
	"copy": '©', "auml": 'ä', "ouml": 'ö', "uuml": 'ü', "Auml": 'Ä',
	"Ouml": 'Ö', "Uuml": 'Ü', "szlig": 'ß', "times": '×', "zwsp": '\u200b',
}

// EscapeText appends s to dst with &, < and > escaped, for text content.
func EscapeText(dst, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// EscapeAttr is s escaped for a double-quoted attribute value.
func EscapeAttr(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&#34;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, s[i])
		}
	}
	return string(b)
}

// Tokens calls f with each token of page as the checks see it: the
// elements and text inside <svg> and <math> one by one, with Foreign set.
// The lexer works in place (it lower-cases tag names where they stand), so
// it lexes a copy in buf, which it returns for the next page: a caller that
// reads many pages allocates nothing per page.
func Tokens(buf, page []byte, f func(*Token)) []byte {
	buf = append(buf[:0], page...)
	// NewInputBytes puts its end marker after the last byte if there is room.
	buf = slices.Grow(buf, 1)
	var z lexer
	z.reset(buf)
	for t := z.next(); t != nil; t = z.next() {
		if t.Kind == Foreign {
			foreignTokens(t.Data, f)
			continue
		}
		f(t)
	}
	z.in.Restore()
	return buf
}

// lexer turns a page into tokens with tdewolff's HTML lexer, which keeps
// every byte's position, so a token that no stage changes is written back
// exactly as it was.
type lexer struct {
	in    *parse.Input
	l     *phtml.Lexer
	src   []byte
	attrs []Attr
	t     Token
	err   error
	done  bool
}

func (z *lexer) reset(src []byte) {
	z.in = parse.NewInputBytes(src)
	z.src = z.in.Bytes()
	z.l = phtml.NewLexer(z.in)
	z.err, z.done = nil, false
}

// next returns the next token, or nil at the end of the page.
func (z *lexer) next() *Token {
	if z.done {
		return nil
	}
	start := z.in.Offset()
	tt, data := z.l.Next()
	t := &z.t
	*t = Token{}
	switch tt {
	case phtml.ErrorToken:
		z.done = true
		if err := z.l.Err(); err != io.EOF {
			// Only NUL bytes inside <svg>/<math> stop the lexer; the rest
			// of the page goes on as it is.
			if start < len(z.src) {
				t.Kind, t.Data, t.Raw = Foreign, z.src[start:], z.src[start:]
				return t
			}
		}
		return nil
	case phtml.TextToken:
		t.Kind, t.Data, t.Raw = Text, data, data
	case phtml.CommentToken:
		t.Kind, t.Data, t.Raw = Comment, z.l.Text(), data
	case phtml.DoctypeToken:
		t.Kind, t.Data, t.Raw = Doctype, z.l.Text(), data
	case phtml.EndTagToken:
		name := z.l.Text()
		t.Kind, t.Name, t.Atom, t.Raw = EndTag, name, atom.Lookup(name), data
	case phtml.SVGToken, phtml.MathToken, phtml.XMLToken:
		t.Kind, t.Data, t.Raw = Foreign, data, data
	case phtml.StartTagToken:
		name := z.l.Text()
		t.Kind, t.Name, t.Atom = StartTag, name, atom.Lookup(name)
		z.attrs = z.attrs[:0]
	attrs:
		for {
			switch tt, _ := z.l.Next(); tt {
			case phtml.AttributeToken:
				z.attrs = append(z.attrs, Attr{Key: z.l.AttrKey(), Val: unquote(z.l.AttrVal())})
			case phtml.StartTagVoidToken:
				t.Void = true
				break attrs
			case phtml.StartTagCloseToken:
				break attrs
			default: // the page ends inside the tag
				z.done = true
				break attrs
			}
		}
		t.Attrs = z.attrs
		t.Raw = z.src[start:z.in.Offset()]
	default:
		t.Kind, t.Data, t.Raw = Text, data, data
	}
	return t
}

func unquote(v []byte) []byte {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	if len(v) == 1 && (v[0] == '"' || v[0] == '\'') {
		return v[:0]
	}
	return v
}

// foreignTokens calls f with the elements and text inside an <svg> or
// <math> token, as an HTML parser reads foreign content: names keep their
// case, xlink:href becomes href in namespace xlink.
func foreignTokens(data []byte, f func(*Token)) {
	l := xml.NewLexer(parse.NewInputBytes(data))
	var t Token
	var attrs []Attr
	var open *Token
	flush := func(void bool) {
		if open != nil {
			open.Attrs, open.Void = attrs, void
			f(open)
			if void {
				e := Token{Kind: EndTag, Name: open.Name, Atom: open.Atom, Foreign: true}
				f(&e)
			}
			open = nil
		}
	}
	for {
		tt, raw := l.Next()
		switch tt {
		case xml.ErrorToken:
			flush(false)
			return
		case xml.StartTagToken:
			flush(false)
			name := l.Text()
			t = Token{Kind: StartTag, Name: name, Atom: atom.Lookup(lower(name)), Foreign: true, Raw: raw}
			attrs = attrs[:0]
			open = &t
		case xml.AttributeToken:
			// An HTML parser lower-cases them (and puts a few back in camel
			// case, none of which a check looks at).
			key, ns := lower(l.Text()), ""
			if i := bytes.IndexByte(key, ':'); i >= 0 {
				switch string(key[:i]) {
				case "xlink", "xml", "xmlns":
					ns, key = string(key[:i]), key[i+1:]
				}
			} else if string(key) == "xmlns" {
				ns = "xmlns"
			}
			attrs = append(attrs, Attr{Key: key, Namespace: ns, Val: unquote(l.AttrVal())})
		case xml.StartTagCloseToken:
			flush(false)
		case xml.StartTagCloseVoidToken:
			flush(true)
		case xml.EndTagToken:
			flush(false)
			name := l.Text()
			e := Token{Kind: EndTag, Name: name, Atom: atom.Lookup(lower(name)), Foreign: true, Raw: raw}
			f(&e)
		case xml.TextToken, xml.CDATAToken:
			flush(false)
			e := Token{Kind: Text, Data: l.Text(), Foreign: true, Raw: raw}
			if tt == xml.TextToken {
				e.Data = raw
			}
			f(&e)
		default:
			flush(false)
		}
	}
}

// lower is b in lower case, copied only when it has capitals.
func lower(b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return bytes.ToLower(b)
		}
	}
	return b
}

// ForeignText calls f with each text of an inline <svg> or <math> (a
// Foreign token's Data), as written.
func ForeignText(data []byte, f func([]byte)) {
	foreignTokens(data, func(t *Token) {
		if t.Kind == Text {
			f(t.Data)
		}
	})
}
