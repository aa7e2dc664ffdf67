package modules

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gohugoio/hugo/commands"

	"budgetsite/internal/finish"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Figures (issue 12): run with
//   go test -run '^$' -bench . -benchtime 1x ./internal/modules/
// They are printed, never asserted: the machine may be busy.

func BenchmarkRealSiteWarm(b *testing.B) {
	root := moduleRoot(b)
	out := filepath.Join(b.TempDir(), "public")
	opt := site.Options{Root: root, OutDir: out}
	s := Site(Options{})
	// Warm: Go's and Hugo's caches, the wasm cache, and a spare output
	// folder from an earlier build (the second build leaves one behind).
	for range 2 {
		if _, err := s.Build(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
	var res *site.Result
	for b.Loop() {
		var err error
		if res, err = s.Build(context.Background(), opt); err != nil {
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

// BenchmarkTenThousandPages compares `budgetsite build` with a bare Hugo
// build of the same generated 10,000 pages (5,000 per variant), each build
// in a process of its own (this test binary started again, see
// TestBenchChild), at Go's default GC, so that each one's peak memory is
// its own. Both are warm: Hugo's caches, the wasm cache, and the output
// folders of an earlier build are in place. It prints the machine's load,
// since the figures mean little on a busy machine, and bare Hugo on a tmpfs
// beside the targets' baseline on disk.
func BenchmarkTenThousandPages(b *testing.B) {
	root := copyProject(b)
	generatePages(b, root, 5000)
	bareOut := filepath.Join(b.TempDir(), "bare")
	fullOut := filepath.Join(b.TempDir(), "public")
	run := func(mode, out string) childResult {
		b.Helper()
		r, err := runChild(mode, root, out, moduleRoot(b))
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	// Bare Hugo also writes to memory where the machine has a tmpfs: as
	// fast at writing as the pipeline, which renders into memory. Not the
	// target's baseline; it shows how much of the difference is the speed
	// of writing alone (a faster render leaves the collector less time, so
	// its heap grows further).
	shmOut := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "budgetsite-bench-"); err == nil {
			b.Cleanup(func() { os.RemoveAll(dir) })
			shmOut = filepath.Join(dir, "bare")
		}
	}
	// Warm both (the second full build leaves the spare folder a warm build reuses).
	run("bare", bareOut)
	if shmOut != "" {
		run("bare", shmOut)
	}
	run("full", fullOut)
	last := run("full", fullOut)
	load := loadAvg()
	var bare, full, fresh, shm []childResult
	for b.Loop() {
		bare = append(bare, run("bare", bareOut))
		if shmOut != "" {
			shm = append(shm, run("bare", shmOut))
		}
		full = append(full, run("full", fullOut))
		last = full[len(full)-1]
		// As if every page had changed: no manifest, so every file is
		// compressed and written again.
		fresh = append(fresh, run("fresh", fullOut))
	}
	load = (load + loadAvg()) / 2
	var bareS, fullS, bareMB, fullMB, finishS, lintS, bareCPU, fullCPU, freshS, freshCPU, freshMB float64
	for i := range bare {
		freshS += fresh[i].Seconds
		freshCPU += fresh[i].CPU
		freshMB = max(freshMB, fresh[i].PeakMB)
		bareS += bare[i].Seconds
		fullS += full[i].Seconds
		bareCPU += bare[i].CPU
		fullCPU += full[i].CPU
		bareMB = max(bareMB, bare[i].PeakMB)
		fullMB = max(fullMB, full[i].PeakMB)
		finishS += full[i].FinishBusy
		lintS += full[i].Lint
	}
	n := float64(len(bare))
	b.ReportMetric(bareS/n, "s-bare-hugo")
	b.ReportMetric(fullS/n, "s-budgetsite")
	b.ReportMetric(fullS/bareS, "ratio")
	b.ReportMetric(bareMB, "MB-peak-bare")
	b.ReportMetric(fullMB, "MB-peak-budgetsite")
	b.ReportMetric(fullMB/bareMB, "peak-ratio")
	// CPU time is steadier than wall time on a busy machine.
	b.ReportMetric(bareCPU/n, "s-cpu-bare")
	b.ReportMetric(fullCPU/n, "s-cpu-budgetsite")
	b.ReportMetric(fullCPU/bareCPU, "cpu-ratio")
	b.ReportMetric(freshS/bareS, "ratio-all-new")
	b.ReportMetric(freshCPU/bareCPU, "cpu-ratio-all-new")
	b.ReportMetric(freshMB, "MB-peak-all-new")
	b.ReportMetric(finishS/n, "s-finish-busy")
	b.ReportMetric(lintS/n, "s-lint")
	b.ReportMetric(load, "load-avg")
	var shmS, shmMB float64
	for _, r := range shm {
		shmS += r.Seconds
		shmMB = max(shmMB, r.PeakMB)
	}
	if len(shm) > 0 {
		shmS /= float64(len(shm))
		b.ReportMetric(shmMB, "MB-peak-bare-tmpfs")
		b.ReportMetric(fullMB/shmMB, "peak-ratio-tmpfs")
		fmt.Printf("Hugo allein auf tmpfs (/dev/shm): %.2f s, %.0f MB; budgetsite build dagegen: Zeit %.2f, Speicher %.2f\n",
			shmS, shmMB, fullS/n/shmS, fullMB/shmMB)
	}
	for _, ph := range last.Phases {
		fmt.Printf("  %-40s %v\n", ph.Name, ph.Took.Round(time.Millisecond))
	}
	fmt.Printf("Alle Seiten neu (ohne Manifest): %.2f s (CPU %.2f s, %.0f MB); Verhältnis Zeit %.2f, CPU %.2f, Speicher %.2f\n",
		freshS/n, freshCPU/n, freshMB, freshS/bareS, freshCPU/bareCPU, freshMB/bareMB)
	fmt.Printf("10.000 Seiten (%d Seiten gebaut): Hugo allein %.2f s (CPU %.2f s, %.0f MB), budgetsite build %.2f s (CPU %.2f s, %.0f MB); Verhältnis Zeit %.2f, CPU %.2f, Speicher %.2f; Nachbearbeitung %.2f s Arbeitszeit der Worker, Inhaltsprüfung %.2f s nebenher; Last %.1f\n",
		last.Pages, bareS/n, bareCPU/n, bareMB, fullS/n, fullCPU/n, fullMB, fullS/bareS, fullCPU/bareCPU, fullMB/bareMB, finishS/n, lintS/n, load)
}

// childResult is what a build in a child process reports.
type childResult struct {
	Seconds    float64
	PeakMB     float64 // filled in by the parent from the child's rusage
	CPU        float64 // user and system seconds, from the same
	Pages      int
	Phases     []site.Phase
	FinishBusy float64 // seconds the finish workers spent on files
	Lint       float64 // seconds the content checks took (beside the render)
}

const childEnv = "BUDGETSITE_BENCH_CHILD"

// runChild builds in a new process: mode "bare" (Hugo alone) or "full".
func runChild(mode, root, out, modRoot string) (childResult, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join([]string{mode, root, out, modRoot}, "\n"))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	var r childResult
	if err != nil {
		return r, fmt.Errorf("%s build: %v\n%s", mode, err, stdout)
	}
	i := bytes.LastIndex(stdout, []byte("\nRESULT "))
	if i < 0 {
		return r, fmt.Errorf("%s build: no result in\n%s", mode, stdout)
	}
	line, _, _ := bytes.Cut(stdout[i+len("\nRESULT "):], []byte("\n"))
	if err := json.Unmarshal(line, &r); err != nil {
		return r, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakMB = float64(ru.Maxrss) / 1024 // KB on Linux
	}
	r.CPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return r, nil
}

// TestBenchChild is one build of BenchmarkTenThousandPages in a process of
// its own; without the benchmark's environment variable it does nothing.
func TestBenchChild(t *testing.T) {
	env := os.Getenv(childEnv)
	if env == "" {
		t.Skip("only run by BenchmarkTenThousandPages")
	}
	f := strings.Split(env, "\n")
	mode, root, out, modRoot := f[0], f[1], f[2], f[3]
	var r childResult
	if prof := os.Getenv("BUDGETSITE_BENCH_PROFILE"); prof != "" {
		prof += "-" + mode
		// go tool pprof on <prof>.cpu and <prof>.heap shows where a build's time and memory go.
		f, err := os.Create(prof + ".cpu")
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		stop := peakHeap(prof + ".peak")
		defer func() {
			pprof.StopCPUProfile()
			stop()
			h, _ := os.Create(prof + ".heap")
			pprof.Lookup("allocs").WriteTo(h, 0)
			h.Close()
		}()
	}
	t0 := time.Now()
	switch mode {
	case "bare":
		if _, err := bare(context.Background(), root, out); err != nil {
			t.Fatal(err)
		}
	default:
		if mode == "fresh" {
			// Only the folder this build writes into: the other one's
			// manifest is what the next warm build starts from.
			os.Remove(filepath.Join(site.SpareDir(out), ".finish-manifest"))
		}
		res, err := Site(Options{}).Build(context.Background(), site.Options{Root: root, OutDir: out, ModuleRoot: modRoot})
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed() {
			var sb strings.Builder
			report.Print(&sb, res.Problems[:min(20, len(res.Problems))])
			t.Fatalf("generated pages have Fehler:\n%s", sb.String())
		}
		r.Pages, r.Phases = len(res.Pages), res.Phases
		r.FinishBusy, r.Lint = res.FinishBusy.Seconds(), res.LintTook.Seconds()
	}
	r.Seconds = time.Since(t0).Seconds()
	js, _ := json.Marshal(r)
	fmt.Printf("\nRESULT %s\n", js)
}

// peakHeap keeps the heap profile taken when the live heap was largest (as
// of the last collection; sampled every 100 ms) and writes it to name when
// stopped: what the build holds when its memory peaks.
func peakHeap(name string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		// Where the process's memory is when it is largest: the live heap
		// alone does not explain a peak RSS (free heap not yet returned,
		// stacks, the collector's own).
		names := []string{"/gc/heap/live:bytes", "/memory/classes/total:bytes", "/memory/classes/heap/released:bytes",
			"/memory/classes/heap/objects:bytes", "/memory/classes/heap/free:bytes", "/memory/classes/heap/unused:bytes",
			"/memory/classes/heap/stacks:bytes", "/memory/classes/metadata/other:bytes", "/gc/heap/goal:bytes"}
		sample := make([]metrics.Sample, len(names))
		for i, n := range names {
			sample[i].Name = n
		}
		var best, bestMapped uint64
		var atPeak []uint64
		var prof bytes.Buffer
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				os.WriteFile(name, prof.Bytes(), 0o644)
				fmt.Fprintf(os.Stderr, "größter lebender Heap: %.0f MB (%s)\n", float64(best)/1e6, name)
				for i, n := range names {
					if atPeak != nil {
						fmt.Fprintf(os.Stderr, "  beim größten belegten Speicher %-40s %6.0f MB\n", n, float64(atPeak[i])/1e6)
					}
				}
				return
			case <-tick.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > best {
					best = v
					prof.Reset()
					pprof.Lookup("heap").WriteTo(&prof, 0)
				}
				if mapped := sample[1].Value.Uint64() - sample[2].Value.Uint64(); mapped > bestMapped {
					bestMapped = mapped
					atPeak = atPeak[:0]
					for _, s := range sample {
						atPeak = append(atPeak, s.Value.Uint64())
					}
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// loadAvg is the machine's one-minute load average.
func loadAvg() float64 {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// bare renders with Hugo only: same configuration and generated data, none
// of our checks, enrichment, minifying or compression.
func bare(ctx context.Context, root, out string) (time.Duration, error) {
	work, err := os.MkdirTemp("", "bare-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)
	// The same render models and mounts as the pipeline's.
	configFiles, _, err := Site(Options{NoWasm: true}).Prepare(site.Options{Root: root, BaseURL: "http://127.0.0.1:1313/"}, work)
	if err != nil {
		return 0, err
	}
	// A warm rebuild, as `hugo` does it: over the previous output in place
	// (cleanDestinationDir removes what is no longer built).
	t0 := time.Now()
	ps, err := render(ctx, root, out, "http://127.0.0.1:1313/", configFiles, work)
	if err == nil && len(ps) > 0 {
		err = fmt.Errorf("%v", ps)
	}
	return time.Since(t0), err
}

// generatePages writes n pages per variant in sections of 100: realistic
// Markdown with headings, lists, links, glossary terms and abbreviations;
// the Leichte Sprache pages follow its rules so the whole pipeline runs.
func generatePages(b testing.TB, root string, n int) {
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
	// Every page needs a description (htmlcheck), the sections too.
	for _, v := range []string{"content/de", "content/ls"} {
		dir := filepath.Join(root, v, "generiert")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		idx := "---\ntitle: \"Erzeugte Seiten\"\ndescription: \"Seiten zum Testen.\"\n---\n"
		if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(idx), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		sec := fmt.Sprintf("generiert/teil-%03d", i/100)
		for _, v := range []struct{ dir, body string }{{"content/de", std}, {"content/ls", easy}} {
			dir := filepath.Join(root, v.dir, sec)
			if i%100 == 0 {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					b.Fatal(err)
				}
				idx := "---\ntitle: \"Teil " + strconv.Itoa(i/100) + "\"\ndescription: \"Seiten zum Testen.\"\n---\nSeiten zum Testen.\n"
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
func render(ctx context.Context, root, dest, baseURL, configFiles, work string) ([]report.Problem, error) {
	var err error
	args := []string{
		"--source", root,
		"--destination", dest,
		"--config", configFiles,
		"--baseURL", baseURL,
		"--noBuildLock",
		"--cacheDir", filepath.Join(work, "cache"),
		"--panicOnWarning=false",
		// The generated site is a temp folder without history, as the
		// pipeline's own build treats it (site.renderStreaming).
		"--enableGitInfo=false",
	}
	unlock := site.HugoLock()
	logged, cerr := captureOutput(func() { err = commands.Execute(args) })
	unlock()
	if cerr != nil {
		return nil, cerr
	}
	if err == nil {
		return nil, ctx.Err()
	}
	return site.HugoProblems(root, logged, err)
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

// BenchmarkFinishPage is the finish step's work on one page as a build
// does it (enrich, middle dots, checks, minify, gzip, brotli; nothing
// written), on the fixture pages the layouts render, per variant.
func BenchmarkFinishPage(b *testing.B) {
	root := moduleRoot(b)
	filters, checks, _, err := Site(Options{NoWasm: true}).Stages(site.Options{Root: root, BaseURL: "https://www.example.org/"})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, fixture, rel string }{
		{"standard", "internal/enrich/testdata/de-seite.html", "budget/antrag/index.html"},
		{"leicht", "internal/enrich/testdata/ls-antrag.html", "leichte-sprache/budget/antrag/index.html"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			src, err := os.ReadFile(filepath.Join(root, bc.fixture))
			if err != nil {
				b.Fatal(err)
			}
			proc := finish.New(finish.Options{
				Dir: b.TempDir(), ReportAs: "public", BasePath: "/", NoWrite: true,
				Filters: filters,
				Checks:  checks,
			})
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				proc.Add(bc.rel, bytes.Clone(src))
			}
			res, err := proc.Wait()
			if err != nil || len(res.Problems) > 0 {
				b.Fatal(err, res.Problems)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
		})
	}
}
