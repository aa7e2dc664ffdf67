//go:build !unix

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Without flock the builds are not shared: each process builds into a temp
// folder of its own, removed when it ends.
var (
	ownMu sync.Mutex
	own   []string
)

func cachedBuild(key string, build func(out string) error) (string, bool, error) {
	dir, err := os.MkdirTemp("", fmt.Sprintf("%ssite-%d-", tempPrefix, os.Getpid()))
	if err != nil {
		return "", false, err
	}
	out := filepath.Join(dir, "public")
	if err := build(out); err != nil {
		os.RemoveAll(dir)
		return "", false, err
	}
	ownMu.Lock()
	own = append(own, dir)
	ownMu.Unlock()
	return out, true, nil
}

func releaseBuilds() {
	ownMu.Lock()
	defer ownMu.Unlock()
	for _, d := range own {
		os.RemoveAll(d)
	}
	own = nil
}
