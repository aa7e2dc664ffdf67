package receiver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"budgetsite/internal/receiver/mail"
	"budgetsite/internal/receiver/mail/mailtest"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOutboxSurvivesMailServerDown(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.Down()
	e := mailEnv(t, smtp.Port(), func(c *Config) { c.RetryBase, c.RetryMax = 20*time.Millisecond, 200*time.Millisecond })
	runOutbox(t, e)

	var numbers []string
	for i, id := range []string{"ausstellung", "schulung", "feedback"} {
		vals := e.example(id)
		switch id {
		case "feedback":
			vals.Del("email") // optional there: no Reply-To
		case "schulung":
			vals.Set("email", "jürgen@müller.example") // an international address keeps its Reply-To
		}
		vals.Set("nachricht", "Bitte melden Sie sich.\r\n.\r\nBcc: evil@example.com")
		w := e.post(id, vals)
		if w.Code != 303 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
		numbers = append(numbers, locRe.FindStringSubmatch(w.Header().Get("Location"))[2])
	}
	// The server is down: the mails wait, the attempts go on, nothing is lost.
	waitFor(t, 5*time.Second, "failed attempts", func() bool {
		var n int
		e.st.Raw().QueryRow(`SELECT min(versuche) FROM ausgang`).Scan(&n)
		return n >= 1
	})
	if st, _ := e.st.MailStatus(context.Background()); st.Wartend != 3 || st.Gesendet != 0 {
		t.Fatalf("%+v", st)
	}
	smtp.Up()
	waitFor(t, 5*time.Second, "delivery after the server came back", func() bool {
		st, _ := e.st.MailStatus(context.Background())
		return st.Wartend == 0
	})
	msgs := smtp.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d mails, want 3", len(msgs))
	}
	for i, m := range msgs {
		head, body, _ := strings.Cut(m.Data, "\r\n\r\n")
		if m.To[0] != "team@ksl.example" || !strings.Contains(head, "Anfrage "+numbers[i]) {
			t.Errorf("mail %d: to %v, head:\n%s", i, m.To, head)
		}
		if strings.Contains(head, "Bcc") || strings.Count(head, "\r\nTo:") != 1 {
			t.Errorf("header injected:\n%s", head)
		}
		if i == 0 && !strings.Contains(head, "Reply-To: frau.a@verein.example\r\n") {
			t.Errorf("mail %d lacks Reply-To", i)
		}
		if i == 1 && !strings.Contains(head, "Reply-To: jürgen@xn--mller-kva.example\r\n") {
			t.Errorf("mail %d lacks the international Reply-To:\n%s", i, head)
		}
		if !strings.Contains(head, "Message-ID: <anfrage-"+numbers[i]+"."+e.st.Serie()+"@ksl.example>") {
			t.Errorf("mail %d: Message-ID without the database's series:\n%s", i, head)
		}
		if i == 2 && strings.Contains(head, "Reply-To") {
			t.Error("Reply-To without an address")
		}
		if !strings.Contains(body, "Bitte melden Sie sich.") {
			t.Errorf("body lacks the message:\n%s", body)
		}
	}
}

// countSends counts delivery attempts while the test runs.
func countSends(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	orig := sendFunc
	sendFunc = func(ctx context.Context, c mail.Config, to string, msg []byte) error {
		n.Add(1)
		return orig(ctx, c, to, msg)
	}
	t.Cleanup(func() { sendFunc = orig })
	return &n
}

func mailEnv(t *testing.T, port int, mod func(c *Config)) *testEnv {
	return newEnv(t, func(c *Config) {
		c.Now = time.Now
		c.Mail.Host, c.Mail.Port = "127.0.0.1", port
		c.Mail.From, c.Mail.To = "anfragen@ksl.example", "team@ksl.example"
		c.Mail.TLS, c.Mail.Timeout = "none", 2*time.Second
		if mod != nil {
			mod(c)
		}
	})
}

