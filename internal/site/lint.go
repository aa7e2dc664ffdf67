package site

import (
	"budgetsite/internal/contentlint"
	"budgetsite/internal/report"
)

// lint checks every Markdown page and every text of the data files: the
// pipeline's own rules for any page (twins, headings, pictures), then each
// module's. Each page is parsed once (Page.Markdown) for all of them.
func (s *Site) lint(e *Env, pages []*Page) []report.Problem {
	ps := contentlint.Twins(pages)
	checkers := each[PageChecker](s.modules)
	for _, pg := range pages {
		if pg.FrontMatter == nil {
			continue // unreadable: reported with its line by Collect
		}
		ps = append(ps, contentlint.Headings(pg)...)
		ps = append(ps, contentlint.Images(pg)...)
		for _, c := range checkers {
			ps = append(ps, c.CheckPage(e, pg)...)
		}
		pg.Release()
	}
	textCheckers := each[TextChecker](s.modules)
	for _, src := range each[TextSource](s.modules) {
		for _, t := range src.Texts(e) {
			for _, c := range textCheckers {
				ps = append(ps, c.CheckText(e, t)...)
			}
		}
	}
	demoteDrafts(pages, ps)
	return ps
}

// demoteDrafts turns the Fehler of pages marked draft: true into Hinweise:
// a draft is not published, so it must not block the build; `check` still
// shows what to fix before it goes online.
func demoteDrafts(pages []*Page, ps []report.Problem) {
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
