//go:build unix

package browsertest

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCachedBuildOnce: callers of one key wait for the first one's build and
// take it; a failed build leaves nothing behind; unused entries of other keys
// are swept once they are stale or unfinished, entries in use never.
func TestCachedBuildOnce(t *testing.T) {
	root := t.TempDir()
	old := cacheRoot
	cacheRoot = func() string { return root }
	t.Cleanup(func() { cacheRoot = old; releaseBuilds() })

	var builds atomic.Int32
	build := func(out string) error {
		builds.Add(1)
		time.Sleep(50 * time.Millisecond) // long enough for the others to queue
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, "index.html"), []byte("<!DOCTYPE html>"), 0o644)
	}
	var wg sync.WaitGroup
	dirs := make([]string, 4)
	fresh := make([]bool, 4)
	for i := range dirs {
		wg.Go(func() {
			var err error
			dirs[i], fresh[i], err = cachedBuild("k1", build)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for one key, want 1", n)
	}
	built := 0
	for i, d := range dirs {
		if d != dirs[0] {
			t.Errorf("caller %d got %s, caller 0 %s", i, d, dirs[0])
		}
		if fresh[i] {
			built++
		}
	}
	if built != 1 {
		t.Errorf("%d callers say they built", built)
	}

	// A failed build leaves no entry: the next caller builds again.
	if _, _, err := cachedBuild("kaputt", func(out string) error {
		os.MkdirAll(out, 0o755)
		return os.ErrInvalid
	}); err == nil {
		t.Error("failed build: no error")
	}
	if _, err := os.Stat(filepath.Join(root, "kaputt")); !os.IsNotExist(err) {
		t.Errorf("failed build left %v", err)
	}

	// Sweeping: an old entry nobody holds goes, the one in use stays.
	old2 := filepath.Join(root, "alt")
	os.MkdirAll(filepath.Join(old2, "public"), 0o755)
	os.WriteFile(filepath.Join(old2, "fertig"), nil, 0o644)
	os.WriteFile(filepath.Join(root, "alt.lock"), nil, 0o644)
	past := time.Now().Add(-2 * staleAfter)
	os.Chtimes(filepath.Join(old2, "fertig"), past, past)
	k1 := filepath.Join(root, "k1", "fertig")
	os.Chtimes(k1, past, past) // stale too, but this process holds it
	if _, _, err := cachedBuild("k2", build); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old2); !os.IsNotExist(err) {
		t.Errorf("stale entry not swept: %v", err)
	}
	if _, err := os.Stat(k1); err != nil {
		t.Errorf("entry in use swept: %v", err)
	}
}
