package site

import (
	"io"
	"log"

	"context"
	"fmt"
	"github.com/gohugoio/hugo/commands"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/report"
)

// Figures for issue 2: run with
//   go test -run '^$' -bench . -benchtime 1x ./internal/site/
// They are printed, never asserted: the machine may be busy.

func BenchmarkRealSiteWarm(b *testing.B) {
	root := moduleRoot(b)
	out := filepath.Join(b.TempDir(), "public")
	opt := Options{Root: root, OutDir: out}
	// Warm: Go's and Hugo's caches, the wasm cache, and a spare output
	// folder from an earlier build (the second build leaves one behind).
	for range 2 {
		if _, err := Build(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Build(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
	if res.Failed() {
		b.Fatalf("the site has Fehler: %v", res.Problems)
	}
	var sizes []int
	for _, p := range res.Pages {
		if !strings.Contains(p.Path, "/selbstcheck/") {
			sizes = append(sizes, p.GzBytes+res.CSSGz)
		}
	}
	slices.Sort(sizes)
	std, easy := res.Count()
	b.ReportMetric(float64(res.Duration.Milliseconds()), "ms/build")
	b.ReportMetric(float64(sizes[len(sizes)/2])/1024, "KB-gz-page-median")
	b.ReportMetric(float64(sizes[len(sizes)-1])/1024, "KB-gz-page-max")
	b.ReportMetric(peakMB(), "MB-peak-RSS")
	fmt.Printf("Echte Website: %d + %d Seiten, warmer Build %v; HTML+CSS gzip je Inhaltsseite: Median %.1f KB, Max %.1f KB; Spitzen-Speicher %.0f MB\n",
		std, easy, res.Duration.Round(time.Millisecond), float64(sizes[len(sizes)/2])/1024, float64(sizes[len(sizes)-1])/1024, peakMB())
}

// BenchmarkTenThousandPages compares `budgetsite build` with a bare
// in-process Hugo build of the same generated 10,000 pages (5,000 per variant).
func BenchmarkTenThousandPages(b *testing.B) {
	root := copyProject(b)
	generatePages(b, root, 5000)
	ctx := context.Background()
	bareOut := filepath.Join(b.TempDir(), "bare")
	fullOut := filepath.Join(b.TempDir(), "public")
	cfg := Options{Root: root, OutDir: fullOut, ModuleRoot: moduleRoot(b)}

	// Warm both paths once (Hugo's caches, the wasm build).
	if _, err := bare(ctx, root, bareOut); err != nil {
		b.Fatal(err)
	}
	res, err := Build(ctx, cfg)
	if err == nil {
		res, err = Build(ctx, cfg) // leaves the spare folder a warm build reuses
	}
	if err != nil {
		b.Fatal(err)
	}
	if res.Failed() {
		var sb strings.Builder
		report.Print(&sb, res.Problems[:min(20, len(res.Problems))])
		b.Fatalf("generated pages have Fehler:\n%s", sb.String())
	}
	var bareTotal, fullTotal time.Duration
	for b.Loop() {
		d, err := bare(ctx, root, bareOut)
		if err != nil {
			b.Fatal(err)
		}
		bareTotal += d
		t0 := time.Now()
		if res, err = Build(ctx, cfg); err != nil || res.Failed() {
			b.Fatal(err, res.Problems)
		}
		fullTotal += time.Since(t0)
	}
	n := float64(b.N)
	ratio := fullTotal.Seconds() / bareTotal.Seconds()
	b.ReportMetric(bareTotal.Seconds()/n, "s-bare-hugo")
	b.ReportMetric(fullTotal.Seconds()/n, "s-budgetsite")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(peakMB(), "MB-peak-RSS")
	for _, ph := range res.Phases {
		fmt.Printf("  %-40s %v\n", ph.Name, ph.Took.Round(time.Millisecond))
	}
	std, easy := res.Count()
	fmt.Printf("10.000 Seiten (%d + %d gebaut): Hugo allein %.2f s, budgetsite build %.2f s, Verhältnis %.2f; Spitzen-Speicher %.0f MB\n",
		std, easy, bareTotal.Seconds()/n, fullTotal.Seconds()/n, ratio, peakMB())
}

// bare renders with Hugo only: same configuration and generated data, none
// of our checks, enrichment, minifying or compression.
func bare(ctx context.Context, root, out string) (time.Duration, error) {
	work, err := os.MkdirTemp("", "bare-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)
	gen, _ := generate(root, work)
	// A warm rebuild, as `hugo` does it: over the previous output in place
	// (cleanDestinationDir removes what is no longer built).
	t0 := time.Now()
	ps, err := render(ctx, root, out, "http://127.0.0.1:1313/", gen)
	if err == nil && len(ps) > 0 {
		err = fmt.Errorf("%v", ps)
	}
	return time.Since(t0), err
}

// generatePages writes n pages per variant in sections of 100: realistic
// Markdown with headings, lists, links, glossary terms and abbreviations;
// the Leichte Sprache pages follow its rules so the whole pipeline runs.
func generatePages(b *testing.B, root string, n int) {
	std := `Das Persönliche Budget ist eine andere Form, gesetzliche Ansprüche zu erfüllen.
Sie erhalten einen festgelegten Geldbetrag und organisieren Ihre Unterstützung selbst.

## Was Sie wissen sollten

Die Höhe richtet sich nach Ihrem festgestellten Bedarf. Beratung bieten Vereine, die EUTB und der Bezirk.

- Wohnen
- Mobilität
- Freizeit

### Weitere Informationen

Mehr steht auf der Seite [Antrag stellen](/budget/antrag/) und im [Wörterbuch](/woerterbuch/).
`
	easy := `Sie bekommen Geld.
Mit dem Geld bezahlen Sie Ihre Hilfe.
Das ist das Persönliche Budget.

## Was ist wichtig?

Sie sagen selbst: Das brauche ich.
Sie suchen die Hilfe selbst aus.

- Wohnen
- Freizeit
- Arbeit

### Mehr Informationen

Lesen Sie auch die Seite [Antrag stellen](/leichte-sprache/budget/antrag/).
`
	for i := range n {
		sec := fmt.Sprintf("generiert/teil-%03d", i/100)
		for _, v := range []struct{ dir, body string }{{"content/de", std}, {"content/ls", easy}} {
			dir := filepath.Join(root, v.dir, sec)
			if i%100 == 0 {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					b.Fatal(err)
				}
				idx := "---\ntitle: \"Teil " + strconv.Itoa(i/100) + "\"\n---\nSeiten zum Testen.\n"
				if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(idx), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			page := fmt.Sprintf("---\ntitle: \"Seite %d\"\ndescription: \"Eine erzeugte Seite.\"\n---\n\n%s", i, v.body)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seite-%05d.md", i)), []byte(page), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// peakMB is the process's peak resident memory (Linux VmHWM).
func peakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// render is the bare baseline: the hugo command itself, in-process, writing
// to disk, with none of our steps.
func render(ctx context.Context, root, dest, baseURL, genData string) ([]report.Problem, error) {
	configFiles, err := writeMounts(root, genData)
	if err != nil {
		return nil, err
	}
	args := []string{
		"--source", root,
		"--destination", dest,
		"--config", configFiles,
		"--baseURL", baseURL,
		"--noBuildLock",
		"--cacheDir", filepath.Join(filepath.Dir(genData), "cache"),
		"--panicOnWarning=false",
	}
	hugoMu.Lock()
	logged, cerr := captureOutput(func() { err = commands.Execute(args) })
	hugoMu.Unlock()
	if cerr != nil {
		return nil, cerr
	}
	if err == nil {
		return nil, ctx.Err()
	}
	return hugoProblems(root, logged, err)
}

// captureOutput runs f with the process's stdout and stderr redirected, and
// returns what was written to stderr. Hugo writes its log to whatever
// os.Stderr is when a command starts; its progress output on stdout is dropped.
func captureOutput(f func()) (string, error) {
	oldOut, oldErr := os.Stdout, os.Stderr
	rErr, wErr, err := os.Pipe()
	if err != nil {
		return "", err
	}
	rOut, wOut, err := os.Pipe()
	if err != nil {
		return "", err
	}
	var logged strings.Builder
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(&logged, rErr); done <- struct{}{} }()
	go func() { _, _ = io.Copy(io.Discard, rOut); done <- struct{}{} }()
	os.Stdout, os.Stderr = wOut, wErr
	defer func() {
		os.Stdout, os.Stderr = oldOut, oldErr
		log.SetOutput(os.Stderr)
	}()
	f()
	wErr.Close()
	wOut.Close()
	<-done
	<-done
	return logged.String(), nil
}
