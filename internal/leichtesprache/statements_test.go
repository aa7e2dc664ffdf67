package leichtesprache

import "testing"

// The cues the statement model weighs, on one sentence each.
func TestStatementCues(t *testing.T) {
	names := map[int]string{cuePrepositions: "Präpositionen", cueNounPrep: "Nomen+Präposition", cueContent: "Inhaltswörter",
		cueColonClause: "Satz nach Doppelpunkt", cueExample: "Zum Beispiel", cueThatIs: "das heißt", cueNoVerb: "ohne Verb", cueCoordination: "Reihungen"}
	cases := []struct {
		text string
		want map[int]float64 // cues not named are not checked
	}{
		// A noun right before a preposition: an attribute of the noun.
		{"Das ist die Adresse von unserem Büro.", map[int]float64{cueNounPrep: 1, cuePrepositions: 0}},
		{"Der Antrag auf ein Budget kostet nichts.", map[int]float64{cueNounPrep: 1, cuePrepositions: 1}},
		{"Das Haus steht in der Stadt.", map[int]float64{cueNounPrep: 0, cuePrepositions: 1}},
		{"Sie kaufen Brot zum Beispiel beim Bäcker.", map[int]float64{cueNounPrep: 0, cuePrepositions: 1}},
		// "als" before a noun is a role like an adverbial; after an
		// adjective it compares.
		{"Er arbeitet als Koch in einem Hotel.", map[int]float64{cuePrepositions: 2}},
		{"Als Kind hat sie viel gelesen.", map[int]float64{cuePrepositions: 1}},
		{"Berlin ist größer als Bonn.", map[int]float64{cuePrepositions: 0}},
		// Small-letter content words: adjectives, adverbs, full verbs;
		// filler words, quantifiers and auxiliaries are none.
		{"Die Gruppe kocht gemeinsam frisches Essen.", map[int]float64{cueContent: 3}},
		{"Sie haben sehr oft viele Fragen.", map[int]float64{cueContent: 0}},
		// A clause after a colon, but no list and no single word.
		{"Die Regel lautet: Jeder zahlt selbst.", map[int]float64{cueColonClause: 1}},
		{"Dazu brauchen Sie: • einen Ausweis", map[int]float64{cueColonClause: 0}},
		{"Das Fest heißt: Sommerfest.", map[int]float64{cueColonClause: 0}},
		// Openers StaGE counts as no statement of their own.
		{"Zum Beispiel: Miete.", map[int]float64{cueExample: 1, cueNoVerb: 1}},
		{"Sie zahlen zum Beispiel die Miete.", map[int]float64{cueExample: 0}},
		{"Das heißt: Sie bestimmen selbst.", map[int]float64{cueThatIs: 1, cueColonClause: 1}},
		{"Manche sagen, das Spiel ist gefährlich.", map[int]float64{cueThatIs: 1}},
		// Parts joined by und/oder are a statement each, but "zwischen A
		// und B" names one relation.
		{"Es werden Versuche und Experimente gemacht.", map[int]float64{cueCoordination: 1}},
		{"Der Streit ist zwischen dem Land Nord-Korea und dem Land Süd-Korea.", map[int]float64{cueCoordination: 0}},
	}
	for _, c := range cases {
		d := newTextDoc(c.text)
		if len(d.sents) != 1 {
			t.Fatalf("%q: %d sentences", c.text, len(d.sents))
		}
		got, _ := d.sentenceCues(d.sents[0])
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%q: %s = %v, want %v", c.text, names[k], got[k], v)
			}
		}
	}
}

// Statement counts with the shipped weights: clear cases only (the model
// weighs the cues; borderline sentences go either way after a refit).
func TestStatementCounts(t *testing.T) {
	w := loadWeights(t)
	cases := []struct {
		text string
		min  int
		max  int
	}{
		{"Sie bekommen Geld.", 1, 1},
		{"Das ist ein Antrag.", 1, 1},
		{"Zum Beispiel: Miete.", 0, 0},
		{"Im Bezirk Schwaben.", 0, 0},
		{"Das heißt: Sie bekommen Geld.", 1, 1},
		{"Wenn Sie Fragen haben, rufen Sie die Beratung im Bezirk an.", 2, 3},
		{"Sie kaufen Brot, Milch und Käse und bezahlen an der Kasse.", 2, 4},
		{"Der Vorschlag wurde im Jahr 2020 nach einer langen Debatte im Bundestag ohne Gegenstimmen angenommen.", 2, 3},
		{"Er arbeitet als Koch in einem großen Hotel in der Stadt.", 2, 3},
	}
	for _, c := range cases {
		d := newTextDoc(c.text)
		cu, _ := d.sentenceCues(d.sents[0])
		if n := w.Statements.count(&cu); n < c.min || n > c.max {
			t.Errorf("%q: %d statements (log-odds %.2f, cut %.2f), want %d to %d", c.text, n, w.Statements.logit(&cu), w.Statements.Threshold, c.min, c.max)
		}
	}
}
