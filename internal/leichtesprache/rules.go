package leichtesprache

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"budgetsite/internal/report"
)

// Rule ids, stable: editors and tools filter on them.
const (
	RuleSatzlaenge          = "satzlaenge"
	RuleEinSatzProZeile     = "ein-satz-pro-zeile"
	RuleMehrereAussagen     = "mehrere-aussagen"
	RuleLangesWort          = "langes-wort"
	RuleZahlwort            = "zahlwort"
	RuleGrosseZahl          = "grosse-zahl"
	RuleProzent             = "prozent"
	RuleDezimalzahl         = "dezimalzahl"
	RuleRoemischeZahl       = "roemische-zahl"
	RuleDatum               = "datum"
	RulePassiv              = "passiv"
	RuleKonjunktiv          = "konjunktiv"
	RuleGenitiv             = "genitiv"
	RuleVerneinung          = "verneinung"
	RuleAbkuerzung          = "abkuerzung"
	RuleSonderzeichen       = "sonderzeichen"
	RuleWeichesTrennzeichen = "weiches-trennzeichen"
	RuleMan                 = "man"
	RuleAufzaehlung         = "aufzaehlung-im-satz"
	RuleEinBegriff          = "ein-begriff"
	RulePraeteritum         = "praeteritum"
)

// Limits of the rules.
const (
	maxWordsHinweis  = 10 // Leichte Sprache: a Hinweis above
	maxWordsFehler   = 15 // Leichte Sprache: a Fehler above
	maxWordsStandard = 25 // Standard pages: a Hinweis above
	longWordLetters  = 12 // a word part this long needs a split
	maxListItems     = 3  // more items in one sentence should be a list
)

type checker struct {
	d         *doc
	p         Profile
	cfg       *Config
	file      string
	out       []report.Problem
	explained map[string]bool
}

func (c *checker) add(b int, sev report.Severity, rule, msg, sugg string) {
	line, col := c.d.position(b)
	c.out = append(c.out, report.Problem{
		File: c.file, Line: line, Col: col, Severity: sev, Rule: rule, Message: msg, Suggestion: sugg,
	})
}

func (c *checker) run() {
	d := c.d
	c.findExplained()
	for si, s := range d.sents {
		words := 0
		for i := s.from; i < s.to; i++ {
			if d.toks[i].isWord() {
				words++
			}
		}
		if words == 0 {
			continue
		}
		start := d.toks[s.from].s
		if c.p == Standard {
			if words > maxWordsStandard {
				c.add(start, report.Hinweis, RuleSatzlaenge,
					fmt.Sprintf("Der Satz hat %d Wörter. Besser sind höchstens %d.", words, maxWordsStandard),
					"Teilen Sie den Satz in kürzere Sätze.")
			}
			for i := s.from; i < s.to; i++ {
				c.capsAbbreviations(i)
			}
			continue
		}
		switch {
		case words > maxWordsFehler:
			c.add(start, report.Fehler, RuleSatzlaenge,
				fmt.Sprintf("Der Satz hat %d Wörter. In Leichter Sprache höchstens %d.", words, maxWordsFehler),
				"Teilen Sie den Satz in kürzere Sätze.")
		case words > maxWordsHinweis:
			c.add(start, report.Hinweis, RuleSatzlaenge,
				fmt.Sprintf("Der Satz hat %d Wörter. Besser sind höchstens %d.", words, maxWordsHinweis),
				"Teilen Sie den Satz in kürzere Sätze.")
		}
		if si > 0 && d.units[s.unit].lines {
			prev := d.sents[si-1]
			if prev.unit == s.unit && d.srcLine(d.toks[prev.to-1].s) == d.srcLine(start) {
				c.add(start, report.Fehler, RuleEinSatzProZeile,
					"In dieser Zeile beginnt ein 2. Satz.",
					"Schreiben Sie jeden Satz in eine neue Zeile.")
			}
		}
		c.statements(s)
		c.listInSentence(s)
		c.passive(s)
		c.genitive(s)
		c.characters(s)
		for i := s.from; i < s.to; i++ {
			c.word(s, i)
		}
	}
	if c.p == Leicht {
		c.synonyms()
	}
}

