package rules

import (
	"slices"
	"strings"
	"testing"
)

const tiny = `v 2;
s a;
k x y;
q a b+x r1 r2;
q b r1+y r1 r1;
r r1 moeglich 1;
r r2 andere-stelle 0 r3 a;
r r3 unklar 1;
`

func TestParseAndWalk(t *testing.T) {
	g, err := Parse(tiny)
	if err != nil {
		t.Fatal(err)
	}
	if g.Compact() != tiny {
		t.Errorf("round trip:\n%s", g.Compact())
	}
	// A minifier may fold the line breaks of an attribute value.
	if h, err := Parse(strings.ReplaceAll(tiny, "\n", " ")); err != nil || h.Compact() != tiny {
		t.Errorf("folded text: %v", err)
	}
	tests := []struct {
		answers []string
		next    string
		result  string
		kontakt []string
	}{
		{nil, "a", "", nil},
		{[]string{Ja}, "b", "", nil},
		{[]string{Ja, Ja}, "", "r1", []string{"x", "y"}},
		{[]string{Ja, Nein}, "", "r1", []string{"x"}},
		{[]string{Nein}, "", "r1", []string{"x", "y"}}, // nothing chosen: all groups
		{[]string{WeissNicht}, "", "r3", []string{"x", "y"}},
	}
	for _, tc := range tests {
		w, err := g.Walk(tc.answers)
		if err != nil {
			t.Fatalf("%v: %v", tc.answers, err)
		}
		got := ""
		if w.Result != nil {
			got = w.Result.ID
		}
		if w.Next != tc.next || got != tc.result || !slices.Equal(w.Kontakt, tc.kontakt) {
			t.Errorf("%v: next %q result %q kontakt %v, want %q %q %v", tc.answers, w.Next, got, w.Kontakt, tc.next, tc.result, tc.kontakt)
		}
	}
	if n := len(g.Paths()); n != 5 {
		t.Errorf("%d paths, want 5", n)
	}
}

func TestParseRejectsBrokenText(t *testing.T) {
	for _, s := range []string{"", "s a;q a b;", "s a;r x y;", "s a;z;"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func TestWalkGuardsAgainstCycles(t *testing.T) {
	g, _ := Parse("s a; q a a a a")
	if _, err := g.Walk([]string{Ja, Ja, Ja, Ja}); err == nil {
		t.Error("a cycle walked without error")
	}
}
