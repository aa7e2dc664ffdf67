// Package site is the build pipeline: lint → generate → render → finish →
// replace. It renders with Hugo in-process into a staging folder and only
// swaps that folder in for public/ when no check failed.
package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/deploy"
	"budgetsite/internal/eligibility"
	"budgetsite/internal/finish"
	"budgetsite/internal/listings"
	"budgetsite/internal/receiver/bundle"
	"budgetsite/internal/report"
	"budgetsite/internal/siteconfig"
	"budgetsite/internal/wasm"
)

// Options of one run.
type Options struct {
	Root string // project root (where hugo.toml is)
	// ModuleRoot is where go.mod is, for compiling the WebAssembly; default Root.
	ModuleRoot string
	OutDir     string // final output folder; default Root/public
	BaseURL    string // overrides hugo.toml's baseURL
	// DryRun renders and checks but leaves OutDir alone (budgetsite check).
	DryRun bool
	// NoGzip skips the .gz copies (previews).
	NoGzip bool
	// SkipWasm leaves out the WebAssembly build (previews that do not need it).
	SkipWasm bool
	// Readability adds reading figures per content page to the result.
	Readability bool
	// Now is the build time for calendars; zero means time.Now().
	Now time.Time
	// Production is the build for publishing: every value still open (rule
	// "offen": the operator, an address) is a Fehler instead of a Warnung.
	Production bool
}

// Result of a run. Problems holds everything found; the build failed if one
// of them is a Fehler.
type Result struct {
	Problems    []report.Problem
	Pages       []finish.Page
	Bytes       int64
	CSSGz       int
	Duration    time.Duration
	Readability []PageFigures
	Wasm        *wasm.Sizes
	Written     bool // OutDir was replaced
	// Phases are the wall times of the steps, in order, for the benchmarks.
	Phases []Phase
}

// Phase is one step's wall time.
type Phase struct {
	Name string
	Took time.Duration
}

func (r *Result) phase(name string, since *time.Time) {
	now := time.Now()
	r.Phases = append(r.Phases, Phase{name, now.Sub(*since)})
	*since = now
}

// Failed tells whether any Fehler was found.
func (r *Result) Failed() bool { return report.Count(r.Problems, report.Fehler) > 0 }

// Count returns the number of pages per variant.
func (r *Result) Count() (standard, easy int) {
	for _, p := range r.Pages {
		if p.Easy {
			easy++
		} else {
			standard++
		}
	}
	return
}

// hugoMu serialises in-process Hugo runs: commands.Execute keeps global state.
var hugoMu sync.Mutex

