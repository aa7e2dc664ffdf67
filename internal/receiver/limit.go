package receiver

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per client: burst requests at once, then rate per second.
type limiter struct {
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[netip.Prefix]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute float64, burst int) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{rate: perMinute / 60, burst: float64(burst), buckets: map[netip.Prefix]*bucket{}}
}

// allow takes a token for the client; when none is left it says how long to wait.
func (l *limiter) allow(key netip.Prefix, now time.Time) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		// A full bucket is the same as no bucket: drop those to bound memory.
		for k, b := range l.buckets {
			if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// clientKey is the client's address; IPv6 clients count per /64, since one host
// usually holds a whole /64. Behind a reverse proxy (trustProxy) the last address in
// X-Forwarded-For is the one the proxy saw; earlier ones are the client's own claims.
func clientKey(r *http.Request, trustProxy bool) netip.Prefix {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			host = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	addr = addr.Unmap()
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits)
	return p
}
