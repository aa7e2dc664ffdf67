// Package cli is the command line of budgetsite: it parses flags, calls the
// pipeline and prints what a person can read. Exit codes: 0 ok, 1 problems
// found, 2 could not run.
package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"budgetsite/internal/bilder"
	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/modules"
	"budgetsite/internal/preview"
	"budgetsite/internal/report"
	"budgetsite/internal/screenshots"
	"budgetsite/internal/site"
)

const usage = `budgetsite – baut die Website zum Persönlichen Budget.

  budgetsite build   [--production] [--out public] [--base-url https://…/] [--root .]
  budgetsite check   [--readability] [--format text|json] [--root .]
  budgetsite check-text [--jsonl DATEI] [--root .]  < text.txt
  budgetsite serve   [--port 1313] [--root .]
  budgetsite new report <kurzname>
  budgetsite geprueft content/ls/<seite>.md --gruppe "…" [--datum JJJJ-MM-TT]
  budgetsite screenshots ORDNER [--root .]
  budgetsite bilder  [--root .]

build   baut die Website nach public/ (nur wenn keine Prüfung scheitert).
        --production: zum Veröffentlichen; noch offene Angaben sind dann Fehler.
check   prüft Inhalte und Seiten und schreibt nichts.
check-text  prüft einen Text auf Leichte Sprache: von der Eingabe, oder mit --jsonl
        eine Datei mit {"id": …, "text": …} je Zeile (Ausgabe: ein JSON-Objekt je Zeile).
serve   zeigt eine Vorschau auf http://127.0.0.1:PORT/ und lädt bei jeder Änderung neu.
new     legt einen neuen Praxisdialog-Bericht in beiden Sprach-Varianten an.
geprueft  trägt ein, dass eine Prüfgruppe eine Seite in Leichter Sprache geprüft hat.
bilder  kopiert die Bilder aus data/bilder.yaml unverändert aus node_modules/openmoji
        (nach npm ci) nach assets/openmoji/ und entfernt nicht mehr genannte.
screenshots  baut die Website und legt Bildschirmfotos der Startseiten und je einer
        Seite jeder Vorlage (320 und 1280 px breit) im ORDNER ab (braucht Chromium).
`

// Exit codes.
const (
	OK       = 0
	Problems = 1
	Broken   = 2
)

// NewSite makes the pipeline with the site's modules (cmd/budgetsite
// registers them).
type NewSite func(modules.Options) *site.Site

// Run executes one command line.
func Run(args []string, stdout, stderr io.Writer, newSite NewSite) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return Broken
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "build":
		return build(ctx, args[1:], stdout, stderr, newSite)
	case "check":
		return check(ctx, args[1:], stdout, stderr, newSite)
	case "check-text":
		return checkText(args[1:], os.Stdin, stdout, stderr)
	case "serve":
		return serve(ctx, args[1:], stdout, stderr, newSite)
	case "new":
		return newContent(args[1:], stdout, stderr)
	case "geprueft":
		return reviewed(args[1:], stdout, stderr, time.Now())
	case "bilder":
		return pictures(args[1:], stdout, stderr)
	case "screenshots":
		return shots(ctx, args[1:], stdout, stderr, newSite)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return OK
	}
	fmt.Fprintf(stderr, "Unbekannter Befehl %q.\n\n%s", args[0], usage)
	return Broken
}

func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func build(ctx context.Context, args []string, stdout, stderr io.Writer, newSite NewSite) int {
	fs := flags("build", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	out := fs.String("out", "", "Zielordner (Standard: public im Projektordner)")
	base := fs.String("base-url", "", "Adresse der Website, z. B. https://www.beispiel.de/")
	production := fs.Bool("production", false, "zum Veröffentlichen: jede noch offene Angabe (Impressum, Adressen) ist ein Fehler")
	if fs.Parse(args) != nil {
		return Broken
	}
	res, err := newSite(modules.Options{}).Build(ctx, site.Options{Root: *root, OutDir: *out, BaseURL: *base, Production: *production})
	var all []report.Problem
	if res != nil {
		all = res.Problems
	}
	if err != nil {
		fmt.Fprintf(stderr, "Der Build konnte nicht laufen: %v\n", err)
		return Broken
	}
	// The build shows what blocks or needs filling in; `check` lists the Hinweise too.
	shown := slices.DeleteFunc(slices.Clone(all), func(p report.Problem) bool { return p.Severity == report.Hinweis })
	code := finishText(res, shown, stdout, "build")
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, n)
	}
	if n := report.Count(all, report.Hinweis); n > 0 {
		fmt.Fprintf(stdout, "Die %d Hinweise zu Sprache und Lesbarkeit zeigt: go run ./cmd/budgetsite check\n", n)
	}
	return code
}