// sentenceStart reports whether token i opens its sentence or follows a colon,
// where a capital letter says nothing about nouns.
func (c *checker) sentenceStart(s sentence, i int) bool {
	return i == s.from || c.d.toks[i].has(fAfterColon)
}

func (c *checker) commaAfter(i int) bool {
	return bytes.ContainsAny(c.d.trail(i), ",;")
}

func quote(b []byte) string { return "„" + string(b) + "“" }

// statements finds a second statement in a sentence: a subordinate clause,
// two main clauses joined by a comma, entweder–oder, weder–noch.
func (c *checker) statements(s sentence) {
	d := c.d
	report1 := func(i int, msg string) {
		c.add(d.toks[i].ws, report.Fehler, RuleMehrereAussagen, msg, "Machen Sie aus dem Satz 2 Sätze.")
	}
	hasCommaFrom := func(i int) bool {
		for k := i; k < s.to-1; k++ {
			if c.commaAfter(k) {
				return true
			}
		}
		return false
	}
	var entweder, weder bool
	segment := 0 // how many commas stand before token i
	for i := s.from; i < s.to; i++ {
		t := d.toks[i]
		if i > s.from && c.commaAfter(i-1) {
			segment++
		}
		if !t.has(fLetter) {
			continue
		}
		lw := d.lower(i)
		w := string(lw)
		comma := i > s.from && c.commaAfter(i-1)
		switch {
		case comma && (subordinators[w] || commaOnlySubordinators[w]):
			report1(i, "Der Satz hat einen Neben·satz mit "+quote(d.core(i))+". Das sind 2 Aussagen.")
			return
		case !comma && c.sentenceStart(s, i) && subordinators[w] && hasCommaFrom(i):
			report1(i, "Der Satz hat einen Neben·satz mit "+quote(d.core(i))+". Das sind 2 Aussagen.")
			return
		case comma && clauseJoiners[w]:
			report1(i, "Komma und "+quote(d.core(i))+" verbinden 2 Sätze.")
			return
		case comma && relativePronouns[w] && c.d.clauseEndsWithVerb(s, i+1):
			report1(i, "Der Satz hat einen Neben·satz mit "+quote(d.core(i))+". Das sind 2 Aussagen.")
			return
		case comma && prepositions[w] && i+1 < s.to && relativePronouns[string(d.lower(i+1))] && c.d.clauseEndsWithVerb(s, i+2):
			report1(i, "Der Satz hat einen Neben·satz mit "+quote(d.buf[t.ws:d.toks[i+1].we])+". Das sind 2 Aussagen.")
			return
		case comma && personalPronouns[w] && i+1 < s.to && d.toks[i+1].has(fLowerFirst) && !clauseJoiners[string(d.lower(i+1))]:
			report1(i, "Nach dem Komma beginnt ein 2. Satz.")
			return
		case comma && t.has(fLowerFirst) && !prepositions[w] && !relativePronouns[w] && i+1 < s.to &&
			personalPronouns[string(d.lower(i+1))] && !c.commaAfter(i):
			report1(i, "Nach dem Komma beginnt ein 2. Satz.")
			return
		case segment > 0 && finiteVerbs[w] && i+1 < s.to && personalPronouns[string(d.lower(i+1))] && !c.commaAfter(i):
			// "…, in dieser Haltung wurde er …": a verb before its subject
			// after a comma starts another main clause.
			report1(i, "Nach dem Komma beginnt ein 2. Satz.")
			return
		case w == "entweder":
			entweder = true
		case w == "weder":
			weder = true
		case w == "oder" && entweder:
			report1(i, "„entweder … oder“ verbindet 2 Aussagen.")
			return
		case w == "noch" && weder:
			report1(i, "„weder … noch“ verbindet 2 Aussagen.")
			return
		}
	}
	// Clauses without a comma, coordinated main clauses and insertions.
	_, clauses := d.sentenceCues(s)
	for _, cl := range clauses {
		i := cl.tok
		switch cl.kind {
		case cueSubordinate, cueRelative:
			report1(i, "Der Satz hat einen Neben·satz mit "+quote(d.core(i))+". Das sind 2 Aussagen.")
		case cueInfinitive:
			// "um … zu", or "zu" + infinitive in a clause of its own after a
			// comma; "Das ist schwer zu lesen." is one statement.
			w := "„" + string(d.core(i)) + " … zu“"
			if string(d.lower(i)) == "zu" {
				if !c.infinitiveClauseAfterComma(s, i) {
					continue
				}
				w = quote(d.core(i))
			}
			report1(i, "Der Satz hat einen Neben·satz mit "+w+". Das sind 2 Aussagen.")
		case cueCoordClause:
			report1(i, quote(d.core(i))+" verbindet 2 Sätze.")
		case cueApposition:
			report1(i, "Zwischen den Kommas steht eine 2. Aussage.")
		default:
			continue
		}
		return
	}
}

