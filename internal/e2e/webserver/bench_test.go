package webserver_test

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"budgetsite/internal/receiver/bundle"
)

// BenchmarkServed reports the bytes a page costs as served through each web
// server: brotli against gzip, median and largest over every HTML page, and
// the self-check's WebAssembly.
//
//	go test -run '^$' -bench Served -benchtime 1x ./internal/e2e/webserver/
func BenchmarkServed(b *testing.B) {
	for _, server := range servers {
		b.Run(server, func(b *testing.B) {
			need(b, server, server)
			s := start(b, buildSite(b), server)
			c := s.client("127.0.0.1")
			size := func(p, ae string) (int, string) {
				resp, body := get(b, c, s.base+strings.TrimPrefix(p, "/"), ae)
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", p, resp.StatusCode)
				}
				return len(body), resp.Header.Get("Content-Encoding")
			}
			var pages []string
			filepath.WalkDir(s.dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".html") {
					rel, _ := filepath.Rel(s.dir, p)
					pages = append(pages, "/"+strings.TrimSuffix(filepath.ToSlash(rel), "index.html"))
				}
				return err
			})
			for range b.N {
				var br, gz []int
				for _, p := range pages {
					n, enc := size(p, "br, gzip")
					if enc == "br" {
						br = append(br, n)
					}
					n, _ = size(p, "gzip")
					gz = append(gz, n)
				}
				wasmBr, enc := size("/selbstcheck/selfcheck.wasm", "br, gzip")
				wasmGz, _ := size("/selbstcheck/selfcheck.wasm", "gzip")
				b.ReportMetric(float64(median(gz)), "gz-median-B")
				b.ReportMetric(float64(slices.Max(gz)), "gz-max-B")
				if len(br) > 0 {
					b.ReportMetric(float64(median(br)), "br-median-B")
					b.ReportMetric(float64(slices.Max(br)), "br-max-B")
				}
				if enc == "br" {
					b.ReportMetric(float64(wasmBr), "wasm-br-B")
				}
				b.ReportMetric(float64(wasmGz), "wasm-gz-B")
				b.ReportMetric(float64(len(pages)), "pages")
				b.ReportMetric(float64(len(br)), "pages-br")
			}
		})
	}
}

// BenchmarkSubmit sends valid requests through each web server (HTTPS,
// keep-alive, 8 clients at once) to the receiver, which stores each durably
// (SQLite, synchronous=FULL) before it answers. The rate limit is off (--rate
// 0) and each request differs, so every one is stored.
//
//	go test -run '^$' -bench Submit -benchtime 2000x ./internal/e2e/webserver/
func BenchmarkSubmit(b *testing.B) {
	for _, server := range servers {
		b.Run(server, func(b *testing.B) {
			need(b, server, server)
			s := start(b, buildSite(b), server, "RECEIVER_RATE", "0")
			bu, err := bundle.Load(s.dir)
			if err != nil {
				b.Fatal(err)
			}
			form := bu.Forms().Forms["ausstellung"]
			vals := form.Example(time.Now())
			c := s.client("127.0.0.1")
			var n, bad atomic.Int64
			b.SetParallelism(4) // 4 × GOMAXPROCS clients
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					v := maps.Clone(vals)
					v.Set("anlass", fmt.Sprintf("Fachtag %d", n.Add(1)))
					body := v.Encode()
					req, _ := http.NewRequest(http.MethodPost, s.base+"anfragen/ausstellung", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					resp, err := c.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusSeeOther {
						bad.Add(1)
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			if bad.Load() > 0 {
				b.Errorf("%d von %d Anfragen nicht mit 303 angenommen", bad.Load(), b.N)
			}
		})
	}
}