func check(ctx context.Context, args []string, stdout, stderr io.Writer, newSite NewSite) int {
	fs := flags("check", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	readability := fs.Bool("readability", false, "Lesbarkeits-Werte je Seite ausgeben")
	format := fs.String("format", "text", "Ausgabe: text oder json")
	if fs.Parse(args) != nil {
		return Broken
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "--format %q: erlaubt sind text und json.\n", *format)
		return Broken
	}
	s := newSite(modules.Options{NoWasm: true, Readability: *readability || *format == "json"})
	res, err := s.Build(ctx, site.Options{Root: *root, DryRun: true, NoGzip: true})
	if err != nil {
		fmt.Fprintf(stderr, "Die Prüfung konnte nicht laufen: %v\n", err)
		return Broken
	}
	if *format == "json" {
		std, easy := res.Count()
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{
			"problems":    nonNil(res.Problems),
			"fehler":      report.Count(res.Problems, report.Fehler),
			"warnungen":   report.Count(res.Problems, report.Warnung),
			"hinweise":    report.Count(res.Problems, report.Hinweis),
			"seiten":      map[string]int{"standard": std, "leichteSprache": easy},
			"readability": figures(s),
		})
		if res.Failed() {
			return Problems
		}
		return OK
	}
	if *readability {
		printReadability(stdout, figures(s))
	}
	return finishText(res, res.Problems, stdout, "check")
}

func nonNil(ps []report.Problem) []report.Problem {
	if ps == nil {
		return []report.Problem{}
	}
	return ps
}

// figures are the reading figures the Leichte Sprache module measured.
func figures(s *site.Site) []leichtesprache.PageFigures {
	for _, m := range s.Modules() {
		if f, ok := m.(interface {
			Figures() []leichtesprache.PageFigures
		}); ok {
			return f.Figures()
		}
	}
	return nil
}

func printReadability(w io.Writer, figs []leichtesprache.PageFigures) {
	fmt.Fprintf(w, "%-64s %6s %6s %7s %5s %5s %5s %5s %5s\n", "Seite", "Wörter", "W/Satz", "Flesch", "WSTF1", "WSTF2", "WSTF3", "WSTF4", "LIX")
	for _, f := range figs {
		x := f.Figures
		fmt.Fprintf(w, "%-64s %6d %6.1f %7.1f %5.1f %5.1f %5.1f %5.1f %5.1f\n", f.File, x.Words, x.WordsPerSentence, x.FleschAmstad, x.WSTF1, x.WSTF2, x.WSTF3, x.WSTF4, x.LIX)
	}
	fmt.Fprintln(w)
}

// finishText prints the problems grouped per file and one summary line.
func finishText(res *site.Result, shown []report.Problem, w io.Writer, verb string) int {
	report.Print(w, shown)
	if len(shown) > 0 {
		fmt.Fprintln(w)
	}
	std, easy := res.Count()
	fehler := report.Count(res.Problems, report.Fehler)
	warn := report.Count(res.Problems, report.Warnung)
	hint := report.Count(res.Problems, report.Hinweis)
	counts := fmt.Sprintf("%d Fehler, %d Warnungen, %d Hinweise", fehler, warn, hint)
	secs := strings.Replace(fmt.Sprintf("%.1f s", res.Duration.Seconds()), ".", ",", 1)
	switch {
	case fehler > 0 && verb == "build":
		fmt.Fprintf(w, "Build abgebrochen: %s (%s). Der Ordner public/ ist unverändert.\n", counts, secs)
		return Problems
	case fehler > 0:
		fmt.Fprintf(w, "Prüfung: %s (%s).\n", counts, secs)
		return Problems
	}
	what := "Fertig"
	if verb == "check" {
		what = "Prüfung bestanden"
	}
	fmt.Fprintf(w, "%s: %d Seiten Standard-Sprache, %d Seiten Leichte Sprache, %s, %s; %s.\n",
		what, std, easy, secs, humanBytes(res.Bytes), counts)
	return OK
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d Bytes", n)
}

func pictures(args []string, stdout, stderr io.Writer) int {
	fs := flags("bilder", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	if fs.Parse(args) != nil {
		return Broken
	}
	did, err := bilder.Sync(*root)
	for _, d := range did {
		fmt.Fprintln(stdout, d)
	}
	if err != nil {
		fmt.Fprintf(stderr, "Die Bilder konnten nicht kopiert werden: %v\n", err)
		return Problems
	}
	if len(did) == 0 {
		fmt.Fprintln(stdout, "Die Bilder in "+bilder.AssetDir+" sind aktuell.")
	}
	return OK
}

func shots(ctx context.Context, args []string, stdout, stderr io.Writer, newSite NewSite) int {
	fs := flags("screenshots", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	if fs.Parse(args) != nil {
		return Broken
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "Bitte genau einen Zielordner nennen: budgetsite screenshots ORDNER")
		return Broken
	}
	files, err := screenshots.Run(ctx, screenshots.Options{Site: newSite(modules.Options{}), Root: *root, Dir: fs.Arg(0), Log: stdout})
	if err != nil {
		fmt.Fprintf(stderr, "Die Bildschirmfotos konnten nicht entstehen: %v\n", err)
		return Broken
	}
	fmt.Fprintf(stdout, "%d Bildschirmfotos in %s.\n", len(files), fs.Arg(0))
	return OK
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, newSite NewSite) int {
	fs := flags("serve", stderr)
	root := fs.String("root", ".", "Projektordner (mit hugo.toml)")
	port := fs.Int("port", 1313, "Port auf 127.0.0.1")
	if fs.Parse(args) != nil {
		return Broken
	}
	if err := preview.Run(ctx, preview.Options{Site: newSite(modules.Options{}), Root: *root, Port: *port, Log: stdout}); err != nil {
		fmt.Fprintf(stderr, "Die Vorschau konnte nicht starten: %v\n", err)
		return Broken
	}
	return OK
}
