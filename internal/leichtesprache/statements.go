package leichtesprache

import (
	"bytes"
	"strings"
)

// Statement cues: what a sentence shows of how many statements it carries
// (StaGE, DIN SPEC 33429: a statement is one piece of information; a
// clause, a coordinated part or an adverbial of time or place can each be
// one). The statement model weighs them; the rule mehrere-aussagen reports
// the clear clause cues.
const (
	cueWords        = iota // words
	cueCommas              // commas inside the sentence
	cueSubordinate         // subordinate clause (weil, dass, wenn …, indirect question)
	cueRelative            // relative clause, with or without a comma
	cueInfinitive          // um … zu, ohne … zu, zu + infinitive
	cueCoordClause         // und/oder/aber + a new clause
	cueApposition          // an inserted noun phrase between commas ("Maria, eine Ärztin, hilft.")
	cueCoordination        // und/oder/sowie joining other parts
	cuePrepositions        // prepositions (adverbials of time, place, purpose)
	cueVerbs               // words that look like verbs: auxiliaries, small words in -t, -en, -te
	cueNoVerb              // 1 when nothing looks like a verb: a heading or fragment
	cueNounPrep            // a noun right before a preposition: an attribute ("die Adresse von unserem Büro")
	cueContent             // small-letter content words: full verbs, adjectives, adverbs ("kocht gemeinsam frisches Essen")
	cueColonClause         // a clause with a verb after a colon ("Die Regel lautet: Jeder zahlt selbst.")
	cueExample             // the sentence opens with "Zum Beispiel": mostly an example without a statement of its own
	cueThatIs              // "das heißt", "manche sagen": StaGE counts these openers as no statement
	nCues
)

type cues [nCues]float64

// clauses counts the clause cues: each is a statement beside the main one.
func (c *cues) clauses() float64 {
	return c[cueSubordinate] + c[cueRelative] + c[cueInfinitive] + c[cueCoordClause] + c[cueApposition]
}

// clause says which clause cue a token opens, for the rule's message.
type clause struct {
	tok  int
	kind int
}

// contractions are prepositions fused with an article.
var contractions = set("im", "am", "ins", "ans", "zum", "zur", "beim", "vom", "aufs", "ums", "durchs", "fürs")

var morePrepositions = set("seit", "bis", "ab", "wegen", "trotz", "während", "außer", "gegenüber", "laut", "innerhalb", "außerhalb", "statt", "ohne")

// strictSubordinators open a subordinate clause wherever they stand.
var strictSubordinators = set(
	"weil", "dass", "daß", "obwohl", "obgleich", "obschon", "wenn", "falls", "ob",
	"sodass", "nachdem", "bevor", "ehe", "indem", "sobald", "solange", "sofern",
	"seitdem", "wohingegen",
)

// fillerWords are no statement of their own (StaGE guidelines): filler
// words, abstract time, quantifiers, and the adverbs that point back
// ("darum", "dabei"). Other small-letter content words are adjectives,
// adverbs or full verbs, which often are.
var fillerWords = set(
	"sehr", "oft", "darum", "auch", "noch", "schon", "immer", "manchmal", "nur", "meistens", "dann", "ganz",
	"deshalb", "deswegen", "daher", "also", "aber", "doch", "ja", "eben", "etwa", "ungefähr", "fast", "wieder",
	"mehr", "viel", "wenig", "weniger", "gern", "gerne", "selten", "jetzt", "heute", "dazu", "dafür", "davon",
	"damit", "dabei", "darauf", "daran", "darin", "dort", "hier", "etwas", "alles", "nichts", "jemand",
	"einfach", "genau", "eigentlich", "vielleicht", "wahrscheinlich", "selbst", "selber", "erst", "zuerst", "bereits",
	"viele", "vielen", "alle", "allen", "andere", "anderen", "anderes", "einige", "einigen", "manche", "manchen",
	"beide", "beiden", "mehrere", "solche", "gleiche", "gleichen", "verschiedene", "verschiedenen", "wenige",
	"meisten", "bestimmte", "bestimmten", "eigene", "eigenen", "einzelne", "einzelnen", "weitere", "weiteren",
	"allem",
)

