package preview

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func copyProject(t *testing.T) string {
	t.Helper()
	src, _ := filepath.Abs("../..")
	dst := t.TempDir()
	for _, name := range []string{"content", "data", "layouts", "i18n", "assets", "archetypes"} {
		if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(filepath.Join(src, name))); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(src, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "hugo.toml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// An editor saves a file: the preview rebuilds and tells the open page to reload.
func TestServeRebuildsAndReloads(t *testing.T) {
	root := copyProject(t)
	mod, _ := filepath.Abs("../..")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	var log bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Root: root, ModuleRoot: mod, Port: 0, Log: &log, Poll: 100 * time.Millisecond,
			Ready: func(a string) { addr <- a }})
	}()
	base := "http://" + <-addr + "/"
	page := get(t, base+"kontakt/")
	if !strings.Contains(page, "<main") || !strings.Contains(page, "EventSource") {
		t.Fatalf("preview page lacks content or reload script:\n%s\nlog:\n%s", page, log.String())
	}

	resp, err := http.Get(base + "_vorschau/neu")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: %s", ct)
	}
	f := filepath.Join(root, "content/de/kontakt.md")
	b, _ := os.ReadFile(f)
	if err := os.WriteFile(f, append(b, "\nNeuer Satz aus dem Test.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "data:") {
		t.Fatalf("no reload event: %q %v\nlog:\n%s", line, err, log.String())
	}
	if page := get(t, base+"kontakt/"); !strings.Contains(page, "Neuer Satz aus dem Test.") {
		t.Errorf("change not in the preview")
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}