// listInSentence finds enumerations of more than 3 items in running text.
func (c *checker) listInSentence(s sentence) {
	d := c.d
	var commas []int
	for i := s.from; i < s.to-1; i++ {
		if bytes.IndexByte(d.trail(i), ',') >= 0 {
			commas = append(commas, i)
		}
	}
	if len(commas) < 2 {
		return
	}
	// The list starts after the last comma that opens a clause: in "Es ist
	// egal, ob Sie zuhause, alleine oder mit anderen wohnen." the main
	// clause before the first comma is no item; the items are zuhause,
	// alleine and mit anderen.
	items := len(commas) + 1
	for k := len(commas) - 1; k >= 0; k-- {
		if w := c.nextWordAfter(s, commas[k]); subordinators[w] || strictSubordinators[w] || commaOnlySubordinators[w] ||
			questionWords[w] || relativePronouns[w] && c.d.clauseEndsWithVerb(s, commas[k]+2) {
			commas = commas[k:]
			items = len(commas)
			break
		}
	}
	// Every item between two commas must be short, or these are clauses.
	for k := 0; k+1 < len(commas); k++ {
		n := 0
		for i := commas[k] + 1; i <= commas[k+1]; i++ {
			if d.toks[i].isWord() {
				n++
			}
		}
		if n > 4 {
			return
		}
	}
	lastWords := 0
	for i := commas[len(commas)-1] + 1; i < s.to; i++ {
		if !d.toks[i].isWord() {
			continue
		}
		lastWords++
		switch string(d.lower(i)) {
		case "und", "oder", "sowie":
			items++
		}
	}
	if lastWords > 6 || items <= maxListItems {
		return
	}
	c.add(d.toks[s.from].s, report.Fehler, RuleAufzaehlung,
		fmt.Sprintf("Der Satz zählt %d Dinge auf.", items),
		"Schreiben Sie eine Liste mit Punkten: jedes Ding in eine eigene Zeile.")
}

// infinitiveClauseAfterComma reports whether the clause of the "zu" at
// token i starts after a comma ("…, Geld zu bekommen").
func (c *checker) infinitiveClauseAfterComma(s sentence, i int) bool {
	for k := i - 1; k >= s.from; k-- {
		if c.commaAfter(k) {
			return true
		}
	}
	return false
}

// nextWordAfter returns the lower-case word after token i in s, or "".
func (c *checker) nextWordAfter(s sentence, i int) string {
	for k := i + 1; k < s.to; k++ {
		if c.d.toks[k].isWord() {
			return string(c.d.lower(k))
		}
	}
	return ""
}

// passive finds a form of "werden" and a past participle in the same clause.
func (c *checker) passive(s sentence) {
	d := c.d
	from := s.from
	for i := s.from; i < s.to; i++ {
		if i == s.to-1 || bytes.ContainsAny(d.trail(i), ",;:") || !d.toks[i].isWord() && d.toks[i].e-d.toks[i].s > 0 && bytes.ContainsAny(d.buf[d.toks[i].s:d.toks[i].e], "–—") {
			if c.passiveClause(from, i+1) {
				return
			}
			from = i + 1
		}
	}
}

