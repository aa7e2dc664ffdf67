package leichtesprache

import (
	"strings"
	"testing"

	"budgetsite/internal/report"
)

var testConfig = &Config{
	AcceptedWords:      map[string]bool{"krankenversicherung": true},
	KnownAbbreviations: map[string]string{"LVR": "Landschaftsverband Rheinland", "EUTB": "Ergänzende unabhängige Teilhabeberatung"},
	Synonyms:           [][]string{{"Persönliches Budget", "Budget", "PB"}},
}

// ruleCases: for each rule, texts (one Markdown page each) that must and
// must not produce a finding of that rule in the Leicht profile.
var ruleCases = []struct {
	rule        string
	flagged, ok []string
}{
	{RuleSatzlaenge, []string{
		"Sie können mit dem Geld von dem Bezirk Ihre Assistenz und Ihre Fahrten und Ihre Kurse selbst bezahlen.",
		"Der Bezirk Schwaben hilft Menschen mit Behinderung in ganz Schwaben bei allen Fragen zum Geld.",
		"Heute gehen wir mit Ihnen zusammen zu der Beratung im Amt.",
	}, []string{
		"Sie bekommen Geld.",
		"Sie bekommen jeden Monat Geld vom Bezirk Schwaben.\nDas Geld ist für Ihre Hilfe im Alltag.",
		"## Was ist das Persönliche Budget",
		"Der Bezirk prüft Ihren Antrag genau.",
	}},
	{RuleEinSatzProZeile, []string{
		"Sie bekommen Geld. Das ist gut.",
		"Haben Sie Fragen? Dann rufen Sie an.",
		"Das ist wichtig! Lesen Sie weiter.",
	}, []string{
		"Sie bekommen Geld.\nDas ist gut.",
		"Am 22. Februar 2022 gibt es ein Treffen.",
		"Zum Beispiel: Sie bezahlen eine Assistenz.",
		"Das Treffen ist am 1. März im Rathaus.",
	}},
	{RuleMehrereAussagen, []string{
		"Sie bekommen Geld, weil Sie eine Behinderung haben.",
		"Wenn Sie Fragen haben, rufen Sie uns an.",
		"Sie bekommen Geld, aber Sie müssen einen Antrag schreiben.",
		"Es gibt Stellen, die Ihnen helfen.",
		"Sie können entweder anrufen oder eine E-Mail schreiben.",
		"Sie bekommen das Geld, Sie bezahlen die Assistenz.",
		"Sie fragen, ob das Geld reicht.",
		// Clauses without a comma, as easy-to-read texts often write them.
		"Der Bildschirm reagiert sofort wenn Sie darauf drücken.",
		"Es gibt auch Regeln die von der Gesellschaft kommen.",
		"Sie schreiben einen Antrag um Geld zu bekommen.",
		"Sie haben das Recht, Geld zu bekommen.",
		"Ein Heft zeigt, wie das geht.",
		"Sie bekommen alles was Sie brauchen.",
		"Sie wissen nicht wer Ihnen hilft.",
		// Coordinated main clauses and insertions.
		"Sie bekommen Geld und Sie bezahlen die Assistenz.",
		"Der Bezirk prüft den Antrag und dann bekommen Sie einen Brief.",
		"Sie schreiben den Antrag oder er schreibt ihn.",
		"Maria, eine Ärztin aus Augsburg, hilft Ihnen.",
	}, []string{
		"Weil Sie eine Behinderung haben.",
		"Damit bezahlen Sie Ihre Assistenz.",
		"Sie brauchen Geld, Zeit und Hilfe.",
		"Sie können anrufen oder eine E-Mail schreiben.",
		"Wenn Sie Fragen haben: Rufen Sie uns an.",
		"Standard-Sprache ist schwerer zu lesen.",
		"Der Bezirk prüft Ihr Einkommen und Ihr Vermögen.",
		"Dann können Sie das Geld sparen.",
		"Bei einer Sach-Leistung bezahlt der Leistungs-Träger die Hilfe direkt.",
		"Das Haus ist so groß wie eine Kirche.",
		"Sie bekommen Geld und Hilfe.",
		"Sie brauchen Geld, eine Wohnung, Essen und Hilfe.",
		"Gut zu wissen",
	}},
	{RuleLangesWort, []string{
		"Die Eingliederungshilfe ist wichtig.",
		"Sie gehen zur Budgetkonferenz.",
		"Das ist eine Zielvereinbarung.",
		"Der Landschaftsverband hilft.",
		// 12 and 13 letters: compounds are split from 12 letters on.
		"Sie lesen das auf kleinen Bildschirmen.",
		"Das ist die Hilfeplanung.",
		"Das ist die Arbeitslosenhilfe.",
	}, []string{
		"Die Eingliederungs·hilfe ist wichtig.",
		"Sie gehen zur Budget-Konferenz.",
		"Sie treffen wichtige Entscheidungen.",
		"Die Krankenversicherung zahlt.",
		// Derivations cannot be split: choose a shorter word if you can.
		"Das funktioniert gut.",
		"Die Kommunikation ist wichtig.",
		"Fragen Sie die Schlichtungs-Stelle.",
		"Die Bild-Schirme sind klein.",
	}},
	{RuleZahlwort, []string{
		"Sie bekommen zwei Briefe.",
		"Das dauert drei Wochen.",
		"Zehn Menschen kommen.",
		"Sie rufen zweimal an.",
	}, []string{
		"Sie bekommen 2 Briefe.",
		"Achten Sie auf die Frist.",
		"Das ist der erste Schritt.",
		"Ein Brief kommt.",
	}},
	{RuleGrosseZahl, []string{
		"Sie bekommen 1.500 Euro.",
		"Es gibt 250 Plätze.",
		"Das kostet 2000 Euro.",
		"Es kamen 12500 Menschen.",
	}, []string{
		"Im Jahr 2022 gab es das Treffen.",
		"Rufen Sie an: 0821 3101-333",
		"Telefon: 0355 290270799",
		"Schreiben Sie an: Bezirk Schwaben, 86159 Augsburg",
		"Sie bekommen 50 Euro.",
	}},
	{RuleProzent, []string{
		"Sie bezahlen 10 % selbst.",
		"Das sind 50 Prozent.",
		"Sie bekommen 20% mehr.",
	}, []string{
		"Sie bezahlen einen Teil selbst.",
		"Das ist die Hälfte.",
		"Sie bekommen mehr Geld.",
	}},
	{RuleDezimalzahl, []string{
		"Das kostet 12,50 Euro.",
		"Sie brauchen 1,5 Stunden.",
		"Das sind 2.5 Kilometer.",
	}, []string{
		"Das kostet 12 Euro und 50 Cent.",
		"Sie bekommen 1.000 Euro.",
		"Das Treffen ist um 9.30 Uhr.",
		"Rufen Sie an: 0821 3101-333.",
	}},
	{RuleRoemischeZahl, []string{
		"Das steht im Sozial·gesetz·buch IX.",
		"Das ist Teil II.",
		"Karl IV war ein König.",
	}, []string{
		"Das steht im Sozial·gesetz·buch 9.",
		"Ich gehe zum LVR.",
		"Sie nutzen eine CD.",
		"Das ist Teil 2.",
	}},
	{RuleDatum, []string{
		"Das Treffen ist am 22.02.2022.",
		"Schicken Sie den Antrag bis 1.3.23.",
		"Der Termin ist am 2022-02-22.",
		"Kommen Sie am 22.02. zu uns.",
	}, []string{
		"Das Treffen ist am 22. Februar 2022.",
		"Das kostet 1.500 Euro.",
		"Das Treffen ist um 10:30 Uhr.",
	}},
	{RulePassiv, []string{
		"Der Antrag wird geprüft.",
		"Das Geld wurde bezahlt.",
		"Sie werden von uns unterstützt.",
		"Der Antrag muss geprüft werden.",
		"Die Kosten werden übernommen.",
		"Sie werden informiert.",
		"Das Geld wird ausgezahlt.",
	}, []string{
		"Der Bezirk prüft den Antrag.",
		"Das Amt wird Ihnen helfen.",
		"Sie werden das Geld bekommen.",
		"Sie werden Budget-Nehmerin.",
		"Das wird bestimmt gut.",
		"Sie werden die gewünschten Sachen kaufen.",
		"Es wird Geld geben.",
	}},
	{RuleKonjunktiv, []string{
		"Das wäre gut.",
		"Sie könnten anrufen.",
		"Sie sollten einen Antrag schreiben.",
		"Das hätte ich gern.",
	}, []string{
		"Das ist gut.",
		"Sie können anrufen.",
		"Ich möchte ein Persönliches Budget.",
		"Sie sollen einen Antrag schreiben.",
	}},
	{RuleGenitiv, []string{
		"Das ist das Geld des Bezirks.",
		"Wegen der Kosten rufen Sie an.",
		"Das ist die Hilfe eines Assistenten.",
		"Die Kosten der Assistenz bezahlt der Bezirk.",
	}, []string{
		"Das ist das Geld von dem Bezirk.",
		"Wegen dem Geld rufen Sie an.",
		"Geben Sie den Antrag ab.",
		"Das gehört der Stadt.",
	}},
	{RuleVerneinung, []string{
		"Das ist nicht schwer.",
		"Sie brauchen keine Hilfe.",
		"Niemand muss das allein machen.",
		"Sie bezahlen nichts.",
	}, []string{
		"Das ist leicht.",
		"Sie brauchen Hilfe.",
		"Alle helfen mit.",
	}},
	{RuleAbkuerzung, []string{
		"Sie bekommen z. B. Geld.",
		"Sie bekommen z.B. Geld.",
		"Rufen Sie die KSL an.",
		"Die Partei ABC ist groß.",
		"Das steht in Abs. 2.",
		"Sie brauchen Geld, Zeit usw.",
		"Das steht im SGB.",
	}, []string{
		"Sie bekommen zum Beispiel Geld.",
		"Rufen Sie den LVR an.",
		// Inside a name of several words.
		"Mac OS X ist ein Computer-Programm.",
		"Sie nutzen das Handy mit Firefox OS.",
		"Die KSL helfen Ihnen.\nKSL ist die Abkürzung für: Kompetenz·zentren Selbst·bestimmt Leben.",
		"Das ist so.",
		"Sie gehen zum Amt.",
	}},
	{RuleSonderzeichen, []string{
		"Das steht in § 29.",
		"Sie & Ihre Familie.",
		"Das Budget (Geld) ist gut.",
		"Budget-Nehmer\\*innen bekommen Geld.",
		"Das heißt „Persönliches Budget“.",
		"Sie rufen an und/oder schreiben.",
		"Das kostet 5 €.",
	}, []string{
		"Das steht im Paragraf 29.",
		"Sie und Ihre Familie.",
		"Wie geht’s Ihnen?",
		"Rufen Sie an: 0821/3101333",
		"Mehr Infos: [Bezirk Schwaben](https://www.bezirk-schwaben.de/a/b)",
		"Mehr Infos: www.bezirk-schwaben.de/budget",
		"Geben Sie `a/b` ein.",
	}},
	{RuleWeichesTrennzeichen, []string{
		"Das ist die Eingliederungs&shy;hilfe.",
		"Das ist die Eingliederungs\u00adhilfe.",
		"Das ist ein Bud&shy;get.",
	}, []string{
		"Das ist die Eingliederungs·hilfe.",
		"Das ist die Eingliederungs-Hilfe.",
		"Das ist ein Persönliches Budget.",
	}},
	{RuleMan, []string{
		"Man kann Geld bekommen.",
		"Das macht man so.",
		"Wie bekommt man das Geld?",
	}, []string{
		"Sie können Geld bekommen.",
		"Ein Mann hilft Ihnen.",
		"Manchmal gibt es Hilfe.",
	}},
	{RuleAufzaehlung, []string{
		"Sie bekommen Geld für Assistenz, Fahrten, Hilfs·mittel und Kurse.",
		"Sie brauchen Ausweis, Bescheid, Konto·auszug, Antrag.",
		"Das sind Anna, Tom, Lisa oder Ben.",
		"Sie wählen, ob Sie Geld, Sachen, Hilfe oder Kurse bekommen.",
	}, []string{
		// The main clause before the first comma is no item.
		"Es ist egal, ob Sie zuhause, alleine oder mit anderen wohnen.",
		"Wir helfen Ihnen, wenn Sie Fragen haben, Hilfe brauchen oder krank sind.",
		"Sie brauchen Geld, Zeit und Hilfe.",
		"Sie bekommen Geld für Assistenz.",
		"- Assistenz\n- Fahrten\n- Hilfs·mittel\n- Kurse",
	}},
	{RulePraeteritum, []string{
		"Am Ende gab es Fragen.",
		"Dann sagte er etwas.",
		"Der Sturm fegte über das Wasser.",
		"Gott sagte: Es soll hell sein.",
		"Sie kam zu spät.",
		"Sie fragte nach dem Geld.",
		"Er arbeitete beim Bezirk.",
		"Sie freute sich.",
	}, []string{
		"Dann verrate es mir.",
		"Das biete ich Ihnen an.",
		"Sie sagt etwas.",
		"Rufen Sie bitte an.",
		"Das ist die erste Seite.",
		"Er hat etwas gesagt.",
		"Ich arbeite beim Bezirk.",
		"Das Geld wurde bezahlt.",
		"Sie hatte eine Frage.",
		"Sie arbeiten beim Bezirk.",
		"Heute gibt es Fragen.",
	}},
	{RuleEinBegriff, []string{
		"Das Budget ist Geld.",
		"Das PB ist Geld.",
		"Sie bekommen ein Budget.",
	}, []string{
		"Das Persönliche Budget ist Geld.",
		"Sie sind Budget-Nehmerin.",
		"Mit dem Persönlichen Budget bezahlen Sie Hilfe.",
	}},
}

