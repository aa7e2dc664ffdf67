package receiver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"budgetsite/internal/receiver/store"
	"budgetsite/internal/variant"
)

// buildReceiver compiles cmd/receiver once per test into a temp dir.
func buildReceiver(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the receiver as a subprocess")
	}
	bin := filepath.Join(t.TempDir(), "receiver")
	cmd := exec.Command("go", "build", "-o", bin, "budgetsite/cmd/receiver")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type proc struct {
	cmd  *exec.Cmd
	addr string
	logs *strings.Builder
	mu   *sync.Mutex
}

// initDB creates the database with the binary, as an operator does once.
func initDB(t *testing.T, bin, db string) {
	t.Helper()
	if out, err := exec.Command(bin, "init", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
}

// startReceiver runs the binary on a free loopback port and waits until it listens.
func startReceiver(t *testing.T, bin, db, site string) *proc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--site", site, "--rate", "0")
	cmd.Env = append(os.Environ(), "RECEIVER_SMTP_HOST=") // no mail, whatever the caller's environment says
	stdout, _ := cmd.StdoutPipe()
	p := &proc{cmd: cmd, logs: &strings.Builder{}, mu: &sync.Mutex{}}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		b, _ := io.ReadAll(stderr)
		p.mu.Lock()
		p.logs.Write(b)
		p.mu.Unlock()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("receiver did not start: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	_, addr, ok := strings.Cut(strings.TrimSpace(line), "http://")
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	p.addr = addr
	return p
}

// noRedirect keeps the 303 and its Location instead of following it.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func postForm(addr, form, body string) (loc string, status int, err error) {
	resp, err := noRedirect.Post("http://"+addr+"/anfragen/"+form, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("Location"), resp.StatusCode, nil
}

// TestKillDuringRequests: many concurrent valid requests, SIGKILL in the middle, restart.
// Every request that got a 303 is in the database under its number; none is twice,
// also not after the clients resend what got no answer.
func TestKillDuringRequests(t *testing.T) {
	bin := buildReceiver(t)
	site := testSite(t)
	db := filepath.Join(t.TempDir(), "anfragen.db")
	initDB(t, bin, db)
	set := loadBundle(t).Forms()
	const total, workers, killAfter = 400, 16, 120
	bodies := make([]string, total)
	for i := range bodies {
		v := set.Forms["ausstellung"].Example(time.Now())
		v.Set("organisation", fmt.Sprintf("Verein Nr. %d", i))
		v.Set(VariantField, variant.Standard.Key())
		bodies[i] = v.Encode()
	}

	p := startReceiver(t, bin, db, site)
	var acked sync.Map // i -> number
	var answered atomic.Int64
	var next atomic.Int64
	killed := make(chan struct{})
	var killOnce sync.Once
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				loc, status, err := postForm(p.addr, "ausstellung", bodies[i])
				if err != nil {
					continue // no answer: the client does not know; it resends later
				}
				if status != http.StatusSeeOther {
					t.Errorf("request %d: status %d", i, status)
					continue
				}
				m := locRe.FindStringSubmatch(loc)
				if m == nil {
					t.Errorf("request %d: Location %q", i, loc)
					continue
				}
				acked.Store(i, m[2])
				if answered.Add(1) == killAfter {
					killOnce.Do(func() {
						p.cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the receiver was never killed")
	}
	p.cmd.Wait()
	nAcked := 0
	acked.Range(func(any, any) bool { nAcked++; return true })
	t.Logf("%d of %d requests got a 303 before SIGKILL", nAcked, total)

	// Restart on the same file; resend everything that got no 303.
	p2 := startReceiver(t, bin, db, site)
	for i := 0; i < total; i++ {
		if _, ok := acked.Load(i); ok {
			continue
		}
		loc, status, err := postForm(p2.addr, "ausstellung", bodies[i])
		if err != nil || status != http.StatusSeeOther {
			t.Fatalf("resend %d: %d %v", i, status, err)
		}
		acked.Store(i, locRe.FindStringSubmatch(loc)[2])
	}
	// A graceful stop: SIGTERM ends the process cleanly.
	p2.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p2.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20 s of SIGTERM")
	}

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reqs, err := st.List(context.Background(), store.Filter{}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	byOrg := map[string][]string{}
	for _, r := range reqs {
		byOrg[r.Get("organisation")] = append(byOrg[r.Get("organisation")], r.Nummer)
	}
	for i := 0; i < total; i++ {
		want, _ := acked.Load(i)
		got := byOrg[fmt.Sprintf("Verein Nr. %d", i)]
		switch {
		case len(got) == 0:
			t.Errorf("request %d (number %v) lost", i, want)
		case len(got) > 1:
			t.Errorf("request %d stored %d times: %v", i, len(got), got)
		case got[0] != want:
			t.Errorf("request %d: stored as %s, answered %v", i, got[0], want)
		}
	}
	if len(reqs) != total {
		t.Errorf("%d rows, want %d", len(reqs), total)
	}
}