func (c *checker) passiveClause(from, to int) bool {
	d := c.d
	werden, past := -1, false
	for i := from; i < to; i++ {
		w := d.lower(i)
		if presentWerden[string(w)] {
			werden = i
		} else if pastWerden[string(w)] {
			werden, past = i, true
		}
	}
	if werden < 0 {
		return false
	}
	for i := from; i < to; i++ {
		t := d.toks[i]
		if i == werden || !t.has(fLowerFirst) || t.has(fDigit) {
			continue
		}
		// The participle closes the clause (verb bracket) or stands right
		// before another verb or "und"; before a noun it is an adjective.
		next := -1
		for k := i + 1; k < to; k++ {
			if d.toks[k].isWord() {
				next = k
				break
			}
		}
		if next >= 0 {
			nw := d.lower(next)
			if !presentWerden[string(nw)] && !pastWerden[string(nw)] && !bracketFollowers[string(nw)] {
				continue
			}
		}
		if isParticiple(string(d.lower(i)), past) {
			c.add(d.toks[werden].ws, report.Fehler, RulePassiv,
				"Der Satz steht im Passiv: "+quote(d.core(werden))+" … "+quote(d.core(i))+".",
				"Schreiben Sie aktiv: Wer macht was? Zum Beispiel: Der Bezirk prüft den Antrag.")
			return true
		}
	}
	return false
}

var bracketFollowers = set("sein", "ist", "sind", "haben", "hat", "können", "kann", "müssen", "muss",
	"dürfen", "darf", "sollen", "soll", "wollen", "will", "und", "oder", "aber", "sowie")

// isParticiple recognises past participles: ge-forms (gemacht, ausgezahlt,
// angerufen), -iert, and inseparable verbs in -t (bezahlt, unterstützt).
// Inseparable forms in -en (erhalten, bekommen) look like infinitives, so
// they count only after a past form of "werden" (strict) or when listed.
func isParticiple(w string, past bool) bool {
	if utf8.RuneCountInString(w) < 5 || presentWerden[w] || pastWerden[w] || notParticiples[w] || geInfinitives[w] {
		return false
	}
	for _, r := range w {
		if !isLetter(r) {
			return false
		}
	}
	if strongParticiples[w] || strings.HasSuffix(w, "iert") {
		return true
	}
	if participleStem(w, past) {
		return true
	}
	for _, p := range separablePrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) >= 5 && !geInfinitives[rest] {
			if participleStem(rest, past) {
				return true
			}
		}
	}
	return false
}

func participleStem(w string, past bool) bool {
	if rest, ok := strings.CutPrefix(w, "ge"); ok && len(rest) >= 3 && !geInfinitives[w] {
		if strings.HasSuffix(rest, "t") || strings.HasSuffix(rest, "en") {
			return true
		}
	}
	for _, p := range inseparablePrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) >= 3 {
			if strings.HasSuffix(rest, "t") && !strings.HasSuffix(rest, "st") {
				return true
			}
			if past && strings.HasSuffix(rest, "en") {
				return true
			}
		}
	}
	return false
}