func hasRule(ps []report.Problem, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases {
		if len(c.flagged) < 3 || len(c.ok) < 3 {
			t.Errorf("%s: need at least 3 examples each way", c.rule)
		}
		for _, text := range c.flagged {
			if ps := Check("t.md", []byte(text), Leicht, testConfig); !hasRule(ps, c.rule) {
				t.Errorf("%s: not flagged: %q\n%s", c.rule, text, dump(ps))
			}
		}
		for _, text := range c.ok {
			if ps := Check("t.md", []byte(text), Leicht, testConfig); hasRule(ps, c.rule) {
				t.Errorf("%s: wrongly flagged: %q\n%s", c.rule, text, dump(ps))
			}
		}
	}
}

func dump(ps []report.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}

// Clean Leichte Sprache must pass without any finding at all.
func TestCleanPage(t *testing.T) {
	src := `---
title: "Persönliches Budget"
---
# Das Persönliche Budget

Sie haben eine Behinderung.
Sie brauchen Hilfe im Alltag.
Dann können Sie Geld bekommen.
Das Geld heißt: Persönliches Budget.
Mit dem Geld bezahlen Sie Ihre Hilfe selbst.

{{< erklaerung "Bezirk" >}}
Der Bezirk Schwaben ist ein Amt.
{{< /erklaerung >}}

## So bekommen Sie das Geld

1. Sie schreiben einen Antrag.
2. Der Bezirk prüft den Antrag.
3. Sie bekommen einen Brief.

Rufen Sie an: 0821 3101-333

Am 22. Februar 2022 hat es ein Treffen gegeben.
Sie finden uns im Internet: [Bezirk Schwaben](https://www.bezirk-schwaben.de/).
`
	if ps := Check("content/ls/budget.md", []byte(src), Leicht, testConfig); len(ps) > 0 {
		t.Errorf("clean page has findings:\n%s", dump(ps))
	}
}

