package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"budgetsite/internal/modules"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// SiteBaseURL is the base URL every site of the browser tests is built with.
// The build is shared between test packages (each its own process, each
// serving on its own port), so the base URL cannot be the port a package
// serves on. Links and assets within the site are relative; the few
// absolute addresses (canonical, alternate, sitemap) point at this loopback
// port, where nothing listens (9 is "discard"): nothing ever reaches the
// production host or leaves the machine.
const SiteBaseURL = "http://127.0.0.1:9/"

// Build describes a site for the browser tests: the project as it is, or a
// copy of it changed by Prepare (test data, a setting).
type Build struct {
	// Name names the build in messages ("Website", "mit Terminen").
	Name string
	// Prepare changes the copy of the project before the build; nil builds
	// the project as it is.
	Prepare func(root string) error
	// SkipWasm leaves out the self-check's WebAssembly, NoGzip the .gz copies.
	SkipWasm, NoGzip bool
}

// The shipped site, built once per process (and, through the cache, once
// per change of its sources for all test packages), served on loopback.
var siteState struct {
	once    sync.Once
	dir     string
	baseURL string
	err     error
	srv     *http.Server
}

// Site returns the whole site, built with the real pipeline (shared with the
// other test packages through the build cache, see [BuiltSite]), and the base
// URL this process serves it at ("http://127.0.0.1:PORT/").
func Site(t testing.TB) (dir, baseURL string) {
	t.Helper()
	s := &siteState
	s.once.Do(func() {
		dir := os.Getenv("BROWSERTEST_SITE_DIR")
		if dir != "" {
			// For work on the harness: serve an already built dir as is.
			fmt.Fprintf(os.Stderr, "browsertest: BROWSERTEST_SITE_DIR gesetzt, serviere %s ungebaut\n", dir)
		} else {
			dir, s.err = builtSite(Build{Name: "Website"})
			if s.err != nil {
				return
			}
		}
		ln, err := listenLoopback()
		if err != nil {
			s.err = err
			return
		}
		s.dir, s.baseURL = dir, baseURLOf(ln)
		s.srv = serveDir(ln, dir)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.dir, s.baseURL
}

// BuiltSite builds the site b describes (with [SiteBaseURL]) and returns its
// folder. Test packages share the result: it is kept in the temp folder under
// a hash of everything the build reads, and a lock makes a second package
// wait for the first one's build and take it, instead of building again. The
// folder is the same for every caller: treat it as read-only.
func BuiltSite(t testing.TB, b Build) string {
	t.Helper()
	dir, err := builtSite(b)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	builtMu sync.Mutex
	built   = map[string]string{} // cache key → folder, for this process
)

func builtSite(b Build) (string, error) {
	builtMu.Lock()
	defer builtMu.Unlock()
	mod, err := moduleRoot()
	if err != nil {
		return "", err
	}
	// The build reads a copy of the project's inputs, never the project
	// itself: what is hashed is exactly what is built, so an input missing
	// from the list fails the build instead of going stale in the cache.
	root, err := os.MkdirTemp("", fmt.Sprintf("%sprojekt-%d-", tempPrefix, os.Getpid()))
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(root)
	if err := copyProject(mod, root); err != nil {
		return "", err
	}
	if b.Prepare != nil {
		if err := b.Prepare(root); err != nil {
			return "", fmt.Errorf("%s vorbereiten: %w", b.Name, err)
		}
	}
	key, err := buildKey(mod, root, b)
	if err != nil {
		return "", err
	}
	if dir, ok := built[key]; ok {
		return dir, nil
	}
	start := time.Now()
	dir, fresh, err := cachedBuild(key, func(out string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		return buildSite(ctx, mod, root, out, b)
	})
	if err != nil {
		return "", fmt.Errorf("%s für die Browsertests: %w", b.Name, err)
	}
	how := "aus dem Zwischenspeicher"
	if fresh {
		how = "gebaut"
	}
	fmt.Fprintf(os.Stderr, "browsertest: %s %s in %v: %s\n", b.Name, how, time.Since(start).Round(time.Millisecond), dir)
	built[key] = dir
	return dir, nil
}

// buildSite runs the real pipeline (lint, wasm, render, finish) over the
// project copy in root into outDir. It is the harness's one use of
// internal/site.
func buildSite(ctx context.Context, mod, root, outDir string, b Build) error {
	res, err := modules.Site(modules.Options{NoWasm: b.SkipWasm}).Build(ctx, site.Options{Root: root, ModuleRoot: mod, OutDir: outDir, BaseURL: SiteBaseURL, NoGzip: b.NoGzip})
	if err != nil {
		return err
	}
	if res.Failed() {
		var errs []report.Problem
		for _, p := range res.Problems {
			if p.Severity == report.Fehler {
				errs = append(errs, p)
			}
		}
		var sb strings.Builder
		report.Print(&sb, errs)
		return fmt.Errorf("%d Fehler:\n%s", len(errs), sb.String())
	}
	if !res.Written {
		return errors.New("site.Build hat nichts geschrieben")
	}
	return nil
}

// projectInputs are the files and folders of the project a build reads,
// besides the Go code (hashed separately, see buildKey).
var projectInputs = []string{"hugo.toml", "go.mod", "content", "data", "layouts", "assets", "i18n", "static", "archetypes"}

// copyProject copies the project's inputs from the module root mod to root.
func copyProject(mod, root string) error {
	for _, name := range projectInputs {
		src := filepath.Join(mod, name)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := copyTree(src, filepath.Join(root, name)); err != nil {
			return err
		}
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
}

func siteCleanup() {
	s := &siteState
	if s.srv != nil {
		s.srv.Close()
	}
	releaseBuilds()
}
