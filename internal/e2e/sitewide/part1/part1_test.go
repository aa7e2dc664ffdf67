// Package part1 checks part 1 of the built pages in Chromium; see package
// sitewide for what and why.
package part1_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 1, sitewide.Parts) }
