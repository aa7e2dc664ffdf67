// Package browsertest is the shared harness for the browser tests: it finds
// Chromium and Java, builds and serves the site on loopback, opens fenced
// headless tabs and runs axe-core, the Nu checker and keyboard walks in them.
//
// Tests in any package import it from their _test.go files. One Chromium
// process serves the whole test binary; a package that calls
// [Main] from its TestMain also shuts it down and removes its profile.
//
// Without Chromium (or Java) the tests skip with a loud notice; with CI=true
// they fail instead, so CI can never pass by skipping them.
package browsertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"budgetsite/internal/chromium"
)

// DefaultChromium is where Debian's chromium package puts the browser.
const DefaultChromium = chromium.Default

// InCI reports whether browser tests are required (CI=true).
func InCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v == "true" || v == "1" || v == "yes"
}

// ChromiumPath returns the Chromium binary: $CHROMIUM, /usr/bin/chromium or
// chromium on PATH. Without one the test skips loudly, or fails in CI.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	p, err := chromium.Path() // its error says how to install it
	if err != nil {
		missing(t, "Chromium", err.Error(), "oder CHROMIUM=/pfad/zu/chromium setzen.")
	}
	return p
}

// JavaPath returns the java binary ($JAVA or java on PATH) for the Nu
// checker, with the same skip/fail rule as [ChromiumPath].
func JavaPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("JAVA")
	if p == "" {
		p = "java"
	}
	found, err := exec.LookPath(p)
	if err != nil {
		missing(t, "Java", fmt.Sprintf("%s nicht gefunden: %v", p, err),
			"Installieren: apt-get install -y --no-install-recommends default-jre-headless",
			"oder JAVA=/pfad/zu/java setzen.")
	}
	return found
}

var noticeOnce sync.Map // tool name → *sync.Once

// missing fails in CI and otherwise skips after a banner that is hard to
// overlook. `go test ./...` hides the output of passing packages, so the banner
// goes to the terminal directly when there is one.
func missing(t testing.TB, tool, why string, hints ...string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true, aber %s fehlt: %s. %s", tool, why, strings.Join(hints, " "))
	}
	once, _ := noticeOnce.LoadOrStore(tool, new(sync.Once))
	once.(*sync.Once).Do(func() {
		bar := strings.Repeat("!", 72)
		lines := []string{"", bar,
			"!!  BROWSERTESTS ÜBERSPRUNGEN: " + tool + " fehlt.",
			"!!  " + why,
			"!!  Barrierefreiheit (axe), HTML-Gültigkeit (Nu), Tastatur und 320 px",
			"!!  wurden NICHT geprüft. In CI (CI=true) schlagen diese Tests fehl."}
		for _, h := range hints {
			lines = append(lines, "!!  "+h)
		}
		lines = append(lines, bar, "")
		banner := strings.Join(lines, "\n") + "\n"
		fmt.Fprint(os.Stderr, banner)
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, banner)
			tty.Close()
		}
	})
	t.Skipf("BROWSERTESTS ÜBERSPRUNGEN: %s fehlt (%s)", tool, why)
}

// ModuleRoot is the directory of go.mod above the working directory (go test
// runs in the package directory).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

var moduleRoot = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: keine go.mod über dem Arbeitsverzeichnis gefunden")
		}
		dir = parent
	}
})

// nodeModule returns a file under node_modules/ or a message saying to run
// npm ci.
func nodeModule(rel string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s fehlt: im Projektordner `npm ci` ausführen (package-lock.json)", filepath.Join("node_modules", rel))
	}
	return p, nil
}
