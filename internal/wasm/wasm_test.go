package wasm

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const root = "../.."

func TestBuildWritesWasmAndExecJS(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles Go for js/wasm")
	}
	out := t.TempDir()
	s, err := Build(context.Background(), root, out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{WasmName, ExecName} {
		if _, err := os.Stat(filepath.Join(out, Dir, f)); err != nil {
			t.Error(err)
		}
	}
	if s.Raw < 1<<20 {
		t.Errorf("implausible size: %v", s)
	}
	// A second build comes from the cache and gives the same bytes.
	out2 := t.TempDir()
	if _, err := Build(context.Background(), root, out2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(out, Dir, WasmName))
	b, _ := os.ReadFile(filepath.Join(out2, Dir, WasmName))
	if !bytes.Equal(a, b) {
		t.Error("cached build differs")
	}
}

// The wasm must stay free of the packages that make Go's wasm big.
func TestNoHeavyPackagesInWasm(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", Package)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "fmt", "reflect", "encoding/json", "strconv", "regexp", "github.com/goccy/go-yaml":
			t.Errorf("%s pulls in %s", Package, dep)
		}
	}
}

// BenchmarkWasmSize prints the self-check's sizes next to the floor: a
// minimal syscall/js program built the same way.
func BenchmarkWasmSize(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	var got, floor Sizes
	for b.Loop() {
		var err error
		if _, err = Build(ctx, root, dir); err != nil {
			b.Fatal(err)
		}
		if got, err = Measure(filepath.Join(dir, Dir, WasmName)); err != nil {
			b.Fatal(err)
		}
		f := filepath.Join(dir, "floor.wasm")
		if err := Compile(ctx, root, "./internal/wasm/testdata/floor", f); err != nil {
			b.Fatal(err)
		}
		if floor, err = Measure(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(got.Raw), "raw-B")
	b.ReportMetric(float64(got.Gzip), "gzip-B")
	b.ReportMetric(float64(got.Raw)/float64(floor.Raw), "raw-ratio")
	b.ReportMetric(float64(got.Gzip)/float64(floor.Gzip), "gzip-ratio")
	b.ReportMetric(float64(got.Brotli), "brotli-B")
	b.Logf("selfcheck.wasm: %v", got)
	b.Logf("floor (minimal syscall/js): %v", floor)
	b.Logf("ratio: raw %.3f, gzip %.3f", float64(got.Raw)/float64(floor.Raw), float64(got.Gzip)/float64(floor.Gzip))
	if got.Brotli > 0 && floor.Brotli > 0 {
		b.ReportMetric(float64(got.Brotli)/float64(floor.Brotli), "brotli-ratio")
	} else {
		b.Log("brotli: not measured (no Go brotli module in go.mod, no brotli command installed) — gzip only")
	}
}
