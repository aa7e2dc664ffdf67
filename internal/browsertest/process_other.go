//go:build !unix

package browsertest

// processGone cannot tell here; stale temp folders stay for the system to clean.
func processGone(int) bool { return false }
