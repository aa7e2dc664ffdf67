package webserver_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"budgetsite/internal/deploy"
)

// TestProductionConfigs checks the files as an operator installs them (public
// ports, both address families, the real paths): Caddy adapts the Caddyfile,
// nginx -t accepts nginx.conf (with the test's certificate in place of
// certbot's), and systemd accepts the unit and rates its exposure.
func TestProductionConfigs(t *testing.T) {
	b := buildSite(t)
	dir := t.TempDir()
	opts := deploy.Options{BaseURL: "https://www.example.org/"}
	files, err := deploy.Generate(opts, b.scan)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("caddy", func(t *testing.T) {
		bin := need(t, "caddy", "caddy")
		conf := filepath.Join(dir, deploy.CaddyFile)
		writeFile(t, conf, files[deploy.CaddyFile])
		cmd := exec.Command(bin, "adapt", "--config", conf, "--adapter", "caddyfile")
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("caddy adapt: %v\n%s", err, out)
		}
	})
	t.Run("nginx", func(t *testing.T) {
		bin := need(t, "nginx", "nginx", "libnginx-mod-http-brotli-static")
		o := opts
		o.CertFile, o.KeyFile = b.cert.cert, b.cert.key
		f, err := deploy.Generate(o, b.scan)
		if err != nil {
			t.Fatal(err)
		}
		site := filepath.Join(dir, "site.conf")
		writeFile(t, site, f[deploy.NginxFile])
		main := filepath.Join(dir, "nginx-main.conf")
		writeFile(t, main, deploy.NginxMain(site, dir))
		if out, err := exec.Command(bin, "-t", "-c", main, "-p", dir, "-e", filepath.Join(dir, "error.log")).CombinedOutput(); err != nil {
			t.Errorf("nginx -t: %v\n%s", err, out)
		}
	})
	t.Run("systemd", func(t *testing.T) {
		bin := need(t, "systemd-analyze", "systemd")
		// verify wants the program to exist: this test binary stands in for it.
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Bin = exe
		f, err := deploy.Generate(o, b.scan)
		if err != nil {
			t.Fatal(err)
		}
		unit := filepath.Join(dir, deploy.UnitFile)
		writeFile(t, unit, f[deploy.UnitFile])
		if out, err := exec.Command(bin, "verify", unit).CombinedOutput(); err != nil || strings.Contains(string(out), deploy.UnitFile) {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
		out, err := exec.Command(bin, "security", "--offline=true", unit).CombinedOutput()
		m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("systemd-analyze security: %v\n%s", err, out)
		}
		// 0 is a unit that can do nothing, 10 one without any protection;
		// systemd calls up to 2 "OK". The rest is the network a mail sender needs.
		if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2 {
			t.Errorf("Gefährdung %.1f (systemd-analyze security), höchstens 2 erwartet:\n%s", level, out)
		}
		t.Logf("systemd-analyze security: Gefährdung %s", m[1])
	})
}
