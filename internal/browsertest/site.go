package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"budgetsite/internal/modules"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

var siteState struct {
	once    sync.Once
	dir     string
	baseURL string
	err     error
	srv     *http.Server
}

// Site builds the whole site once per test binary, with the real pipeline,
// into a temp dir and serves it on 127.0.0.1. The listener opens first so
// the site is built with its own loopback base URL: absolute links then point
// at the test server and never at the production host.
func Site(t testing.TB) (dir, baseURL string) {
	t.Helper()
	s := &siteState
	s.once.Do(func() {
		ln, err := listenLoopback()
		if err != nil {
			s.err = err
			return
		}
		url := baseURLOf(ln)
		if pre := os.Getenv("BROWSERTEST_SITE_DIR"); pre != "" {
			// For work on the harness: serve an already built dir as is.
			fmt.Fprintf(os.Stderr, "browsertest: BROWSERTEST_SITE_DIR gesetzt, serviere %s ungebaut unter %s\n", pre, url)
			s.dir, s.baseURL = pre, url
			s.srv = &http.Server{Handler: StaticHandler(pre)}
			go s.srv.Serve(ln)
			return
		}
		root, err := moduleRoot()
		if err != nil {
			ln.Close()
			s.err = err
			return
		}
		out, err := os.MkdirTemp("", fmt.Sprintf("%ssite-%d-", tempPrefix, os.Getpid()))
		if err != nil {
			ln.Close()
			s.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		start := time.Now()
		if err := buildSite(ctx, root, out, url); err != nil {
			ln.Close()
			os.RemoveAll(out)
			s.err = fmt.Errorf("Website-Build für die Browsertests fehlgeschlagen: %w", err)
			return
		}
		fmt.Fprintf(os.Stderr, "browsertest: Website gebaut in %v nach %s, serviert unter %s\n",
			time.Since(start).Round(time.Millisecond), out, url)
		s.dir, s.baseURL = out, url
		s.srv = &http.Server{Handler: StaticHandler(out)}
		go s.srv.Serve(ln)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.dir, s.baseURL
}

func siteCleanup() {
	s := &siteState
	if s.srv != nil {
		s.srv.Close()
	}
	if s.dir != "" && os.Getenv("BROWSERTEST_SITE_DIR") == "" {
		os.RemoveAll(s.dir)
	}
}

// buildSite runs the real pipeline (lint, wasm, render, finish) into outDir.
func buildSite(ctx context.Context, root, outDir, baseURL string) error {
	res, err := modules.Site(modules.Options{}).Build(ctx, site.Options{Root: root, OutDir: outDir, BaseURL: baseURL})
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
		var b strings.Builder
		report.Print(&b, errs)
		return fmt.Errorf("%d Fehler:\n%s", len(errs), b.String())
	}
	if !res.Written {
		return errors.New("site.Build hat nichts geschrieben")
	}
	return nil
}
