// Package htmlnode has the few helpers that build and read x/net/html nodes,
// for the receiver's pages (which it changes as a tree). The build's finish
// step works on a token stream instead (package finish).
package htmlnode

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Elem makes an element with attributes given as key, value pairs.
func Elem(a atom.Atom, kv ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String()}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: kv[i], Val: kv[i+1]})
	}
	return n
}

// Text makes a text node.
func Text(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

// Attr is the value of an attribute, "" when it is missing.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// HasAttr tells whether n has the attribute, also when it is empty
// (boolean attributes such as required).
func HasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
