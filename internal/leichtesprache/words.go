package leichtesprache

// Word lists the rules look words up in. All keys are lower-case; the lists
// are deliberately narrow, because every Fehler fails the build and a false
// alarm on good Leichte Sprache costs editors more than a missed one.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// subordinators start a subordinate clause. They count as a second statement
// when a comma stands before them, or when they open the sentence and a comma
// follows later ("Wenn Sie Fragen haben, rufen Sie an.").
var subordinators = set(
	"weil", "dass", "daß", "obwohl", "obgleich", "obschon", "wenn", "falls", "ob",
	"sodass", "nachdem", "bevor", "ehe", "indem", "sobald", "solange", "sofern",
	"seitdem", "wohingegen", "während", "als", "wo", "wohin", "woher", "warum",
	"wieso", "weshalb", "wodurch", "womit", "wofür", "um",
)

// commaOnlySubordinators are also common adverbs or pronouns ("Damit bezahlen
// Sie …", "Was kostet das?"), so they only count right after a comma.
var commaOnlySubordinators = set("damit", "was", "wer", "da")

// clauseJoiners join two main clauses after a comma (", aber Sie …").
var clauseJoiners = set("und", "aber", "oder", "denn", "doch", "sondern", "jedoch")

var relativePronouns = set(
	"der", "die", "das", "dem", "den", "deren", "dessen", "denen",
	"welche", "welcher", "welches", "welchem", "welchen",
)

var prepositions = set(
	"mit", "bei", "für", "von", "zu", "an", "auf", "in", "aus", "über", "unter",
	"nach", "durch", "gegen", "ohne", "um", "vor", "hinter", "neben", "zwischen",
)

// finiteVerbs are common finite auxiliaries and verbs; followed by a
// pronoun after a comma they show a second main clause.
var finiteVerbs = set(
	"ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "wird", "werden", "wurde",
	"wurden", "kann", "können", "konnte", "konnten", "muss", "müssen", "musste", "mussten",
	"soll", "sollen", "will", "wollen", "wollte", "wollten", "darf", "dürfen", "durfte",
	"gibt", "gab", "bekommen", "bekommt", "bekam",
)

var personalPronouns = set("ich", "du", "er", "es", "wir", "ihr", "sie", "man")

// lineContinuers are words a line cannot end with when the sentence goes on
// on the next line (Leichte Sprache may break a sentence at a sense unit).
var lineContinuers = set(
	"und", "oder", "aber", "für", "mit", "von", "zu", "zum", "zur", "der", "die",
	"das", "den", "dem", "ein", "eine", "einen", "einem", "einer", "in", "im",
	"an", "am", "auf", "bei", "beim", "nach", "aus", "vom", "über", "unter",
)

// Finite and infinite forms of "werden". presentWerden can also build the
// future with an infinitive ("wird kommen"); pastWerden cannot.
var presentWerden = set("werde", "wirst", "wird", "werden", "werdet", "würde", "würden", "würdest", "würdet")
var pastWerden = set("wurde", "wurdest", "wurden", "wurdet", "worden", "ward")

// separablePrefixes may stand before "ge" in a participle (ausgezahlt,
// angerufen) or before an inseparable prefix (anerkannt, vorbereitet).
var separablePrefixes = []string{
	"zusammen", "zurück", "vorbei", "heraus", "hinaus", "herein", "hinein", "weiter",
	"statt", "teil", "fest", "frei", "nach", "fort", "hin", "her", "dar", "auf",
	"aus", "bei", "ein", "mit", "vor", "weg", "los", "ab", "an", "zu", "um", "durch",
}

var inseparablePrefixes = []string{"hinter", "wider", "unter", "über", "voll", "miss", "emp", "ent", "ver", "zer", "be", "er"}

// strongParticiples end in -en like infinitives, but differ from them
// (übernommen / übernehmen), so "wird übernommen" is a passive for sure.
var strongParticiples = set(
	"übernommen", "unternommen", "entschieden", "beschrieben", "verboten", "besprochen",
	"versprochen", "entnommen", "vernommen", "erhoben", "verschoben", "entzogen", "bezogen",
	"überwiesen", "verwiesen", "unterschrieben", "überschrieben", "ergriffen", "begriffen",
	"verliehen", "verstanden", "entstanden", "empfohlen", "befohlen", "verloren",
	"unterbrochen", "beworben", "erworben", "bewiesen", "erwiesen", "gewiesen", "ausgewiesen",
	"zugewiesen", "vertrieben", "betrieben", "beschlossen", "erschlossen", "verschlossen",
	"ausgeschlossen", "abgeschlossen", "angeschlossen", "eingeschlossen", "unterzogen",
	"begonnen", "gewonnen", "gesprochen", "bestritten", "vermieden", "verschwiegen",
)