func TestSeverities(t *testing.T) {
	cases := []struct {
		text string
		p    Profile
		rule string
		sev  report.Severity
		msg  string
	}{
		{"Sie können mit dem Geld von dem Bezirk Ihre Assistenz und Ihre Fahrten und Ihre Kurse bezahlen.", Leicht,
			RuleSatzlaenge, report.Fehler, "Der Satz hat 17 Wörter. In Leichter Sprache höchstens 15."},
		{"Heute gehen wir mit Ihnen zusammen zu der Beratung im Amt.", Leicht,
			RuleSatzlaenge, report.Hinweis, "Der Satz hat 11 Wörter. Besser sind höchstens 10."},
		{"Das ist nicht schwer.", Leicht, RuleVerneinung, report.Hinweis, "„nicht“ ist eine Verneinung."},
		{"Das steht im SGB.", Standard, RuleAbkuerzung, report.Hinweis, "„SGB“ ist eine Abkürzung, die nicht erklärt wird."},
	}
	for _, c := range cases {
		ps := Check("t.md", []byte(c.text), c.p, testConfig)
		found := false
		for _, p := range ps {
			if p.Rule == c.rule {
				found = true
				if p.Severity != c.sev || p.Message != c.msg {
					t.Errorf("%q: got %s %q, want %s %q", c.text, p.Severity, p.Message, c.sev, c.msg)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s finding", c.text, c.rule)
		}
	}
}

func TestStandardProfile(t *testing.T) {
	long := strings.Repeat("Der Bezirk prüft den Antrag ", 6) + "genau."
	flagged := []struct{ text, rule string }{
		{long, RuleSatzlaenge},
		{"Das regelt das SGB.", RuleAbkuerzung},
		{"Fragen Sie die KSL.", RuleAbkuerzung},
	}
	for _, c := range flagged {
		ps := Check("t.md", []byte(c.text), Standard, testConfig)
		if !hasRule(ps, c.rule) {
			t.Errorf("Standard: %s not flagged in %q", c.rule, c.text)
		}
		for _, p := range ps {
			if p.Severity != report.Hinweis {
				t.Errorf("Standard profile gave %s: %s", p.Severity, p)
			}
		}
	}
	ok := []string{
		"Der Landschaftsverband Rheinland (LVR) hilft. Die Kompetenzzentren Selbstbestimmt Leben (KSL) beraten. Die KSL sind in NRW.",
		"Sie bekommen z. B. Geld, weil Sie eine Behinderung haben, wenn der Bezirk zustimmt.",
		"Man kann das Budget nicht immer bekommen; das wäre schön.",
	}
	for _, text := range ok {
		for _, p := range Check("t.md", []byte(text), Standard, testConfig) {
			if p.Rule != RuleAbkuerzung || !strings.Contains(p.Message, "NRW") {
				t.Errorf("Standard: unexpected %s", p)
			}
		}
	}
}
