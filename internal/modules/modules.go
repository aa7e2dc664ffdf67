// Package modules is the list of the site's modules, in the order the
// pipeline runs them: cmd/budgetsite registers it (site.New(
// site.WithModules(modules.Default(…)...))), and the tests that build the
// real site use the same list.
package modules

import (
	"budgetsite/internal/anfragen"
	"budgetsite/internal/berichte"
	"budgetsite/internal/betreiber"
	"budgetsite/internal/bilder"
	"budgetsite/internal/deploy"
	"budgetsite/internal/eligibility"
	"budgetsite/internal/htmlcheck"
	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/listings"
	"budgetsite/internal/marke"
	"budgetsite/internal/site"
	"budgetsite/internal/sitedata"
)

// Options choose what a build needs beyond the site itself.
type Options struct {
	// NoWasm leaves out the self-check's WebAssembly (tests, previews).
	NoWasm bool
	// Readability measures every page (check --readability).
	Readability bool
}

// Default returns the modules. The glossary comes before the Leichte
// Sprache rules, which use its words, and before the page checks, so that
// they see the links and boxes it adds.
func Default(o Options) []site.Module {
	glossary := sitedata.NewGlossary()
	var lsOpts []leichtesprache.ModuleOption
	if o.Readability {
		lsOpts = append(lsOpts, leichtesprache.WithFigures())
	}
	var selfcheck []eligibility.ModuleOption
	if o.NoWasm {
		selfcheck = append(selfcheck, eligibility.WithoutWasm())
	}
	return []site.Module{
		betreiber.NewModule(),
		marke.NewModule(),
		sitedata.NewContacts(),
		glossary,
		sitedata.NewStatement(),
		bilder.NewModule(),
		leichtesprache.NewModule(glossary, lsOpts...),
		eligibility.NewModule(selfcheck...),
		listings.NewModule(),
		anfragen.NewModule(),
		berichte.NewModule(),
		htmlcheck.NewModule(),
		deploy.NewModule(),
	}
}

// Site is the pipeline with the default modules.
func Site(o Options) *site.Site { return site.New(site.WithModules(Default(o)...)) }
