//go:build tools

// This file pins modules that the project's packages import as they grow
// (browser tests, the request receiver, data files), so that `go mod tidy`
// keeps them in go.mod and go.sum while no non-tools file imports them yet.
package budgetsite

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/goccy/go-yaml"
	_ "github.com/tdewolff/minify/v2"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/net/html"
	_ "golang.org/x/sys/unix"
	_ "modernc.org/sqlite"
)
