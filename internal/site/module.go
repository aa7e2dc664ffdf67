package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/finish"
	"budgetsite/internal/linkcheck"
	"budgetsite/internal/report"
	"budgetsite/internal/siteconfig"
	"budgetsite/internal/variant"
	"budgetsite/internal/yamlfile"
)

// Module is one domain of the site (the glossary, the self-check, the
// request forms, …) plugged into the pipeline the way an extension plugs
// into goldmark: the pipeline knows no module, a module implements any of
// the phase interfaces below, and cmd/budgetsite registers them with
// New(WithModules(…)). Modules run in the order they are registered.
type Module interface {
	// Name names the module in messages ("Selbstcheck", "Wörterbuch").
	Name() string
}

// Env is what a module may know of the build.
type Env struct {
	Root       string // project root (where hugo.toml is)
	ModuleRoot string // where go.mod is (for the WebAssembly)
	Config     *siteconfig.Config
	BaseURL    string // as built: "https://www.example.org/" or a loopback address
	BasePath   string // the base URL's path, "/" or "/sub/"
	Now        time.Time
	DryRun     bool // `check`: nothing is written
	Production bool // the build for publishing
	OutDir     string
	// Pages are the Markdown sources of both variants, read before the
	// render models are made (after every Load).
	Pages []*Page
}

// Loader reads the module's data files before anything else runs. A Fehler
// here stops the build before Hugo renders: Hugo would fail on the same
// file again, with false trails in every template that uses it.
type Loader interface {
	Load(e *Env) []report.Problem
}

// Text is a text inside a data file that the text checks read (the
// Leichte Sprache rules), with the line it starts on.
type Text struct {
	File    string
	Line    int
	Variant variant.V
	Text    string
}

// TextSource offers the texts of its data files, after Load.
type TextSource interface {
	Texts(e *Env) []Text
}

// Page is one Markdown source, parsed once for every check.
type Page = contentlint.Page

// PageChecker checks each Markdown page. It runs beside Hugo, so it only
// reads.
type PageChecker interface {
	CheckPage(e *Env, pg *Page) []report.Problem
}

// TextChecker checks the texts every TextSource offers.
type TextChecker interface {
	CheckText(e *Env, t Text) []report.Problem
}

// DataProvider hands Hugo the module's render model: each value is written
// as JSON into a data folder Hugo reads (hugo.Data.<name>), so that
// templates only print what Go prepared.
type DataProvider interface {
	HugoData(e *Env) (map[string]any, []report.Problem)
}

// Stager adds steps to the finish step of every built page: filters that
// rewrite its tokens (in registration order) and checks that read them.
type Stager interface {
	Stages(e *Env) ([]finish.NewFilter, []finish.NewCheck)
}

// Files is where a module puts the files it adds to the built site; they get
// the same minifying, compression and link check as Hugo's.
type Files interface {
	// Add writes data at rel (a slash path below the site root).
	Add(rel string, data []byte)
	// AddFile takes a file the module already wrote below Dir.
	AddFile(rel string)
	// Dir is the folder the site is built into.
	Dir() string
}

// FileMaker adds files after Hugo rendered (the WebAssembly, calendars, the
// receiver's form definitions). It does not run for `check` or after a
// Fehler.
type FileMaker interface {
	MakeFiles(ctx context.Context, e *Env, f Files) []report.Problem
}

// PathOwner serves URL paths below the site that are not static files (the
// request receiver): the link check asks it instead of looking for a file.
type PathOwner interface {
	linkcheck.Owner
}

// Built is the finished site as the site-wide checks see it.
type Built struct {
	Pages    []finish.Page
	Rendered []RenderedPage
	Files    []string // every file of the site, slash paths below its root
}

// SiteChecker checks the whole built site once every page is finished.
type SiteChecker interface {
	CheckSite(e *Env, b *Built) []report.Problem
}

// FileObserver sees every file of the built site as it is served, in the
// finish step's workers (concurrently: it locks what it collects), so that
// a Publisher needs not read the site back from disk. It must not keep data.
type FileObserver interface {
	ObserveFile(rel string, data []byte)
}

// Publisher runs after public/ was replaced by the new site (the web server
// configuration that is made from the site as built). Its problems cannot
// stop the build any more: they are Warnungen.
type Publisher interface {
	Published(e *Env) []report.Problem
}

// Reporter adds lines to the summary a build prints (a count an operator
// should know before publishing).
type Reporter interface {
	Report(e *Env) []string
}

// Site is a configured pipeline.
type Site struct {
	modules []Module
}

// Option configures a Site.
type Option func(*Site)

// WithModules registers modules, in order.
func WithModules(ms ...Module) Option {
	return func(s *Site) { s.modules = append(s.modules, ms...) }
}

// New makes a pipeline.
func New(opts ...Option) *Site {
	s := &Site{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Modules lists the registered modules.
func (s *Site) Modules() []Module { return s.modules }

func each[T any](ms []Module) []T {
	var out []T
	for _, m := range ms {
		if t, ok := m.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// YAMLTexts reads the Leichte Sprache texts of a data file a module owns:
// every string under a key "ls", with its line. Page paths ("/…") are
// addresses, not text. A missing or broken file yields nothing here: the
// module's Load reports it.
func YAMLTexts(root, rel string) []Text {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	texts, err := yamlfile.TextsUnder(src, variant.Leicht.Key())
	if err != nil {
		return nil
	}
	var out []Text
	for _, t := range texts {
		if v := strings.TrimSpace(t.Value); v == "" || strings.HasPrefix(v, "/") {
			continue
		}
		out = append(out, Text{File: rel, Line: t.Line, Variant: variant.Leicht, Text: t.Value})
	}
	return out
}