// questionWords open an indirect question or a free relative clause
// ("wie etwas funktioniert", "alles, was Sie brauchen") when the clause
// ends with a verb.
var questionWords = set("wie", "was", "wer", "wo", "warum", "wieso", "weshalb", "wohin", "woher", "womit", "wofür", "wodurch", "welche", "welcher", "welches", "welchen", "welchem")

// Word classes: one map lookup a word instead of one a list.
const (
	wcStrictSub uint32 = 1 << iota
	wcSub
	wcCommaSub
	wcQuestion
	wcRelative
	wcPreposition // prepositions
	wcPrepAny     // prepositions, contractions and the rarer ones
	wcJoiner
	wcArticle
	wcFunction
	wcAux
	wcPolite
	wcPersonal
	wcFiller
)

var wordClasses = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, x := range []struct {
		set   map[string]bool
		class uint32
	}{
		{strictSubordinators, wcStrictSub}, {subordinators, wcSub}, {commaOnlySubordinators, wcCommaSub},
		{questionWords, wcQuestion}, {relativePronouns, wcRelative}, {prepositions, wcPreposition | wcPrepAny},
		{contractions, wcPrepAny}, {morePrepositions, wcPrepAny}, {clauseJoiners, wcJoiner}, {articles, wcArticle},
		{functionWords, wcFunction}, {auxiliaries, wcAux}, {politePronouns, wcPolite}, {personalPronouns, wcPersonal}, {fillerWords, wcFiller},
	} {
		for w := range x.set {
			m[w] |= x.class
		}
	}
	return m
}()

// class returns the word classes of token i, 0 outside [from, to).
func (d *doc) class(s sentence, i int) uint32 {
	if i < s.from || i >= s.to {
		return 0
	}
	return wordClasses[string(d.lower(i))]
}

