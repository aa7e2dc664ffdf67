// Package wasm builds the self-check's WebAssembly (cmd/selfcheck) into the
// rendered site and measures it. The pipeline calls Build after Hugo has
// rendered into outDir; minifying and precompressing come after, there.
package wasm

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Package is what gets compiled; Dir is where it goes under outDir.
const (
	Package  = "./cmd/selfcheck"
	Dir      = "selbstcheck"
	WasmName = "selfcheck.wasm"
	ExecName = "wasm_exec.js"
)

// Sizes are the built wasm's sizes in bytes. Brotli is 0 when no brotli
// encoder is at hand (there is no Go brotli module in go.mod and no brotli
// command on this machine); say "gzip only" then.
type Sizes struct {
	Raw    int64
	Gzip   int64
	Brotli int64
}

func (s Sizes) String() string {
	b := "brotli nicht gemessen"
	if s.Brotli > 0 {
		b = fmt.Sprintf("brotli %d B", s.Brotli)
	}
	return fmt.Sprintf("roh %d B, gzip %d B, %s", s.Raw, s.Gzip, b)
}

// Flags are the build flags; the same everywhere, since they are part of
// Go's cache key (see DESIGN.md § 9).
var Flags = []string{"-trimpath", "-ldflags=-s -w"}

// Build compiles cmd/selfcheck for js/wasm to outDir/selbstcheck/selfcheck.wasm
// and copies the toolchain's matching wasm_exec.js next to it. root is the
// module root. Go's build cache makes a repeated build cheap.
func Build(ctx context.Context, root, outDir string) (Sizes, error) {
	dir := filepath.Join(outDir, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Sizes{}, err
	}
	out := filepath.Join(dir, WasmName)
	if err := Compile(ctx, root, Package, out); err != nil {
		return Sizes{}, err
	}
	goroot, err := goEnv(ctx, root, "GOROOT")
	if err != nil {
		return Sizes{}, err
	}
	if err := copyFile(filepath.Join(goroot, "lib", "wasm", ExecName), filepath.Join(dir, ExecName)); err != nil {
		return Sizes{}, fmt.Errorf("wasm_exec.js aus der Go-Installation: %w", err)
	}
	return Measure(out)
}

// Compile builds one main package for js/wasm with Flags into out.
func Compile(ctx context.Context, root, pkg, out string) error {
	args := append([]string{"build"}, Flags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Measure returns a file's raw and compressed sizes.
func Measure(path string) (Sizes, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Sizes{}, err
	}
	s := Sizes{Raw: int64(len(b))}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(b)
	w.Close()
	s.Gzip = int64(gz.Len())
	s.Brotli = brotliSize(b)
	return s, nil
}

// brotliSize uses the brotli command if installed (Debian package "brotli").
func brotliSize(b []byte) int64 {
	exe, err := exec.LookPath("brotli")
	if err != nil {
		return 0
	}
	cmd := exec.Command(exe, "-c", "-q", "11", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		return 0
	}
	return int64(len(out))
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func goEnv(ctx context.Context, root, key string) (string, error) {
	cmd := exec.CommandContext(ctx, goTool(), "env", key)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		return "", errors.New("go env " + key + " ist leer")
	}
	return v, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
