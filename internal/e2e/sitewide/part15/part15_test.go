// Package part15 checks part 15 of the built pages in Chromium; see package
// sitewide for what and why.
package part15_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 15, sitewide.Parts) }
