// Package part20 checks part 20 of the built pages in Chromium; see package
// sitewide for what and why.
package part20_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 20, sitewide.Parts) }
