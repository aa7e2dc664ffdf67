// Package part18 checks part 18 of the built pages in Chromium; see package
// sitewide for what and why.
package part18_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 18, sitewide.Parts) }
