// Package wasm builds the self-check's WebAssembly (cmd/selfcheck) into the
// rendered site and measures it. The pipeline calls Build after Hugo has
// rendered into outDir; minifying and precompressing come after, there.
package wasm

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
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
// module root. `go build` relinks every time (about 2 s), so the result is
// kept in the user's cache folder under a hash of everything it is made
// from; an unchanged self-check costs a file copy. Only Raw is filled in:
// compressed sizes are for the benchmark (Measure).
func Build(ctx context.Context, root, outDir string) (Sizes, error) {
	dir := filepath.Join(outDir, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Sizes{}, err
	}
	out := filepath.Join(dir, WasmName)
	env, err := goEnvs(ctx, root, "GOROOT", "GOVERSION")
	if err != nil {
		return Sizes{}, err
	}
	goroot := env[0]
	cached := ""
	if key, err := sourceKey(root, env[1]); err == nil {
		if cacheDir, err := os.UserCacheDir(); err == nil {
			cached = filepath.Join(cacheDir, "budgetsite", "wasm", key+".wasm")
		}
	}
	if cached == "" || copyFile(cached, out) != nil {
		if err := Compile(ctx, root, Package, out); err != nil {
			return Sizes{}, err
		}
		if cached != "" && os.MkdirAll(filepath.Dir(cached), 0o755) == nil {
			_ = copyFile(out, cached)
		}
	}
	if err := copyFile(filepath.Join(goroot, "lib", "wasm", ExecName), filepath.Join(dir, ExecName)); err != nil {
		return Sizes{}, fmt.Errorf("wasm_exec.js aus der Go-Installation: %w", err)
	}
	st, err := os.Stat(out)
	if err != nil {
		return Sizes{}, err
	}
	return Sizes{Raw: st.Size()}, nil
}

// sourceKey hashes what the wasm is built from: the Go version, the flags,
// go.mod/go.sum and every non-test Go file of cmd/ and internal/ (a superset
// of the self-check's packages, so no dependency can be missed).
func sourceKey(root, goVersion string) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, goVersion, strings.Join(Flags, " "), Package)
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return "", err
		}
		fmt.Fprintln(h, f, len(b))
		h.Write(b)
	}
	for _, d := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintln(h, p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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

func goEnvs(ctx context.Context, root string, keys ...string) ([]string, error) {
	cmd := exec.CommandContext(ctx, goTool(), append([]string{"env"}, keys...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	vals := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(vals) != len(keys) {
		return nil, fmt.Errorf("go env %v: %q", keys, out)
	}
	return vals, nil
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
