package sitewide

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPart: the parts hold every page once, in order, each a run of
// neighbours of about the same bytes.
func TestPart(t *testing.T) {
	var pages []string
	var sizes []int64
	for i := range 100 {
		pages = append(pages, fmt.Sprintf("p%03d/", i))
		sizes = append(sizes, int64(1000+(i%7)*500)) // uneven pages
	}
	for n := 1; n <= 7; n++ {
		var all []string
		var total int64
		for _, s := range sizes {
			total += s
		}
		for i := 1; i <= n; i++ {
			part := Part(pages, sizes, i, n)
			if len(part) == 0 {
				t.Fatalf("%d parts: part %d is empty", n, i)
			}
			var bytes int64
			for _, p := range part {
				bytes += sizes[slices.Index(pages, p)]
			}
			if d := bytes - total/int64(n); d > 4000 || d < -4000 {
				t.Errorf("%d parts: part %d has %d bytes, an even share is %d", n, i, bytes, total/int64(n))
			}
			all = append(all, part...)
		}
		if !slices.Equal(all, pages) {
			t.Errorf("%d parts together are not the pages in order: %v", n, all)
		}
	}
}

// TestPartPackages: there is one test package for each part, part1 …
// partN, and no other: a missing one would leave pages unchecked.
func TestPartPackages(t *testing.T) {
	dirs, err := filepath.Glob("part*")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 1; i <= Parts; i++ {
		want = append(want, fmt.Sprintf("part%d", i))
		src, err := os.ReadFile(filepath.Join(fmt.Sprintf("part%d", i), fmt.Sprintf("part%d_test.go", i)))
		if err != nil {
			t.Errorf("Teil %d: %v", i, err)
			continue
		}
		if call := fmt.Sprintf("sitewide.Check(t, %d, sitewide.Parts)", i); !strings.Contains(string(src), call) {
			t.Errorf("part%d prüft nicht Teil %d (%s fehlt)", i, i, call)
		}
	}
	slices.Sort(want)
	slices.Sort(dirs)
	if !slices.Equal(dirs, want) {
		t.Errorf("Ordner %v, erwartet %v (Parts = %d)", dirs, want, Parts)
	}
}
