//go:build unix

package browsertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// lockWait bounds the wait for another package's build of the same site.
const lockWait = 15 * time.Minute

// staleAfter is how long an unused build stays in the cache. Its key holds
// the build day, so an older one is never taken again.
const staleAfter = 24 * time.Hour

var (
	heldMu sync.Mutex
	held   []*os.File // shared locks on the builds this process uses
)

// cachedBuild returns the folder of the build with this key, running build
// into it first unless another process did. A process that uses a build
// holds a shared lock on its key until it ends, so no sweep removes it; the
// build itself runs under the exclusive lock, which makes a second process
// wait for it and then take it. fresh tells whether this call built it.
func cachedBuild(key string, build func(out string) error) (dir string, fresh bool, err error) {
	root := cacheRoot()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", false, err
	}
	deadline := time.Now().Add(lockWait)
	f, err := lockKey(filepath.Join(root, key+".lock"), deadline)
	if err != nil {
		return "", false, err
	}
	entry := filepath.Join(root, key)
	out := filepath.Join(entry, "public")
	done := filepath.Join(entry, "fertig")
	if _, err := os.Stat(done); err != nil {
		fresh, err = buildLocked(f, entry, out, done, deadline, build)
		if err != nil {
			f.Close()
			return "", false, err
		}
	}
	heldMu.Lock()
	held = append(held, f)
	heldMu.Unlock()
	if fresh {
		sweepBuilds(root, key)
	}
	return out, fresh, nil
}

// buildLocked trades the shared lock for the exclusive one, builds unless
// another process did so meanwhile, and returns to the shared lock.
func buildLocked(f *os.File, entry, out, done string, deadline time.Time, build func(out string) error) (bool, error) {
	if err := flockUntil(f, unix.LOCK_EX, deadline); err != nil {
		return false, fmt.Errorf("auf den Build eines anderen Testpakets gewartet: %w", err)
	}
	defer unix.Flock(int(f.Fd()), unix.LOCK_SH)
	if _, err := os.Stat(done); err == nil {
		return false, nil
	}
	if err := os.RemoveAll(entry); err != nil {
		return false, err
	}
	if err := build(out); err != nil {
		os.RemoveAll(entry)
		return false, err
	}
	return true, os.WriteFile(done, nil, 0o644)
}

// lockKey opens the lock file and takes a shared lock on it. A sweeper may
// remove the file between open and lock: then the lock is on a file nobody
// else sees, and it starts over.
func lockKey(path string, deadline time.Time) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := flockUntil(f, unix.LOCK_SH, deadline); err != nil {
			f.Close()
			return nil, fmt.Errorf("auf den Build eines anderen Testpakets gewartet (%s): %w", path, err)
		}
		var a, b unix.Stat_t
		if unix.Fstat(int(f.Fd()), &a) == nil && unix.Stat(path, &b) == nil && a.Ino == b.Ino && a.Dev == b.Dev {
			return f, nil
		}
		f.Close()
	}
}

// flockUntil takes the lock (how: LOCK_SH or LOCK_EX), or gives up at the
// deadline. The blocking call runs aside on a duplicate of the descriptor;
// the lock belongs to the open file both share. If the call returns after
// the deadline, its lock is dropped again.
func flockUntil(f *os.File, how int, deadline time.Time) error {
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return err
	}
	got := make(chan error, 1)
	var mu sync.Mutex
	abandoned := false
	go func() {
		err := unix.Flock(fd, how)
		mu.Lock()
		defer mu.Unlock()
		if abandoned && err == nil {
			unix.Flock(fd, unix.LOCK_UN)
		}
		unix.Close(fd)
		got <- err
	}()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case err := <-got:
		return err
	case <-timer.C:
		mu.Lock()
		defer mu.Unlock()
		select {
		case err := <-got:
			return err
		default:
		}
		abandoned = true
		return errors.New("Zeit abgelaufen")
	}
}

// sweepBuilds removes the builds nobody uses: those whose lock is free and
// that are unfinished (a build that crashed) or older than staleAfter.
func sweepBuilds(root, keep string) {
	locks, _ := filepath.Glob(filepath.Join(root, "*.lock"))
	for _, l := range locks {
		key := strings.TrimSuffix(filepath.Base(l), ".lock")
		if key == keep {
			continue
		}
		f, err := os.OpenFile(l, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
			f.Close()
			continue // in use
		}
		entry := filepath.Join(root, key)
		fi, err := os.Stat(filepath.Join(entry, "fertig"))
		if err != nil || time.Since(fi.ModTime()) > staleAfter {
			if os.RemoveAll(entry) == nil {
				os.Remove(l)
			}
		}
		f.Close()
	}
}

// releaseBuilds drops the shared locks (the process ending does too).
func releaseBuilds() {
	heldMu.Lock()
	defer heldMu.Unlock()
	for _, f := range held {
		f.Close()
	}
	held = nil
}
