package bilder

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Sync makes assets/openmoji/ hold exactly the pictures of data/bilder.yaml,
// copied unchanged from node_modules/openmoji (after `npm ci`): missing or
// different ones are copied, ones no longer listed are removed. It returns
// what it did, one line each.
func Sync(root string) ([]string, error) {
	pics, ps := Load(root)
	if len(ps) > 0 {
		var msgs []string
		for _, p := range ps {
			msgs = append(msgs, p.String())
		}
		return nil, fmt.Errorf("%s hat Fehler:\n%s", DataFile, strings.Join(msgs, "\n"))
	}
	pkg := filepath.Join(root, filepath.FromSlash(PackageDir))
	if _, err := os.Stat(pkg); err != nil {
		return nil, fmt.Errorf("%s fehlt: bitte zuerst npm ci ausführen", PackageDir)
	}
	dir := filepath.Join(root, filepath.FromSlash(AssetDir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var did []string
	want := map[string]bool{}
	names := make([]string, 0, len(pics))
	for n := range pics {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := pics[n]
		want[p.OpenMoji+".svg"] = true
		src, err := os.ReadFile(filepath.Join(pkg, p.OpenMoji+".svg"))
		if err != nil {
			return did, fmt.Errorf("%s:%d: %s: OpenMoji %s gibt es im Paket nicht (%v)", DataFile, p.Line, n, p.OpenMoji, err)
		}
		dst := filepath.Join(dir, p.OpenMoji+".svg")
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, src) {
			continue
		}
		if err := os.WriteFile(dst, src, 0o644); err != nil {
			return did, err
		}
		did = append(did, fmt.Sprintf("kopiert: %s (%s)", p.Asset(), n))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return did, err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".svg") && !want[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return did, err
			}
			did = append(did, "entfernt: "+AssetDir+"/"+e.Name())
		}
	}
	return did, nil
}
