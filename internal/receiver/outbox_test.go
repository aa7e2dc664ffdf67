package receiver

import (
	"context"
	"strings"
	"testing"
	"time"

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
	e := newEnv(t, func(c *Config) {
		c.Now = time.Now
		c.Mail.Host, c.Mail.Port = "127.0.0.1", smtp.Port()
		c.Mail.From, c.Mail.To = "anfragen@ksl.example", "team@ksl.example"
		c.Mail.TLS, c.Mail.Timeout = "none", 2*time.Second
		c.RetryBase, c.RetryMax = 20*time.Millisecond, 200*time.Millisecond
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.srv.runOutbox(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var numbers []string
	for i, id := range []string{"ausstellung", "schulung", "feedback"} {
		vals := e.example(id)
		if id == "feedback" {
			vals.Del("email") // optional there: no Reply-To
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
	if pending, sent, _ := e.st.MailStatus(context.Background()); pending != 3 || sent != 0 {
		t.Fatalf("pending %d sent %d", pending, sent)
	}
	smtp.Up()
	waitFor(t, 5*time.Second, "delivery after the server came back", func() bool {
		p, _, _ := e.st.MailStatus(context.Background())
		return p == 0
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
		if i < 2 && !strings.Contains(head, "Reply-To: frau.a@verein.example\r\n") {
			t.Errorf("mail %d lacks Reply-To", i)
		}
		if i == 2 && strings.Contains(head, "Reply-To") {
			t.Error("Reply-To without an address")
		}
		if !strings.Contains(body, "Bitte melden Sie sich.") {
			t.Errorf("body lacks the message:\n%s", body)
		}
	}
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
