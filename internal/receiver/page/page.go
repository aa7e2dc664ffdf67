// Package page turns the site's built static pages into the receiver's answers: the
// form page again with GOV.UK's error pattern and every typed value put back, and the
// thank-you page with the request number. Working on the built page keeps one design:
// the receiver has no templates of its own.
package page

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"budgetsite/internal/forms"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"budgetsite/internal/htmlnode"
)

// Texts are what the receiver adds to the built pages, in the page's variant (the
// site's i18n texts, see internal/receiver/bundle).
type Texts struct {
	Summary     string // the error summary's heading
	ErrorPrefix string // "Fehler:" before the <title> and each message
	Number      string // "Ihre Anfrage-Nummer:" where the page has no place for it
}

// Error is one line of the error summary. Field is nil for a problem of the whole form
// (for example "too many requests"), which gets no link.
type Error struct {
	Field   *forms.Field
	Message string
}

type doc struct {
	root  *html.Node
	ids   map[string]*html.Node
	title *html.Node
	main  *html.Node
	h1    *html.Node
}

func parse(src []byte) (*doc, error) {
	root, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	d := &doc{root: root, ids: map[string]*html.Node{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := htmlnode.Attr(n, "id"); id != "" {
				if _, dup := d.ids[id]; !dup {
					d.ids[id] = n
				}
			}
			switch n.DataAtom {
			case atom.Title:
				if d.title == nil {
					d.title = n
				}
			case atom.Main:
				if d.main == nil {
					d.main = n
				}
			case atom.H1:
				if d.h1 == nil {
					d.h1 = n
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if d.main == nil {
		return nil, fmt.Errorf("page: no <main> element")
	}
	return d, nil
}

// ErrorPage writes the form page src again: "Fehler: " in the title, the error summary
// at the top of <main> (focused on load through autofocus, no script), each message
// at its field, and the submitted values in. It returns the ids of fields the page
// lacks, so the caller can log that page and definitions disagree.
func ErrorPage(w io.Writer, src []byte, form *forms.Form, t Texts, errs []Error, values url.Values) (missing []string, err error) {
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	if d.title != nil {
		old := textOf(d.title)
		if !strings.HasPrefix(old, t.ErrorPrefix) {
			setText(d.title, t.ErrorPrefix+" "+old)
		}
	}
	for _, fd := range form.Fields() {
		missing = append(missing, d.refill(fd, values[fd.Name])...)
	}
	for _, e := range errs {
		if e.Field != nil {
			d.markField(e.Field, e.Message, t)
		}
	}
	d.main.InsertBefore(summary(errs, t), d.main.FirstChild)
	return missing, html.Render(w, d.root)
}

// ThanksPage writes the thank-you page src with the request number put into the
// element with id "anfrage-nummer", or into a new paragraph after the <h1>.
func ThanksPage(w io.Writer, src []byte, nummer string, t Texts) error {
	d, err := parse(src)
	if err != nil {
		return err
	}
	if nummer != "" {
		if el := d.ids["anfrage-nummer"]; el != nil {
			setText(el, nummer)
			for n := el; n != nil && n != d.main; n = n.Parent {
				removeAttr(n, "hidden")
			}
		} else {
			p := htmlnode.Elem(atom.P, "class", "anfrage-nummer")
			p.AppendChild(htmlnode.Text(t.Number + " "))
			strong := htmlnode.Elem(atom.Strong)
			strong.AppendChild(htmlnode.Text(nummer))
			p.AppendChild(strong)
			if d.h1 != nil && d.h1.Parent != nil {
				d.h1.Parent.InsertBefore(p, d.h1.NextSibling)
			} else {
				d.main.InsertBefore(p, d.main.FirstChild)
			}
		}
	}
	return html.Render(w, d.root)
}

func summary(errs []Error, t Texts) *html.Node {
	box := htmlnode.Elem(atom.Div, "class", "fehlerzusammenfassung", "tabindex", "-1", "autofocus", "",
		"aria-labelledby", "fehlerzusammenfassung-titel")
	alert := htmlnode.Elem(atom.Div, "role", "alert")
	h := htmlnode.Elem(atom.H2, "id", "fehlerzusammenfassung-titel", "class", "fehlerzusammenfassung-titel")
	h.AppendChild(htmlnode.Text(t.Summary))
	ul := htmlnode.Elem(atom.Ul, "class", "fehlerzusammenfassung-liste")
	for _, e := range errs {
		li := htmlnode.Elem(atom.Li)
		if e.Field != nil {
			a := htmlnode.Elem(atom.A, "href", "#"+e.Field.Anchor())
			a.AppendChild(htmlnode.Text(e.Message))
			li.AppendChild(a)
		} else {
			li.AppendChild(htmlnode.Text(e.Message))
		}
		ul.AppendChild(li)
	}
	alert.AppendChild(h)
	alert.AppendChild(ul)
	box.AppendChild(alert)
	return box
}

// refill puts the submitted values back; it returns ids it could not find.
func (d *doc) refill(fd *forms.Field, vals []string) (missing []string) {
	switch fd.Typ {
	case forms.TypRadio, forms.TypCheckboxes:
		for _, o := range fd.Optionen {
			el := d.ids[fd.OptionID(o.Wert)]
			if el == nil {
				missing = append(missing, fd.OptionID(o.Wert))
				continue
			}
			setBool(el, "checked", slices.Contains(vals, o.Wert))
		}
		return missing
	}
	el := d.ids[fd.ID()]
	if el == nil {
		return []string{fd.ID()}
	}
	if fd.Typ == forms.TypCheckbox {
		setBool(el, "checked", slices.Contains(vals, forms.CheckboxValue) || slices.Contains(vals, "on"))
		return nil
	}
	val := ""
	if len(vals) > 0 {
		val = forms.Printable(vals[0], fd.Multiline())
	}
	if el.DataAtom == atom.Textarea {
		setText(el, val)
	} else {
		setAttr(el, "value", val)
	}
	return nil
}

// markField adds the message at the field and links it to the control.
func (d *doc) markField(fd *forms.Field, msg string, t Texts) {
	msgID := "fehler-" + fd.Name
	p := htmlnode.Elem(atom.P, "class", "fehlermeldung", "id", msgID)
	span := htmlnode.Elem(atom.Span, "class", "visuell-versteckt")
	span.AppendChild(htmlnode.Text(t.ErrorPrefix))
	p.AppendChild(span)
	p.AppendChild(htmlnode.Text(" " + msg))

	if fd.HasOptions() {
		var inputs []*html.Node
		for _, o := range fd.Optionen {
			if el := d.ids[fd.OptionID(o.Wert)]; el != nil {
				inputs = append(inputs, el)
				setAttr(el, "aria-invalid", "true")
			}
		}
		if fs := d.ids[fd.ID()]; fs != nil {
			addToken(fs, "aria-describedby", msgID)
			addToken(fs, "class", "feld-fehler")
			after := firstChild(fs, atom.Legend)
			if h := d.ids["hilfe-"+fd.Name]; h != nil && h.Parent == fs {
				after = h
			}
			if after != nil {
				fs.InsertBefore(p, after.NextSibling)
			} else {
				fs.InsertBefore(p, fs.FirstChild)
			}
		} else if len(inputs) > 0 {
			for _, in := range inputs {
				addToken(in, "aria-describedby", msgID)
			}
			insertBeforeControl(inputs[0], p)
		}
		return
	}
	el := d.ids[fd.ID()]
	if el == nil {
		return
	}
	addToken(el, "aria-describedby", msgID)
	addToken(el, "class", "feld-fehler")
	setAttr(el, "aria-invalid", "true")
	insertBeforeControl(el, p)
}

// insertBeforeControl puts the message right before the control, or before the <label>
// that wraps it (a <p> inside a <label> would be invalid HTML).
func insertBeforeControl(el, p *html.Node) {
	at := el
	for n := el.Parent; n != nil; n = n.Parent {
		if n.DataAtom == atom.Label {
			at = n
			break
		}
		if n.DataAtom == atom.Form || n.DataAtom == atom.Fieldset || n.DataAtom == atom.Main {
			break
		}
	}
	if at.Parent != nil {
		at.Parent.InsertBefore(p, at)
	}
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func removeAttr(n *html.Node, key string) {
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func setBool(n *html.Node, key string, on bool) {
	removeAttr(n, key)
	if on {
		n.Attr = append(n.Attr, html.Attribute{Key: key})
	}
}

func addToken(n *html.Node, key, tok string) {
	toks := strings.Fields(htmlnode.Attr(n, key))
	if !slices.Contains(toks, tok) {
		toks = append(toks, tok)
	}
	setAttr(n, key, strings.Join(toks, " "))
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func setText(n *html.Node, s string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		c = next
	}
	n.AppendChild(htmlnode.Text(s))
}

func firstChild(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
	}
	return nil
}
