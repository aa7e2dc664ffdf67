//go:build linux

package site

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// replaceDir puts staging in the place of out in one step: on Linux the two
// folders swap atomically (renameat2 RENAME_EXCHANGE), so a reader never sees
// a half-written site; the old site ends up in staging.
func replaceDir(staging, out string) error {
	if _, err := os.Stat(out); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, out)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE); err != nil {
		// Filesystems without RENAME_EXCHANGE.
		return renameSwap(staging, out)
	}
	// After the swap, staging holds the old site: the next build rewrites it.
	return nil
}