// genitive finds des/eines + noun, genitive prepositions, and (as a Hinweis)
// noun + der/einer + noun ("die Kosten der Assistenz").
func (c *checker) genitive(s sentence) {
	d := c.d
	for i := s.from; i < s.to-1; i++ {
		if !d.toks[i].has(fLetter) {
			continue
		}
		w := string(d.lower(i))
		capAhead := func(n int) int {
			for k := i + 1; k < s.to && k <= i+n; k++ {
				if d.toks[k].has(fUpperFirst) && d.toks[k].has(fLetter) {
					return k
				}
			}
			return -1
		}
		suggestion := "Schreiben Sie mit „von“: das Geld von dem Bezirk."
		switch {
		case genitivePrepositions[w] && genitiveArticles[string(d.lower(i+1))]:
			c.add(d.toks[i].ws, report.Fehler, RuleGenitiv,
				quote(d.buf[d.toks[i].ws:d.toks[i+1].we])+" ist ein Genitiv.",
				"Schreiben Sie den Satz anders, zum Beispiel mit „für“, „bei“ oder „weil“.")
			i++
		case w == "des" || w == "eines" && capAhead(2) >= 0:
			end := d.toks[i].we
			if k := capAhead(2); k >= 0 {
				end = d.toks[k].we
			}
			c.add(d.toks[i].ws, report.Fehler, RuleGenitiv,
				quote(d.buf[d.toks[i].ws:end])+" ist ein Genitiv.", suggestion)
		case (w == "der" || w == "einer") && i > s.from && !c.sentenceStart(s, i-1) &&
			d.toks[i-1].has(fUpperFirst) && d.toks[i-1].has(fLetter) && !d.toks[i-1].has(fAllUpper) &&
			!politePronouns[string(d.lower(i-1))] && len(d.trail(i-1)) == 0 && len(d.lead(i)) == 0:
			if k := capAhead(2); k >= 0 {
				c.add(d.toks[i-1].ws, report.Hinweis, RuleGenitiv,
					quote(d.buf[d.toks[i-1].ws:d.toks[k].we])+" ist vielleicht ein Genitiv.", suggestion)
			}
		}
	}
}

var politePronouns = set("sie", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "es")

// specialChars are the characters Leichte Sprache avoids, with what to write.
var specialChars = map[rune]string{
	'§':  "Schreiben Sie „Paragraf“.",
	'&':  "Schreiben Sie „und“.",
	';':  "Machen Sie einen Punkt und einen neuen Satz.",
	'/':  "Schreiben Sie „oder“ oder „und“.",
	'(':  "Schreiben Sie einen eigenen Satz statt der Klammer.",
	')':  "Schreiben Sie einen eigenen Satz statt der Klammer.",
	'*':  "Lassen Sie den Stern weg. Nennen Sie zum Beispiel Frauen und Männer.",
	'€':  "Schreiben Sie „Euro“.",
	'"':  "Lassen Sie die Anführungs·zeichen weg.",
	'„':  "Lassen Sie die Anführungs·zeichen weg.",
	'“':  "Lassen Sie die Anführungs·zeichen weg.",
	'”':  "Lassen Sie die Anführungs·zeichen weg.",
	'«':  "Lassen Sie die Anführungs·zeichen weg.",
	'»':  "Lassen Sie die Anführungs·zeichen weg.",
	'‹':  "Lassen Sie die Anführungs·zeichen weg.",
	'›':  "Lassen Sie die Anführungs·zeichen weg.",
	'‚':  "Lassen Sie die Anführungs·zeichen weg.",
	'‘':  "Lassen Sie die Anführungs·zeichen weg.",
	'’':  "Lassen Sie die Anführungs·zeichen weg.",
	'\'': "Lassen Sie die Anführungs·zeichen weg.",
}

// characters checks special characters, percent signs and soft hyphens.
func (c *checker) characters(s sentence) {
	d := c.d
	var seen [8]rune
	nseen := 0
	for i := s.from; i < s.to; i++ {
		t := d.toks[i]
		if t.has(fNeutral) || isURLish(d.buf[t.s:t.e]) {
			continue
		}
		numeric := t.has(fDigit) && !t.has(fLetter)
		for k := t.s; k < t.e; {
			r, size := utf8.DecodeRune(d.buf[k:])
			pos := k
			k += size
			switch r {
			case 0xAD:
				c.add(pos, report.Fehler, RuleWeichesTrennzeichen,
					"Im Wort "+quote(bytes.ReplaceAll(d.core(i), []byte("\u00ad"), nil))+" steht ein weiches Trenn·zeichen.",
					"Löschen Sie es. Trennen Sie lange Wörter nur mit - oder ·.")
				continue
			case '%':
				c.add(pos, report.Fehler, RuleProzent, "Prozent-Zahlen sind schwer zu verstehen.",
					"Schreiben Sie zum Beispiel „viele“, „wenige“ oder „die Hälfte“.")
				continue
			}
			if r < utf8.RuneSelf && (isLetter(r) || r >= '0' && r <= '9' || r == '.' || r == ',' || r == '-') {
				continue
			}
			sugg, ok := specialChars[r]
			if !ok {
				continue
			}
			if (r == '\'' || r == '’') && pos > t.ws && pos < t.we {
				continue // apostrophe inside a word: "geht’s"
			}
			if r == '/' && numeric {
				continue // telephone numbers: 0821/123
			}
			dup := false
			for _, x := range seen[:nseen] {
				dup = dup || x == r
			}
			if dup {
				continue
			}
			if nseen < len(seen) {
				seen[nseen] = r
				nseen++
			}
			c.add(pos, report.Fehler, RuleSonderzeichen,
				"Das Zeichen "+quoteChar(r)+" ist schwer zu verstehen.", sugg)
		}
	}
}

