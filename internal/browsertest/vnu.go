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
// over every HTML file under the folders, in one run (Java's start-up is
// most of its time), and returns its error lines; warnings are off. With
// more than one folder, each file is named with its folder's name in front.
// Without Java or vnu.jar the test skips loudly (fails in CI).
func VNU(t testing.TB, dirs ...string) []string {
	t.Helper()
	java := JavaPath(t)
	jar, err := nodeModule(vnuRel)
	if err != nil {
		missing(t, "vnu-jar", err.Error(), "Installieren: npm ci")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// A run is short: the quick compiler alone (C1) and the simplest
	// collector need a third of the CPU time of Java's defaults, here 11 s
	// instead of 33 s for the whole site on the busy machine. C1's frames are
	// larger, so the checker's schema needs a larger stack than its 512k.
	args := append([]string{"-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
		"-jar", jar, "--errors-only", "--skip-non-html"}, dirs...)
	cmd := exec.CommandContext(ctx, java, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("Nu-Checker startet nicht: %v\n%s", err, out.String())
	}
	var lines []string
	for l := range strings.Lines(out.String()) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, relativeVNU(l, dirs))
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
// `x/index.html:3.1-3.9: error: …` (`dir/x/index.html…` for several dirs).
func relativeVNU(line string, dirs []string) string {
	rest, ok := strings.CutPrefix(line, `"file:`)
	if !ok {
		return line
	}
	file, msg, ok := strings.Cut(rest, `":`)
	if !ok {
		return line
	}
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(abs, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = filepath.ToSlash(rel)
			if len(dirs) > 1 {
				file = filepath.Base(abs) + "/" + file
			}
			break
		}
	}
	return file + ":" + msg
}