// geInfinitives start with "ge" but are infinitives or adjectives, so
// "wird gehen" or "wird gesamt" is no passive.
var geInfinitives = set(
	"geben", "gehen", "gelten", "gewinnen", "genießen", "gehören", "gefallen",
	"gelingen", "geschehen", "gestehen", "gewöhnen", "gebrauchen", "genügen",
	"gestalten", "gefährden", "gedenken", "gelangen", "geleiten", "genehmigen",
	"gewähren", "gewährleisten", "gestatten", "gebären", "gebieten", "gedeihen",
	"geraten", "gehorchen", "gewinnen", "gegen", "gesamt", "gerecht", "gerade",
	"geheimen", "gemeinsamen", "gestern", "genauen", "gesunden", "gesetzlichen",
	"gewissen", "geringen", "gelben", "gewesen", "geworden", "gehabt",
)

// notParticiples look like participles of inseparable verbs but are used as
// adjectives or adverbs after "werden" ("Das wird bestimmt gut.").
var notParticiples = set(
	"bekannt", "bereit", "berühmt", "beliebt", "bewusst", "bestimmt", "erwachsen",
	"verrückt", "bereits", "erst", "ernst", "beamten", "verwandt", "entfernt",
	"behindert", "bedeutet", "erlebt", "besonders", "genannten",
)

var konjunktivForms = map[string]string{
	"wäre": "ist", "wären": "sind", "wärst": "bist", "wärest": "bist", "wäret": "seid",
	"hätte": "hat", "hätten": "haben", "hättest": "hast", "hättet": "habt",
	"würde": "wird", "würden": "werden", "würdest": "wirst", "würdet": "werdet",
	"könnte": "kann", "könnten": "können", "könntest": "kannst", "könntet": "könnt",
	"müsste": "muss", "müssten": "müssen", "müßte": "muss", "müßten": "müssen", "müsstest": "musst",
	"dürfte": "darf", "dürften": "dürfen",
	"sollte": "soll", "sollten": "sollen", "solltest": "sollst", "solltet": "sollt",
	"gäbe": "gibt", "gäben": "geben", "käme": "kommt", "kämen": "kommen",
	"wüsste": "weiß", "wüssten": "wissen", "bräuchte": "braucht", "bräuchten": "brauchen",
	"ließe": "lässt", "ginge": "geht", "stünde": "steht", "läge": "liegt",
	"sei": "ist", "seien": "sind", "seiest": "bist",
}

var negations = set(
	"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "keins",
	"nie", "niemals", "nichts", "niemand", "niemanden", "niemandem", "nirgends", "nirgendwo",
)

// genitivePrepositions take the genitive: "wegen des Antrags".
var genitivePrepositions = set(
	"wegen", "trotz", "während", "statt", "anstatt", "innerhalb", "außerhalb",
	"aufgrund", "anhand", "mithilfe", "infolge", "bezüglich", "hinsichtlich",
	"angesichts", "mittels", "zugunsten", "oberhalb", "unterhalb",
)

var genitiveArticles = set("des", "eines", "der", "einer", "ihres", "seines", "ihrer", "seiner", "deren", "dessen")

// numberWords are numbers written as words; Leichte Sprache writes digits.
var numberWords = map[string]string{
	"zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "sechs": "6", "sieben": "7",
	"acht": "8", "neun": "9", "zehn": "10", "elf": "11", "zwölf": "12", "dreizehn": "13",
	"vierzehn": "14", "fünfzehn": "15", "sechzehn": "16", "siebzehn": "17", "achtzehn": "18",
	"neunzehn": "19", "zwanzig": "20", "dreißig": "30", "vierzig": "40", "fünfzig": "50",
	"sechzig": "60", "siebzig": "70", "achtzig": "80", "neunzig": "90", "hundert": "100",
	"tausend": "1.000", "zweimal": "2-mal", "dreimal": "3-mal", "viermal": "4-mal",
	"fünfmal": "5-mal", "zehnmal": "10-mal", "zweite": "2.", "zweiten": "2.", "zweiter": "2.",
	"zweites": "2.", "dritte": "3.", "dritten": "3.", "dritter": "3.", "drittes": "3.",
	"vierte": "4.", "vierten": "4.", "fünfte": "5.", "fünften": "5.", "sechste": "6.",
	"siebte": "7.", "neunte": "9.", "zehnte": "10.", "zehnten": "10.",
	"einhundert": "100", "eintausend": "1.000", "zweihundert": "200", "dreihundert": "300",
	"zweitausend": "2.000", "einundzwanzig": "21", "zweiundzwanzig": "22",
	"fünfundzwanzig": "25", "vierundzwanzig": "24",
}