// sentenceCues counts the statement cues of sentence s and lists the
// clause cues with their tokens.
func (d *doc) sentenceCues(s sentence) (c cues, cl []clause) {
	commaAfter := func(i int) bool { return bytes.ContainsAny(d.trail(i), ",;") }
	commaBefore := func(i int) bool { return i > s.from && commaAfter(i-1) }
	hasCommaFrom := func(i int) bool {
		for k := i; k < s.to-1; k++ {
			if commaAfter(k) {
				return true
			}
		}
		return false
	}
	isWord := func(i int, w string) bool { return i >= s.from && i < s.to && string(d.lower(i)) == w }
	first := -1
	for i := s.from; i < s.to; i++ {
		t := d.toks[i]
		if !t.isWord() {
			continue
		}
		c[cueWords]++
		if first < 0 {
			first = i
		}
		if i < s.to-1 && commaAfter(i) {
			c[cueCommas]++
		}
		if !t.has(fLetter) || t.has(fNeutral) || t.has(fDigit) {
			continue
		}
		lw := d.lower(i)
		cls := wordClasses[string(lw)]
		start := i == first || t.has(fAfterColon)
		// A verb: an auxiliary, or a small word in -t/-en/-te that is not an
		// adjective before its noun ("eine alte Stadt"); in the 2nd place
		// of the sentence or after a pronoun it is a verb anyway ("Sie
		// bekommen Geld").
		if t.has(fLowerFirst) && (cls&wcAux != 0 || cls&wcFunction == 0 && verbEnding(lw) &&
			(i == first+1 || d.class(s, i-1)&wcPersonal != 0 || !(i+1 < s.to && d.toks[i+1].has(fUpperFirst) && len(d.trail(i)) == 0))) {
			c[cueVerbs]++
		}
		if cls == 0 && t.has(fLowerFirst) {
			c[cueContent]++
		}
		if i > first && t.has(fUpperFirst) && i+1 < s.to && len(d.trail(i)) == 0 && d.class(s, i+1)&wcPrepAny != 0 &&
			!(isWord(i+1, "zum") && isWord(i+2, "beispiel")) && !(isWord(i-1, "zum") && string(lw) == "beispiel") {
			c[cueNounPrep]++
		}
		if string(lw) == "heißt" && isWord(i-1, "das") || string(lw) == "sagen" && isWord(i-1, "manche") {
			c[cueThatIs] = 1
		}
		if cls == 0 {
			continue
		}
		add := func(kind int) {
			c[kind]++
			cl = append(cl, clause{i, kind})
		}
		w := string(lw)
		switch {
		case cls&wcStrictSub != 0 || cls&(wcSub|wcCommaSub) != 0 && commaBefore(i):
			if w == "um" {
				break // um … zu below
			}
			if start && !hasCommaFrom(i) {
				break // "Weil Sie krank sind.": a fragment, one statement
			}
			add(cueSubordinate)
		case cls&wcQuestion != 0 && !start && i+1 < s.to &&
			(commaBefore(i) || d.toks[i-1].has(fLowerFirst) && d.class(s, i-1)&wcPreposition == 0) && d.clauseEndsWithVerb(s, i+1):
			add(cueSubordinate)
		case cls&wcRelative != 0 && !start && i+1 < s.to && (commaBefore(i) && d.clauseEndsWithVerb(s, i+1) ||
			!commaBefore(i) && d.toks[i-1].has(fUpperFirst) && !d.toks[i-1].has(fAllUpper) && i-1 != first &&
				d.class(s, i-1)&wcPolite == 0 && d.relativeWithoutComma(s, i)):
			add(cueRelative)
		case cls&wcPreposition != 0 && commaBefore(i) && d.class(s, i+1)&wcRelative != 0 && d.clauseEndsWithVerb(s, i+2):
			add(cueRelative)
			i++
		case (w == "um" || w == "ohne" || w == "statt" || w == "anstatt") && d.zuInfinitiveAfter(s, i):
			add(cueInfinitive)
		case w == "zu" && !d.infinitiveOpenerBefore(s, i) && i+1 < s.to && d.toks[i+1].has(fLowerFirst) && isInfinitive(d.lower(i+1)) &&
			(i+2 >= s.to || commaAfter(i+1)):
			add(cueInfinitive)
		case cls&wcJoiner != 0 && !start:
			if commaBefore(i) || d.newClauseAt(s, i+1) {
				add(cueCoordClause)
			} else if (w == "und" || w == "oder") && !d.betweenBefore(s, i) {
				c[cueCoordination]++
			}
		case w == "sowie" && !start:
			c[cueCoordination]++
		case cls&wcArticle != 0 && commaBefore(i) && d.apposition(s, i):
			add(cueApposition)
		case w == "als" && i+1 < s.to && d.toks[i+1].has(fUpperFirst) && !d.comparative(s, i-1):
			// "als Kind", "arbeitet als Koch": a role, like an adverbial;
			// "größer als Berlin" compares and is none.
			c[cuePrepositions]++
		case start && w == "zum" && isWord(i+1, "beispiel"):
			c[cueExample] = 1
		case (w == "von" || w == "vom") && i > s.from && d.toks[i-1].has(fUpperFirst) && len(d.trail(i-1)) == 0:
			// "der Vater von Bell": an attribute of the noun, no adverbial
		case cls&wcPrepAny != 0 && !(w == "zum" && isWord(i+1, "beispiel")) && w != "zu":
			c[cuePrepositions]++
		case w == "zu" && i+1 < s.to && !d.toks[i+1].has(fLowerFirst):
			c[cuePrepositions]++
		}
	}
	if c[cueVerbs] == 0 && c[cueWords] > 0 {
		c[cueNoVerb] = 1
	}
	if d.clauseAfterColon(s) {
		c[cueColonClause] = 1
	}
	return c, cl
}

// betweenBefore reports "zwischen" a few words before token i: "zwischen
// Mann und Frau" names one relation, not two things.
func (d *doc) betweenBefore(s sentence, i int) bool {
	for k := i - 1; k >= s.from && k >= i-4; k-- {
		if string(d.lower(k)) == "zwischen" {
			return true
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			return false
		}
	}
	return false
}

// comparative reports a word that "als" can compare with: "größer",
// "mehr", "anders".
func (d *doc) comparative(s sentence, i int) bool {
	if i < s.from || !d.toks[i].has(fLowerFirst) || d.class(s, i)&wcJoiner != 0 {
		return false // "oder als Kind"
	}
	w := string(d.lower(i))
	return strings.HasSuffix(w, "er") || w == "mehr" || w == "anders" || w == "eher" || w == "so" || w == "ebenso"
}

