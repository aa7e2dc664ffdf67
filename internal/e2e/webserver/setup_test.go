// Package webserver_test runs the site as an operator would: built for
// publishing, the receiver started with the arguments of the generated
// systemd unit, and in front of it Debian's Caddy and nginx with the
// configuration the build generated into deploy/. Only the ports, the
// certificate and the folders differ, and those come from the same generator.
// Every server listens on 127.0.0.1 and is stopped when its test ends.
package webserver_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/deploy"
	"budgetsite/internal/modules"
	"budgetsite/internal/receiver"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
	"budgetsite/internal/site/sitetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Shutdown()
	cleanupBuild()
	os.Exit(code)
}

// Host is the site's host in the tests: a name, so clients send SNI as they
// do for a real domain, and one that always means this machine.
const Host = "localhost"

// need returns the path of a web server's binary. Without it the test fails
// in CI and otherwise skips with a banner that is hard to overlook.
func need(t testing.TB, bin string, pkgs ...string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err == nil {
		return p
	}
	hint := "apt-get install -y --no-install-recommends " + strings.Join(pkgs, " ")
	if browsertest.InCI() {
		t.Fatalf("CI=true, aber %s fehlt. Installieren: %s", bin, hint)
	}
	bar := strings.Repeat("!", 72)
	fmt.Fprintf(os.Stderr, "\n%s\n!!  WEBSERVER-TEST ÜBERSPRUNGEN: %s fehlt.\n!!  Die Konfiguration in deploy/ wurde mit %s NICHT geprüft.\n!!  In CI (CI=true) schlägt dieser Test fehl. Installieren: %s\n%s\n\n",
		bar, bin, bin, hint, bar)
	t.Skipf("WEBSERVER-TEST ÜBERSPRUNGEN: %s fehlt (%s)", bin, hint)
	return ""
}

// built is the site built for publishing, once per test binary.
type built struct {
	dir  string       // the built site
	scan *deploy.Site // what the generator read from it
	cert *tlsFiles
}

var (
	buildOnce sync.Once
	buildRes  *built
	buildErr  error
	buildTemp string
)

