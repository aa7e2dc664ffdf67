// Package part11 checks part 11 of the built pages in Chromium; see package
// sitewide for what and why.
package part11_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 11, sitewide.Parts) }
