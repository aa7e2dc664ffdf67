// Package chromium starts Debian's headless Chromium fenced to loopback, for
// commands that drive a browser outside the tests (budgetsite screenshots).
// The flags are the browser tests' (DESIGN.md § 6): this machine has no
// network beyond loopback, and Chromium calls update and account hosts on
// start, so every name but loopback resolves to nothing and whatever still
// tries goes to a loopback port that hangs up.
package chromium

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// Default is where Debian's chromium package puts the browser.
const Default = "/usr/bin/chromium"

// Path returns the Chromium binary: $CHROMIUM, /usr/bin/chromium or
// chromium on PATH.
func Path() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if executable(p) {
			return p, nil
		}
		return "", fmt.Errorf("CHROMIUM=%s ist keine ausführbare Datei", p)
	}
	if executable(Default) {
		return Default, nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New(Default + " nicht gefunden (und CHROMIUM ist nicht gesetzt). Installieren: apt-get install -y --no-install-recommends chromium")
}

func executable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Flag is one command-line switch of Chromium, without its "--".
type Flag struct {
	Name  string
	Value any // true for a switch without value
}

// FenceFlags are the switches that keep Chromium to loopback; refuse is
// the address ("http://127.0.0.1:PORT") every request beyond it is sent
// to. Options uses them, and so does whatever starts Chromium itself
// (Lighthouse, through CommandLine).
func FenceFlags(refuse string) []Flag {
	return []Flag{
		{"disable-quic", true},
		{"disable-component-update", true},
		{"disable-domain-reliability", true},
		{"no-pings", true},
		// Background services that call home on start; the fence would stop
		// them anyway, but quiet is easier to read in the fence's hits.
		{"disable-features", "Translate,BlinkGenPropertyTrees,AutofillServerCommunication," +
			"NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,CertificateTransparencyComponentUpdater"},
		// Resolve nothing but loopback, and send whatever still tries
		// (update, account and safe-browsing hosts) to a port that hangs up.
		{"host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"},
		{"proxy-server", refuse},
		{"gaia-url", refuse},
		{"component-updater", "url-source=" + refuse},
	}
}

// CommandLine writes flags as Chromium's command line takes them.
func CommandLine(flags []Flag) []string {
	var out []string
	for _, f := range flags {
		if f.Value == true {
			out = append(out, "--"+f.Name)
		} else {
			out = append(out, fmt.Sprintf("--%s=%v", f.Name, f.Value))
		}
	}
	return out
}

// Options are the allocator options of a fenced headless Chromium with its
// profile in dir; refuse is the address ("http://127.0.0.1:PORT") every
// request beyond loopback is sent to.
func Options(exe, dir, refuse string) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 800),
	)
	for _, f := range FenceFlags(refuse) {
		opts = append(opts, chromedp.Flag(f.Name, f.Value))
	}
	return opts
}

// Browser is a running Chromium; Ctx is its chromedp context.
type Browser struct {
	Ctx    context.Context
	cancel context.CancelFunc
	dir    string
	fence  *Fence
}

// Config says how to start Chromium. The zero value: the binary from
// [Path], a fresh profile in a temp dir, the browser's output dropped.
type Config struct {
	Exe string
	// ProfilePattern names the profile's temp dir (os.MkdirTemp).
	ProfilePattern string
	// Output receives what Chromium writes to stdout and stderr.
	Output io.Writer
}

// Launch starts Chromium with a fresh profile in a temp dir.
func Launch(ctx context.Context) (*Browser, error) {
	b, err := Start(ctx, Config{})
	if err != nil {
		return nil, fmt.Errorf("Chromium startet nicht: %w", err)
	}
	return b, nil
}

// Start starts Chromium as c says, fenced to loopback (see [Options]).
func Start(ctx context.Context, c Config) (*Browser, error) {
	exe := c.Exe
	if exe == "" {
		var err error
		if exe, err = Path(); err != nil {
			return nil, err
		}
	}
	if c.ProfilePattern == "" {
		c.ProfilePattern = "budgetsite-chromium-"
	}
	dir, err := os.MkdirTemp("", c.ProfilePattern)
	if err != nil {
		return nil, err
	}
	f, err := StartFence()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := Options(exe, dir, "http://"+f.Addr())
	if c.Output != nil {
		opts = append(opts, chromedp.CombinedOutput(c.Output))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{Ctx: bctx, cancel: func() { cancelCtx(); cancelAlloc() }, dir: dir, fence: f}
	if err := chromedp.Do(bctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	b.fence.Close()
	os.RemoveAll(b.dir)
}

// Dir is the browser's profile folder, removed by Close.
func (b *Browser) Dir() string { return b.dir }

// Hits lists what Chromium tried to reach beyond loopback.
func (b *Browser) Hits() []string { return b.fence.Hits() }

// Fence is the proxy every request beyond loopback goes to: it reads the
// first line (to say what was attempted) and hangs up.
type Fence struct {
	ln   net.Listener
	mu   sync.Mutex
	seen []string
}

// StartFence listens on a loopback port until Close.
func StartFence() (*Fence, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &Fence{ln: ln}
	go f.serve()
	return f, nil
}

// Addr is the fence's host:port.
func (f *Fence) Addr() string { return f.ln.Addr().String() }

func (f *Fence) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			line = strings.TrimSpace(line)
			if line == "" {
				line = "(Verbindung ohne Anfrage)"
			}
			f.mu.Lock()
			f.seen = append(f.seen, line)
			f.mu.Unlock()
		}()
	}
}

// Hits are the first lines of every attempt so far.
func (f *Fence) Hits() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// Close stops listening.
func (f *Fence) Close() { f.ln.Close() }
