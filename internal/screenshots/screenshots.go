package screenshots

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"budgetsite/internal/chromium"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// Widths are the window widths in CSS px: a small phone (WCAG's reflow
// width) and a desktop.
var Widths = []struct {
	Width, Height int64
}{{320, 640}, {1280, 800}}

// Options of one run.
type Options struct {
	Site *site.Site
	Root string // project root (hugo.toml)
	Dir  string // where the PNG files go
	Log  io.Writer
}

// Run builds the site into a temp folder, serves it on 127.0.0.1 and writes
// DIR/<template>-<variant>-<width>.png for every page of [Pages], the whole
// page long. It returns the files written.
func Run(ctx context.Context, o Options) ([]string, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String() + "/"
	out, err := os.MkdirTemp("", "budgetsite-bilder-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	fmt.Fprintf(o.Log, "Baue die Website nach %s …\n", out)
	res, err := o.Site.Build(ctx, site.Options{Root: o.Root, OutDir: out, BaseURL: base, NoGzip: true})
	if err != nil {
		return nil, err
	}
	if res.Failed() {
		var b strings.Builder
		report.Print(&b, res.Problems)
		return nil, fmt.Errorf("der Build hat Fehler:\n%s", b.String())
	}
	pages, err := Pages(out)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(out))}
	go srv.Serve(ln)
	defer srv.Close()

	b, err := chromium.Launch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	var written []string
	for _, w := range Widths {
		for _, p := range pages {
			name := filepath.Join(o.Dir, fmt.Sprintf("%s-%d.png", p.Template, w.Width))
			png, err := shoot(b.Ctx, base+p.Path, w.Width, w.Height)
			if err == nil {
				err = os.WriteFile(name, png, 0o644)
			}
			if err != nil {
				return written, fmt.Errorf("/%s bei %d px: %w", p.Path, w.Width, err)
			}
			fmt.Fprintf(o.Log, "%s\n", name)
			written = append(written, name)
		}
	}
	if hits := b.Hits(); len(hits) > 0 {
		fmt.Fprintf(o.Log, "Vom Zaun abgefangen (Chromium wollte hinaus): %d Versuche\n", len(hits))
	}
	return written, nil
}

// shoot loads url in a window of width × height CSS px (scale 1) and
// captures the whole page.
func shoot(ctx context.Context, url string, width, height int64) ([]byte, error) {
	// A tab of its own: the full-page shot leaves the window resized.
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height),
		chromedp.Navigate(url),
	); err != nil {
		return nil, err
	}
	// Quality 100 is a lossless PNG of the whole page, not only the window.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("Bildschirmfoto: %w", err)
	}
	return png, nil
}
