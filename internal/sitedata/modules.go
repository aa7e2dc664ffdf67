package sitedata

import (
	"strings"

	"budgetsite/internal/enrich"
	"budgetsite/internal/finish"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/variant"
)

// GlossaryPage is the Wörterbuch's path below each variant's start page.
const GlossaryPage = "woerterbuch/"

func texts(ets []EasyText) []site.Text {
	out := make([]site.Text, len(ets))
	for i, t := range ets {
		out[i] = site.Text{File: t.File, Line: t.Line, Variant: variant.Leicht, Text: t.Text}
	}
	return out
}

// ContactsModule is the module of data/kontakte.yaml: the contact people the
// contact page and the self-check show.
type ContactsModule struct{ d Data }

func NewContacts() *ContactsModule { return &ContactsModule{} }

func (*ContactsModule) Name() string { return "Kontakte" }

func (m *ContactsModule) Load(e *site.Env) []report.Problem {
	m.d = Data{}
	return m.d.loadContacts(e.Root)
}

// GlossaryModule is the module of the abbreviations and the Wörterbuch: it checks
// both files, gives the Leichte Sprache rules the words they explain, and
// enriches every page where a term or an abbreviation is first used.
type GlossaryModule struct {
	d     Data
	by    [len(variant.All)]*enrich.Enricher
	words map[string]bool
	abbr  map[string]string
}

func NewGlossary() *GlossaryModule { return &GlossaryModule{} }

func (*GlossaryModule) Name() string { return "Wörterbuch und Abkürzungen" }

func (m *GlossaryModule) Load(e *site.Env) []report.Problem {
	m.d = Data{}
	ps := m.d.loadGlossary(e.Root)
	m.by = enrichers(&m.d)
	m.words, m.abbr = map[string]bool{}, map[string]string{}
	for _, w := range m.d.Glossary.AkzeptierteWoerter {
		m.words[strings.ToLower(w)] = true
	}
	for _, a := range m.d.Abbreviations {
		m.abbr[a.Kurz] = a.Lang
	}
	for _, t := range m.d.Glossary.Begriffe {
		if isAllCaps(t.Begriff) {
			m.abbr[t.Begriff] = t.Erklaerung
		}
	}
	return ps
}

func (m *GlossaryModule) Texts(*site.Env) []site.Text { return texts(m.d.EasyTexts) }

// Vocabulary is what the Leichte Sprache rules accept without a split or an
// explanation: the glossary's accepted long words (lower-case) and every
// explained abbreviation with its long form.
func (m *GlossaryModule) Vocabulary() (accepted map[string]bool, abbreviations map[string]string) {
	return m.words, m.abbr
}

func (m *GlossaryModule) Stages(e *site.Env) ([]finish.NewFilter, []finish.NewCheck) {
	return []finish.NewFilter{enrich.Stage(func(v variant.V) *enrich.Enricher { return m.by[v] }, e.BasePath, GlossaryPage)}, nil
}

// enrichers builds the abbreviation and glossary enrichment per variant.
func enrichers(d *Data) [len(variant.All)]*enrich.Enricher {
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
	var by [len(variant.All)]*enrich.Enricher
	by[variant.Standard], by[variant.Leicht] = enrich.New(abbrs, std), enrich.New(abbrs, easy)
	return by
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

// StatementModule is the module of the accessibility statement's data.
type StatementModule struct{ d Data }

func NewStatement() *StatementModule { return &StatementModule{} }

func (*StatementModule) Name() string { return "Erklärung zur Barrierefreiheit" }

func (m *StatementModule) Load(e *site.Env) []report.Problem {
	m.d = Data{}
	return m.d.loadStatement(e.Root)
}

func (m *StatementModule) Texts(*site.Env) []site.Text { return texts(m.d.EasyTexts) }