// dottedAbbreviations maps an abbreviation (lower-case, without spaces and
// the final dot) to the words to write instead.
var dottedAbbreviations = map[string]string{
	"z.b": "zum Beispiel", "d.h": "das heißt", "u.a": "unter anderem", "o.ä": "oder so ähnlich",
	"u.ä": "und so ähnlich", "e.v": "eingetragener Verein", "z.t": "zum Teil",
	"u.u": "unter Umständen", "i.d.r": "in der Regel", "v.a": "vor allem", "s.o": "siehe oben",
	"s.u": "siehe unten", "u.v.m": "und mehr", "o.g": "oben genannt", "m.e": "meiner Meinung nach",
	"usw": "und so weiter", "bzw": "oder", "ggf": "wenn nötig", "ca": "ungefähr",
	"nr": "Nummer", "abs": "Absatz", "tel": "Telefon", "evtl": "vielleicht", "etc": "und so weiter",
	"inkl": "mit", "zzgl": "dazu kommt", "bzgl": "über", "bspw": "zum Beispiel", "vgl": "siehe",
	"str": "Straße", "hr": "Herr", "fr": "Frau", "dr": "Doktor", "prof": "Professor",
	"max": "höchstens", "min": "mindestens", "std": "Stunde", "mio": "Millionen", "mrd": "Milliarden",
	"sog": "so genannt", "gem": "nach", "lt": "nach", "mo": "Montag", "di": "Dienstag",
	"mi": "Mittwoch", "do": "Donnerstag", "sa": "Samstag", "jh": "Jahrhundert",
	"feb": "Februar", "okt": "Oktober", "nov": "November", "dez": "Dezember", "sept": "September",
	"allg": "allgemein", "insb": "besonders", "zb": "zum Beispiel", "dh": "das heißt",
}

// lowerOnlyDotted are abbreviations that are also names or words when
// written with a capital letter ("Max.", "Do.").
var lowerOnlyDotted = set("max", "min")

var months = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
	"August", "September", "Oktober", "November", "Dezember"}

// phoneWords announce the number after them as contact data.
var phoneWords = set("telefon", "tel", "fax", "telefax", "handy", "mobil", "telefonnummer",
	"durchwahl", "nummer", "postfach", "iban", "bic", "kundennummer", "aktenzeichen")

// wordParts are common last parts of compound nouns in the site's field; a
// long word ending in one of them gets a ready split as its suggestion.
var wordParts = []string{
	"vereinbarungen", "vereinbarung", "unterstützung", "versicherung", "beratungsstelle",
	"behinderungen", "behinderung", "ausstellung", "konferenz", "leistungen", "leistung",
	"bestimmung", "verfahren", "assistenz", "werkstatt", "beratung", "schulung", "nachweis",
	"bescheid", "verband", "zentrum", "zentren", "personen", "person", "planung", "angebote",
	"angebot", "teilhabe", "wohnung", "gruppen", "gruppe", "trägers", "träger", "stellen",
	"stelle", "gesetz", "budget", "nehmerin", "nehmer", "modell", "pflege", "dienste",
	"dienst", "bedarf", "kasse", "kosten", "mittel", "schule", "arbeit", "antrag", "anträge",
	"geber", "hilfen", "hilfe", "zeiten", "zeit", "rechte", "recht", "buch", "geld", "amt",
	"plan", "grad", "form", "formular", "termin", "sprache", "sachen",
}

// Derivations (Ent-scheid-ungen, Freund-lich-keit) are long without being
// compounds; Leichte Sprache splits compounds only. A word counts as a
// derivation when, after one ending, any chain of derivational suffixes and
// at most 2 prefixes, a stem of at most derivationStem letters is left (8: schlicht-ung, kommunik-ation).
const derivationStem = 8

var derivationPrefixes = []string{
	"zusammen", "gegen", "unter", "wider", "durch", "über", "miss", "nach", "ent", "ver", "zer",
	"vor", "aus", "ein", "auf", "mit", "ab", "an", "be", "er", "ge", "um", "un", "zu",
}

// endings are stripped once: feminine -in/-innen, then inflection.
var feminineEndings = []string{"innen", "in"}
var inflectionEndings = []string{"en", "em", "er", "es", "e", "n", "s"}

// derivationSuffixes are stripped again and again (Persön-lich-keit).
var derivationSuffixes = []string{
	"schaft", "heit", "keit", "ation", "ion", "ität", "ismus", "lich", "isch", "ung", "nis", "bar", "ig",
	"ierten", "ierte", "ieren", "iert", "ier",
}
