package htmlcheck

import (
	"strings"

	"budgetsite/internal/finish"
	pipeline "budgetsite/internal/site"
)

// Module runs the checks of this package on every built page. Only the
// pages hugo.toml lists in params.skriptSeiten may load a script.
type Module struct{}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Prüfung der Seiten" }

func (*Module) Stages(e *pipeline.Env) ([]finish.NewFilter, []finish.NewCheck) {
	scripts := map[string]bool{}
	base := strings.TrimSuffix(e.BasePath, "/")
	for _, p := range e.Config.Params.SkriptSeiten {
		scripts[base+p] = true
	}
	host := e.Config.Host()
	return nil, []finish.NewCheck{Stage(func(p finish.PageInfo) Options {
		return Options{AllowScript: scripts[p.Path], SiteHost: host}
	})}
}
