// Package part8 checks part 8 of the built pages in Chromium; see package
// sitewide for what and why.
package part8_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 8, sitewide.Parts) }
