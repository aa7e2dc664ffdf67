package finish

import (
	"bytes"
	"io"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
)

// cssCache minifies each distinct stylesheet once. Every page inlines the
// same stylesheet (the CSP allows it by hash); minifying it again on each
// of 10,000 pages was most of the finish step's garbage and much of its
// time. Style attributes go through here too; the cache keeps at most
// cssCacheMax entries, so a site with many different ones stays bounded.
type cssCache struct {
	mu sync.Mutex
	// out by source, for stylesheets [0] and style attributes [1]
	out [2]map[string][]byte
}

const cssCacheMax = 256

func (c *cssCache) minify(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
	var in []byte
	if b, ok := r.(interface{ Bytes() []byte }); ok {
		in = b.Bytes()
	} else {
		var err error
		if in, err = io.ReadAll(r); err != nil {
			return err
		}
	}
	kind := 0
	if params["inline"] == "1" {
		kind = 1
	}
	c.mu.Lock()
	out, ok := c.out[kind][string(in)] // no copy of in for the lookup
	c.mu.Unlock()
	if ok {
		_, err := w.Write(out)
		return err
	}
	var buf bytes.Buffer
	if err := css.Minify(m, &buf, bytes.NewReader(in), params); err != nil {
		return err
	}
	c.mu.Lock()
	if c.out[kind] == nil {
		c.out[kind] = map[string][]byte{}
	}
	if len(c.out[kind]) < cssCacheMax {
		c.out[kind][string(in)] = buf.Bytes()
	}
	c.mu.Unlock()
	_, err := w.Write(buf.Bytes())
	return err
}
