// Package mailtest is a tiny in-process SMTP server for tests: it speaks just enough
// SMTP (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to receive messages, and can be
// stopped and started again on the same port to play a mail server that is down.
package mailtest

import (
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Message is one received mail.
type Message struct {
	From string
	To   []string
	Data string // with CRLF line ends, dot-unstuffed
}

// Server is the test SMTP server.
type Server struct {
	t    testing.TB
	Addr string // host:port, stable across Stop/Start

	mu   sync.Mutex
	ln   net.Listener
	msgs []Message
	wg   sync.WaitGroup
	// reject is the answer to DATA instead of 250: 0 (none), 451 or 554.
	reject int
}

// Start starts a server on a free loopback port; it stops when the test ends.
func Start(t testing.TB) *Server {
	s := &Server{t: t, Addr: "127.0.0.1:0"}
	s.Up()
	t.Cleanup(s.Down)
	return s
}

// Up (re)starts listening on the server's address.
func (s *Server) Up() {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		s.t.Fatalf("mailtest: %v", err)
	}
	s.mu.Lock()
	s.ln = ln
	s.Addr = ln.Addr().String()
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
}

// Down stops listening: connections are refused until Up.
func (s *Server) Down() {
	s.mu.Lock()
	ln := s.ln
	s.ln = nil
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.wg.Wait()
}

// RejectData makes the server answer DATA with code instead of accepting: 451 (try
// again later), 554 (refused for good), or 0 to accept again.
func (s *Server) RejectData(code int) {
	s.mu.Lock()
	s.reject = code
	s.mu.Unlock()
}

// Port returns the port as a number.
func (s *Server) Port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 mailtest ready")
	var cur Message
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250-mailtest")
			tp.PrintfLine("250 8BITMIME")
		case "MAIL":
			cur = Message{From: addr(arg)}
			tp.PrintfLine("250 ok")
		case "RCPT":
			cur.To = append(cur.To, addr(arg))
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			b, err := readAll(tp)
			if err != nil {
				return
			}
			s.mu.Lock()
			reject := s.reject
			if reject == 0 {
				cur.Data = b
				s.msgs = append(s.msgs, cur)
			}
			s.mu.Unlock()
			if reject != 0 {
				tp.PrintfLine("%d not now or not at all", reject)
			} else {
				tp.PrintfLine("250 queued")
			}
			cur = Message{}
		case "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

func readAll(tp *textproto.Conn) (string, error) {
	lines, err := tp.ReadDotLines()
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\r\n") + "\r\n", nil
}

func addr(arg string) string {
	_, a, _ := strings.Cut(arg, ":")
	a, _, _ = strings.Cut(strings.TrimSpace(a), " ")
	return strings.Trim(a, "<>")
}
