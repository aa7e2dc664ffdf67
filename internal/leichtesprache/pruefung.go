package leichtesprache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"budgetsite/internal/markdown"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/variant"
)

// RuleReview is the rule of the check by Prüflesende (people of the target
// group, DIN SPEC 33429): which Leichte Sprache page they checked, and
// whether it changed since.
const RuleReview = "pruefung"

// Review is a page's record of its check, in its front matter:
//
//	pruefung:
//	  datum: 2026-11-30
//	  gruppe: "Prüfgruppe der …"
//	  fassung: "3f2a…"   # written by `budgetsite geprueft`
type Review struct {
	Datum   string // YYYY-MM-DD
	Gruppe  string
	Fassung string // Fingerprint of the page as it was checked
}

// Fingerprint identifies the text of a page as checked: everything but the
// review record itself, so that recording a check does not count as a
// change.
func Fingerprint(src []byte) string {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	end := markdown.FrontMatterEnd(src)
	var b bytes.Buffer
	skip := false
	for i, line := range bytes.SplitAfter(src[:end], []byte("\n")) {
		top := i > 0 && len(line) > 0 && line[0] != ' ' && line[0] != '\t' && line[0] != '#'
		if top {
			skip = bytes.HasPrefix(line, []byte("pruefung:"))
		}
		if !skip {
			b.Write(line)
		}
	}
	b.Write(src[end:])
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:6])
}

// reviewOf reads a page's record; ok is false when it has none. A record
// that cannot be read is a problem at the front matter's line.
func reviewOf(pg *site.Page) (r Review, ok bool, problem string) {
	v, has := pg.FrontMatter["pruefung"]
	if !has || v == nil {
		return r, false, ""
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return r, false, "pruefung: braucht datum und gruppe, zum Beispiel pruefung: {datum: 2026-11-30, gruppe: \"Prüfgruppe …\"}."
	}
	switch d := m["datum"].(type) {
	case time.Time:
		r.Datum = d.Format("2006-01-02")
	case string:
		r.Datum = d
	}
	r.Gruppe, _ = m["gruppe"].(string)
	r.Fassung, _ = m["fassung"].(string)
	if _, err := time.Parse("2006-01-02", r.Datum); err != nil {
		return r, false, fmt.Sprintf("pruefung.datum %q hat nicht die Form JJJJ-MM-TT.", r.Datum)
	}
	if strings.TrimSpace(r.Gruppe) == "" {
		return r, false, "pruefung.gruppe fehlt: Wer hat die Seite geprüft?"
	}
	return r, true, ""
}

// reviewProblems are the page's Hinweise (never checked, changed since) or
// a Fehler (a record that cannot be read).
func reviewProblems(pg *site.Page) []report.Problem {
	if !pg.Easy {
		return nil
	}
	r, ok, bad := reviewOf(pg)
	line := frontMatterLine(pg.Src, "pruefung")
	switch {
	case bad != "":
		return []report.Problem{{File: pg.File, Line: line, Severity: report.Fehler, Rule: RuleReview, Message: bad}}
	case !ok:
		return []report.Problem{{File: pg.File, Line: 1, Severity: report.Hinweis, Rule: RuleReview,
			Message: "Diese Seite hat noch keine Prüfgruppe geprüft. Nach der Prüfung: budgetsite geprueft " + pg.File + " --gruppe \"…\""}}
	case r.Fassung != Fingerprint(pg.Src):
		return []report.Problem{{File: pg.File, Line: line, Severity: report.Hinweis, Rule: RuleReview,
			Message: fmt.Sprintf("Die Seite wurde nach der Prüfung am %s geändert. Lassen Sie sie wieder prüfen, dann: budgetsite geprueft %s --gruppe \"…\"", r.Datum, pg.File)}}
	}
	return nil
}

func frontMatterLine(src []byte, key string) int {
	for i, l := range bytes.Split(src, []byte("\n")) {
		if bytes.HasPrefix(l, []byte(key+":")) {
			return i + 1
		}
	}
	return 1
}

// reviewPage is a Leichte Sprache page as the accessibility statement lists it.
type reviewPage struct {
	Titel  string `json:"titel"`
	URL    string `json:"url"`
	Datum  string `json:"datum,omitempty"`
	Gruppe string `json:"gruppe,omitempty"`
}

// reviews sorts the Leichte Sprache pages into checked (by URL path, for
// the "Geprüft von" line), never checked and changed since.
func reviews(e *site.Env) (checked map[string]reviewPage, open, changed []reviewPage) {
	checked = map[string]reviewPage{}
	for _, pg := range e.Pages {
		if !pg.Easy || pg.FrontMatter == nil {
			continue
		}
		if d, _ := pg.FrontMatter["draft"].(bool); d {
			continue
		}
		title, _ := pg.FrontMatter["title"].(string)
		p := reviewPage{Titel: title, URL: urlOf(e.BasePath, pg)}
		r, ok, _ := reviewOf(pg)
		switch {
		case !ok:
			open = append(open, p)
		case r.Fassung != Fingerprint(pg.Src):
			p.Datum = r.Datum
			changed = append(changed, p)
		default:
			p.Datum, p.Gruppe = r.Datum, r.Gruppe
			checked[p.URL] = p
		}
	}
	byURL := func(a, b reviewPage) int { return strings.Compare(a.URL, b.URL) }
	slices.SortFunc(open, byURL)
	slices.SortFunc(changed, byURL)
	return checked, open, changed
}

// urlOf is the address of a Leichte Sprache page: its front matter's url,
// or from its file below content/ls ("budget/antrag.md" →
// "/leichte-sprache/budget/antrag/"). The build's link check proves it.
func urlOf(base string, pg *site.Page) string {
	if u, _ := pg.FrontMatter["url"].(string); u != "" {
		return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(u, "/")
	}
	p := strings.TrimSuffix(pg.Rel, ".md")
	p = strings.TrimSuffix(strings.TrimSuffix(p, "_index"), "index")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return strings.TrimSuffix(base, "/") + "/" + variant.Leicht.Prefix() + p
}

// HugoData is pruefung: the checked pages by URL path ("Geprüft von" on the
// page), and the lists of pages not checked or changed since, which the
// accessibility statement prints instead of a general sentence.
func (m *Module) HugoData(e *site.Env) (map[string]any, []report.Problem) {
	checked, open, changed := reviews(e)
	return map[string]any{"pruefung": map[string]any{"geprueft": checked, "offen": open, "geaendert": changed}}, nil
}

// Report names, for a build to publish, how many Leichte Sprache pages
// no Prüfgruppe has checked yet.
func (m *Module) Report(e *site.Env) []string {
	if !e.Production {
		return nil
	}
	checked, open, changed := reviews(e)
	return []string{fmt.Sprintf("Prüfung durch Prüflesende: %d Seiten in Leichter Sprache geprüft, %d noch nicht geprüft, %d nach der Prüfung geändert (die Erklärung zur Barrierefreiheit nennt sie).",
		len(checked), len(open), len(changed))}
}
