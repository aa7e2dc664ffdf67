package finish

import (
	"bytes"

	"golang.org/x/net/html/atom"
)

// Stack follows the open elements of a token stream, as a browser's parser
// would for the pages a site generator writes: void elements are never
// open, an end tag closes the nearest open element of its name and those
// inside it, and the end tags HTML lets authors leave out (<p> before a
// block, <li> before <li>, …) are implied. It does not rebuild misnested
// markup; built pages do not have any.
//
// Stages keep their own Stack (each sees the stream at its own place in the
// chain) and keep their per-element state in Elem.Flags.
type Stack struct {
	els []Elem
}

// Elem is an open element.
type Elem struct {
	Atom    atom.Atom
	Name    []byte
	Foreign bool
	// Flags are for the stage that owns the Stack.
	Flags uint32
	// Index is for the stage that owns the Stack (e.g. into its own list).
	Index int
}

// Len is the number of open elements.
func (s *Stack) Len() int { return len(s.els) }

// At returns the i-th open element, 0 being the outermost.
func (s *Stack) At(i int) *Elem { return &s.els[i] }

// Top returns the innermost open element, or nil.
func (s *Stack) Top() *Elem {
	if len(s.els) == 0 {
		return nil
	}
	return &s.els[len(s.els)-1]
}

// Pop removes the innermost open element and returns it.
func (s *Stack) Pop() Elem {
	e := s.els[len(s.els)-1]
	s.els = s.els[:len(s.els)-1]
	return e
}

// Reset empties the stack for the next page.
func (s *Stack) Reset() { s.els = s.els[:0] }

// Closes returns how many open elements t closes: for an end tag the
// element it ends and all inside it (0 when none of that name is open), for
// a start tag the open elements whose end it implies. Pop them, then Push t.
func (s *Stack) Closes(t *Token) int {
	switch t.Kind {
	case EndTag:
		for i := len(s.els) - 1; i >= 0; i-- {
			if s.els[i].is(t) {
				return len(s.els) - i
			}
		}
		return 0
	case StartTag:
		if t.Foreign {
			return 0
		}
		n := 0
		if closesP(t.Atom) {
			if i := s.inScope(atom.P); i >= 0 {
				n = len(s.els) - i
			}
		}
		switch t.Atom {
		case atom.Li:
			for i := len(s.els) - 1; i >= 0; i-- {
				switch s.els[i].Atom {
				case atom.Li:
					return max(n, len(s.els)-i)
				case atom.Ul, atom.Ol, atom.Menu, atom.Table, atom.Html, atom.Template, atom.Main, atom.Body:
					return n
				}
			}
		case atom.Dt, atom.Dd:
			for i := len(s.els) - 1; i >= 0; i-- {
				switch s.els[i].Atom {
				case atom.Dt, atom.Dd:
					return max(n, len(s.els)-i)
				case atom.Dl, atom.Table, atom.Html, atom.Template, atom.Main, atom.Body:
					return n
				}
			}
		case atom.Option, atom.Optgroup:
			if top := s.Top(); top != nil && top.Atom == atom.Option {
				if t.Atom == atom.Optgroup && len(s.els) > 1 && s.els[len(s.els)-2].Atom == atom.Optgroup {
					return 2
				}
				return 1
			}
			if top := s.Top(); top != nil && top.Atom == atom.Optgroup && t.Atom == atom.Optgroup {
				return 1
			}
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if top := s.Top(); top != nil && isHeading(top.Atom) {
				return 1
			}
		}
		return n
	}
	return 0
}

// Push opens t's element unless t is an HTML void element; it returns the
// new element (nil when nothing was opened). A self-closing element inside
// SVG/MathML is opened too: its end tag follows at once.
func (s *Stack) Push(t *Token) *Elem {
	if t.Kind != StartTag || !t.Foreign && Void(t.Atom) {
		return nil
	}
	s.els = append(s.els, Elem{Atom: t.Atom, Name: t.Name, Foreign: t.Foreign})
	return &s.els[len(s.els)-1]
}

func (e *Elem) is(t *Token) bool {
	if e.Atom != 0 || t.Atom != 0 {
		return e.Atom == t.Atom && (!e.Foreign || bytes.EqualFold(e.Name, t.Name))
	}
	return bytes.EqualFold(e.Name, t.Name)
}

// inScope finds an open element a in button scope (the elements that stop
// a <p> from being closed from further inside).
func (s *Stack) inScope(a atom.Atom) int {
	for i := len(s.els) - 1; i >= 0; i-- {
		e := s.els[i].Atom
		if e == a && !s.els[i].Foreign {
			return i
		}
		switch e {
		case atom.Html, atom.Table, atom.Td, atom.Th, atom.Caption, atom.Template,
			atom.Button, atom.Object, atom.Marquee, atom.Applet:
			return -1
		}
	}
	return -1
}

// Void tells whether an HTML element never has content or an end tag.
func Void(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source,
		atom.Track, atom.Wbr:
		return true
	}
	return false
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// closesP: start tags that end an open <p>.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset,
		atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr,
		atom.Li, atom.Dd, atom.Dt, atom.Listing, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Search, atom.Section, atom.Summary, atom.Table, atom.Ul, atom.Xmp,
		atom.Plaintext:
		return true
	}
	return false
}
