package browsertest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// buildKey hashes everything a build of the project copy in root depends
// on: its files, the module's Go code (the pipeline and the WebAssembly),
// go.sum, the Go version, the build options and today's date (calendars and
// date windows follow the build day).
func buildKey(mod, root string, b Build) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "browsertest-build 1\x00%s %s/%s\x00%s\x00wasm=%v gzip=%v\x00%s\x00",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, SiteBaseURL, !b.SkipWasm, !b.NoGzip, time.Now().Format(time.DateOnly))
	if err := hashTree(h, root, "projekt", func(string, fs.DirEntry) bool { return true }); err != nil {
		return "", err
	}
	if err := hashFile(h, filepath.Join(mod, "go.sum"), "go.sum"); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	goCode := func(rel string, d fs.DirEntry) bool {
		if d.IsDir() {
			name := d.Name()
			return rel == "." || !(strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" ||
				name == "public" || name == "resources")
		}
		return strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go")
	}
	if err := hashTree(h, mod, "go", goCode); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// hashTree adds the names and contents of the files under dir that keep
// accepts (a folder it rejects is skipped whole), in lexical order.
func hashTree(h io.Writer, dir, label string, keep func(rel string, d fs.DirEntry) bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if !keep(filepath.ToSlash(rel), d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		return hashFile(h, p, label+"/"+filepath.ToSlash(rel))
	})
}

func hashFile(h io.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s\x00%d\x00", name, fi.Size())
	_, err = io.Copy(h, f)
	return err
}

// cacheRoot is the folder of the shared builds (a variable for the tests).
var cacheRoot = func() string { return filepath.Join(os.TempDir(), "budgetsite-browsertest") }