// clauseAfterColon reports a colon followed by 3 or more words with a
// verb, and no list: "Die Regel lautet: Jeder zahlt selbst." says 2
// things, "Dazu brauchen Sie: • einen Ausweis" and "Zum Beispiel: Miete." 1.
func (d *doc) clauseAfterColon(s sentence) bool {
	colon := -1
	for i := s.from; i < s.to-1; i++ {
		if bytes.IndexByte(d.trail(i), ':') >= 0 {
			colon = i
			break
		}
	}
	if colon < 0 || bytes.Contains(d.buf[d.toks[colon].e:d.toks[s.to-1].e], []byte("•")) {
		return false
	}
	words, verb := 0, false
	for k := colon + 1; k < s.to; k++ {
		if !d.toks[k].isWord() {
			continue
		}
		words++
		w := d.lower(k)
		if d.toks[k].has(fLowerFirst) && (auxiliaries[string(w)] || finiteVerbs[string(w)] || verbEnding(w) && !adjectiveEnding(string(w))) {
			verb = true
		}
	}
	return words >= 3 && verb
}

// clauseEndsWithVerb reports whether the clause from token i to the next
// comma or the sentence end ends with a small-letter word (a verb in
// German clause order) rather than a noun, which tells a relative clause
// from an enumeration ("Stellen, die helfen" / "Geld, die Hilfe").
func (d *doc) clauseEndsWithVerb(s sentence, i int) bool {
	last := -1
	for k := i; k < s.to; k++ {
		if d.toks[k].isWord() {
			last = k
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			break
		}
	}
	return last >= 0 && d.toks[last].has(fLowerFirst) && d.toks[last].has(fLetter)
}

// relativeWithoutComma: "Regeln die von der Gesellschaft kommen": a noun,
// a relative pronoun, at least 2 words and a verb at the clause end; "dem
// Mann die Hand" ends with a noun and is none.
func (d *doc) relativeWithoutComma(s sentence, i int) bool {
	if i+1 < s.to && d.toks[i+1].has(fUpperFirst) {
		return false // "bezahlt der Träger die Hilfe direkt": an object, no clause
	}
	n := 0
	for k := i + 1; k < s.to; k++ {
		if d.toks[k].isWord() {
			n++
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			break
		}
	}
	return n >= 2 && d.clauseEndsWithVerb(s, i+1)
}

// zuInfinitiveAfter reports "um … zu machen" within the clause.
func (d *doc) zuInfinitiveAfter(s sentence, i int) bool {
	for k := i + 1; k+1 < s.to; k++ {
		if string(d.lower(k)) == "zu" && d.toks[k+1].has(fLowerFirst) {
			return true
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			return false
		}
	}
	return false
}

func (d *doc) infinitiveOpenerBefore(s sentence, i int) bool {
	for k := i - 1; k >= s.from; k-- {
		switch string(d.lower(k)) {
		case "um", "ohne", "statt", "anstatt":
			return true
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			return false
		}
	}
	return false
}

func isInfinitive(w []byte) bool {
	n := len(w)
	return n >= 4 && (bytes.HasSuffix(w, []byte("en")) || bytes.HasSuffix(w, []byte("ern")) || bytes.HasSuffix(w, []byte("eln")))
}

// newClauseAt reports whether a new main clause starts at token i after
// und/oder/aber: a personal pronoun, a known finite verb ("… und hat …"),
// or an article, a noun and a finite-looking word ("und der Arzt behandelt").
func (d *doc) newClauseAt(s sentence, i int) bool {
	if i >= s.to || !d.toks[i].isWord() {
		return false
	}
	w := string(d.lower(i))
	switch {
	case personalPronouns[w] && w != "sie" && w != "es" && w != "ihr" || w == "dann" || w == "deshalb" || w == "danach" || w == "trotzdem":
		return true
	case (w == "sie" || w == "es") && i+1 < s.to && d.toks[i+1].has(fLowerFirst) && !relativePronouns[string(d.lower(i+1))]:
		return true
	case finiteVerbs[w]:
		return true
	case articles[w] && i+2 < s.to && d.toks[i+1].has(fUpperFirst) && d.toks[i+2].has(fLowerFirst) &&
		finiteVerbs[string(d.lower(i+2))]:
		return true
	}
	return false
}

