package leichtesprache

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// token is a run of non-space characters. Its core (ws:we) runs from the
// first to the last letter or digit; what stands around it is punctuation
// (lead and trail), e.g. „(Bürger·amt)." has core Bürger·amt.
type token struct {
	s, e, ws, we int
	unit         int32
	flags        uint16
}

const (
	fLetter        uint16 = 1 << iota // core has a letter
	fDigit                            // core has a digit
	fNeutral                          // code span or URL
	fUpperFirst                       // core starts with a capital letter
	fAllUpper                         // 2+ letters, all capitals
	fLowerFirst                       // core starts with a small letter
	fNewlineBefore                    // a line break stands before it
	fParaBefore                       // a blank line stands before it
	fAfterColon                       // the token before ends with ":"
)

func (t token) has(f uint16) bool { return t.flags&f != 0 }
func (t token) isWord() bool      { return t.ws < t.we }

// sentence is tokens [from, to) of one unit.
type sentence struct {
	from, to int
	unit     int32
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', shortcodeMark, 0xA0, 0x2007, 0x202F, 0x205F, 0x3000, 0x200B:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isCoreRune(r rune) bool {
	return isLetter(r) || r >= '0' && r <= '9' || r == neutralMark
}

func (d *doc) tokenize() {
	for ui, u := range d.units {
		nl := 0
		for i := u.start; i < u.end; {
			r, size := utf8.DecodeRune(d.buf[i:])
			if isSpace(r) {
				if r == '\n' {
					nl++
				}
				i += size
				continue
			}
			t := token{s: i, ws: -1, unit: int32(ui)}
			if nl > 0 {
				t.flags |= fNewlineBefore
			}
			if nl > 1 {
				t.flags |= fParaBefore
			}
			nl = 0
			for i < u.end {
				r, size = utf8.DecodeRune(d.buf[i:])
				if isSpace(r) {
					break
				}
				if isCoreRune(r) {
					if t.ws < 0 {
						t.ws = i
						switch {
						case unicode.IsUpper(r):
							t.flags |= fUpperFirst
						case unicode.IsLower(r):
							t.flags |= fLowerFirst
						}
					}
					t.we = i + size
					switch {
					case r == neutralMark:
						t.flags |= fNeutral
					case r >= '0' && r <= '9':
						t.flags |= fDigit
					default:
						t.flags |= fLetter
					}
				}
				i += size
			}
			t.e = i
			if t.ws < 0 {
				t.ws, t.we = t.e, t.e
			}
			if t.flags&fLetter != 0 && allUpper(d.buf[t.ws:t.we]) {
				t.flags |= fAllUpper
			}
			if n := len(d.toks); n > 0 && d.toks[n-1].unit == int32(ui) && bytes.HasSuffix(d.buf[d.toks[n-1].s:d.toks[n-1].e], []byte(":")) {
				t.flags |= fAfterColon
			}
			d.toks = append(d.toks, t)
		}
	}
}

// allUpper reports whether b has 2 or more letters and none is small.
func allUpper(b []byte) bool {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if isLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

func (d *doc) core(i int) []byte  { return d.buf[d.toks[i].ws:d.toks[i].we] }
func (d *doc) lower(i int) []byte { return d.low[d.toks[i].ws:d.toks[i].we] }
func (d *doc) lead(i int) []byte  { return d.buf[d.toks[i].s:d.toks[i].ws] }
func (d *doc) trail(i int) []byte { return d.buf[d.toks[i].we:d.toks[i].e] }

// sameUnitNext reports whether token i+1 exists in the same unit.
func (d *doc) sameUnitNext(i int) bool {
	return i+1 < len(d.toks) && d.toks[i+1].unit == d.toks[i].unit
}

// segment splits each unit into sentences: at . ! ? (not after
// abbreviations, initials or ordinal numbers like "22. Februar"), and in
// Markdown at each line end unless the line clearly goes on.
func (d *doc) segment() {
	from := 0
	for i := range d.toks {
		t := d.toks[i]
		if i > from && d.breakBefore(i) {
			d.sents = append(d.sents, sentence{from, i, d.toks[from].unit})
			from = i
		}
		if !d.sameUnitNext(i) || d.endsSentence(i) {
			d.sents = append(d.sents, sentence{from, i + 1, t.unit})
			from = i + 1
		}
	}
}

func (d *doc) breakBefore(i int) bool {
	t := d.toks[i]
	if d.toks[i-1].unit != t.unit {
		return true
	}
	u := d.units[t.unit]
	if u.plain || !u.lines {
		return t.has(fParaBefore)
	}
	if !t.has(fNewlineBefore) {
		return false
	}
	prev := i - 1
	if bytes.HasSuffix(d.trail(prev), []byte(",")) {
		return false
	}
	return !lineContinuers[string(d.lower(prev))]
}

func (d *doc) endsSentence(i int) bool {
	tr := d.trail(i)
	if d.toks[i].ws == d.toks[i].we {
		tr = d.buf[d.toks[i].s:d.toks[i].e]
	}
	if bytes.ContainsAny(tr, "!?") {
		return true
	}
	dot := bytes.IndexByte(tr, '.')
	if dot < 0 && !bytes.Contains(tr, []byte("…")) {
		return false
	}
	if !d.sameUnitNext(i) {
		return true
	}
	next := d.toks[i+1]
	if next.has(fLowerFirst) && !next.has(fNewlineBefore) {
		return false
	}
	if dot != 0 || d.toks[i].ws == d.toks[i].we {
		return true
	}
	// A dot right after the core: abbreviation, initial or ordinal number?
	lw := d.lower(i)
	if d.toks[i].flags&(fLetter|fDigit) == fDigit && bytes.IndexByte(lw, '.') < 0 && len(lw) <= 3 &&
		!next.has(fNewlineBefore) && next.has(fLetter) {
		return false // "22. Februar", "der 1. Tag"
	}
	if utf8.RuneCount(lw) == 1 && d.toks[i].has(fLetter) {
		return false // "z. B.", "A. Müller"
	}
	if a := string(lw); dottedAbbreviations[a] != "" {
		return (a == "usw" || a == "etc") && next.has(fUpperFirst)
	}
	if bytes.IndexByte(lw, '.') > 0 && isDottedAbbrev(lw) {
		return false
	}
	return true
}

// isDottedAbbrev matches z.b, i.d.r, u.a: groups of 1 to 3 letters joined by dots.
func isDottedAbbrev(lw []byte) bool {
	if bytes.HasPrefix(lw, []byte("www")) {
		return false
	}
	n := 0
	for len(lw) > 0 {
		r, size := utf8.DecodeRune(lw)
		lw = lw[size:]
		switch {
		case r == '.':
			if n == 0 {
				return false
			}
			n = 0
		case isLetter(r):
			n++
			if n > 3 {
				return false
			}
		default:
			return false
		}
	}
	return n > 0
}
