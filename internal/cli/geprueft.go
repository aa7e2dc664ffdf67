package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"budgetsite/internal/leichtesprache"
	"budgetsite/internal/markdown"
	"budgetsite/internal/variant"
)

// reviewed records that a Prüfgruppe checked a Leichte Sprache page: who,
// when, and the page's text as it was checked, so that `check` sees a
// later change.
func reviewed(args []string, stdout, stderr io.Writer, now time.Time) int {
	fs := flags("geprueft", stderr)
	group := fs.String("gruppe", "", "wer geprüft hat, z. B. \"Prüfgruppe der Lebenshilfe Augsburg\"")
	date := fs.String("datum", now.Format("2006-01-02"), "Tag der Prüfung, JJJJ-MM-TT")
	// Flags may follow the file name, as editors write it.
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return Broken
		}
		args = fs.Args()
		if len(args) > 0 {
			files, args = append(files, args[0]), args[1:]
		}
	}
	if len(files) != 1 || strings.TrimSpace(*group) == "" {
		fmt.Fprint(stderr, "Aufruf: budgetsite geprueft content/ls/<seite>.md --gruppe \"Wer geprüft hat\" [--datum JJJJ-MM-TT]\n")
		return Broken
	}
	if _, err := time.Parse("2006-01-02", *date); err != nil {
		fmt.Fprintf(stderr, "--datum %q hat nicht die Form JJJJ-MM-TT.\n", *date)
		return Broken
	}
	file := filepath.ToSlash(files[0])
	if v, ok := variant.OfContent(file); !ok || !v.Easy() {
		fmt.Fprintf(stderr, "%s ist keine Seite in Leichter Sprache (content/ls/…).\n", file)
		return Broken
	}
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return Broken
	}
	out, err := withReview(src, *date, *group)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return Broken
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return Broken
	}
	fmt.Fprintf(stdout, "Eingetragen: %s geprüft am %s von %s.\n", file, *date, *group)
	return OK
}

// withReview writes the review record into the front matter, replacing an
// earlier one.
func withReview(src []byte, date, group string) ([]byte, error) {
	end := markdown.FrontMatterEnd(src)
	if end == 0 || !bytes.HasPrefix(src, []byte("---")) {
		return nil, fmt.Errorf("die Datei hat keinen Kopf-Bereich zwischen --- und ---")
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(src[:end]), "\n"), "\n")
	lines[len(lines)-1] += "\n"
	var fm []string
	skip := false
	for i, l := range lines {
		if i > 0 && l != "" && l[0] != ' ' && l[0] != '\t' && l[0] != '#' {
			skip = strings.HasPrefix(l, "pruefung:")
		}
		if !skip {
			fm = append(fm, l)
		}
	}
	closing := fm[len(fm)-1]
	fm = fm[:len(fm)-1]
	body := string(src[end:])
	draft := strings.Join(fm, "") + closing + body // the page without a record
	fp := leichtesprache.Fingerprint([]byte(draft))
	record := fmt.Sprintf("pruefung:\n  datum: %s\n  gruppe: %s\n  fassung: %q\n", date, strconv.Quote(group), fp)
	return []byte(strings.Join(fm, "") + record + closing + body), nil
}