var articles = set("der", "die", "das", "den", "dem", "ein", "eine", "einen", "einem", "einer", "mein", "meine", "ihr", "ihre", "sein", "seine", "unser", "unsere")

// functionWords carry no statement of their own: articles, pronouns,
// auxiliaries and modal verbs, particles of negation and comparison.
var functionWords = set(
	"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
	"kein", "keine", "keinen", "keinem", "keiner", "dieser", "diese", "dieses", "diesen", "diesem",
	"jeder", "jede", "jedes", "jeden", "jedem", "mein", "meine", "meinen", "meinem", "meiner",
	"dein", "deine", "sein", "seine", "seinen", "seinem", "seiner", "ihr", "ihre", "ihren", "ihrem", "ihrer",
	"unser", "unsere", "unseren", "unserem", "euer", "eure",
	"ich", "du", "er", "es", "wir", "sie", "man", "mich", "dich", "sich", "uns", "euch", "ihm", "ihn", "ihnen", "mir", "dir",
	"bin", "bist", "ist", "sind", "seid", "war", "waren", "warst", "gewesen",
	"habe", "hast", "hat", "haben", "habt", "hatte", "hatten", "gehabt",
	"werde", "wirst", "wird", "werden", "werdet", "wurde", "wurden", "worden", "geworden",
	"kann", "kannst", "können", "könnt", "konnte", "konnten", "muss", "musst", "müssen", "musste", "mussten",
	"soll", "sollst", "sollen", "sollte", "sollten", "will", "willst", "wollen", "wollte", "wollten",
	"darf", "darfst", "dürfen", "durfte", "durften", "mag", "mögen", "möchte", "möchten", "möchtest",
	"nicht", "zu", "als", "wie", "so", "auch", "noch", "nur", "schon", "dann", "da", "hier", "dort", "denn",
)

var adjectiveEndings = []string{"e", "en", "er", "es", "em"}

func adjectiveEnding(w string) bool {
	for _, e := range adjectiveEndings {
		if len(w) > len(e)+2 && w[len(w)-len(e):] == e {
			return true
		}
	}
	return false
}

var auxiliaries = set(
	"bin", "bist", "ist", "sind", "seid", "war", "waren", "warst",
	"habe", "hast", "hat", "haben", "habt", "hatte", "hatten",
	"werde", "wirst", "wird", "werden", "werdet", "wurde", "wurden",
	"kann", "kannst", "können", "könnt", "konnte", "konnten", "muss", "musst", "müssen", "musste", "mussten",
	"soll", "sollst", "sollen", "sollte", "sollten", "will", "willst", "wollen", "wollte", "wollten",
	"darf", "darfst", "dürfen", "durfte", "durften", "mag", "mögen", "möchte", "möchten", "möchtest",
	"gibt", "gab", "geht", "ging", "heißt", "kommt", "kam", "macht", "steht",
)

func verbEnding(w []byte) bool {
	n := len(w)
	return n >= 3 && (w[n-1] == 't' || w[n-2] == 'e' && (w[n-1] == 'n' || w[n-1] == 't') || w[n-2] == 't' && w[n-1] == 'e')
}

// apposition reports an inserted noun phrase from token i to the next
// comma: the word before the comma is a noun, the phrase has no verb and
// ends with a noun, and after it the sentence goes on with a verb ("Maria,
// eine Ärztin aus Berlin, hilft Ihnen."). A list ("Geld, eine Wohnung,
// Essen") goes on with a noun.
func (d *doc) apposition(s sentence, i int) bool {
	if !d.toks[i-1].has(fUpperFirst) {
		return false
	}
	for k := i + 1; k < s.to-1; k++ {
		w := d.lower(k)
		if d.toks[k].has(fLowerFirst) && (auxiliaries[string(w)] || verbEnding(w) && !adjectiveEnding(string(w))) {
			return false
		}
		if bytes.ContainsAny(d.trail(k), ";:") {
			return false
		}
		if bytes.IndexByte(d.trail(k), ',') >= 0 {
			n := k + 1
			nw := d.lower(n)
			return k > i && d.toks[k].has(fUpperFirst) && d.toks[n].has(fLowerFirst) && (auxiliaries[string(nw)] || verbEnding(nw))
		}
	}
	return false
}

