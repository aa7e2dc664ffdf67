// Package bilder is the module of the pictures beside the Leichte Sprache
// texts: pictograms of the open-licensed OpenMoji set (npm package
// openmoji, CC BY-SA 4.0), listed with their meaning in data/bilder.yaml.
//
// Only the few pictures the site uses live in the project, unchanged, under
// assets/openmoji/ (`budgetsite bilder` copies them from node_modules after
// `npm ci`), so a build needs no node_modules; the build copies the ones the
// pages use to /bilder/NAME.svg and hands the templates the credits for the
// Impressum. Nothing is loaded from another host.
package bilder

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"budgetsite/internal/report"
	"budgetsite/internal/yamlfile"
)

// Where things are, relative to the project root.
const (
	DataFile = "data/bilder.yaml"
	// AssetDir holds the copies, named by their OpenMoji code (1F4B6.svg).
	AssetDir = "assets/openmoji"
	// PackageDir is where npm puts the set's coloured SVGs.
	PackageDir = "node_modules/openmoji/color/svg"
	// URLDir is the pictures' folder in the built site.
	URLDir = "bilder/"
)

// Picture is one entry of data/bilder.yaml.
type Picture struct {
	Name     string `yaml:"-"`
	OpenMoji string `yaml:"openmoji"` // the code, e.g. 1F4B6
	Zeigt    string `yaml:"zeigt"`    // what it shows, for the credits
	Von      string `yaml:"von"`      // its designer, from openmoji.json
	Line     int    `yaml:"-"`
}

// URL is the picture's path in the built site, below the base URL.
func (p Picture) URL() string { return URLDir + p.Name + ".svg" }

// Asset is the committed copy, relative to the project root.
func (p Picture) Asset() string { return AssetDir + "/" + p.OpenMoji + ".svg" }

var (
	nameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	codeRe = regexp.MustCompile(`^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$`)
)

// Load reads data/bilder.yaml. A missing file means no pictures.
func Load(root string) (map[string]Picture, []report.Problem) {
	src, err := os.ReadFile(filepath.Join(root, DataFile))
	if os.IsNotExist(err) {
		return map[string]Picture{}, nil
	}
	if err != nil {
		return nil, []report.Problem{{File: DataFile, Severity: report.Fehler, Rule: "bilder", Message: err.Error()}}
	}
	var raw map[string]Picture
	doc, ps := yamlfile.Decode(DataFile, src, &raw)
	if len(ps) > 0 {
		return nil, ps
	}
	out := map[string]Picture{}
	for name, p := range raw {
		at := "$." + name
		p.Name, p.Line = name, doc.Line(at)
		switch {
		case !nameRe.MatchString(name):
			ps = append(ps, doc.Errorf(at, "bilder", fmt.Sprintf("Der Name %q passt nicht: nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. geld oder brief-schreiben.", name)))
			continue
		case !codeRe.MatchString(p.OpenMoji):
			ps = append(ps, doc.Errorf(at+".openmoji", "bilder", fmt.Sprintf("%s: openmoji %q ist kein OpenMoji-Code wie 1F4B6 (Großbuchstaben, Teile mit - verbunden).", name, p.OpenMoji)))
			continue
		case strings.TrimSpace(p.Zeigt) == "":
			ps = append(ps, doc.Errorf(at, "bilder", name+": es fehlt zeigt: was auf dem Bild zu sehen ist (für den Bildnachweis)."))
			continue
		case strings.TrimSpace(p.Von) == "":
			ps = append(ps, doc.Errorf(at, "bilder", name+": es fehlt von: wer das Bild gestaltet hat (openmoji_author in node_modules/openmoji/data/openmoji.json)."))
			continue
		}
		out[name] = p
	}
	return out, ps
}

// Names lists the known names, sorted, for messages.
func Names(pics map[string]Picture) string {
	names := make([]string, 0, len(pics))
	for n := range pics {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// NameOf turns a shortcode's src ("/bilder/geld.svg") into the picture's
// name; ok is false for any other form.
func NameOf(src string) (string, bool) {
	name, ok := strings.CutPrefix(src, "/"+URLDir)
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(name, ".svg")
	return name, ok && nameRe.MatchString(name)
}
