package eligibility

import (
	"strings"
	"testing"

	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/report"
)

// TestLeichteSpracheTexte runs the project's Leichte Sprache checker over
// every ls text of the rule set (the build's lint step sees only Markdown).
// Its Fehler must be fixed in data/selbstcheck.yaml.
func TestLeichteSpracheTexte(t *testing.T) {
	rs := load(t)
	var texts []string
	for _, q := range rs.Questions {
		texts = append(texts, q.Frage.LS, q.Hilfe.LS)
	}
	for _, r := range rs.Results {
		texts = append(texts, r.Titel.LS, r.Grund.LS, r.Stelle.LS, r.Schritte.LS)
	}
	for _, a := range rs.Arten {
		texts = append(texts, a.Kurz.LS, a.Schritte.LS, a.Hinweise.LS)
	}
	for _, x := range rs.Texte {
		texts = append(texts, x.LS)
	}
	cfg := &leichtesprache.Config{AcceptedWords: map[string]bool{}, KnownAbbreviations: map[string]string{}}
	for _, s := range texts {
		// A list must start its own Markdown block.
		s = strings.ReplaceAll(s, "\n- ", "\n\n- ")
		for _, p := range leichtesprache.Check("x", []byte(s+"\n"), leichtesprache.Leicht, cfg) {
			if p.Severity == report.Fehler {
				lines := strings.Split(s, "\n")
				l := ""
				if p.Line-1 < len(lines) && p.Line > 0 {
					l = lines[p.Line-1]
				}
				t.Errorf("%s: %q", p.Message, l)
			}
		}
	}
}