// strongPreterites are past forms of common irregular verbs. The past of
// sein, haben and the modal verbs (war, hatte, konnte) is usual in
// Leichte Sprache and not listed; forms that are also participles or
// infinitives (verloren, entstanden) are left out.
var strongPreterites = set(
	"gab", "gaben", "kam", "kamen", "ging", "gingen", "sah", "sahen", "fand", "fanden",
	"nahm", "nahmen", "bekam", "bekamen", "schrieb", "schrieben", "blieb", "blieben",
	"rief", "riefen", "stand", "standen", "lag", "lagen", "saß", "saßen", "fuhr", "fuhren",
	"trug", "trugen", "sprach", "sprachen", "traf", "trafen", "half", "halfen", "starb", "starben",
	"wurde", "wurden", "hieß", "hießen", "ließ", "ließen", "lief", "liefen", "fiel", "fielen",
	"hielt", "hielten", "zog", "zogen", "flog", "flogen", "aß", "aßen", "trank", "tranken",
	"schlief", "schliefen", "tat", "taten", "wusste", "wussten", "dachte", "dachten",
	"brachte", "brachten", "kannte", "kannten", "nannte", "nannten", "begann", "begannen",
	"gewann", "gewannen", "erhielt", "erhielten", "entschied", "entschieden", "verstand",
	"bat", "baten", "bot", "boten", "wuchs", "wuchsen", "sang", "sangen", "zeigte", "zeigten",
)

// notPreterites end in -te or -ten but are adjectives, adverbs, numbers or
// present forms ("Rufen Sie bitte an", "Wenn Sie möchten").
var notPreterites = set(
	"bitte", "bitten", "heute", "mitte", "erste", "ersten", "letzte", "letzten", "beste", "besten",
	"gute", "guten", "rechte", "rechten", "echte", "echten", "schlechte", "schlechten",
	"leichte", "leichten", "breite", "breiten", "weite", "weiten", "späte", "späten", "harte", "harten",
	"nette", "netten", "halbe", "halben", "meisten", "möchte", "möchten", "möchtest", "hatte", "hatten",
	"hattest", "konnte", "konnten", "musste", "mussten", "wollte", "wollten", "durfte", "durften",
	"sollte", "sollten", "mochte", "mochten", "achte", "achten", "bieten", "arbeiten", "antworten",
	"warten", "halten", "gelten", "raten", "beraten", "bitten", "treten", "vertreten", "richten",
	"achten", "beachten", "leisten", "kosten", "testen", "retten", "melden", "mieten", "starten",
	"zweite", "zweiten", "dritte", "dritten", "vierte", "vierten", "fünfte", "fünften", "sechste",
	"siebte", "achte", "neunte", "zehnte", "nächste", "nächsten", "weitere", "weiteren", "rote",
	"lieben", "leute", "seite", "seiten", "rente", "karte", "karten", "nichts", "selbst", "meiste",
	"gestern", "unten", "hinten", "vorne", "mittel", "weiterhin",
)

// singularSubjects stand before or after a 3rd person past form in -te;
// "ich" is left out ("ich arbeite" is present), and so are plural
// subjects ("wir arbeiten" is present, "wir sagten" past).
var singularSubjects = set("er", "sie", "es", "man")

