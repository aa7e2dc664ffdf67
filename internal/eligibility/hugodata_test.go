package eligibility

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"budgetsite/internal/eligibility/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The compact rules the page hands to the wasm, as a golden file: a change
// to the rule set shows up in review as a small diff here.
func TestCompactGolden(t *testing.T) {
	got := load(t).Graph.Compact()
	golden := filepath.Join("testdata", "regeln.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("Compact() differs from %s (go test -update to accept):\n%s", golden, got)
	}
}

func TestHugoDataPages(t *testing.T) {
	rs := load(t)
	js, err := HugoData(rs)
	if err != nil {
		t.Fatal(err)
	}
	var d Data
	if err := json.Unmarshal(js, &d); err != nil {
		t.Fatal(err)
	}
	t.Logf("HugoData: %d bytes", len(js))
	if d.Version != rs.Version || d.Regeln == "" {
		t.Errorf("version %q, rules %d bytes", d.Version, len(d.Regeln))
	}
	for name, v := range map[string]VariantOut{"de": d.DE, "ls": d.LS} {
		pages := map[string]bool{Href(nil): true}
		for _, p := range v.Seiten {
			pages[Href(strings.Split(p.Pfad, "/"))] = true
		}
		if len(v.Seiten) != len(rs.Prefixes()) {
			t.Errorf("%s: %d pages, want %d", name, len(v.Seiten), len(rs.Prefixes()))
		}
		link := func(where, href string) {
			if h, _, _ := strings.Cut(href, "#"); !pages[h] {
				t.Errorf("%s %s: link to %q, which is no page", name, where, href)
			}
		}
		for _, p := range append([]PageOut{v.Start}, v.Seiten...) {
			if p.Titel == "" {
				t.Errorf("%s /%s: no title", name, p.Pfad)
			}
			if p.Pfad != "" {
				link(p.Pfad, p.Zurueck)
			}
			for _, b := range p.Bisher {
				link(p.Pfad, b.Aendern)
			}
			switch p.Art {
			case "frage":
				if p.Frage == nil || len(p.Frage.Antworten) != 3 {
					t.Fatalf("%s /%s: question without three answers", name, p.Pfad)
				}
				for _, a := range p.Frage.Antworten {
					link(p.Pfad, a.Href)
				}
			case "ergebnis":
				if p.Ergebnis == nil || !slices.Contains(rules.Outcomes[:], p.Ergebnis.Art) {
					t.Fatalf("%s /%s: result without a valid outcome", name, p.Pfad)
				}
				if p.Ergebnis.Art == rules.AndereStelle && len(p.Ergebnis.Stelle) == 0 {
					t.Errorf("%s /%s: andere-stelle without naming the office", name, p.Pfad)
				}
			default:
				t.Errorf("%s /%s: kind %q", name, p.Pfad, p.Art)
			}
		}
		if v.Start.Art != "frage" || v.Start.Frage.ID != rs.Graph.Start {
			t.Errorf("%s: the start page does not ask the first question", name)
		}
		if len(v.Texte) != len(RequiredTexts) {
			t.Errorf("%s: %d texts, want %d", name, len(v.Texte), len(RequiredTexts))
		}
	}
}

func TestBlocks(t *testing.T) {
	tests := []struct {
		in, variant string
		want        []Block
	}{
		{"Ein Satz. Noch einer.\nZweiter Absatz.", "de", []Block{{Zeilen: []string{"Ein Satz. Noch einer."}}, {Zeilen: []string{"Zweiter Absatz."}}}},
		{"Satz eins.\nSatz zwei.", "ls", []Block{{Zeilen: []string{"Satz eins.", "Satz zwei."}}}},
		{"Vorher.\n- a\n- b\nNachher.", "ls", []Block{{Zeilen: []string{"Vorher."}}, {Liste: []string{"a", "b"}}, {Zeilen: []string{"Nachher."}}}},
		{"Eins.\n\nZwei.", "ls", []Block{{Zeilen: []string{"Eins."}}, {Zeilen: []string{"Zwei."}}}},
		{"", "de", nil},
	}
	for _, tc := range tests {
		if got := Blocks(tc.in, tc.variant); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Blocks(%q, %s) = %#v, want %#v", tc.in, tc.variant, got, tc.want)
		}
	}
}

// Every result page of both variants says only what fits its outcome: where
// another office is probably responsible, nothing on the page sends the
// reader to the carrier of this self-check, names it as the one who checks
// income or decides, or lists its contacts.
func TestResultPagesFitTheirOutcome(t *testing.T) {
	rs := load(t)
	d, err := PageData(rs)
	if err != nil {
		t.Fatal(err)
	}
	text := func(bs []Block) string {
		var b strings.Builder
		for _, x := range bs {
			b.WriteString(strings.Join(x.Zeilen, "\n") + "\n" + strings.Join(x.Liste, "\n") + "\n")
		}
		return b.String()
	}
	for name, v := range map[string]VariantOut{"de": d.DE, "ls": d.LS} {
		for _, p := range v.Seiten {
			r := p.Ergebnis
			if r == nil {
				continue
			}
			if len(r.Hinweise) == 0 || len(r.Schritte) == 0 {
				t.Errorf("%s %s (%s): notes or next steps missing", name, p.Pfad, r.ID)
			}
			if r.Art != rules.AndereStelle {
				continue
			}
			if r.Kontakte || r.Antrag || len(p.Kontakt) > 0 {
				t.Errorf("%s %s (%s): another office is responsible, but the page lists the carrier's contacts or its application", name, p.Pfad, r.ID)
			}
			for what, s := range map[string]string{"hinweise": text(r.Hinweise), "schritte": text(r.Schritte)} {
				if strings.Contains(s, rs.Traeger) {
					t.Errorf("%s %s (%s): %s name %q: %q", name, p.Pfad, r.ID, what, rs.Traeger, s)
				}
			}
			for _, k := range ResultTexts {
				if strings.Contains(v.Texte[strings.ReplaceAll(k, "-", "_")].Text, rs.Traeger) {
					t.Errorf("%s: page text %q, shown on every result, names %q", name, k, rs.Traeger)
				}
			}
		}
	}
}
