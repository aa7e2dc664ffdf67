package site

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/herrors"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"

	"budgetsite/internal/report"
	"budgetsite/internal/variant"
)

// renderStreaming renders with Hugo into memory and hands every published
// file to publish as soon as Hugo closes it. The finish step thus runs while
// Hugo is still rendering, and each page reaches the disk once, already
// minified, instead of being written by Hugo and rewritten by us.
func renderStreaming(root, baseURL, configFiles string, publish func(name string, data []byte)) ([]RenderedPage, []report.Problem, error) {
	var logged bytes.Buffer
	flags := config.New()
	flags.Set("workingDir", root)
	flags.Set("baseURL", baseURL)
	flags.Set("publishDir", "/")
	if !inGitRepo(root) {
		// A copy without history (a download, a test's temp folder): dates
		// come from front matter and file times instead of failing the build.
		flags.Set("enableGitInfo", false)
	}
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:    flags,
		Fs:       hugofs.Os,
		Filename: configFiles,
	})
	if err != nil {
		ps, err := hugoProblems(root, "", err)
		return nil, ps, err
	}
	flags.Set("publishDirDynamic", "/")
	flags.Set("publishDirStatic", "/")
	dest := &streamFs{Fs: afero.NewMemMapFs(), publish: publish}
	fs := hugofs.NewFromSourceAndDestination(hugofs.Os, dest, flags)

	hugoMu.Lock()
	defer hugoMu.Unlock()
	h, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  configs,
		Fs:       fs,
		StdOut:   &bytes.Buffer{},
		StdErr:   &logged,
		LogLevel: logg.LevelWarn,
	})
	if err != nil {
		ps, err := hugoProblems(root, logged.String(), err)
		return nil, ps, err
	}
	defer h.Close()
	if err := h.Build(hugolib.BuildCfg{NoBuildLock: true}); err != nil {
		ps, err := hugoProblems(root, logged.String(), err)
		return nil, ps, err
	}
	return renderedPages(root, pathOf(baseURL), h), nil, nil
}

// RenderedPage is what Hugo knows of one published HTML page that the
// built file no longer tells: where it came from and when it last changed.
type RenderedPage struct {
	File      string // below the site root: "kontakt/index.html"
	Source    string // project-relative Markdown file; "" for generated pages
	Variant   variant.V
	Kind      string
	Title     string
	Lastmod   time.Time
	InSitemap bool
}

func renderedPages(root, basePath string, h *hugolib.HugoSites) []RenderedPage {
	var out []RenderedPage
	for _, p := range h.Pages() {
		html := p.OutputFormats().Get("html")
		if html.Format.Name == "" {
			continue
		}
		rel := strings.TrimPrefix(html.RelPermalink(), basePath)
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		rp := RenderedPage{File: rel, Kind: p.Kind(), Title: p.Title(), Lastmod: p.Lastmod(),
			InSitemap: !p.Sitemap().Disable && p.Kind() != "404"}
		rp.Variant, _ = variant.Parse(p.Language().Lang)
		if f := p.File(); f != nil {
			rp.Source = relOrAbs(root, f.Filename())
		}
		out = append(out, rp)
	}
	return out
}

// hugoProblems turns Hugo's log and error into problems with file and line.
// Template functions such as errorf (the image render hook) only log their
// message and fail the build at the end; the log has the position.
func hugoProblems(root, logged string, err error) ([]report.Problem, error) {
	var ps []report.Problem
	for _, line := range strings.Split(logged, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "ERROR "); ok {
			ps = append(ps, hugoProblem(root, errors.New(rest)))
		}
	}
	for _, e := range herrors.Errors(err) {
		if !strings.Contains(e.Error(), "logged ") || len(ps) == 0 {
			ps = append(ps, hugoProblem(root, e))
		}
	}
	if len(ps) == 0 {
		return nil, err
	}
	return ps, nil
}

// streamFs is Hugo's publish destination: an in-memory filesystem that
// reports each file when Hugo closes it after writing.
type streamFs struct {
	afero.Fs
	publish func(name string, data []byte)
}

func (s *streamFs) Create(name string) (afero.File, error) {
	return s.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (s *streamFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := s.Fs.OpenFile(name, flag, perm)
	if err != nil || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	return &streamFile{File: f, fs: s, name: name}, nil
}

type streamFile struct {
	afero.File
	fs   *streamFs
	name string
	once sync.Once
	// data is what Hugo wrote, kept here rather than in the in-memory
	// file: handed to the finish step as it is, with no copy in between.
	data    []byte
	written bool
}

func (f *streamFile) Write(p []byte) (int, error) {
	f.written = true
	f.data = append(f.data, p...)
	return len(p), nil
}

func (f *streamFile) WriteString(s string) (int, error) {
	f.written = true
	f.data = append(f.data, s...)
	return len(s), nil
}

func (f *streamFile) Close() error {
	err := f.File.Close()
	if err == nil && f.written {
		f.once.Do(func() {
			data := f.data
			f.data = nil
			f.fs.publish(f.name, data)
			// The in-memory file stays empty: a marker so that Hugo still
			// finds the file if it looks.
			_ = f.fs.Fs.Chtimes(f.name, time.Now(), time.Now())
		})
	}
	return err
}

// inGitRepo tells whether Hugo can read the Git history of root's files.
func inGitRepo(root string) bool {
	if _, err := exec.LookPath("git"); err != nil {
		return false
	}
	for dir := root; ; {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}
