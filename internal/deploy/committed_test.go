package deploy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budgetsite/internal/deploy"
	"budgetsite/internal/modules"
	"budgetsite/internal/report"
	"budgetsite/internal/site"
)

// TestCommittedDeploy: the files in deploy/ are what the build generates for
// the project's own configuration (hugo.toml as committed), so an operator
// reading them reads what they would get.
func TestCommittedDeploy(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := modules.Site(modules.Options{NoWasm: true}).Build(context.Background(), site.Options{Root: root, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() || !res.Written {
		var b strings.Builder
		report.Print(&b, res.Problems)
		t.Fatalf("the build failed:\n%s", b.String())
	}
	for _, name := range []string{deploy.CaddyFile, deploy.NginxFile, deploy.UnitFile} {
		generated, err := os.ReadFile(filepath.Join(deploy.Dir(out), name))
		if err != nil {
			t.Fatalf("the build wrote no %s: %v", name, err)
		}
		committed, err := os.ReadFile(filepath.Join(root, "deploy", name))
		if err != nil || !bytes.Equal(committed, generated) {
			t.Errorf("deploy/%s is not what the build generates (%v). Regenerate it with `go run ./cmd/budgetsite build` "+
				"(without --base-url) and commit deploy/.\n--- generated:\n%s", name, err, generated)
		}
	}
}

// TestBuildWithPath: a site below a path still builds; deploy/ is not written
// and a Warnung says why.
func TestBuildWithPath(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := modules.Site(modules.Options{NoWasm: true}).Build(context.Background(), site.Options{Root: root, OutDir: out, BaseURL: "https://www.example.org/unter/"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Written {
		t.Fatal("the site below a path was not written")
	}
	found := false
	for _, p := range res.Problems {
		found = found || (p.File == "deploy" && p.Severity == report.Warnung && strings.Contains(p.Message, "/unter/"))
	}
	if !found {
		t.Error("no Warnung that deploy/ was not written")
	}
	if _, err := os.Stat(deploy.Dir(out)); err == nil {
		t.Error("deploy/ written for a site below a path")
	}
}