// Build runs the whole pipeline. An error means it could not run at all
// (exit code 2); problems are in the result (exit code 1 when one is a Fehler).
func Build(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if o.Root == "" {
		o.Root = "."
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	o.Root = root
	if o.OutDir == "" {
		o.OutDir = filepath.Join(root, "public")
	}
	if o.OutDir, err = filepath.Abs(o.OutDir); err != nil {
		return nil, err
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	cfg, err := siteconfig.Load(root)
	if err != nil {
		return nil, err
	}
	if o.BaseURL != "" {
		if u, err := url.Parse(o.BaseURL); err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("--base-url %q ist keine vollständige Adresse wie https://www.beispiel.de/", o.BaseURL)
		}
		if !strings.HasSuffix(o.BaseURL, "/") {
			o.BaseURL += "/"
		}
		cfg.BaseURL = o.BaseURL
	}
	res := &Result{}

	work, err := os.MkdirTemp("", "budgetsite-")
	if err != nil {
		return nil, fmt.Errorf("Arbeitsordner: %w", err)
	}
	defer os.RemoveAll(work)
	// The site is built into a second folder beside OutDir, which then swaps
	// places with OutDir. The old site stays there as the next build's
	// starting point: rewriting files is far cheaper than creating them.
	staging := SpareDir(o.OutDir)
	if !o.DryRun {
		if err := os.MkdirAll(staging, 0o755); err != nil {
			return nil, fmt.Errorf("Arbeitsordner: %w", err)
		}
	}

	// Hugo keeps its whole site in memory while it renders, and the finish
	// step allocates a tree per page beside it; at Go's default every few
	// megabytes of garbage would make the collector walk that whole heap
	// again. A build is short-lived, so trade memory for time while it runs.
	defer debug.SetGCPercent(debug.SetGCPercent(800))

	mark := time.Now()
	data, lint := loadData(root)
	pages, fmProblems := contentlint.Collect(root)
	unreadable := report.Count(lint.problems, report.Fehler)+report.Count(fmProblems, report.Fehler) > 0
	// Lint runs beside the render: both only read the sources, and the
	// output is thrown away if lint finds a Fehler.
	lintDone := make(chan struct{})
	go func() {
		defer close(lintDone)
		lintSources(data, pages, o.Readability, lint)
	}()

	gen, genProblems := generate(root, work)
	res.Problems = append(res.Problems, genProblems...)
	res.Problems = append(res.Problems, fmProblems...)
	configFiles, err := writeMounts(root, gen)
	if err != nil {
		return nil, err
	}
	// A data file or front matter that cannot be read makes Hugo fail too,
	// with the same message again and with false trails in every template
	// that uses the data: report it once, at its line, and render nothing.
	unreadable = unreadable || report.Count(genProblems, report.Fehler) > 0
	res.phase("Daten und Selbst-Check-Seiten", &mark)

	proc := finish.New(finish.Options{
		Dir:         staging,
		ReportAs:    relOrAbs(root, o.OutDir),
		SiteHost:    hostOf(cfg.BaseURL),
		ScriptPages: scriptPages(cfg),
		Enrichers:   lint.enrichers,
		GlossaryRel: "woerterbuch/",
		BasePath:    pathOf(cfg.BaseURL),
		Gzip:        !o.NoGzip,
		NoWrite:     o.DryRun,
	})
	var rendered []RenderedPage
	var renderProblems []report.Problem
	var rerr error
	if !unreadable {
		rendered, renderProblems, rerr = renderStreaming(root, cfg.BaseURL, configFiles, proc.Add)
		if rerr == nil {
			rerr = addStatic(root, proc)
		}
	}
	if rerr == nil && len(rendered) > 0 {
		proc.Add("sitemap.xml", sitemap(cfg.BaseURL, rendered))
		res.Problems = append(res.Problems, duplicateTitles(root, rendered, relOrAbs(root, o.OutDir))...)
	}
	res.Problems = append(res.Problems, renderProblems...)
	res.phase("Hugo (mit Nachbearbeitung nebenher)", &mark)

	<-lintDone
	res.phase("Rest der Inhaltsprüfung", &mark)
	res.Problems = append(res.Problems, lint.problems...)
	res.Problems = append(res.Problems, cfg.Open()...)
	res.Readability = lint.figures
	if o.Production {
		ForProduction(res.Problems)
	}

	// >>> Request receiver (issues 9, 12; to move into the forms module): checks
	// data/formulare.yaml, the receiver's i18n texts and the retention period, and
	// writes them for the receiver to anfragen/empfaenger.json.
	receiverBundle, bundleProblems := bundle.Build(root)
	res.Problems = append(res.Problems, bundleProblems...)
	if receiverBundle != nil {
		proc.Add(bundle.File, receiverBundle)
	}
	// <<< Request receiver

	if rerr == nil && report.Count(res.Problems, report.Fehler) == 0 && !o.DryRun {
		if !o.SkipWasm {
			mod := o.ModuleRoot
			if mod == "" {
				mod = root
			}
			sizes, err := wasm.Build(ctx, mod, staging)
			if err != nil {
				res.Problems = append(res.Problems, report.Problem{File: "cmd/selfcheck", Severity: report.Fehler, Rule: "wasm",
					Message: "Der Selbst-Check (WebAssembly) ließ sich nicht bauen: " + err.Error()})
			} else {
				res.Wasm = &sizes
				proc.AddFile(wasm.Dir + "/" + wasm.WasmName)
				proc.AddFile(wasm.Dir + "/" + wasm.ExecName)
			}
		}
		if lint.listings != nil {
			written, err := listings.WriteCalendars(lint.listings, staging, o.Now)
			if err != nil {
				rerr = fmt.Errorf("Kalender: %w", err)
			}
			for _, f := range written {
				proc.AddFile(f)
			}
		}
	}
	res.phase("WebAssembly und Kalender", &mark)
	fin, ferr := proc.Wait()
	res.phase("Rest der Nachbearbeitung", &mark)
	if rerr != nil {
		return nil, rerr
	}
	if ferr != nil {
		return nil, fmt.Errorf("Nachbearbeitung: %w", ferr)
	}
	res.Problems = append(res.Problems, fin.Problems...)
	if o.Production {
		ForProduction(res.Problems)
	}
	res.Problems = dropEchoes(res.Problems, rendered, relOrAbs(root, o.OutDir))
	res.Pages, res.Bytes, res.CSSGz = fin.Pages, fin.Bytes, fin.CSSGz
	report.Sort(res.Problems)
	if !res.Failed() && !o.DryRun {
		if err := proc.Prune(); err != nil {
			return nil, fmt.Errorf("Aufräumen: %w", err)
		}
		if err := replaceDir(staging, o.OutDir); err != nil {
			return nil, err
		}
		res.Written = true
		// >>> Deploy configuration (issue 9; to move into a deploy module): the web
		// server configurations and the receiver's unit for this site, in deploy/
		// beside the output folder.
		if err := deploy.Write(o.OutDir, cfg.BaseURL, cfg.Params.SkriptSeiten); err != nil {
			res.Problems = append(res.Problems, report.Problem{File: "deploy", Severity: report.Warnung, Rule: "deploy",
				Message: "Die Einrichtung für Webserver und Empfänger (deploy/) wurde nicht geschrieben: " + err.Error()})
		}
		// <<< Deploy configuration
	}
	res.phase("public/ ersetzen", &mark)
	res.Duration = time.Since(start)
	return res, nil
}

// SpareDir is the folder beside out that the next build is written into.
func SpareDir(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".vorher")
}

