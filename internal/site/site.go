// Package site is the build pipeline: data → lint → render → finish →
// whole-site checks → replace. It renders with Hugo in-process into a
// staging folder and only swaps that folder in for public/ when no check
// failed. It knows no domain of the site: those are Modules (module.go),
// registered by cmd/budgetsite.
package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"budgetsite/internal/contentlint"
	"budgetsite/internal/finish"
	"budgetsite/internal/report"
	"budgetsite/internal/siteconfig"
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
	// NoGzip skips the .gz and .br copies (previews).
	NoGzip bool
	// Now is the build time for calendars; zero means time.Now().
	Now time.Time
	// Production is the build for publishing: every value still open (rule
	// "offen": the operator, an address) is a Fehler instead of a Warnung.
	Production bool
}

// Result of a run. Problems holds everything found; the build failed if one
// of them is a Fehler.
type Result struct {
	Problems []report.Problem
	Pages    []finish.Page
	Bytes    int64
	CSSGz    int
	Duration time.Duration
	Written  bool // OutDir was replaced
	// Notes are lines the modules add to the summary (see Reporter).
	Notes []string
	// Phases are the wall times of the steps, in order, for the benchmarks.
	Phases []Phase
	// FinishBusy is the time the finish workers spent on files and LintTook
	// the content checks' time, both beside the render (benchmarks).
	FinishBusy, LintTook time.Duration
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
func (s *Site) Build(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	env, err := s.env(o)
	if err != nil {
		return nil, err
	}
	o.OutDir = env.OutDir
	root := env.Root
	reportAs := relOrAbs(root, o.OutDir)
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

	// 1 data: every module reads its files; the Markdown's front matter.
	mark := time.Now()
	for _, l := range each[Loader](s.modules) {
		res.Problems = append(res.Problems, l.Load(env)...)
	}
	pages, fmProblems := contentlint.Collect(root)
	env.Pages = pages
	res.Problems = append(res.Problems, fmProblems...)
	gen, genProblems := s.hugoData(env, work)
	res.Problems = append(res.Problems, genProblems...)
	// A data file or front matter that cannot be read makes Hugo fail too,
	// with the same message again and with false trails in every template
	// that uses the data: report it once, at its line, and render nothing.
	unreadable := res.Failed()
	configFiles, err := writeMounts(root, gen)
	if err != nil {
		return nil, err
	}
	res.phase("Daten", &mark)

	// 2 lint, beside the render: both only read the sources, and the
	// output is thrown away if lint finds a Fehler.
	var lintProblems []report.Problem
	lintDone := make(chan struct{})
	go func() {
		defer close(lintDone)
		t0 := time.Now()
		lintProblems = s.lint(env, pages)
		res.LintTook = time.Since(t0)
	}()

	// 3 render and 4 finish, page by page as Hugo writes them.
	var filters []finish.NewFilter
	var checks []finish.NewCheck
	for _, st := range each[Stager](s.modules) {
		f, c := st.Stages(env)
		filters, checks = append(filters, f...), append(checks, c...)
	}
	proc := finish.New(finish.Options{
		Dir:      staging,
		ReportAs: reportAs,
		BasePath: env.BasePath,
		Filters:  filters,
		Checks:   checks,
		Compress: !o.NoGzip,
		NoWrite:  o.DryRun,
		CacheDir: finish.DefaultCacheDir(),
		Observe:  observe(each[FileObserver](s.modules)),
	})
	feeds := &xmlFiles{}
	var rendered []RenderedPage
	var renderProblems []report.Problem
	var rerr error
	if !unreadable {
		rendered, renderProblems, rerr = renderStreaming(root, env.BaseURL, configFiles, feeds.tee(proc.Add))
		if rerr == nil {
			rerr = addStatic(root, proc)
		}
	}
	if rerr == nil && len(rendered) > 0 {
		sm := sitemap(env.BaseURL, rendered)
		feeds.keep("sitemap.xml", sm)
		proc.Add("sitemap.xml", sm)
		res.Problems = append(res.Problems, duplicateTitles(root, rendered, reportAs)...)
	}
	res.Problems = append(res.Problems, renderProblems...)
	res.phase("Hugo (mit Nachbearbeitung nebenher)", &mark)

	<-lintDone
	res.phase("Rest der Inhaltsprüfung", &mark)
	res.Problems = append(res.Problems, lintProblems...)
	if o.Production {
		ForProduction(res.Problems)
	}

	// 5 the modules' own files, also when a Fehler is already known (an
	// open value of a build for publishing): without them the site check
	// below would report every picture and calendar as missing, false
	// trails next to the real Fehler. The staging folder is thrown away.
	files := &moduleFiles{proc: proc, dir: staging, feeds: feeds}
	if rerr == nil && !unreadable && !o.DryRun {
		for _, m := range each[FileMaker](s.modules) {
			res.Problems = append(res.Problems, m.MakeFiles(ctx, env, files)...)
		}
	}
	res.phase("Dateien der Module", &mark)
	fin, ferr := proc.Wait()
	res.phase("Rest der Nachbearbeitung", &mark)
	if rerr != nil {
		return nil, rerr
	}
	if ferr != nil {
		return nil, fmt.Errorf("Nachbearbeitung: %w", ferr)
	}
	res.Problems = append(res.Problems, fin.Problems...)

	// 6 the whole site: every reference resolves, and the modules' checks.
	// After a failed render the site is incomplete: its links would only
	// repeat that failure.
	if !unreadable && report.Count(renderProblems, report.Fehler) == 0 {
		built := &Built{Pages: fin.Pages, Rendered: rendered, Files: fin.Files}
		res.Problems = append(res.Problems, s.integrity(env, built, feeds, reportAs)...)
		for _, c := range each[SiteChecker](s.modules) {
			res.Problems = append(res.Problems, c.CheckSite(env, built)...)
		}
	}
	if o.Production {
		ForProduction(res.Problems)
	}
	res.Problems = dropEchoes(res.Problems, rendered, reportAs)
	res.Pages, res.Bytes, res.CSSGz, res.FinishBusy = fin.Pages, fin.Bytes, fin.CSSGz, fin.Busy
	report.Sort(res.Problems)
	res.phase("Prüfung der ganzen Website", &mark)

	// 7 replace public/ in one step.
	if !res.Failed() && !o.DryRun {
		if err := proc.Prune(); err != nil {
			return nil, fmt.Errorf("Aufräumen: %w", err)
		}
		if err := replaceDir(staging, o.OutDir); err != nil {
			return nil, err
		}
		res.Written = true
		for _, p := range each[Publisher](s.modules) {
			res.Problems = append(res.Problems, p.Published(env)...)
		}
	}
	res.phase("public/ ersetzen", &mark)
	for _, r := range each[Reporter](s.modules) {
		res.Notes = append(res.Notes, r.Report(env)...)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// env resolves the options into what modules see.
func (s *Site) env(o Options) (*Env, error) {
	if o.Root == "" {
		o.Root = "."
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	if o.OutDir == "" {
		o.OutDir = filepath.Join(root, "public")
	}
	if o.OutDir, err = filepath.Abs(o.OutDir); err != nil {
		return nil, err
	}
	if o.ModuleRoot == "" {
		o.ModuleRoot = root
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
	return &Env{Root: root, ModuleRoot: o.ModuleRoot, Config: cfg, BaseURL: cfg.BaseURL, BasePath: pathOf(cfg.BaseURL),
		Now: o.Now, DryRun: o.DryRun, Production: o.Production, OutDir: o.OutDir}, nil
}

// hugoData writes each module's render model as JSON into a folder that is
// mounted as data/ beside the editors' data files.
func (s *Site) hugoData(e *Env, work string) (string, []report.Problem) {
	dir := filepath.Join(work, "gen", "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", []report.Problem{{File: "data", Severity: report.Fehler, Message: err.Error()}}
	}
	var ps []report.Problem
	for _, d := range each[DataProvider](s.modules) {
		data, dps := d.HugoData(e)
		ps = append(ps, dps...)
		for name, v := range data {
			b, err := json.Marshal(v)
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644)
			}
			if err != nil {
				ps = append(ps, report.Problem{File: "data", Severity: report.Fehler, Rule: "daten",
					Message: fmt.Sprintf("%s: die Daten für die Vorlagen (%s) ließen sich nicht schreiben: %v", d.(Module).Name(), name, err)})
			}
		}
	}
	return dir, ps
}

// moduleFiles is the Files a FileMaker writes into.
type moduleFiles struct {
	proc  *finish.Processor
	dir   string
	feeds *xmlFiles
}

func (f *moduleFiles) Add(rel string, data []byte) {
	f.feeds.keep(rel, data)
	f.proc.Add(rel, data)
}
func (f *moduleFiles) AddFile(rel string) { f.proc.AddFile(rel) }
func (f *moduleFiles) Dir() string        { return f.dir }

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

func pathOf(base string) string {
	u, _ := url.Parse(base)
	if u == nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// Prepare runs the data phase (each module's Load, the front matter, the
// render models) and writes Hugo's configuration with the generated data
// mounted into work: what a plain Hugo run needs to render the same site
// (the benchmark's bare Hugo, the fixtures of the page checks).
func (s *Site) Prepare(o Options, work string) (configFiles string, ps []report.Problem, err error) {
	env, err := s.env(o)
	if err != nil {
		return "", nil, err
	}
	for _, l := range each[Loader](s.modules) {
		ps = append(ps, l.Load(env)...)
	}
	pages, fm := contentlint.Collect(env.Root)
	env.Pages = pages
	ps = append(ps, fm...)
	gen, gps := s.hugoData(env, work)
	ps = append(ps, gps...)
	configFiles, err = writeMounts(env.Root, gen)
	return configFiles, ps, err
}

// Render renders with Hugo in-process (configFiles from Prepare) and hands
// each published file to publish; problems carry file and line.
func Render(root, baseURL, configFiles string, publish func(name string, data []byte)) ([]report.Problem, error) {
	_, ps, err := renderStreaming(root, baseURL, configFiles, publish)
	return ps, err
}

// HugoProblems turns a Hugo CLI run's log and error into problems.
func HugoProblems(root, logged string, err error) ([]report.Problem, error) {
	return hugoProblems(root, logged, err)
}

// HugoLock serialises in-process Hugo runs (its commands keep global state).
func HugoLock() func() {
	hugoMu.Lock()
	return hugoMu.Unlock
}

// Stages loads the modules and returns the finish step's filters and checks
// as a build runs them (the benchmark of the finish step on one page).
func (s *Site) Stages(o Options) ([]finish.NewFilter, []finish.NewCheck, []report.Problem, error) {
	env, err := s.env(o)
	if err != nil {
		return nil, nil, nil, err
	}
	var ps []report.Problem
	for _, l := range each[Loader](s.modules) {
		ps = append(ps, l.Load(env)...)
	}
	var filters []finish.NewFilter
	var checks []finish.NewCheck
	for _, st := range each[Stager](s.modules) {
		f, c := st.Stages(env)
		filters, checks = append(filters, f...), append(checks, c...)
	}
	return filters, checks, ps, nil
}

// observe hands each finished file to the modules that read the built site.
func observe(obs []FileObserver) func(string, []byte) {
	if len(obs) == 0 {
		return nil
	}
	return func(rel string, data []byte) {
		for _, o := range obs {
			o.ObserveFile(rel, data)
		}
	}
}
