package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"budgetsite/internal/receiver/mail/mailtest"
)

var date = time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)

func TestBytesRejectsHeaderInjection(t *testing.T) {
	base := Message{From: "anfragen@example.org", To: "team@example.org", Subject: "Anfrage", Body: "x", Date: date, ID: "a@example.org"}
	cases := map[string]func(m *Message){
		"to with CRLF":         func(m *Message) { m.To = "team@example.org\r\nBcc: evil@example.com" },
		"from with LF":         func(m *Message) { m.From = "a@example.org\nBcc: evil@example.com" },
		"subject with CRLF":    func(m *Message) { m.Subject = "Hallo\r\nBcc: evil@example.com" },
		"to with two addrs":    func(m *Message) { m.To = "team@example.org, evil@example.com" },
		"to with name":         func(m *Message) { m.To = "Team <team@example.org>" },
		"message id with CRLF": func(m *Message) { m.ID = "x@y.z\r\nBcc: e@f.g" },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			m := base
			mod(&m)
			if _, err := m.Bytes(); !errors.Is(err, ErrHeader) {
				t.Errorf("err = %v, want ErrHeader", err)
			}
		})
	}
}

func TestBytesUnsafeReplyToIsLeftOut(t *testing.T) {
	for _, rt := range []string{"x@example.org\r\nBcc: evil@example.com", "a@b.de, c@d.de", "Name <a@b.de>", `"a b"@b.de`,
		"a@b", "a b@b.de", "a@exa mple.de", "ä\u0085@b.de", "a@b.de\x00"} {
		m := Message{From: "anfragen@example.org", To: "team@example.org", ReplyTo: rt, Subject: "Ä", Body: "Zeile\nBcc: evil@example.com\n", Date: date}
		b, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		head, body, _ := strings.Cut(string(b), "\r\n\r\n")
		if strings.Contains(head, "Reply-To") || strings.Contains(head, "Bcc") {
			t.Errorf("ReplyTo %q leaked into header:\n%s", rt, head)
		}
		if !strings.Contains(body, "Bcc: evil@example.com") {
			t.Errorf("body text lost: %q", body)
		}
	}
}

// TestInternationalReplyTo: an address with umlauts keeps its Reply-To, the domain in
// its ASCII form (issue 9: jürgen@müller.de lost it).
func TestInternationalReplyTo(t *testing.T) {
	for in, want := range map[string]string{
		"jürgen@müller.de":      "jürgen@xn--mller-kva.de",
		"info@müller.de":        "info@xn--mller-kva.de",
		"frau.a@verein.example": "frau.a@verein.example",
		"çé@exemple.fr":         "çé@exemple.fr",
		"x@bücher.example.org":  "x@xn--bcher-kva.example.org",
		"Jürgen.M@Müller.DE":    "Jürgen.M@xn--mller-kva.de",
	} {
		m := Message{From: "anfragen@example.org", To: "team@example.org", ReplyTo: in, Subject: "S", Body: "x", Date: date}
		b, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\r\nReply-To: "+want+"\r\n") {
			head, _, _ := strings.Cut(string(b), "\r\n\r\n")
			t.Errorf("%s: want Reply-To %s in\n%s", in, want, head)
		}
	}
}

func TestBytesShape(t *testing.T) {
	m := Message{From: "anfragen@example.org", To: "team@example.org", ReplyTo: "frau.a@verein.example", Subject: "Anfrage 2026-00001: Wanderausstellung anfragen – Verein Ü",
		Body: "Größe: 80\n.\nEnde", Date: date, ID: "anfrage-2026-00001@example.org"}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"Reply-To: frau.a@verein.example\r\n", "Subject: =?utf-8?q?", "Message-ID: <anfrage-2026-00001@example.org>\r\n",
		"Content-Transfer-Encoding: quoted-printable\r\n", "Gr=C3=B6=C3=9Fe: 80\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	for i, l := range strings.Split(s, "\r\n") {
		if len(l) > 998 {
			t.Errorf("line %d too long", i)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("bare line break in line %d", i)
		}
	}
}

func TestSendToTestServer(t *testing.T) {
	srv := mailtest.Start(t)
	c := Config{Host: "127.0.0.1", Port: srv.Port(), From: "anfragen@example.org", To: "team@example.org", TLS: "auto", Timeout: 5 * time.Second}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	msg, _ := Message{From: c.From, To: c.To, Subject: "Test", Body: "Hallo\n.\nPunktzeile", Date: date}.Bytes()
	if err := Send(context.Background(), c, c.To, msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != c.From || len(got[0].To) != 1 || got[0].To[0] != c.To {
		t.Fatalf("received %+v", got)
	}
	if got[0].Data != string(msg) {
		t.Errorf("data changed in transit:\n%q\n%q", got[0].Data, msg)
	}

	srv.Down()
	if err := Send(context.Background(), c, c.To, msg); err == nil {
		t.Error("send to a server that is down succeeded")
	}
	srv.Up()
	srv.RejectData(451)
	if err := Send(context.Background(), c, c.To, msg); err == nil || Permanent(err) {
		t.Errorf("send with 451: %v, permanent %v", err, Permanent(err))
	}
	srv.RejectData(554)
	if err := Send(context.Background(), c, c.To, msg); !Permanent(err) {
		t.Errorf("send with 554: %v is not permanent", err)
	}
	c.TLS = "starttls"
	srv.RejectData(0)
	if err := Send(context.Background(), c, c.To, msg); err == nil {
		t.Error("starttls required but not offered: send succeeded")
	}
}

func TestConfigCheck(t *testing.T) {
	bad := Config{Host: "smtp.example.org", Port: 0, From: "x", To: "a@b.de\r\nBcc: c@d.de", TLS: "maybe", User: "u"}
	err := bad.Check()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"Port", "Absender", "Empfänger", "smtp-tls", "Passwort"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if (Config{}).Check() != nil {
		t.Error("disabled config must be fine")
	}
}
