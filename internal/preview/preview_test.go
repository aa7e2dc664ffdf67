package preview

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"budgetsite/internal/modules"
	"budgetsite/internal/site/sitetest"
)

// wait bounds every read of these tests: a preview that misses a change
// must fail the test, not hang it until go test's timeout.
const wait = 90 * time.Second

var client = &http.Client{Timeout: wait}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type preview struct {
	t      *testing.T
	root   string
	base   string
	log    *sitetest.Log
	events chan string
}

// start runs the preview on a copy of the project and subscribes to its
// reload events.
func start(t *testing.T) *preview {
	t.Helper()
	return startIn(t, copyProject(t))
}

func startIn(t *testing.T, root string) *preview {
	t.Helper()
	p := &preview{t: t, root: root, log: &sitetest.Log{}, events: make(chan string, 16)}
	mod, _ := filepath.Abs("../..")
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Site: modules.Site(modules.Options{NoWasm: true}), Root: p.root, ModuleRoot: mod, Port: 0, Log: p.log, Poll: 100 * time.Millisecond,
			Ready: func(a string) { addr <- a }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(wait):
			t.Error("the preview did not stop")
		}
	})
	select {
	case a := <-addr:
		p.base = "http://" + a + "/"
	case <-time.After(wait):
		t.Fatal("the preview did not open its port")
	}
	resp, err := client.Get(p.base + "_vorschau/neu")
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: %s", ct)
	}
	go func() {
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "data:") {
				p.events <- line
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return p
}

func (p *preview) edit(rel string, change func(string) string) {
	p.t.Helper()
	f := filepath.Join(p.root, filepath.FromSlash(rel))
	b, err := os.ReadFile(f)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(change(string(b))), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *preview) reloaded() {
	p.t.Helper()
	select {
	case <-p.events:
	case <-time.After(wait):
		p.t.Fatalf("no reload event within %v\nlog:\n%s", wait, p.log.String())
	}
}

// An editor saves a file: the preview rebuilds and tells the open page to reload.
func TestServeRebuildsAndReloads(t *testing.T) {
	p := start(t)
	if code, page := get(t, p.base+"kontakt/"); code != 200 || !strings.Contains(page, "<main") || !strings.Contains(page, "EventSource") {
		t.Fatalf("preview page (%d) lacks content or reload script:\n%s\nlog:\n%s", code, page, p.log.String())
	}
	p.edit("content/de/kontakt.md", func(s string) string { return s + "\nNeuer Satz aus dem Test.\n" })
	p.reloaded()
	if _, page := get(t, p.base+"kontakt/"); !strings.Contains(page, "Neuer Satz aus dem Test.") {
		t.Errorf("change not in the preview")
	}
}

// A failed build shows its Fehler in the browser, with file and line, until
// the editor fixes them; then the page reloads to the site.
func TestServeShowsFailedBuild(t *testing.T) {
	p := start(t)
	p.edit("content/de/kontakt.md", func(s string) string { return s + "\n## Eins\n\n#### Drei\n" })
	p.reloaded()
	code, page := get(t, p.base+"kontakt/")
	if code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", code)
	}
	for _, want := range []string{`<html lang="de"`, "<title>Fehler:", `class="skip"`, "content/de/kontakt.md:", "überspringt eine Ebene", "EventSource"} {
		if !strings.Contains(page, want) {
			t.Errorf("error page lacks %q:\n%s", want, page)
		}
	}
	if _, other := get(t, p.base+"budget/"); !strings.Contains(other, "Die Vorschau ist nicht aktuell") {
		t.Error("other pages still show the last good state")
	}
	if !strings.Contains(p.log.String(), "der Browser zeigt sie") {
		t.Errorf("log: %s", p.log.String())
	}

	p.edit("content/de/kontakt.md", func(s string) string { return strings.Replace(s, "#### Drei", "### Drei", 1) })
	p.reloaded()
	if code, page := get(t, p.base+"kontakt/"); code != 200 || !strings.Contains(page, "Drei") {
		t.Errorf("after the fix: %d\n%s", code, page)
	}
	// The open Impressum fields were printed once, not on every save.
	if n := strings.Count(p.log.String(), `Impressum: die Angabe "name"`); n != 1 {
		t.Errorf("an unchanged Warnung printed %d times:\n%s", n, p.log.String())
	}
}

// A file saved while the first build runs is not lost.
func TestServeKeepsEditDuringFirstBuild(t *testing.T) {
	var once sync.Once
	var root string
	edited := make(chan struct{})
	testHookBuild = func() {
		once.Do(func() {
			// The first build has started from the old file: change it now.
			f := filepath.Join(root, "content", "de", "kontakt.md")
			b, _ := os.ReadFile(f)
			_ = os.WriteFile(f, append(b, "\nWährend des ersten Builds gespeichert.\n"...), 0o644)
			close(edited)
		})
	}
	t.Cleanup(func() { testHookBuild = nil })
	root = copyProject(t)
	p := startIn(t, root)
	<-edited
	deadline := time.Now().Add(wait)
	for {
		if _, page := get(t, p.base+"kontakt/"); strings.Contains(page, "Während des ersten Builds gespeichert.") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit saved during the first build never reached the preview\nlog:\n%s", p.log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func copyProject(t *testing.T) string {
	root, _ := filepath.Abs("../..")
	return sitetest.CopyProject(t, root)
}
