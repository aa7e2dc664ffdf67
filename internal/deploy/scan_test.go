package deploy

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// shas are the hashes of texts, sorted as a Site lists them.
func shas(texts ...string) []string {
	var out []string
	for _, s := range texts {
		out = append(out, sha(s))
	}
	slices.Sort(out)
	return out
}

func TestScan(t *testing.T) {
	const css, attr, js = "p{color:red}", "margin:0", "go.run()"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  Site
		// csp is the content pages' policy, scriptCSP the script pages'.
		csp, scriptCSP string
	}{{
		name: "plain site",
		files: map[string]string{
			"index.html":               `<!doctype html><link rel=stylesheet href=/css/a.css><p>Text`,
			"css/a.css":                `p{margin:0}`,
			"selbstcheck/index.html":   `<script src=/selbstcheck/wasm_exec.js defer></script><script src=/js/s.js defer></script>`,
			"selbstcheck/wasm_exec.js": `x`,
		},
		want: Site{ScriptPages: []string{"/selbstcheck/"}, Wasm: true},
		csp:  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		scriptCSP: "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}, {
		name: "inline style, style attribute, inline script on the script page only, media, fonts",
		files: map[string]string{
			"index.html":             `<style>` + css + `</style><p style="` + attr + `">x</p><script>` + js + `</script><video src=/v.mp4></video>`,
			"leichte-sprache/a.html": `<style>` + css + `</style><style>` + css + `</style>`,
			"selbstcheck/index.html": `<script>` + js + `</script><script type=application/ld+json>{"a":1}</script><script src=/s.js></script>`,
			"css/a.css":              `@font-face{font-family:x;src:url(/x.woff2)}`,
		},
		want: Site{ScriptPages: []string{"/selbstcheck/"}, StyleHashes: []string{sha(css)}, StyleAttrHashes: []string{sha(attr)},
			ScriptHashes: []string{sha(js)}, Media: true, Fonts: true},
		csp: "default-src 'none'; style-src 'self' " + sha(css) + " 'unsafe-hashes' " + sha(attr) +
			"; img-src 'self' data:; media-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		scriptCSP: "default-src 'none'; script-src 'self' " + sha(js) + "; style-src 'self' " + sha(css) + " 'unsafe-hashes' " + sha(attr) +
			"; img-src 'self' data:; media-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}, {
		// What the browser hashes: attribute values with their character
		// references decoded, raw text as written, tags in any case, the
		// elements inside an inline <svg>.
		name: "as a browser reads the page",
		files: map[string]string{
			"index.html": `<STYLE>` + css + `</STYLE><p style=margin:0>x</p><p STYLE="content:&quot;&amp;&quot;">y</p>` +
				`<svg viewBox="0 0 1 1"><style>` + css + `svg{}</style><path style="fill:red" d="M0 0"/></svg>`,
			"selbstcheck/index.html": `<script type=MODULE>` + js + `</script>`,
		},
		want: Site{ScriptPages: []string{"/selbstcheck/"}, StyleHashes: shas(css, css+"svg{}"),
			StyleAttrHashes: shas(`content:"&"`, "fill:red", attr), ScriptHashes: shas(js)},
		csp: "default-src 'none'; style-src 'self' " + strings.Join(shas(css, css+"svg{}"), " ") + " 'unsafe-hashes' " +
			strings.Join(shas(`content:"&"`, "fill:red", attr), " ") + "; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		scriptCSP: "default-src 'none'; script-src 'self' " + sha(js) + "; style-src 'self' " + strings.Join(shas(css, css+"svg{}"), " ") + " 'unsafe-hashes' " +
			strings.Join(shas(`content:"&"`, "fill:red", attr), " ") + "; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["404.html"] = "<p>nicht da"
			tc.files["leichte-sprache/404.html"] = "<p>nicht da"
			s, err := Scan(writeSite(t, tc.files), []string{"selbstcheck"})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.NotFound = []NotFound{{"/leichte-sprache/", "/leichte-sprache/404.html"}, {"/", "/404.html"}}
			if !reflect.DeepEqual(*s, tc.want) {
				t.Errorf("Scan:\n got %+v\nwant %+v", *s, tc.want)
			}
			if got := s.CSP(false); got != tc.csp {
				t.Errorf("CSP:\n got %s\nwant %s", got, tc.csp)
			}
			if got := s.CSP(true); got != tc.scriptCSP {
				t.Errorf("script CSP:\n got %s\nwant %s", got, tc.scriptCSP)
			}
		})
	}
}