// addStatic copies the files of static/ into the output; they get the same
// checks, minifying and compression as rendered files.
func addStatic(root string, proc *finish.Processor) error {
	base := filepath.Join(root, "static")
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		proc.Add(rel, b)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// writeMounts adds the generated data folder to Hugo's data mounts and
// returns the config file list for Hugo.
func writeMounts(root, genData string) (string, error) {
	mounts := filepath.Join(filepath.Dir(genData), "mounts.toml")
	conf := fmt.Sprintf("[[module.mounts]]\nsource = %q\ntarget = \"data\"\n[[module.mounts]]\nsource = %q\ntarget = \"data\"\n",
		filepath.Join(root, "data"), genData)
	if err := os.WriteFile(mounts, []byte(conf), 0o644); err != nil {
		return "", err
	}
	return filepath.Join(root, siteconfig.File) + "," + mounts, nil
}

// generate writes the data Hugo needs but editors do not write by hand (the
// self-check's static pages) into a folder that is mounted as data/.
func generate(root, work string) (string, []report.Problem) {
	dir := filepath.Join(work, "gen", "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", []report.Problem{{File: "data", Severity: report.Fehler, Message: err.Error()}}
	}
	rs, ps := eligibility.LoadFile(filepath.Join(root, "data", "selbstcheck.yaml"), "data/selbstcheck.yaml")
	if rs == nil || report.Count(ps, report.Fehler) > 0 {
		return dir, ps
	}
	js, err := eligibility.HugoData(rs)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "selbstcheck_seiten.json"), js, 0o644)
	}
	if err != nil {
		ps = append(ps, report.Problem{File: "data/selbstcheck.yaml", Severity: report.Fehler, Rule: "selbstcheck", Message: err.Error()})
	}
	return dir, ps
}

var unknownShortcodeRe = regexp.MustCompile(`template for shortcode "([^"]+)" not found`)

// shortcodes lists the shortcodes an editor can use.
func shortcodes(root string) []string {
	var names []string
	entries, _ := os.ReadDir(filepath.Join(root, "layouts", "_shortcodes"))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".html"); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	return names
}

var posRe = regexp.MustCompile(`"?(/[^":\s]+):(\d+):(\d+)"?:?\s*`)

func hugoProblem(root string, e error) report.Problem {
	msg := e.Error()
	p := report.Problem{File: "hugo.toml", Severity: report.Fehler, Rule: "hugo"}
	if m := posRe.FindStringSubmatchIndex(msg); m != nil {
		file := msg[m[2]:m[3]]
		p.Line, _ = strconv.Atoi(msg[m[4]:m[5]])
		p.Col, _ = strconv.Atoi(msg[m[6]:m[7]])
		p.File = relOrAbs(root, file)
		// Render hooks repeat the position in their own message: keep the text after it.
		rest := msg[m[1]:]
		if m2 := posRe.FindStringIndex(rest); m2 != nil {
			rest = rest[m2[1]:]
		}
		msg = rest
	}
	if m := unknownShortcodeRe.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("Den Shortcode „%s“ gibt es nicht. Es gibt: %s.", m[1], strings.Join(shortcodes(root), ", "))
	}
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "error calling errorf: ")
	if i := strings.LastIndex(msg, "error calling errorf: "); i >= 0 {
		msg = msg[i+len("error calling errorf: "):]
	}
	p.Message = msg
	return p
}

func relOrAbs(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

func hostOf(base string) string {
	u, _ := url.Parse(base)
	if u == nil {
		return ""
	}
	return u.Host
}

func pathOf(base string) string {
	u, _ := url.Parse(base)
	if u == nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

func scriptPages(cfg *siteconfig.Config) map[string]bool {
	m := map[string]bool{}
	base := strings.TrimSuffix(pathOf(cfg.BaseURL), "/")
	for _, p := range cfg.Params.SkriptSeiten {
		m[base+p] = true
	}
	return m
}

// ErrBusy is returned when another build holds the output folder.
var ErrBusy = errors.New("ein anderer Build läuft gerade")
