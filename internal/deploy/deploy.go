// Package deploy generates what an operator installs beside the built site:
// the web server configuration for Caddy and for nginx (Debian's packages) and
// the systemd unit of the request receiver. All three come from one
// description ([Options] and the [Site] read from the build), so paths, hashes
// and the host never drift apart. The build writes them into deploy/ beside
// its output folder.
package deploy

import (
	"bytes"
	"embed"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"budgetsite/internal/mediatype"
)

// The files written into deploy/.
const (
	CaddyFile = "Caddyfile"
	NginxFile = "nginx.conf"
	UnitFile  = Service + ".service"
)

// Defaults of the server side. The README's "Veröffentlichen" section uses the same paths.
const (
	// Service is the receiver's unit, user and state folder name.
	Service         = "budgetsite-receiver"
	DefaultWebRoot  = "/var/www/budgetsite"
	DefaultReceiver = "127.0.0.1:8090"
	DefaultBin      = "/usr/local/bin/receiver"
	DefaultStateDir = "/var/lib/" + Service
	// DefaultEnvFile holds the SMTP settings (RECEIVER_SMTP_…), readable by root only.
	DefaultEnvFile = "/etc/" + Service + "/umgebung"
	// DBName is the database file in the state folder.
	DBName = "anfragen.db"
	// ACMERoot is where certbot puts its challenge files for nginx.
	ACMERoot = "/var/www/letsencrypt"
)

// Fingerprinted matches the URL paths of fingerprinted assets (Hugo's
// fingerprint pipe: name.<hex hash>.css/js); they are cached for a year.
const Fingerprinted = `\.[0-9a-f]{32,}\.(css|js)$`

// Options describe the installation. Zero values are the defaults above and the
// public ports; tests set loopback ports, their own certificate and RunDir.
type Options struct {
	// BaseURL is the site's address (hugo.toml baseURL or --base-url); its host
	// is the only one served.
	BaseURL string

	WebRoot  string // the copy of public/ on the server
	Receiver string // host:port the receiver listens on
	Bin      string // the receiver's binary
	StateDir string // the receiver's database folder
	EnvFile  string // the receiver's environment file (SMTP settings)

	// Bind is the address the web servers listen on; empty: every address.
	Bind string
	// HTTPPort and HTTPSPort default to 80 and 443.
	HTTPPort, HTTPSPort int
	// CertFile and KeyFile: a certificate for the web servers. Empty: Caddy
	// gets one itself (ACME), nginx uses certbot's for the host.
	CertFile, KeyFile string
	// RunDir (tests only) takes Caddy's storage and log, so nothing is written
	// outside it, and switches Caddy's admin endpoint off.
	RunDir string
}

func (o Options) withDefaults() (Options, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || u.Hostname() == "" {
		return o, fmt.Errorf("Adresse der Website %q: kein Host", o.BaseURL)
	}
	if u.Path != "" && u.Path != "/" {
		return o, fmt.Errorf("Adresse der Website %q: die Konfiguration in deploy/ erwartet die Website auf der obersten Ebene (/), nicht unter %s", o.BaseURL, u.Path)
	}
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&o.WebRoot, DefaultWebRoot)
	def(&o.Receiver, DefaultReceiver)
	def(&o.Bin, DefaultBin)
	def(&o.StateDir, DefaultStateDir)
	def(&o.EnvFile, DefaultEnvFile)
	if o.HTTPPort == 0 {
		o.HTTPPort = 80
	}
	if o.HTTPSPort == 0 {
		o.HTTPSPort = 443
	}
	return o, nil
}

// ReceiverArgs are the receiver's arguments in the unit's ExecStart, without the
// binary: the tests start the receiver with exactly these.
func ReceiverArgs(o Options) []string {
	o, _ = o.withDefaults()
	return []string{"serve", "--addr", o.Receiver, "--site", o.WebRoot,
		"--db", filepath.Join(o.StateDir, DBName), "--trust-proxy"}
}

//go:embed templates
var templates embed.FS

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{"q": quote}).ParseFS(templates, "templates/*"))

// quote writes a value in double quotes for Caddy and nginx (the CSP has
// spaces and single quotes, never a double quote or backslash).
func quote(s string) string { return `"` + s + `"` }

