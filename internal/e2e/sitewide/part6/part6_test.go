// Package part6 checks part 6 of the built pages in Chromium; see package
// sitewide for what and why.
package part6_test

import (
	"testing"

	"budgetsite/internal/browsertest"
	"budgetsite/internal/e2e/sitewide"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestPages(t *testing.T) { sitewide.Check(t, 6, sitewide.Parts) }
