// Package part16 checks part 16 of the built pages in Chromium; see package
// sitewide for what and why.
package part16_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 16, sitewide.Parts) }