// preterite reports a past form that Leichte Sprache writes in the
// Perfekt: a listed irregular form, or a singular form in -te next to its
// subject ("sie sagte", "Dann sagte er", "Der Sturm fegte"). The present
// never ends in -te after these subjects.
func (d *doc) preterite(s sentence, i int) bool {
	t := d.toks[i]
	if !t.has(fLowerFirst) || !d.hasWordChars(i) {
		return false
	}
	w := string(d.lower(i))
	if strongPreterites[w] {
		// "wurde" before a participle is a passive; the passive rule says it.
		return !(w == "wurde" || w == "wurden") || !d.passiveAhead(s, i)
	}
	if notPreterites[w] || len(w) < 5 || w[len(w)-2:] != "te" || !weakPastStem(w[:len(w)-2]) {
		return false
	}
	if i+1 < s.to && d.toks[i+1].has(fUpperFirst) && len(d.trail(i)) == 0 && !politePronouns[string(d.lower(i+1))] {
		return false // "die gute Hilfe": an adjective before its noun
	}
	var prev, next []byte
	if i > s.from && len(d.trail(i-1)) == 0 {
		prev = d.lower(i - 1)
	}
	if i+1 < s.to && len(d.trail(i)) == 0 {
		next = d.lower(i + 1)
	}
	first := d.lower(s.from)
	switch {
	case singularSubjects[string(prev)]:
		return true // "sie sagte"
	case singularSubjects[string(next)] && i > s.from:
		return true // "Dann sagte er"
	case i-1 > s.from && i-2 == s.from && d.toks[i-1].has(fUpperFirst) && articles[string(first)]:
		return true // "Der Sturm fegte"
	case i-1 == s.from && d.toks[s.from].has(fUpperFirst) && !articles[string(first)] && !subordinators[string(first)] && !politePronouns[string(first)] && !personalPronouns[string(first)]:
		return true // "Gott sagte"
	}
	return false
}

func (d *doc) hasWordChars(i int) bool {
	t := d.toks[i]
	return t.has(fLetter) && !t.has(fDigit) && !t.has(fNeutral) && bytes.IndexByte(d.buf[t.ws:t.we], '-') < 0
}

// passiveAhead reports a participle later in the clause after "wurde".
func (d *doc) passiveAhead(s sentence, i int) bool {
	for k := i + 1; k < s.to; k++ {
		w := string(d.lower(k))
		if d.toks[k].has(fLowerFirst) && isParticiple(w, true) {
			return true
		}
		if bytes.ContainsAny(d.trail(k), ",;:") {
			return false
		}
	}
	return false
}

// inName reports a capital-letter word inside a name of several words,
// right after a name word: "Mac OS X", "Firefox OS". After an article or
// a preposition ("die Partei CDU", "im SGB") it stands alone and counts.
func (d *doc) inName(i int) bool {
	p := i - 1
	if p < 0 || d.toks[p].unit != d.toks[i].unit || len(d.trail(p)) > 0 || len(d.lead(i)) > 0 {
		return false
	}
	pt := d.toks[p]
	if !pt.has(fUpperFirst) || !pt.has(fLetter) || pt.has(fAllUpper) || pt.has(fDigit) {
		return false
	}
	pw := d.lower(p)
	if functionWords[string(pw)] || politePronouns[string(pw)] || prepositions[string(pw)] || contractions[string(pw)] || morePrepositions[string(pw)] {
		return false
	}
	if q := p - 1; q >= 0 && d.toks[q].unit == pt.unit && len(d.trail(q)) == 0 {
		qw := d.lower(q)
		if articles[string(qw)] || functionWords[string(qw)] || contractions[string(qw)] {
			return false // "die Partei CDU"
		}
	}
	return true
}

// weakPastStem reports whether stem + "te" can be a weak past form: after
// a consonant (sag-te), after -et of a t/d stem (arbeit-e-te) or after
// au/eu (bau-te, freu-te); a single vowel or t before -te is a present
// form of a t stem ("verrate", "biete", "bitte").
func weakPastStem(stem string) bool {
	n := len(stem)
	if n < 2 {
		return false
	}
	vowel := func(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }
	last, prev := stem[n-1], stem[n-2]
	switch {
	case last == 't':
		return false
	case last == 'e' && (prev == 't' || prev == 'd'):
		return true
	case last == 'u' && (prev == 'a' || prev == 'e'), strings.HasSuffix(stem, "äu"):
		return true
	case vowel(last) || stem[n-1] >= 0x80:
		return false // also ä, ö, ü and other non-ASCII endings
	}
	return true
}
