package receiver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSubmit measures what the receiver sustains on loopback: real TCP, valid
// requests (each different, so none is a duplicate), validation, a synchronous
// SQLite commit per request (WAL, synchronous=FULL) and the 303. It reports
// requests per second and the p50/p99 latency seen by the clients.
//
//	go test -run XXX -bench Submit -benchtime 3000x ./internal/receiver/
func BenchmarkSubmit(b *testing.B) {
	for _, par := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d", par), func(b *testing.B) {
			e := newEnv(b, func(c *Config) { c.Now = time.Now })
			ts := httptest.NewServer(e.srv.Handler())
			defer ts.Close()
			client := &http.Client{
				Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			base := e.example("ausstellung")
			var seq atomic.Int64
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			per := b.N / par
			for w := 0; w < par; w++ {
				n := per
				if w == 0 {
					n += b.N - per*par
				}
				wg.Add(1)
				go func(n int) {
					defer wg.Done()
					mine := make([]time.Duration, 0, n)
					for i := 0; i < n; i++ {
						v := url.Values{}
						for k, vs := range base {
							v[k] = vs
						}
						v.Set("organisation", fmt.Sprintf("Verein %d", seq.Add(1)))
						body := v.Encode()
						t0 := time.Now()
						resp, err := client.Post(ts.URL+"/anfragen/ausstellung", "application/x-www-form-urlencoded", strings.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						resp.Body.Close()
						mine = append(mine, time.Since(t0))
						if resp.StatusCode != http.StatusSeeOther {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
				}(n)
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if len(lat) == 0 {
				return
			}
			slices.Sort(lat)
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99_ms")
		})
	}
}
