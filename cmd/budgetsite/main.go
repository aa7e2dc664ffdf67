// Command budgetsite builds, checks and previews the Persönliches-Budget site.
package main

import (
	"os"

	"budgetsite/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