// model is what the templates print; Go prepares every value.
type model struct {
	Options
	Host          string
	HTTPSuffix    string // ":8080" when not 80, for addresses
	HTTPSSuffix   string
	Listen        []string // nginx listen addresses of the HTTPS server (without port)
	ContentCSP    string
	ScriptCSP     string
	ScriptPaths   []string // every URL path of a script page (folder and index.html)
	Headers       [][2]string
	HSTS          string
	NotFound      []NotFound
	Fingerprinted string
	Types         [][2]string // nginx: type, extension
	Charset       []string    // nginx charset_types
	DB            string
	Args          string
	ACMERoot      string
	Test          bool
	Service       string
	Immutable     string
	Revalidate    string
}

// Headers are sent with every response, the receiver's too (the web server
// replaces the receiver's own copies, so each comes once).
var Headers = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "same-origin"},
	{"Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

// HSTS is sent on HTTPS: browsers then never use plain HTTP for the host for a year.
const HSTS = "max-age=31536000"

// ImmutableCache and RevalidateCache are the Cache-Control values of fingerprinted
// assets and of everything else the web server serves from public/.
const (
	ImmutableCache  = "public, max-age=31536000, immutable"
	RevalidateCache = "no-cache"
)

// Generate returns the files of deploy/ by name.
func Generate(o Options, s *Site) (map[string][]byte, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(o.BaseURL)
	m := model{Options: o, Host: u.Hostname(), ContentCSP: s.CSP(false), ScriptCSP: s.CSP(true),
		Headers: Headers, HSTS: HSTS, NotFound: s.NotFound, Fingerprinted: Fingerprinted,
		DB: filepath.Join(o.StateDir, DBName), ACMERoot: ACMERoot, Test: o.RunDir != "",
		Service: Service, Immutable: ImmutableCache, Revalidate: RevalidateCache}
	if o.HTTPPort != 80 {
		m.HTTPSuffix = ":" + strconv.Itoa(o.HTTPPort)
	}
	if o.HTTPSPort != 443 {
		m.HTTPSSuffix = ":" + strconv.Itoa(o.HTTPSPort)
	}
	if o.Bind != "" {
		m.Listen = []string{net.JoinHostPort(o.Bind, "")}
	} else {
		m.Listen = []string{"", "[::]:"}
	}
	for _, p := range s.ScriptPages {
		m.ScriptPaths = append(m.ScriptPaths, p, p+"index.html")
	}
	for _, ext := range mediatype.Extensions() {
		typ, params, _ := strings.Cut(mediatype.Types[ext], ";")
		m.Types = append(m.Types, [2]string{typ, strings.TrimPrefix(ext, ".")})
		if strings.Contains(params, "charset") && typ != "text/html" && !slices.Contains(m.Charset, typ) {
			m.Charset = append(m.Charset, typ)
		}
	}
	m.Args = strings.Join(ReceiverArgs(o), " ")
	files := map[string][]byte{}
	for _, name := range []string{CaddyFile, NginxFile, UnitFile} {
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, name, m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}

// Dir is the deploy/ folder beside a build's output folder.
func Dir(outDir string) string { return filepath.Join(filepath.Dir(outDir), "deploy") }

// Write writes the files for the site s, just built into outDir, into
// [Dir](outDir). Files that did not change are left alone.
func Write(outDir, baseURL string, s *Site) error {
	files, err := Generate(Options{BaseURL: baseURL}, s)
	if err != nil {
		return err
	}
	dir := Dir(outDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, b) {
			continue
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// NginxMain is a whole nginx.conf around the site file for a test: nginx runs
// unprivileged with its pid, logs and temporary files in runDir and loads
// Debian's brotli module itself (a server loads it from modules-enabled/).
func NginxMain(siteFile, runDir string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n")
	if os.Geteuid() == 0 {
		// Workers would run as nobody and could not read the test's private folders.
		b.WriteString("user root;\n")
	}
	fmt.Fprintf(&b, "worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\n", runDir, runDir)
	fmt.Fprintf(&b, "events {\n\tworker_connections 256;\n}\nhttp {\n\taccess_log %s/access.log;\n", runDir)
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, "\t%s_temp_path %s/%s;\n", t, runDir, t)
	}
	fmt.Fprintf(&b, "\tinclude %s;\n}\n", siteFile)
	return b.Bytes()
}
