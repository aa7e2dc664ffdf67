// Package markdown parses an editor's Markdown page once for every check
// that reads it (headings, images, links, the Leichte Sprache rules): the
// same goldmark settings Hugo renders with, front matter and shortcodes
// blanked so that every offset is still the file's own, and the shortcode
// calls kept aside with their positions.
package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// ShortcodeMark replaces a Hugo shortcode that stands inside a line:
// goldmark keeps it as text, and readers of the text treat it as a space.
// Blanking the shortcode with spaces alone could turn the rest of the line
// into a code block.
const ShortcodeMark = 0x1a

// The extensions Hugo enables by default, so the tree has the shape of the
// one Hugo renders (tables, footnotes, bare URLs as links).
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough,
	extension.Linkify, extension.DefinitionList, extension.Footnote))

// Doc is one parsed page.
type Doc struct {
	Src []byte // the file as written
	// Body is Src with front matter and shortcodes blanked: the same length
	// and line breaks, so an offset into Body is one into Src.
	Body       []byte
	Root       ast.Node
	Shortcodes []Shortcode
	lineStarts []int
}

// Shortcode is one {{< name key="value" >}} call.
type Shortcode struct {
	Name   string
	Params map[string]string // named parameters; positional ones as "0", "1", …
	Offset int               // of the opening {{
	// Line and Col are Offset's position in the file (as Doc.Position),
	// for readers that never parse the page.
	Line, Col int
}

// Parse prepares and parses src.
func Parse(src []byte) *Doc {
	d := &Doc{Src: src}
	d.Body, d.Shortcodes, d.lineStarts = prepare(src)
	d.Root = md.Parser().Parse(text.NewReader(d.Body))
	return d
}

// Position turns an offset into a 1-based line and column (in characters).
func (d *Doc) Position(off int) (line, col int) {
	if d.lineStarts == nil {
		d.lineStarts = lineStarts(d.Src)
	}
	return position(d.Src, d.lineStarts, off)
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func position(src []byte, starts []int, off int) (line, col int) {
	lo, hi := 0, len(starts)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if starts[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	start := starts[lo]
	return lo + 1, len([]rune(string(src[start:min(off, len(src))]))) + 1
}

// Start is the offset where a block or inline node begins in the file, or -1.
func (d *Doc) Start(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	return -1
}

// Walk visits every node; see ast.Walk.
func (d *Doc) Walk(fn ast.Walker) { _ = ast.Walk(d.Root, fn) }

// Shortcodes lists the shortcode calls of src without parsing the
// Markdown: for readers that need nothing else, such as the pictures a
// page shows, which must be known before Hugo renders.
func Shortcodes(src []byte) []Shortcode {
	_, scs, _ := prepare(src)
	return scs
}

var paramRe = regexp.MustCompile(`([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|` + "`([^`]*)`" + `|(\S+))|"((?:[^"\\]|\\.)*)"|(\S+)`)

// prepare blanks front matter and shortcodes, keeping every offset and line
// break, so goldmark never sees them and positions stay those of the file.
// The line starts it needed for the shortcodes' positions come back too
// (nil when it needed none).
func prepare(src []byte) ([]byte, []Shortcode, []int) {
	fm := FrontMatterEnd(src)
	if fm == 0 && !bytes.Contains(src, []byte("{{")) {
		return src, nil, nil
	}
	out := bytes.Clone(src)
	blank(out[:fm])
	var scs []Shortcode
	var starts []int
	for i := fm; ; {
		j := bytes.Index(out[i:], []byte("{{"))
		if j < 0 || i+j+2 >= len(out) {
			break
		}
		s := i + j
		var closer []byte
		switch out[s+2] {
		case '<':
			closer = []byte(">}}")
		case '%':
			closer = []byte("%}}")
		default:
			i = s + 2
			continue
		}
		k := bytes.Index(out[s+3:], closer)
		if k < 0 {
			break
		}
		e := s + 3 + k + len(closer)
		if sc, ok := parseShortcode(string(src[s+3:s+3+k]), s); ok {
			if starts == nil {
				starts = lineStarts(src)
			}
			sc.Line, sc.Col = position(src, starts, s)
			scs = append(scs, sc)
		}
		alone := onlySpaceBefore(out, s) && onlySpaceAfter(out, e)
		blank(out[s:e])
		if !alone {
			out[s] = ShortcodeMark
		}
		i = e
	}
	return out, scs, starts
}

func parseShortcode(inner string, off int) (Shortcode, bool) {
	inner = strings.TrimSpace(inner)
	if inner == "" || strings.HasPrefix(inner, "/") || strings.HasPrefix(inner, "/*") {
		return Shortcode{}, false // a closing tag or a comment
	}
	name, rest, _ := strings.Cut(inner, " ")
	sc := Shortcode{Name: name, Params: map[string]string{}, Offset: off}
	pos := 0
	for _, m := range paramRe.FindAllStringSubmatch(rest, -1) {
		switch {
		case m[1] != "":
			sc.Params[m[1]] = unquote(m[2] + m[3] + m[4])
		default:
			sc.Params[string(rune('0'+pos))] = unquote(m[5] + m[6])
			pos++
		}
	}
	return sc, true
}

func unquote(s string) string { return strings.ReplaceAll(s, `\"`, `"`) }

func blank(b []byte) {
	for i, c := range b {
		if c != '\n' && c != '\r' {
			b[i] = ' '
		}
	}
}

func onlySpaceBefore(b []byte, i int) bool {
	for i--; i >= 0 && b[i] != '\n'; i-- {
		if b[i] != ' ' && b[i] != '\t' {
			return false
		}
	}
	return true
}

func onlySpaceAfter(b []byte, i int) bool {
	for ; i < len(b) && b[i] != '\n' && b[i] != '\r'; i++ {
		if b[i] != ' ' && b[i] != '\t' {
			return false
		}
	}
	return true
}

// FrontMatterEnd returns the offset after YAML (---) or TOML (+++) front
// matter, or 0.
func FrontMatterEnd(src []byte) int {
	start := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	var delim []byte
	switch {
	case bytes.HasPrefix(src[start:], []byte("---")):
		delim = []byte("---")
	case bytes.HasPrefix(src[start:], []byte("+++")):
		delim = []byte("+++")
	default:
		return 0
	}
	line := src[start:]
	nl := bytes.IndexByte(line, '\n')
	if nl < 0 || len(bytes.TrimSpace(line[:nl])) != 3 {
		return 0
	}
	for i := start + nl + 1; i < len(src); {
		e := bytes.IndexByte(src[i:], '\n')
		end := len(src)
		if e >= 0 {
			end = i + e
		}
		l := bytes.TrimRight(src[i:end], " \t\r")
		if bytes.Equal(l, delim) || (delim[0] == '-' && bytes.Equal(l, []byte("..."))) {
			if end < len(src) {
				return end + 1
			}
			return end
		}
		i = end + 1
	}
	return 0
}
