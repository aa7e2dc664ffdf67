package site

import (
	"strings"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/enrich"
	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/listings"
	"budgetsite/internal/report"
	"budgetsite/internal/sitedata"
)

// PageFigures are the reading figures of one source page.
type PageFigures struct {
	File    string                 `json:"file"`
	Easy    bool                   `json:"leichteSprache"`
	Figures leichtesprache.Figures `json:"figures"`
}

type lintResult struct {
	problems  []report.Problem
	figures   []PageFigures
	enrichers map[bool]*enrich.Enricher
	listings  *listings.Data
}

// loadData reads the data files; the finish step needs their enrichment
// before the first page arrives.
func loadData(root string) (*sitedata.Data, *lintResult) {
	r := &lintResult{}
	data, ps := sitedata.Load(root)
	r.problems = append(r.problems, ps...)
	ld, ps := listings.Load(root)
	r.problems = append(r.problems, ps...)
	r.listings = ld
	r.enrichers = Enrichers(data)
	return data, r
}

// lintSources checks the Markdown and the texts inside data files.
func lintSources(data *sitedata.Data, pages []*contentlint.Page, readability bool, r *lintResult) {
	cfg := CheckerConfig(data)

	for _, t := range data.EasyTexts {
		for _, p := range leichtesprache.Check(t.File, []byte(t.Text), leichtesprache.Leicht, cfg) {
			p.Line += t.Line - 1
			p.Col = 0
			r.problems = append(r.problems, p)
		}
	}

	start := len(r.problems)
	defer func() { demoteDrafts(pages, r.problems[start:]) }()
	r.problems = append(r.problems, contentlint.Twins(pages)...)
	for _, pg := range pages {
		if pg.FrontMatter == nil {
			continue
		}
		r.problems = append(r.problems, contentlint.Headings(pg)...)
		r.problems = append(r.problems, contentlint.Images(pg)...)
		if contentlint.IsReport(pg) {
			r.problems = append(r.problems, contentlint.Report(pg)...)
		}
		profile := leichtesprache.Standard
		if pg.Easy {
			profile = leichtesprache.Leicht
		}
		r.problems = append(r.problems, leichtesprache.CheckDoc(pg.File, pg.Markdown(), profile, cfg)...)
		if readability {
			r.figures = append(r.figures, PageFigures{File: pg.File, Easy: pg.Easy, Figures: leichtesprache.MeasureDoc(pg.Markdown())})
		}
	}
}

// Enrichers builds the abbreviation and glossary enrichment per variant
// (key: Leichte Sprache or not).
func Enrichers(d *sitedata.Data) map[bool]*enrich.Enricher {
	abbrs := make([]enrich.Abbreviation, 0, len(d.Abbreviations))
	for _, a := range d.Abbreviations {
		abbrs = append(abbrs, enrich.Abbreviation{Short: a.Kurz, Long: a.Lang})
	}
	var std, easy []enrich.Term
	for _, t := range d.Glossary.Begriffe {
		forms := t.Formen
		if len(forms) == 0 {
			forms = []string{t.Begriff}
		}
		formsLS := t.FormenLS
		if len(formsLS) == 0 {
			formsLS = forms
		}
		std = append(std, enrich.Term{ID: t.ID, Title: t.Begriff, Forms: forms, Explanation: t.Erklaerung})
		// The box title is the Leichte Sprache headword (split compounds, no abbreviation).
		easy = append(easy, enrich.Term{ID: t.ID, Title: formsLS[0], Forms: formsLS, Explanation: strings.TrimSpace(t.ErklaerungLS)})
	}
	return map[bool]*enrich.Enricher{false: enrich.New(abbrs, std), true: enrich.New(abbrs, easy)}
}

// CheckerConfig feeds the Leichte Sprache checker from the data files.
func CheckerConfig(d *sitedata.Data) *leichtesprache.Config {
	cfg := &leichtesprache.Config{
		AcceptedWords:      map[string]bool{},
		KnownAbbreviations: map[string]string{},
		Synonyms:           d.Synonyms.Gruppen,
	}
	for _, w := range d.Glossary.AkzeptierteWoerter {
		cfg.AcceptedWords[strings.ToLower(w)] = true
	}
	for _, a := range d.Abbreviations {
		cfg.KnownAbbreviations[a.Kurz] = a.Lang
	}
	for _, t := range d.Glossary.Begriffe {
		if isAllCaps(t.Begriff) {
			cfg.KnownAbbreviations[t.Begriff] = t.Erklaerung
		}
	}
	return cfg
}

func isAllCaps(s string) bool {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			return false
		}
		n++
	}
	return n > 1
}

// demoteDrafts turns the Fehler of pages marked draft: true into Hinweise:
// a draft is not published, so it must not block the build; `check` still
// shows what to fix before it goes online.
func demoteDrafts(pages []*contentlint.Page, ps []report.Problem) {
	drafts := map[string]bool{}
	for _, pg := range pages {
		if d, _ := pg.FrontMatter["draft"].(bool); d {
			drafts[pg.File] = true
		}
	}
	for i := range ps {
		if drafts[ps[i].File] && ps[i].Severity != report.Hinweis {
			ps[i].Severity = report.Hinweis
			ps[i].Message = "Entwurf (draft: true), wird nicht veröffentlicht: " + ps[i].Message
		}
	}
}