func runOutbox(t *testing.T, e *testEnv) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.srv.runOutbox(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// TestOutboxPausesDespiteNewRequests: after a failure the outbox waits, however many
// new requests arrive meanwhile (issue 9: each one woke it for another attempt, 74
// connections to a down server in a minute).
func TestOutboxPausesDespiteNewRequests(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.Down()
	sends := countSends(t)
	e := mailEnv(t, smtp.Port(), func(c *Config) { c.RetryBase, c.RetryMax = 30*time.Second, time.Minute })
	runOutbox(t, e)
	vals := e.example("feedback")
	for i := range 25 {
		vals.Set("nachricht", fmt.Sprint("Meldung ", i))
		if w := e.post("feedback", vals); w.Code != 303 {
			t.Fatal(w.Code)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if n := sends.Load(); n != 1 {
		t.Errorf("%d delivery attempts during the pause, want 1", n)
	}
}

// TestOutboxGivesUp: a mail the server refuses for good (5xx) is tried once; one that
// keeps failing is given up after RetryFor. Both stay visible in list and the health
// check, the mails after them go out, and resend tries them again (issue 9).
func TestOutboxGivesUp(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.RejectData(554)
	sends := countSends(t)
	e := mailEnv(t, smtp.Port(), func(c *Config) {
		// The outbox counts in whole seconds: RetryFor well above one.
		c.RetryBase, c.RetryMax, c.RetryFor = 20*time.Millisecond, 50*time.Millisecond, 2*time.Second
	})
	runOutbox(t, e)
	if w := e.post("feedback", e.example("feedback")); w.Code != 303 {
		t.Fatal(w.Code)
	}
	ctx := context.Background()
	waitFor(t, 5*time.Second, "the refused mail given up", func() bool {
		st, _ := e.st.MailStatus(ctx)
		return st.Aufgegeben == 1
	})
	if n := sends.Load(); n != 1 {
		t.Errorf("a refused mail was tried %d times", n)
	}
	// The server fails for a while: attempts go on until RetryFor, then stop.
	smtp.RejectData(0)
	smtp.RejectData(451)
	vals := e.example("schulung")
	if w := e.post("schulung", vals); w.Code != 303 {
		t.Fatal(w.Code)
	}
	waitFor(t, 5*time.Second, "the failing mail given up", func() bool {
		st, _ := e.st.MailStatus(ctx)
		return st.Aufgegeben == 2 && st.Wartend == 0
	})
	before := sends.Load()
	time.Sleep(300 * time.Millisecond)
	if sends.Load() != before {
		t.Error("attempts go on after giving up")
	}
	var h Health
	json.Unmarshal(e.get(HealthPath).Body.Bytes(), &h)
	if h.Status != "warnung" || h.MailsAufgegeben != 2 {
		t.Errorf("health %+v", h)
	}
	out, _, _ := run(t, map[string]string{"RECEIVER_DB": e.srv.cfg.DB, "RECEIVER_SITE": t.TempDir()}, "list")
	if strings.Count(out, "AUFGEGEBEN") != 2 || !strings.Contains(out, "554") || !strings.Contains(out, "451") || !strings.Contains(out, "2 aufgegeben") {
		t.Errorf("list:\n%s", out)
	}
	// Mended: resend puts them back, and they go out.
	smtp.RejectData(0)
	out, _, code := run(t, map[string]string{"RECEIVER_DB": e.srv.cfg.DB}, "resend")
	if code != 0 || !strings.HasPrefix(out, "2 Benachrichtigungen") {
		t.Fatalf("resend: %d %q", code, out)
	}
	e.srv.wake <- struct{}{}
	waitFor(t, 5*time.Second, "delivery after resend", func() bool { return len(smtp.Messages()) == 2 })
}

func TestBackoff(t *testing.T) {
	base, max := 30*time.Second, time.Hour
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := backoff(i+1, base, max); got != w {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if got := backoff(40, base, max); got != max {
		t.Errorf("attempt 40: %v", got)
	}
}
