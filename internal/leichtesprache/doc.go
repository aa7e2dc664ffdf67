package leichtesprache

import (
	"bytes"
	"html"
	"sort"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"budgetsite/internal/markdown"
)

const (
	// shortcodeMark is where a shortcode stood inside a line: the
	// tokenizer treats it as a space.
	shortcodeMark = markdown.ShortcodeMark
	// neutralMark stands for a code span or a bare URL: one word for
	// counting, but no rule looks at it.
	neutralMark = 0x1b
)

// doc is the prose of one page, extracted for the rules: buf holds the text
// of all units, runs map buf offsets back to offsets in the original file.
type doc struct {
	src   []byte
	buf   []byte
	low   []byte // buf lower-cased byte for byte (same offsets)
	runs  []run
	units []unit
	toks  []token
	sents []sentence

	lineStarts []int
	lastSrc    int
	images     []*ast.Image
}

type run struct{ buf, src int }

// unit is one block of inline text: a paragraph, heading, list item, table
// cell or image description. lines is set where each line should hold one
// sentence (not in table cells, image descriptions or plain text).
type unit struct {
	start, end int
	lines      bool
	plain      bool
}

// newMarkdownDoc parses a Hugo Markdown page and collects its prose.
func newMarkdownDoc(md *markdown.Doc) *doc {
	src, body := md.Src, md.Body
	d := &doc{src: src, buf: make([]byte, 0, len(src)), runs: make([]run, 0, 64)}
	d.blocks(md.Root, body)
	// Image descriptions are read out by screen readers: check them too,
	// each as its own unit.
	for i := 0; i < len(d.images); i++ {
		d.begin(false)
		d.inline(d.images[i], body)
		d.end()
	}
	d.finish()
	return d
}

// newTextDoc takes plain running text (the corpus) as one unit.
func newTextDoc(s string) *doc {
	d := &doc{src: []byte(s)}
	d.runs = append(d.runs, run{0, 0})
	d.buf = append(d.buf, s...)
	d.units = append(d.units, unit{start: 0, end: len(d.buf), plain: true})
	d.finish()
	return d
}

func (d *doc) finish() {
	d.low = lowerBytes(d.buf)
	d.toks = make([]token, 0, len(d.buf)/6+4)
	d.tokenize()
	d.sents = make([]sentence, 0, len(d.toks)/6+4)
	d.segment()
}

func (d *doc) blocks(n ast.Node, body []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			continue
		}
		if f := c.FirstChild(); f != nil && f.Type() == ast.TypeInline {
			_, cell := c.(*east.TableCell)
			d.begin(!cell)
			d.inline(c, body)
			d.end()
			continue
		}
		d.blocks(c, body)
	}
}

func (d *doc) begin(lines bool) {
	d.units = append(d.units, unit{start: len(d.buf), lines: lines})
}

func (d *doc) end() {
	u := &d.units[len(d.units)-1]
	u.end = len(d.buf)
	// A separator keeps words of two units apart.
	d.appendByte('\n', d.lastSrc)
}

func (d *doc) inline(n ast.Node, body []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch x := c.(type) {
		case *ast.Text:
			d.appendSrc(body, x.Segment.Start, x.Segment.Stop)
			if x.SoftLineBreak() || x.HardLineBreak() {
				d.appendByte('\n', x.Segment.Stop)
			}
		case *ast.String:
			d.addRun(len(d.buf), d.lastSrc)
			d.buf = append(d.buf, x.Value...)
		case *ast.CodeSpan, *ast.AutoLink:
			p := c.Pos()
			if p < 0 {
				p = d.lastSrc
			}
			d.appendByte(neutralMark, p)
		case *ast.RawHTML:
			if x.Segments.Len() > 0 {
				seg := x.Segments.At(0)
				if v := seg.Value(body); len(v) >= 3 && (bytes.EqualFold(v[:3], []byte("<br"))) {
					d.appendByte('\n', seg.Start)
				}
			}
		case *ast.Image:
			d.images = append(d.images, x)
		default:
			d.inline(c, body)
		}
	}
}

func (d *doc) addRun(b, s int) {
	if n := len(d.runs); n > 0 {
		last := d.runs[n-1]
		if last.src-last.buf == s-b {
			return
		}
		if last.buf == b {
			d.runs[n-1].src = s
			return
		}
	}
	d.runs = append(d.runs, run{b, s})
}

func (d *doc) appendByte(c byte, src int) {
	d.addRun(len(d.buf), src)
	d.buf = append(d.buf, c)
	d.lastSrc = src
}

// appendSrc copies body[start:stop], dropping Markdown backslash escapes and
// decoding HTML entities (&shy; becomes a real soft hyphen the rules see).
func (d *doc) appendSrc(body []byte, start, stop int) {
	from := start
	flush := func(to int) {
		if to > from {
			d.addRun(len(d.buf), from)
			d.buf = append(d.buf, body[from:to]...)
		}
	}
	for i := start; i < stop; {
		c := body[i]
		if c == '\\' && i+1 < stop && isASCIIPunct(body[i+1]) {
			flush(i)
			from = i + 1
			i += 2
			continue
		}
		if c == '&' {
			if n := entityLen(body[i:stop]); n > 0 {
				flush(i)
				d.addRun(len(d.buf), i)
				d.buf = append(d.buf, html.UnescapeString(string(body[i:i+n]))...)
				i += n
				from = i
				continue
			}
		}
		i++
	}
	flush(stop)
	d.lastSrc = stop
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// entityLen returns the length of an HTML entity at the start of b, or 0.
func entityLen(b []byte) int {
	i := 1
	if i < len(b) && b[i] == '#' {
		i++
		if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
			i++
		}
	}
	start := i
	for i < len(b) && i-start < 32 && (b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] >= '0' && b[i] <= '9') {
		i++
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0
	}
	return i + 1
}

// lowerBytes lower-cases ASCII and Latin-1 letters (Ä Ö Ü …) without
// changing any offset.
func lowerBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'A' && c <= 'Z':
			out[i] = c + 32
		case c == 0xC3 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9E && b[i+1] != 0x97:
			out[i] = c
			out[i+1] = b[i+1] + 32
			i++
		default:
			out[i] = c
		}
	}
	return out
}

// srcOffset maps an offset in buf to the original file.
func (d *doc) srcOffset(b int) int {
	i := sort.Search(len(d.runs), func(i int) bool { return d.runs[i].buf > b }) - 1
	if i < 0 {
		return b
	}
	return d.runs[i].src + b - d.runs[i].buf
}

// position returns the 1-based line and column (in characters) of a buf
// offset in the original file.
func (d *doc) position(b int) (line, col int) {
	if d.lineStarts == nil {
		d.lineStarts = append(d.lineStarts, 0)
		for i, c := range d.src {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	s := d.srcOffset(b)
	if s > len(d.src) {
		s = len(d.src)
	}
	l := sort.Search(len(d.lineStarts), func(i int) bool { return d.lineStarts[i] > s }) - 1
	return l + 1, utf8.RuneCount(d.src[d.lineStarts[l]:s]) + 1
}

// srcLine is the 0-based line of a buf offset.
func (d *doc) srcLine(b int) int {
	l, _ := d.position(b)
	return l
}
