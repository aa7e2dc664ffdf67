// Package part13 checks part 13 of the built pages in Chromium; see package
// sitewide for what and why.
package part13_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 13, sitewide.Parts) }
