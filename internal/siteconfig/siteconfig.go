// Package siteconfig reads the few settings of hugo.toml that the pipeline
// itself needs, and lists the values editors still have to fill in.
package siteconfig

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"budgetsite/internal/report"
)

const File = "hugo.toml"

// Config is the part of hugo.toml the pipeline reads.
type Config struct {
	BaseURL string `toml:"baseURL"`
	Params  struct {
		SkriptSeiten []string          `toml:"skriptSeiten"`
		Betreiber    map[string]string `toml:"betreiber"`
		Datenschutz  map[string]any    `toml:"datenschutz"`
		Anfragen     map[string]string `toml:"anfragen"`
	} `toml:"params"`
	src []byte
}

// Load reads hugo.toml below root.
func Load(root string) (*Config, error) {
	src, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return nil, err
	}
	c := &Config{src: src}
	if err := toml.Unmarshal(src, c); err != nil {
		var de *toml.DecodeError
		if ok := asDecodeError(err, &de); ok {
			line, col := de.Position()
			return nil, fmt.Errorf("%s:%d:%d: die Einstellungen sind nicht lesbar: %s", File, line, col, de.Error())
		}
		return nil, fmt.Errorf("%s: die Einstellungen sind nicht lesbar: %w", File, err)
	}
	return c, nil
}

func asDecodeError(err error, target **toml.DecodeError) bool {
	de, ok := err.(*toml.DecodeError)
	if ok {
		*target = de
	}
	return ok
}

// Host is the host of the configured base URL.
func (c *Config) Host() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// Open lists, as warnings, every value that is not known yet: empty fields of
// the operator, privacy and request settings, and a placeholder domain.
func (c *Config) Open() []report.Problem {
	var ps []report.Problem
	warn := func(table, key, msg string) {
		ps = append(ps, report.Problem{File: File, Line: c.line(table, key), Severity: report.Warnung, Rule: "offen", Message: msg})
	}
	for _, k := range sortedKeys(c.Params.Betreiber) {
		if strings.TrimSpace(c.Params.Betreiber[k]) == "" {
			warn("params.betreiber", k, fmt.Sprintf("Impressum: die Angabe %q ist noch nicht eingetragen; die Seite zeigt „noch nicht festgelegt“.", k))
		}
	}
	for _, k := range sortedKeys(c.Params.Datenschutz) {
		if s, ok := c.Params.Datenschutz[k].(string); ok && strings.TrimSpace(s) == "" {
			warn("params.datenschutz", k, fmt.Sprintf("Datenschutz: die Angabe %q ist noch nicht eingetragen; die Seite zeigt „noch nicht festgelegt“.", k))
		}
	}
	for _, k := range []string{"email", "telefon"} {
		if v, ok := c.Params.Anfragen[k]; ok && strings.TrimSpace(v) == "" {
			warn("params.anfragen", k, fmt.Sprintf("Anfragen: die Angabe %q der Ansprechstelle ist noch nicht eingetragen.", k))
		}
	}
	if strings.HasSuffix(c.Host(), ".example") {
		warn("", "baseURL", fmt.Sprintf("Die Adresse der Website (%s) ist ein Platzhalter. Beim Veröffentlichen: budgetsite build --base-url https://…/", c.BaseURL))
	}
	return ps
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// line finds `key =` inside [table] (table "" is the top level).
func (c *Config) line(table, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(c.src))
	current := ""
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "[") {
			current = strings.Trim(l, "[] ")
			continue
		}
		if current == table && strings.HasPrefix(l, key) && strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(l, key)), "=") {
			return n
		}
	}
	return 1
}

// RetentionDays is [params.datenschutz] speicherdauer_tage: the days the request
// receiver keeps a request. The privacy page prints it and the receiver deletes by
// it, so both read this one value. The problem names the line when it is missing or
// not a whole number of at least 1.
func (c *Config) RetentionDays() (int, *report.Problem) {
	const table, key = "params.datenschutz", "speicherdauer_tage"
	bad := func(msg string) (int, *report.Problem) {
		return 0, &report.Problem{File: File, Line: c.line(table, key), Severity: report.Fehler, Rule: "speicherdauer", Message: msg}
	}
	v, ok := c.Params.Datenschutz[key]
	if !ok {
		return bad("Es fehlt die Speicherdauer der Anfragen: [params.datenschutz] speicherdauer_tage = 180 (Tage).")
	}
	n, ok := v.(int64)
	if !ok || n < 1 || n > 3650 {
		return bad(fmt.Sprintf("speicherdauer_tage muss eine ganze Zahl von Tagen sein, mindestens 1 (gefunden: %v).", v))
	}
	return int(n), nil
}
