//go:build !linux

package site

import (
	"errors"
	"os"
)

// replaceDir puts staging in the place of out; without Linux's atomic
// exchange, by two renames (renameSwap).
func replaceDir(staging, out string) error {
	if _, err := os.Stat(out); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, out)
	}
	return renameSwap(staging, out)
}
