// Package part10 checks part 10 of the built pages in Chromium; see package
// sitewide for what and why.
package part10_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 10, sitewide.Parts) }
