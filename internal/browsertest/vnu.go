package browsertest

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const vnuRel = "vnu-jar/build/dist/vnu.jar"

// VNU runs the W3C Nu HTML checker (npm vnu-jar, run with the system Java)
// over every HTML file under dir and returns its error lines; warnings are
// off. Without Java or vnu.jar the test skips loudly (fails in CI).
func VNU(t testing.TB, dir string) []string {
	t.Helper()
	java := JavaPath(t)
	jar, err := nodeModule(vnuRel)
	if err != nil {
		missing(t, "vnu-jar", err.Error(), "Installieren: npm ci")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-jar", jar, "--errors-only", "--skip-non-html", dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("Nu-Checker startet nicht: %v\n%s", err, out.String())
	}
	abs, _ := filepath.Abs(dir)
	var lines []string
	for l := range strings.Lines(out.String()) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, relativeVNU(l, abs))
		}
	}
	// vnu exits 1 exactly when it reports errors; anything else is a crash.
	if err != nil && (exit.ExitCode() != 1 || len(lines) == 0) {
		t.Fatalf("Nu-Checker: %v\n%s", err, out.String())
	}
	if err == nil && len(lines) > 0 {
		return nil // informational output only
	}
	return lines
}

// relativeVNU turns `"file:/abs/dir/x/index.html":3.1-3.9: error: …` into
// `x/index.html:3.1-3.9: error: …`.
func relativeVNU(line, dir string) string {
	rest, ok := strings.CutPrefix(line, `"file:`)
	if !ok {
		return line
	}
	file, msg, ok := strings.Cut(rest, `":`)
	if !ok {
		return line
	}
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	return file + ":" + msg
}
