package linkcheck

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// TextLocator finds a reference by its text: first in the Markdown source
// of the page, then in the data files, then in the templates. Editors write
// links as site paths ("/kontakt/"), and the build keeps them as written, so
// the text is where the reference came from.
type TextLocator struct {
	Root string
	// Sources maps a built page ("kontakt/index.html") to its Markdown file
	// ("content/de/kontakt.md").
	Sources map[string]string
	// BasePath is the base URL's path ("/" or "/sub/"): a reference to
	// "/sub/kontakt/" was written as "/kontakt/".
	BasePath string
	// Dirs are searched after the page's own source, in order ("data", "layouts").
	Dirs []string

	once  sync.Once
	mu    sync.Mutex
	cache map[string][]byte
	files []string // below Dirs, sorted per dir
}

// Locate implements Locator.
func (l *TextLocator) Locate(pageFile string, r Ref) (Source, bool) {
	l.once.Do(l.index)
	needles := []string{r.Value}
	if l.BasePath != "" && l.BasePath != "/" {
		if rest, ok := strings.CutPrefix(r.Value, l.BasePath); ok {
			needles = append(needles, "/"+rest)
		}
	}
	files := l.files
	if src, ok := l.Sources[pageFile]; ok {
		files = append([]string{src}, files...)
	}
	for _, f := range files {
		b := l.read(f)
		for _, n := range needles {
			if s, ok := find(b, n); ok {
				s.File = f
				return s, true
			}
		}
	}
	return Source{}, false
}

func (l *TextLocator) index() {
	l.cache = map[string][]byte{}
	for _, d := range l.Dirs {
		var found []string
		_ = filepath.WalkDir(filepath.Join(l.Root, d), func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if rel, err := filepath.Rel(l.Root, p); err == nil {
					found = append(found, filepath.ToSlash(rel))
				}
			}
			return nil
		})
		slices.Sort(found)
		l.files = append(l.files, found...)
	}
}

func (l *TextLocator) read(f string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.cache[f]
	if !ok {
		b, _ = os.ReadFile(filepath.Join(l.Root, filepath.FromSlash(f)))
		l.cache[f] = b
	}
	return b
}

// find returns the position of needle written as a whole value: followed by
// a character that ends a URL in Markdown, YAML or HTML. A Markdown link
// "[text](needle" is reported at its "[", with its text.
func find(src []byte, needle string) (Source, bool) {
	nb := []byte(needle)
	for off := 0; ; {
		i := bytes.Index(src[off:], nb)
		if i < 0 {
			return Source{}, false
		}
		at := off + i
		off = at + 1
		if end := at + len(nb); end < len(src) && !bytes.ContainsRune([]byte(")\"' \t\n\r>#,]}"), rune(src[end])) {
			continue
		}
		if at > 0 && !bytes.ContainsRune([]byte("(\"' \t=:[{"), rune(src[at-1])) {
			continue
		}
		s := Source{}
		start := at
		if at >= 2 && src[at-1] == '(' && src[at-2] == ']' {
			if open := bytes.LastIndexByte(src[:at-2], '['); open >= 0 && !bytes.ContainsRune(src[open:at-2], '\n') {
				s.Text = string(src[open+1 : at-2])
				start = open
			}
		}
		s.Line = bytes.Count(src[:start], []byte("\n")) + 1
		s.Col = len([]rune(string(src[bytes.LastIndexByte(src[:start], '\n')+1:start]))) + 1
		return s, true
	}
}