func TestScanWithout404(t *testing.T) {
	if _, err := Scan(writeSite(t, map[string]string{"index.html": "x"}), nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Scan without a 404 page: %v", err)
	}
}

func TestGenerateOptions(t *testing.T) {
	s := &Site{ScriptPages: []string{"/selbstcheck/"}, NotFound: []NotFound{{"/", "/404.html"}}}
	if _, err := Generate(Options{BaseURL: "https://www.example.org/unter/"}, s); err == nil {
		t.Error("a base URL with a path gave a configuration for the top level")
	}
	files, err := Generate(Options{BaseURL: "https://www.example.org/"}, s)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		CaddyFile: {"www.example.org {", "redir https://www.example.org{uri} 308", "reverse_proxy " + DefaultReceiver, "root * " + DefaultWebRoot},
		NginxFile: {"server_name www.example.org;", "listen 443 ssl http2;", "listen [::]:80;", "/etc/letsencrypt/live/www.example.org/fullchain.pem",
			"return 308 https://www.example.org$request_uri;", "proxy_pass http://" + DefaultReceiver + ";"},
		UnitFile: {"ExecStart=" + DefaultBin + " serve --addr " + DefaultReceiver + " --site " + DefaultWebRoot + " --db " + DefaultStateDir + "/anfragen.db --trust-proxy",
			"StateDirectory=" + Service, "UMask=0077", "EnvironmentFile=-" + DefaultEnvFile},
	} {
		for _, w := range want {
			if !strings.Contains(string(files[name]), w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	// A test installation: loopback ports, its own certificate and run folder.
	files, err = Generate(Options{BaseURL: "https://localhost/", Bind: "127.0.0.1", HTTPPort: 8080, HTTPSPort: 8443,
		CertFile: "/t/c.pem", KeyFile: "/t/k.pem", RunDir: "/t"}, s)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		CaddyFile: {"admin off", "default_bind 127.0.0.1", "http_port 8080", "https_port 8443", "tls /t/c.pem /t/k.pem", "redir https://localhost:8443{uri} 308"},
		NginxFile: {"listen 127.0.0.1:8443 ssl http2;", "listen 127.0.0.1:8080 default_server;", "ssl_certificate /t/c.pem;", "return 308 https://localhost:8443$request_uri;"},
	} {
		for _, w := range want {
			if !strings.Contains(string(files[name]), w) {
				t.Errorf("test %s lacks %q", name, w)
			}
		}
		if strings.Contains(string(files[name]), "[::]") {
			t.Errorf("test %s listens beyond the loopback address", name)
		}
	}
}

// The build's finish workers hand files over at once: the result is the
// one of a scan of the folder, in any order.
func TestScannerConcurrent(t *testing.T) {
	files := map[string]string{
		"404.html":                 `<html><body>nicht da</body></html>`,
		"leichte-sprache/404.html": `<html><body>nicht da</body></html>`,
		"a.css":                    `@font-face{src:url(/f.woff2)}`,
		"selbstcheck/index.html":   `<html><head><script src=/wasm_exec.js></script><script>go.run()</script></head></html>`,
	}
	for i := range 40 {
		files[fmt.Sprintf("s%d/index.html", i)] = fmt.Sprintf(`<html><head><style>p{margin:%dpx}</style></head><body><p style="color:red">x</p></body></html>`, i%5)
	}
	want, err := Scan(writeSite(t, files), []string{"selbstcheck"})
	if err != nil {
		t.Fatal(err)
	}
	sc := NewScanner([]string{"selbstcheck"})
	var wg sync.WaitGroup
	for rel, body := range files {
		wg.Add(1)
		go func() { defer wg.Done(); sc.File(rel, []byte(body)) }()
	}
	wg.Wait()
	got, err := sc.Site()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("concurrent:\n%+v\nscan:\n%+v", got, want)
	}
	if len(want.StyleHashes) != 5 || len(want.StyleAttrHashes) != 1 || len(want.ScriptHashes) != 1 || !want.Wasm || !want.Fonts || len(want.NotFound) != 2 || want.NotFound[0].Prefix != "/leichte-sprache/" {
		t.Errorf("scan: %+v", want)
	}
}
