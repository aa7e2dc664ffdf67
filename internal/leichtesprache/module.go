package leichtesprache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"budgetsite/internal/finish"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/yamlfile"
)

// SynonymsFile lists groups of words for one thing; the first is the one to use.
const SynonymsFile = "data/synonyme.yaml"

// Vocabulary gives the rules the words the project explains elsewhere (the
// glossary and the abbreviations).
type Vocabulary interface {
	Vocabulary() (accepted map[string]bool, abbreviations map[string]string)
}

// PageFigures are the reading figures of one source page.
type PageFigures struct {
	File    string  `json:"file"`
	Easy    bool    `json:"leichteSprache"`
	Figures Figures `json:"figures"`
}

// Module checks every page and every Leichte Sprache text of the data
// files with the rules (the full set on Leichte Sprache, the light profile
// on Standard pages), keeps the record of the check by Prüflesende
// (pruefung.go), and gives a break chance after every "·".
type Module struct {
	vocab   Vocabulary
	figures bool
	cfg     *Config

	mu   sync.Mutex
	figs []PageFigures
}

// ModuleOption configures the module.
type ModuleOption func(*Module)

// WithFigures measures the readability of every page (check --readability).
func WithFigures() ModuleOption { return func(m *Module) { m.figures = true } }

// NewModule makes the module; vocab may be nil.
func NewModule(vocab Vocabulary, opts ...ModuleOption) *Module {
	m := &Module{vocab: vocab}
	for _, o := range opts {
		o(m)
	}
	return m
}

func (*Module) Name() string { return "Leichte Sprache" }

// Load reads the synonym groups; the vocabulary comes from its own module,
// which is registered (and so loaded) first.
func (m *Module) Load(e *site.Env) []report.Problem {
	ps := m.load(e.Root)
	m.figs = nil
	return ps
}

func (m *Module) load(root string) []report.Problem {
	cfg := &Config{AcceptedWords: map[string]bool{}, KnownAbbreviations: map[string]string{}}
	if m.vocab != nil {
		cfg.AcceptedWords, cfg.KnownAbbreviations = m.vocab.Vocabulary()
	}
	var syn struct {
		Gruppen [][]string `yaml:"gruppen"`
	}
	src, err := os.ReadFile(filepath.Join(root, SynonymsFile))
	var ps []report.Problem
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		ps = append(ps, report.Problem{File: SynonymsFile, Severity: report.Fehler, Rule: "datei", Message: "Die Datei ist nicht lesbar: " + err.Error()})
	default:
		_, ps = yamlfile.Decode(SynonymsFile, src, &syn)
	}
	cfg.Synonyms = syn.Gruppen
	m.cfg = cfg
	return ps
}

// Config is the rules' word data after Load.
func (m *Module) Config() *Config { return m.cfg }

// ConfigFor reads the word data of a project without a build (check-text).
func ConfigFor(root string, vocab site.Loader) *Config {
	env := &site.Env{Root: root}
	if vocab != nil {
		_ = vocab.Load(env) // its problems are `check`'s business
	}
	v, _ := vocab.(Vocabulary)
	m := NewModule(v)
	_ = m.load(root)
	return m.cfg
}

func (m *Module) CheckPage(_ *site.Env, pg *site.Page) []report.Problem {
	profile := Standard
	if pg.Easy {
		profile = Leicht
	}
	ps := CheckDoc(pg.File, pg.Markdown(), profile, m.cfg)
	ps = append(ps, reviewProblems(pg)...)
	if m.figures {
		f := PageFigures{File: pg.File, Easy: pg.Easy, Figures: MeasureDoc(pg.Markdown())}
		m.mu.Lock()
		m.figs = append(m.figs, f)
		m.mu.Unlock()
	}
	return ps
}

// CheckText checks a Leichte Sprache text of a data file; findings carry
// the file's line (the column is unknown inside a YAML value).
func (m *Module) CheckText(_ *site.Env, t site.Text) []report.Problem {
	if !t.Variant.Easy() {
		return nil
	}
	ps := Check(t.File, []byte(t.Text), Leicht, m.cfg)
	for i := range ps {
		ps[i].Line += t.Line - 1
		ps[i].Col = 0
	}
	return ps
}

func (m *Module) Stages(*site.Env) ([]finish.NewFilter, []finish.NewCheck) {
	return []finish.NewFilter{finish.BreakAfterMiddleDots}, nil
}

// Figures are the reading figures of the last build (WithFigures).
func (m *Module) Figures() []PageFigures {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.figs
}
