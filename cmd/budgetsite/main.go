// Command budgetsite builds, checks and previews the Persönliches-Budget site.
package main

import (
	"os"

	"budgetsite/internal/cli"
	"budgetsite/internal/modules"
	"budgetsite/internal/site"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr, newSite))
}

// newSite registers the site's modules with the pipeline.
func newSite(o modules.Options) *site.Site {
	return site.New(site.WithModules(modules.Default(o)...))
}
