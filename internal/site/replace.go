package site

import (
	"fmt"
	"os"
)

// renameSwap puts staging in the place of out by two renames: the old site
// is moved aside first and only removed from out's place once the new one
// is there; it ends up in staging for the next build.
func renameSwap(staging, out string) error {
	old := staging + ".alt"
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("%s ließ sich nicht aufräumen: %w", old, err)
	}
	if err := os.Rename(out, old); err != nil {
		return fmt.Errorf("%s ließ sich nicht ersetzen: %w", out, err)
	}
	if err := os.Rename(staging, out); err != nil {
		_ = os.Rename(old, out)
		return fmt.Errorf("%s ließ sich nicht ersetzen: %w", out, err)
	}
	return os.Rename(old, staging)
}