func quoteChar(r rune) string {
	switch r {
	case '"', '„', '“', '”', '«', '»', '‹', '›', '‚', '‘', '’', '\'':
		return string(r) + " (Anführungs·zeichen)"
	}
	return "„" + string(r) + "“"
}

func isURLish(b []byte) bool {
	return bytes.Contains(b, []byte("://")) || bytes.Contains(b, []byte("www.")) || bytes.IndexByte(b, '@') > 0
}

// word runs the rules on single words and numbers.
func (c *checker) word(s sentence, i int) {
	d := c.d
	t := d.toks[i]
	if !t.isWord() || t.has(fNeutral) || isURLish(d.buf[t.s:t.e]) {
		return
	}
	if t.has(fDigit) && !t.has(fLetter) {
		c.number(s, i)
		return
	}
	lw := d.lower(i)
	w := string(lw)
	switch {
	case w == "man":
		c.add(t.ws, report.Fehler, RuleMan, "Schreiben Sie nicht „man“.",
			"Sprechen Sie die Leser direkt an: „Sie können …“")
	case negations[w]:
		c.add(t.ws, report.Hinweis, RuleVerneinung, quote(d.core(i))+" ist eine Verneinung.",
			"Schreiben Sie positiv, wenn es geht.")
	case konjunktivForms[w] != "" && !(w == "sei" && c.sentenceStart(s, i)): // "Sei still!" is imperative
		c.add(t.ws, report.Fehler, RuleKonjunktiv,
			quote(d.core(i))+" ist Möglichkeits·form (Konjunktiv).",
			"Schreiben Sie direkt, zum Beispiel „"+konjunktivForms[w]+"“ statt „"+w+"“.")
	case numberWords[w] != "" && (!t.has(fUpperFirst) || c.sentenceStart(s, i)):
		c.add(t.ws, report.Fehler, RuleZahlwort, "Die Zahl "+quote(d.core(i))+" ist als Wort geschrieben.",
			"Schreiben Sie die Zahl mit Ziffern: "+numberWords[w]+".")
	case strings.HasPrefix(w, "prozent"):
		c.add(t.ws, report.Fehler, RuleProzent, "Prozent-Zahlen sind schwer zu verstehen.",
			"Schreiben Sie zum Beispiel „viele“, „wenige“ oder „die Hälfte“.")
	case c.d.preterite(s, i):
		c.add(t.ws, report.Hinweis, RulePraeteritum,
			quote(d.core(i))+" ist Präteritum. Leichte Sprache erzählt Vergangenes im Perfekt.",
			"Schreiben Sie zum Beispiel „hat gesagt“ statt „sagte“ oder „ist gekommen“ statt „kam“.")
	}
	if c.dottedAbbreviation(i) {
		return
	}
	if v := romanValue(d.core(i)); v > 0 && c.known(d.core(i)) == "" {
		c.add(t.ws, report.Fehler, RuleRoemischeZahl, quote(d.core(i))+" ist eine römische Zahl.",
			"Schreiben Sie die Zahl mit Ziffern: "+strconv.Itoa(v)+".")
		return
	}
	c.capsAbbreviations(i)
	c.longWord(i)
}

