package site

import (
	"bytes"
	"errors"
	"os"
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
)

// renderStreaming renders with Hugo into memory and hands every published
// file to publish as soon as Hugo closes it. The finish step thus runs while
// Hugo is still rendering, and each page reaches the disk once, already
// minified, instead of being written by Hugo and rewritten by us.
func renderStreaming(root, baseURL, configFiles string, publish func(name string, data []byte)) ([]report.Problem, error) {
	var logged bytes.Buffer
	flags := config.New()
	flags.Set("workingDir", root)
	flags.Set("baseURL", baseURL)
	flags.Set("publishDir", "/")
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:    flags,
		Fs:       hugofs.Os,
		Filename: configFiles,
	})
	if err != nil {
		return hugoProblems(root, "", err)
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
		return hugoProblems(root, logged.String(), err)
	}
	defer h.Close()
	if err := h.Build(hugolib.BuildCfg{NoBuildLock: true}); err != nil {
		return hugoProblems(root, logged.String(), err)
	}
	return nil, nil
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
	fs      *streamFs
	name    string
	once    sync.Once
	written bool
}

func (f *streamFile) Write(p []byte) (int, error) {
	f.written = true
	return f.File.Write(p)
}

func (f *streamFile) WriteString(s string) (int, error) {
	f.written = true
	return f.File.WriteString(s)
}

func (f *streamFile) Close() error {
	err := f.File.Close()
	if err == nil && f.written {
		f.once.Do(func() {
			data, rerr := afero.ReadFile(f.fs.Fs, f.name)
			if rerr == nil {
				f.fs.publish(f.name, data)
				// The bytes now live in the finish step; keep only an empty
				// marker so that Hugo still finds the file if it looks.
				// (Removed first: truncating would keep the buffer alive.)
				_ = f.fs.Fs.Remove(f.name)
				_ = afero.WriteFile(f.fs.Fs, f.name, nil, 0o666)
				_ = f.fs.Fs.Chtimes(f.name, time.Now(), time.Now())
			}
		})
	}
	return err
}
