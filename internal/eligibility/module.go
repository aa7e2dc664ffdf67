package eligibility

import (
	"context"
	"path/filepath"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/wasm"
)

// File is the rule set below the project root.
const File = "data/selbstcheck.yaml"

// Module is the self-check: it loads and validates the rule set, hands Hugo
// every answer path as a static page (selbstcheck_seiten), and compiles the
// same rules to WebAssembly for the one-page check.
type Module struct {
	noWasm bool
	rs     *RuleSet
	sizes  *wasm.Sizes
}

// ModuleOption configures the module.
type ModuleOption func(*Module)

// WithoutWasm leaves the WebAssembly out (tests and previews that do not
// need it; the static pages work without it).
func WithoutWasm() ModuleOption { return func(m *Module) { m.noWasm = true } }

func NewModule(opts ...ModuleOption) *Module {
	m := &Module{}
	for _, o := range opts {
		o(m)
	}
	return m
}

func (*Module) Name() string { return "Selbstcheck" }

func (m *Module) Load(e *site.Env) []report.Problem {
	m.rs, m.sizes = nil, nil
	rs, ps := LoadFile(filepath.Join(e.Root, filepath.FromSlash(File)), File)
	if rs != nil && report.Count(ps, report.Fehler) == 0 {
		m.rs = rs
	}
	return ps
}

func (m *Module) Texts(e *site.Env) []site.Text { return site.YAMLTexts(e.Root, File) }

func (m *Module) HugoData(*site.Env) (map[string]any, []report.Problem) {
	if m.rs == nil {
		return nil, nil
	}
	d, err := PageData(m.rs)
	if err != nil {
		return nil, []report.Problem{{File: File, Severity: report.Fehler, Rule: "selbstcheck", Message: err.Error()}}
	}
	return map[string]any{"selbstcheck_seiten": d}, nil
}

func (m *Module) MakeFiles(ctx context.Context, e *site.Env, f site.Files) []report.Problem {
	if m.noWasm {
		return nil
	}
	sizes, err := wasm.Build(ctx, e.ModuleRoot, f.Dir())
	if err != nil {
		return []report.Problem{{File: "cmd/selfcheck", Severity: report.Fehler, Rule: "wasm",
			Message: "Der Selbstcheck (WebAssembly) ließ sich nicht bauen: " + err.Error()}}
	}
	m.sizes = &sizes
	f.AddFile(wasm.Dir + "/" + wasm.WasmName)
	f.AddFile(wasm.Dir + "/" + wasm.ExecName)
	return nil
}

// WasmSizes are the sizes of the last build's WebAssembly, nil without one.
func (m *Module) WasmSizes() *wasm.Sizes { return m.sizes }