func (c *checker) known(b []byte) string {
	if c.cfg == nil || c.cfg.KnownAbbreviations == nil {
		return ""
	}
	if v, ok := c.cfg.KnownAbbreviations[string(b)]; ok {
		return v + " "
	}
	if n := len(b); n > 2 && b[n-1] == 's' {
		if v, ok := c.cfg.KnownAbbreviations[string(b[:n-1])]; ok {
			return v + " "
		}
	}
	return ""
}

// dottedAbbreviation reports z. B., usw., Nr. and the like.
func (c *checker) dottedAbbreviation(i int) bool {
	d := c.d
	t := d.toks[i]
	tr := d.trail(i)
	if len(tr) == 0 || tr[0] != '.' {
		return false
	}
	lw := d.lower(i)
	key := string(lw)
	end := t.we + 1
	switch {
	case dottedAbbreviations[key] != "":
		if lowerOnlyDotted[key] && t.has(fUpperFirst) {
			return false
		}
	case bytes.IndexByte(lw, '.') > 0 && isDottedAbbrev(lw):
	case utf8.RuneCount(lw) == 1 && d.sameUnitNext(i):
		// "z. B.": a single letter, then 1 or 2 letters with a dot.
		n := d.toks[i+1]
		nl := d.lower(i + 1)
		if !n.has(fLetter) || utf8.RuneCount(nl) > 2 || !bytes.HasPrefix(d.trail(i+1), []byte(".")) {
			return false
		}
		key = key + "." + string(nl)
		if dottedAbbreviations[key] == "" {
			return false
		}
		end = n.we + 1
	default:
		return false
	}
	sugg := "Schreiben Sie das Wort aus."
	if full := dottedAbbreviations[strings.ReplaceAll(key, " ", "")]; full != "" {
		sugg = "Schreiben Sie: " + full + "."
	}
	c.add(t.ws, report.Fehler, RuleAbkuerzung, quote(d.buf[t.ws:end])+" ist eine Abkürzung.", sugg)
	return true
}

// capsAbbreviations reports words like SGB or EUTB that are neither in the
// abbreviation data nor explained on the page.
func (c *checker) capsAbbreviations(i int) {
	d := c.d
	t := d.toks[i]
	if !t.has(fLetter) || t.has(fNeutral) || t.has(fDigit) || d.inName(i) {
		return
	}
	forEachPart(d.core(i), func(part []byte) {
		if !isCapsAbbrev(part) || c.known(part) != "" || c.explained[string(part)] || romanValue(part) > 0 {
			return
		}
		off := t.ws + bytes.Index(d.core(i), part)
		if c.p == Standard {
			c.add(off, report.Hinweis, RuleAbkuerzung, quote(part)+" ist eine Abkürzung, die nicht erklärt wird.",
				"Schreiben Sie beim 1. Mal das ganze Wort und dahinter die Abkürzung in Klammern. Oder nehmen Sie sie in die Abkürzungs-Liste auf.")
			return
		}
		c.add(off, report.Fehler, RuleAbkuerzung, quote(part)+" ist eine Abkürzung.",
			"Schreiben Sie das ganze Wort. Oder erklären Sie die Abkürzung: „"+string(part)+" ist die Abkürzung für …“")
	})
}

// forEachPart calls f for each part of a word split by - · or /.
func forEachPart(b []byte, f func([]byte)) {
	start := 0
	for k := 0; k < len(b); {
		r, size := utf8.DecodeRune(b[k:])
		if r == '-' || r == '·' || r == '/' || r == 0x2011 || r == 0x2027 || r == 0x2010 {
			if k > start {
				f(b[start:k])
			}
			start = k + size
		}
		k += size
	}
	if start < len(b) {
		f(b[start:])
	}
}

// isCapsAbbrev: 2 to 6 letters with 2 or more capitals (SGB, EUTB, GmbH,
// KoKoBe), or any all-capital word up to 6 letters.
func isCapsAbbrev(b []byte) bool {
	upper, letters := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if !isLetter(r) {
			return false
		}
		letters++
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2 && letters <= 6
}

