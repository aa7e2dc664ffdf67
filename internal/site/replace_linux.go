//go:build linux

package site

import (
	"errors"
	"fmt"
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
	err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE)
	if err != nil {
		// Filesystems without RENAME_EXCHANGE: two renames, the old site kept until the new one is in place.
		old := staging + ".alt"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("%s ließ sich nicht ersetzen: %w", out, err)
		}
		if err := os.Rename(staging, out); err != nil {
			_ = os.Rename(old, out)
			return fmt.Errorf("%s ließ sich nicht ersetzen: %w", out, err)
		}
		return os.Rename(old, staging)
	}
	// After the swap, staging holds the old site: the next build rewrites it.
	return nil
}