// buildSite builds the project with a filled-in operator for publishing
// (--production) with the base URL https://localhost/, the WebAssembly included.
func buildSite(t testing.TB) *built {
	t.Helper()
	buildOnce.Do(func() {
		root := browsertest.ModuleRoot(t)
		// A TB's temp dir ends with the first test; the build serves them all.
		tmp, err := os.MkdirTemp("", "webserver-test-")
		if err != nil {
			buildErr = err
			return
		}
		buildTemp = tmp
		proj := sitetest.CopyProject(t, root)
		sitetest.FillOperator(t, proj)
		out := filepath.Join(tmp, "public")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		res, err := modules.Site(modules.Options{}).Build(ctx, site.Options{Root: proj, ModuleRoot: root, OutDir: out, BaseURL: "https://" + Host + "/", Production: true})
		if err != nil {
			buildErr = err
			return
		}
		if res.Failed() || !res.Written {
			var b strings.Builder
			report.Print(&b, res.Problems)
			buildErr = fmt.Errorf("der Build zum Veröffentlichen schlug fehl:\n%s", b.String())
			return
		}
		b := &built{dir: out}
		if b.scan, err = deploy.Scan(out, []string{"/selbstcheck/", "/leichte-sprache/selbstcheck/"}); err != nil {
			buildErr = err
			return
		}
		b.cert, buildErr = makeCert(tmp)
		buildRes = b
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if buildRes == nil {
		t.Fatal("der Build ist schon in einem früheren Test gescheitert")
	}
	return buildRes
}

func cleanupBuild() {
	if buildTemp != "" {
		os.RemoveAll(buildTemp)
	}
}

// tlsFiles is a self-signed certificate for Host.
type tlsFiles struct {
	cert, key string
	pool      *x509.CertPool
}

func makeCert(dir string) (*tlsFiles, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: Host}, DNSNames: []string{Host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	f := &tlsFiles{cert: filepath.Join(dir, "cert.pem"), key: filepath.Join(dir, "key.pem"), pool: x509.NewCertPool()}
	if err := os.WriteFile(f.cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(f.key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return nil, err
	}
	c, _ := x509.ParseCertificate(der)
	f.pool.AddCert(c)
	return f, nil
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// stack is one web server with its receiver, running.
type stack struct {
	*built
	server      string // "caddy" or "nginx"
	opts        deploy.Options
	base        string // https://localhost:PORT/
	http        string // http://localhost:PORT/
	db          string
	stopReceive func()
}

// lineWaiter is the receiver's stdout: it reports the address from the ready line.
type lineWaiter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
	sent bool
}

func (w *lineWaiter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if _, rest, ok := strings.Cut(w.buf.String(), "lauscht auf http://"); ok && !w.sent {
		if line, _, ok := strings.Cut(rest, "\n"); ok {
			w.sent = true
			w.addr <- strings.TrimSpace(line)
		}
	}
	return len(p), nil
}

// start runs the receiver with the unit's arguments and the web server with
// the generated configuration. env are the receiver's environment variables
// (the unit's EnvironmentFile), none for the tests.
func start(t testing.TB, b *built, server string, env ...string) *stack {
	t.Helper()
	s := &stack{built: b, server: server}
	state := t.TempDir()
	s.db = filepath.Join(state, deploy.DBName)
	noEnv := func(k string) (string, bool) {
		for i := 0; i+1 < len(env); i += 2 {
			if env[i] == k {
				return env[i+1], true
			}
		}
		return "", false
	}
	var out, errb bytes.Buffer
	if code := receiver.Main(context.Background(), []string{"init", "--db", s.db}, &out, &errb, noEnv); code != 0 {
		t.Fatalf("receiver init: %s%s", out.String(), errb.String())
	}
	// The unit's ExecStart, with a free port and the test's folders.
	args := deploy.ReceiverArgs(deploy.Options{BaseURL: "https://" + Host + "/", WebRoot: b.dir, Receiver: "127.0.0.1:0", StateDir: state})
	ctx, cancel := context.WithCancel(context.Background())
	w := &lineWaiter{addr: make(chan string, 1)}
	logs := &sitetest.Log{}
	done := make(chan int, 1)
	go func() { done <- receiver.Main(ctx, args, w, logs, noEnv) }()
	var addr string
	select {
	case addr = <-w.addr:
	case code := <-done:
		cancel()
		t.Fatalf("der Empfänger startete nicht (%d): %s", code, logs.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("der Empfänger meldete sich nicht: %s", logs.String())
	}
	var once sync.Once
	s.stopReceive = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	t.Cleanup(s.stopReceive)

	run := t.TempDir()
	s.opts = deploy.Options{BaseURL: "https://" + Host + "/", WebRoot: b.dir, Receiver: addr,
		Bind: "127.0.0.1", HTTPPort: freePort(t), HTTPSPort: freePort(t), CertFile: b.cert.cert, KeyFile: b.cert.key, RunDir: run}
	files, err := deploy.Generate(s.opts, b.scan)
	if err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	switch server {
	case "caddy":
		bin := need(t, "caddy", "caddy")
		conf := filepath.Join(run, deploy.CaddyFile)
		writeFile(t, conf, files[deploy.CaddyFile])
		cmd = exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
		// Caddy keeps its state below HOME and the XDG folders: in the test's folder.
		cmd.Env = append(os.Environ(), "HOME="+run, "XDG_CONFIG_HOME="+run+"/config", "XDG_DATA_HOME="+run+"/data")
	case "nginx":
		bin := need(t, "nginx", "nginx", "libnginx-mod-http-brotli-static")
		siteConf := filepath.Join(run, "site.conf")
		writeFile(t, siteConf, files[deploy.NginxFile])
		main := filepath.Join(run, "nginx-main.conf")
		writeFile(t, main, deploy.NginxMain(siteConf, run))
		cmd = exec.Command(bin, "-c", main, "-p", run, "-e", filepath.Join(run, "error.log"), "-g", "daemon off;")
	}
	srvOut := &sitetest.Log{}
	cmd.Stdout, cmd.Stderr = srvOut, srvOut
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	s.base = fmt.Sprintf("https://%s:%d/", Host, s.opts.HTTPSPort)
	s.http = fmt.Sprintf("http://%s:%d/", Host, s.opts.HTTPPort)
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := tls.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", s.opts.HTTPSPort), &tls.Config{ServerName: Host, RootCAs: b.cert.pool})
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("%s endete beim Start: %s\n%s", server, srvOut.String(), readLog(run))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s antwortet nicht auf HTTPS: %v\n%s\n%s", server, err, srvOut.String(), readLog(run))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func readLog(dir string) string {
	var b strings.Builder
	for _, f := range []string{"error.log", "caddy.log"} {
		if data, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			fmt.Fprintf(&b, "%s:\n%s\n", f, data)
		}
	}
	return b.String()
}

func writeFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// client talks to the stack from the loopback address local ("127.0.0.2"
// is another visitor than "127.0.0.1"). It follows no redirects and
// decompresses nothing, so the test sees what the server sent.
func (s *stack) client(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			return d.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig:     &tls.Config{RootCAs: s.cert.pool},
		DisableCompression:  true,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 8,
	}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches path (below the base) with the Accept-Encoding ae and returns
// the response with its body read.
func get(t testing.TB, c *http.Client, u, ae string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ae != "" {
		req.Header.Set("Accept-Encoding", ae)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp, body
}