// findExplained collects abbreviations the page explains itself:
// "Landschaftsverband Rheinland (LVR)", "LVR (Landschafts·verband …)",
// "LVR ist die Abkürzung für …", "EUTB bedeutet: …".
func (c *checker) findExplained() {
	d := c.d
	for _, s := range d.sents {
		explains := false
		for i := s.from; i < s.to; i++ {
			switch string(d.lower(i)) {
			case "abkürzung", "bedeutet", "heißt":
				explains = true
			case "steht":
				explains = explains || i+1 < s.to && string(d.lower(i+1)) == "für"
			}
		}
		for i := s.from; i < s.to; i++ {
			core := d.core(i)
			if !d.toks[i].has(fUpperFirst) || !isCapsAbbrev(core) {
				continue
			}
			if explains || bytes.Contains(d.lead(i), []byte("(")) && bytes.Contains(d.trail(i), []byte(")")) ||
				i+1 < s.to && bytes.HasPrefix(d.lead(i+1), []byte("(")) {
				if c.explained == nil {
					c.explained = map[string]bool{}
				}
				c.explained[string(core)] = true
			}
		}
	}
}

// longWord reports word parts of 14 or more letters without - or ·.
func (c *checker) longWord(i int) {
	d := c.d
	t := d.toks[i]
	if c.accepted(d.lower(i)) {
		return
	}
	core := d.core(i)
	lcore := d.lower(i)
	forEachPart(core, func(part []byte) {
		n := letterCount(part)
		if n < longWordLetters {
			return
		}
		off := bytes.Index(core, part)
		lpart := lcore[off : off+len(part)]
		if c.accepted(lpart) || isDerivation(string(lpart)) {
			return
		}
		c.add(t.ws+off, report.Fehler, RuleLangesWort,
			fmt.Sprintf("Das Wort %s hat %d Buchstaben.", quote(part), n),
			"Trennen Sie das Wort mit - oder ·, zum Beispiel: "+splitSuggestion(part, lpart)+".")
	})
}

// isDerivation reports whether a long word is prefixes + short stem +
// suffixes rather than a compound of 2 words. The inflection is tried cut
// and kept, because an ending can look like one ("Kommunikatio-n").
func isDerivation(w string) bool {
	return derivationStemOf(w, true) <= derivationStem || derivationStemOf(w, false) <= derivationStem
}

func derivationStemOf(w string, inflected bool) int {
	cut := func(list []string) bool {
		for _, s := range list {
			if rest, ok := strings.CutSuffix(w, s); ok && utf8.RuneCountInString(rest) >= 3 {
				w = rest
				return true
			}
		}
		return false
	}
	cut(feminineEndings)
	if inflected {
		cut(inflectionEndings)
	}
	for cut(derivationSuffixes) {
	}
	for range 2 {
		for _, p := range derivationPrefixes {
			if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 3 {
				w = rest
				break
			}
		}
	}
	return utf8.RuneCountInString(w)
}

func (c *checker) accepted(lw []byte) bool {
	return c.cfg != nil && c.cfg.AcceptedWords[string(lw)]
}

// splitSuggestion splits a compound before a known last part
// (Landschafts·verband); otherwise it shows the pattern with an example.
func splitSuggestion(part, lpart []byte) string {
	for _, p := range wordParts {
		if len(lpart) > len(p) && bytes.HasSuffix(lpart, []byte(p)) && utf8.RuneCount(lpart[:len(lpart)-len(p)]) >= 4 {
			cut := len(part) - len(p)
			return string(part[:cut]) + "·" + string(lpart[cut:])
		}
	}
	return "Bürger·amt"
}

// romanValue returns the value of a Roman numeral of 2 or more capital
// letters (II, IX, XII), or 0.
func romanValue(b []byte) int {
	if len(b) < 2 || len(b) > 8 {
		return 0
	}
	total, prev := 0, 0
	for k := len(b) - 1; k >= 0; k-- {
		v := romanDigits[b[k]]
		if v == 0 {
			return 0
		}
		if v < prev {
			total -= v
		} else {
			total += v
			prev = v
		}
	}
	// Only canonical numerals: rewriting the value must give the same text.
	if total <= 0 || total >= 400 || toRoman(total) != string(b) {
		return 0
	}
	return total
}

var romanDigits = [256]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
