package receiver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"budgetsite/internal/receiver/store"
)

// TestBackupUnderLoadAndRestore: a backup taken while clients keep sending holds
// every request accepted before it began; restored into a fresh folder, the receiver
// starts on it and numbers go on where the operator says (issue 9).
func TestBackupUnderLoadAndRestore(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Now = time.Now })
	ts := httptest.NewServer(e.h)
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	base := e.example("ausstellung")

	var mu sync.Mutex
	acked := map[string]time.Time{} // number → when its 303 came
	var seq atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				v := maps.Clone(base)
				v.Set("organisation", fmt.Sprint("Verein ", seq.Add(1)))
				loc, status, err := postForm(addr, "ausstellung", v.Encode())
				if err != nil || status != http.StatusSeeOther {
					t.Errorf("post: %d %v", status, err)
					return
				}
				m := locRe.FindStringSubmatch(loc)
				mu.Lock()
				acked[m[2]] = time.Now()
				mu.Unlock()
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	waitFor(t, 30*time.Second, "requests before the backup", func() bool { return count() >= 60 })
	target := t.TempDir()
	began := time.Now()
	out, errs, code := run(t, map[string]string{"RECEIVER_DB": e.srv.cfg.DB}, "backup", target)
	ended := time.Now()
	waitFor(t, 30*time.Second, "requests after the backup", func() bool {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, at := range acked {
			if at.After(ended) {
				n++
			}
		}
		return n >= 20
	})
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "Sicherung ") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(target, "anfragen-*.db"))
	if len(files) != 1 {
		t.Fatalf("backup files %v", files)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}

	fresh := filepath.Join(t.TempDir(), "anfragen.db")
	out, errs, code = run(t, nil, "restore", "--db", fresh, files[0])
	if code != 0 || !strings.Contains(out, "Achtung") {
		t.Fatalf("restore into a fresh folder: %d %q %q", code, out, errs)
	}
	st, err := store.Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := st.List(context.Background(), store.Filter{}, time.UTC)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, r := range reqs {
		in[r.Nummer] = true
	}
	before, last := 0, ""
	for nr, at := range acked {
		if at.Before(began) {
			before++
			if !in[nr] {
				t.Errorf("request %s accepted before the backup is not in it", nr)
			}
		}
		if at.After(ended) && in[nr] {
			t.Errorf("request %s accepted after the backup is in it", nr)
		}
		last = max(last, nr)
	}
	t.Logf("%d requests in all, %d accepted before the backup began, %d in the backup", len(acked), before, len(reqs))

	// The operator carries the numbers on past the last one the mails showed.
	var lastRunning int64
	fmt.Sscanf(last[5:], "%d", &lastRunning)
	out, errs, code = run(t, nil, "restore", "--db", fresh, "--start", fmt.Sprint(lastRunning+1), files[0])
	if code != 0 || strings.Contains(out, "Achtung") {
		t.Fatalf("restore --start: %d %q %q", code, out, errs)
	}
	e2 := newEnvOn(t, fresh)
	w := e2.post("feedback", e2.example("feedback"))
	m := locRe.FindStringSubmatch(w.Header().Get("Location"))
	if m == nil || m[2] <= last {
		t.Errorf("first number after the restore %v, the last handed out was %s", m, last)
	}
}

// newEnvOn is a test environment on an existing database file.
func newEnvOn(t *testing.T, db string) *testEnv {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := Defaults()
	c.DB, c.Site, c.RatePerMinute, c.Now = db, "testdata/site", 0, time.Now
	c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := NewServer(c, loadBundle(t), st)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{srv: srv, st: st, h: srv.Handler(), set: srv.forms}
}
