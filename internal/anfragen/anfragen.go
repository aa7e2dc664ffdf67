// Package anfragen is the request forms' module of the build: it checks
// data/formulare.yaml together with the receiver's texts and retention
// period, gives the form templates their fields with the HTML ids the
// receiver relies on, writes the receiver's definitions into the built site,
// and answers the link check for the receiver's URL paths.
//
// It is a package of its own so that the receiver, which reads what this
// module writes, does not link the build pipeline.
package anfragen

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"budgetsite/internal/forms"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Module is the request forms.
type Module struct {
	set    *forms.Set
	bundle []byte
	prefix string // the receiver's path below the site root, "anfragen/"; "" when elsewhere
}

func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Anfrage-Formulare" }

func (m *Module) Load(e *site.Env) []report.Problem {
	m.set, m.bundle = nil, nil
	b, ps := bundle.Build(e.Root)
	if b == nil {
		return ps
	}
	m.bundle = b
	src, err := os.ReadFile(filepath.Join(e.Root, filepath.FromSlash(bundle.FormsFile)))
	if err == nil {
		m.set, _ = forms.Parse(bundle.FormsFile, src) // its problems are in ps already
	}
	m.prefix = receiverPrefix(e)
	return ps
}

// receiverPrefix is where the forms post to, below the site root, when that
// is on the site's own host (hugo.toml params.anfragen.adresse).
func receiverPrefix(e *site.Env) string {
	addr := strings.TrimSpace(e.Config.Params.Anfragen["adresse"])
	if addr == "" {
		return ""
	}
	u, err := url.Parse(addr)
	if err != nil || (u.Host != "" && !strings.EqualFold(u.Host, e.Config.Host())) {
		return ""
	}
	p := strings.TrimPrefix(strings.TrimSuffix(u.Path, "/"), strings.TrimSuffix(e.BasePath, "/"))
	return strings.TrimPrefix(p, "/") + "/"
}

func (m *Module) Texts(e *site.Env) []site.Text { return site.YAMLTexts(e.Root, bundle.FormsFile) }

// HugoData is formular_modell: each form with its fields and the ids of
// their controls, hints and options, so that templates print the ids the
// receiver's error pages link to instead of composing them.
func (m *Module) HugoData(*site.Env) (map[string]any, []report.Problem) {
	if m.set == nil {
		return nil, nil
	}
	model := map[string]any{}
	for id, f := range m.set.Forms {
		var groups []map[string]any
		for _, g := range f.Gruppen {
			var fields []map[string]any
			for _, fd := range g.Felder {
				var opts []map[string]any
				for _, o := range fd.Optionen {
					opts = append(opts, map[string]any{"wert": o.Wert, "label": o.Label, "id": fd.OptionID(o.Wert)})
				}
				fields = append(fields, map[string]any{
					"name": fd.Name, "typ": fd.Typ, "pflicht": fd.Pflicht, "max": fd.Max, "autocomplete": fd.Autocomplete,
					"label": fd.Label, "hilfe": fd.Hilfe, "optionen": opts, "id": fd.ID(), "hilfe_id": fd.HelpID(),
				})
			}
			groups = append(groups, map[string]any{"id": g.ID, "legende": g.Legende, "felder": fields})
		}
		model[id] = map[string]any{"titel": f.Titel, "gruppen": groups, "honigtopf_id": forms.HoneypotID}
	}
	return map[string]any{"formular_modell": model}, nil
}

func (m *Module) MakeFiles(_ context.Context, _ *site.Env, f site.Files) []report.Problem {
	if m.bundle != nil {
		f.Add(bundle.File, m.bundle)
	}
	return nil
}

// Owns answers the link check for the receiver's paths: a form's address,
// and the health check.
func (m *Module) Owns(p string) (bool, string) {
	if m.prefix == "" || !strings.HasPrefix(p, m.prefix) {
		return false, ""
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(p, m.prefix), "/")
	if rest == bundle.HealthName {
		return true, ""
	}
	if m.set != nil {
		if _, ok := m.set.Forms[rest]; ok {
			return true, ""
		}
		return true, fmt.Sprintf("ein Formular „%s“ gibt es nicht (data/formulare.yaml kennt: %s)", rest, strings.Join(m.set.IDs(), ", "))
	}
	return true, ""
}
