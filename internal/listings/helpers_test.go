package listings

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

var relDate = regexp.MustCompile(`T([+-]\d+)`)

// fixtureRoot copies testdata/daten/*.yaml into a temporary project root,
// replacing T+n / T-n by the date n days after / before base, so that the
// "coming 12 months" stay the same whenever the tests run.
func fixtureRoot(t *testing.T, base time.Time) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ausstellung.yaml", "schulungen.yaml"} {
		src, err := os.ReadFile(filepath.Join("testdata", "daten", name))
		if err != nil {
			t.Fatal(err)
		}
		out := relDate.ReplaceAllFunc(src, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[1:]))
			return []byte(base.AddDate(0, 0, n).Format(dateLayout))
		})
		if err := os.WriteFile(filepath.Join(root, "data", name), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// withFile returns a copy of root's data with one file replaced.
func withFile(t *testing.T, name, content string) string {
	t.Helper()
	root := fixtureRoot(t, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}
