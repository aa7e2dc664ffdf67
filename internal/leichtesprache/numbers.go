package leichtesprache

import (
	"bytes"
	"strconv"
	"strings"

	"budgetsite/internal/report"
)

// number checks a token whose core is digits with . , : - / between them.
func (c *checker) number(s sentence, i int) {
	d := c.d
	t := d.toks[i]
	core := d.core(i)
	next := c.nextWord(s, i)
	if bytes.IndexByte(core, ':') >= 0 {
		return // a time: 10:30
	}
	if y, m, dd, ok := isoDate(core); ok {
		c.date(t.ws, core, dd, m, y)
		return
	}
	if bytes.ContainsAny(core, "-/") || c.phone(s, i) {
		return // ranges (10-12), extensions, telephone numbers
	}
	dots, commas := bytes.Count(core, []byte(".")), bytes.Count(core, []byte(","))
	switch {
	case commas > 0:
		sugg := "Runden Sie die Zahl, wenn es geht."
		if next == "euro" && commas == 1 {
			whole, cents, _ := strings.Cut(string(core), ",")
			if len(cents) == 2 {
				sugg = "Schreiben Sie: " + whole + " Euro und " + strings.TrimPrefix(cents, "0") + " Cent."
			}
		}
		c.add(t.ws, report.Fehler, RuleDezimalzahl, "Die Zahl "+quote(core)+" hat ein Komma.", sugg)
	case dots >= 1 && thousands(core):
		c.bigNumber(t.ws, core)
	case dots == 2:
		parts := bytes.Split(core, []byte("."))
		if dd, m, ok := dayMonth(parts[0], parts[1]); ok && (len(parts[2]) == 2 || len(parts[2]) == 4) {
			y, _ := strconv.Atoi(string(parts[2]))
			if len(parts[2]) == 2 {
				y += 2000
			}
			c.date(t.ws, core, dd, m, y)
		}
	case dots == 1:
		a, b, _ := bytes.Cut(core, []byte("."))
		if dd, m, ok := dayMonth(a, b); ok && bytes.HasPrefix(d.trail(i), []byte(".")) && len(b) == 2 {
			c.date(t.ws, append(bytes.Clone(core), '.'), dd, m, 0)
			return
		}
		if next == "uhr" {
			return // 9.30 Uhr
		}
		c.add(t.ws, report.Fehler, RuleDezimalzahl, "Die Zahl "+quote(core)+" hat einen Punkt wie eine Komma·zahl.",
			"Runden Sie die Zahl, wenn es geht.")
	case dots == 0 && len(core) >= 3:
		n, _ := strconv.Atoi(string(core))
		switch {
		case len(core) == 4 && n >= 1900 && n <= 2100 && next != "euro" && next != "€":
			return // a year
		case len(core) == 5 && i+1 < s.to && d.toks[i+1].has(fUpperFirst) &&
			(i == s.from || d.toks[i].has(fNewlineBefore) || c.commaAfter(i-1)):
			return // a postal code: "Hafenberg 10, 86152 Augsburg"
		}
		c.bigNumber(t.ws, core)
	}
}

func (c *checker) bigNumber(off int, core []byte) {
	c.add(off, report.Hinweis, RuleGrosseZahl, "Die Zahl "+quote(core)+" ist groß. Große Zahlen sind schwer zu verstehen.",
		"Prüfen Sie, ob die genaue Zahl wichtig ist. Sonst schreiben Sie zum Beispiel „viele“.")
}

func (c *checker) date(off int, core []byte, day, month, year int) {
	want := strconv.Itoa(day) + ". " + months[month-1]
	if year > 0 {
		want += " " + strconv.Itoa(year)
	}
	c.add(off, report.Fehler, RuleDatum, "Das Datum "+quote(core)+" ist schwer zu lesen.",
		"Schreiben Sie: "+want+".")
}

// phone reports whether token i belongs to a telephone or fax number: a run
// of digit groups that starts with 0 or +, or follows a word like "Telefon".
func (c *checker) phone(s sentence, i int) bool {
	d := c.d
	k := i
	for k > s.from {
		p := d.toks[k-1]
		if !p.has(fDigit) || p.has(fLetter) || bytes.ContainsAny(d.trail(k-1), ",;") {
			break
		}
		k--
	}
	first := d.core(k)
	if len(first) >= 3 && first[0] == '0' && !bytes.ContainsAny(first, ",") {
		return true
	}
	if bytes.Contains(d.lead(k), []byte("+")) {
		return true
	}
	return phoneWords[c.prevWord(s, k)]
}

func (c *checker) nextWord(s sentence, i int) string {
	for k := i + 1; k < s.to; k++ {
		if c.d.toks[k].isWord() {
			return string(c.d.lower(k))
		}
		if bytes.ContainsRune(c.d.buf[c.d.toks[k].s:c.d.toks[k].e], '€') {
			return "€"
		}
	}
	if i+1 < s.to && bytes.ContainsRune(c.d.trail(i), '€') {
		return "€"
	}
	return ""
}

func (c *checker) prevWord(s sentence, i int) string {
	for k := i - 1; k >= s.from; k-- {
		if c.d.toks[k].isWord() {
			return string(c.d.lower(k))
		}
	}
	return ""
}

// thousands matches 1.000 and 12.500.000.
func thousands(b []byte) bool {
	parts := bytes.Split(b, []byte("."))
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

func dayMonth(a, b []byte) (day, month int, ok bool) {
	if len(a) == 0 || len(a) > 2 || len(b) == 0 || len(b) > 2 {
		return 0, 0, false
	}
	day, _ = strconv.Atoi(string(a))
	month, _ = strconv.Atoi(string(b))
	return day, month, day >= 1 && day <= 31 && month >= 1 && month <= 12
}

// isoDate matches 2022-02-22.
func isoDate(b []byte) (y, m, d int, ok bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return
	}
	y, err1 := strconv.Atoi(string(b[:4]))
	d, m, ok = dayMonth(b[8:10], b[5:7])
	return y, m, d, ok && err1 == nil
}
