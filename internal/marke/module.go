package marke

import (
	"context"

	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// The icon files at the site's root, as the head of every page links them.
const (
	FaviconSVG = "favicon.svg"
	FaviconPNG = "favicon.png"          // 32 × 32, for browsers without SVG icons
	TouchIcon  = "apple-touch-icon.png" // 180 × 180, what phones put on the home screen
)

// HeaderPx is the sign's size in the header, in CSS px.
const HeaderPx = 44

// Module hands the templates the inline sign and writes the icon files.
type Module struct {
	dryRun bool
}

// NewModule makes the module.
func NewModule() *Module { return &Module{} }

func (*Module) Name() string { return "Marke" }

func (m *Module) Load(e *site.Env) []report.Problem {
	m.dryRun = e.DryRun
	return nil
}

// HugoData is hugo.Data.marke: the inline SVG and the icons' paths.
func (*Module) HugoData(*site.Env) (map[string]any, []report.Problem) {
	return map[string]any{"marke": map[string]any{
		"svg":         SVG(HeaderPx, true, false),
		"favicon_svg": FaviconSVG,
		"favicon_png": FaviconPNG,
		"touch_icon":  TouchIcon,
	}}, nil
}

func (*Module) MakeFiles(_ context.Context, _ *site.Env, f site.Files) []report.Problem {
	f.Add(FaviconSVG, []byte(SVG(0, true, true)))
	for _, icon := range []struct {
		name    string
		px      int
		rounded bool
	}{{FaviconPNG, 32, true}, {TouchIcon, 180, false}} {
		b, err := PNG(icon.px, icon.rounded)
		if err != nil {
			return []report.Problem{{File: "internal/marke", Severity: report.Fehler, Rule: "marke",
				Message: "Das Symbol " + icon.name + " ließ sich nicht zeichnen: " + err.Error()}}
		}
		f.Add(icon.name, b)
	}
	return nil
}

// Owns answers the link check of `budgetsite check`, which writes no
// files: the icons exist once the site is built.
func (m *Module) Owns(p string) (bool, string) {
	if !m.dryRun {
		return false, ""
	}
	switch p {
	case FaviconSVG, FaviconPNG, TouchIcon:
		return true, ""
	}
	return false, ""
}
