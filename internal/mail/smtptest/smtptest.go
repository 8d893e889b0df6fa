// Package smtptest runs a small SMTP server on the loopback interface for
// tests: EHLO/HELO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
// It keeps every message it accepts.
package smtptest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options choose the server's extensions.
type Options struct {
	STARTTLS bool   // offer STARTTLS with a self-signed certificate for 127.0.0.1
	Username string // when set, require AUTH PLAIN with these credentials
	Password string
	// Reject, when set, refuses the recipients it returns true for (550).
	Reject func(to string) bool
	// Intercept, when set, sees each message once its data are read,
	// before the server keeps it and answers. Returning false drops it and
	// hangs up without an answer, as a server that dies then would.
	Intercept func(r Received) (keep bool)
}

// Received is an accepted message.
type Received struct {
	From     string
	To       []string
	Data     []byte // as sent, dot-unstuffed, CRLF line ends
	TLS      bool
	AuthUser string
}

// Server is a running test server.
type Server struct {
	opts Options
	ln   net.Listener
	tls  *tls.Config
	cert *x509.Certificate
	wg   sync.WaitGroup
	mu   sync.Mutex
	msgs []Received
}

const maxMessage = 10 << 20

// Start listens on 127.0.0.1 and stops when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{opts: opts, ln: ln}
	if opts.STARTTLS {
		if s.tls, s.cert, err = selfSigned(); err != nil {
			t.Fatal(err)
		}
	}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

// Host and Port say where to connect.
func (s *Server) Host() string { return "127.0.0.1" }
func (s *Server) Port() int    { return s.ln.Addr().(*net.TCPAddr).Port }

// ClientTLS returns a client configuration trusting the server's certificate.
func (s *Server) ClientTLS() *tls.Config {
	pool := x509.NewCertPool()
	if s.cert != nil {
		pool.AddCert(s.cert)
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// Messages returns the accepted messages, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// Close stops listening and waits for open conversations.
func (s *Server) Close() {
	_ = s.ln.Close()
	s.wg.Wait()
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(time.Minute))
			(&session{srv: s, conn: conn}).run()
		}()
	}
}

type session struct {
	srv      *Server
	conn     net.Conn
	r        *bufio.Reader
	w        *bufio.Writer
	tls      bool
	hello    bool
	authUser string
	from     string
	to       []string
	mail     bool
}

func (c *session) reply(format string, args ...any) {
	fmt.Fprintf(c.w, format+"\r\n", args...)
	_ = c.w.Flush()
}

func (c *session) readLine() (string, error) {
	line, err := c.r.ReadString('\n')
	if len(line) > 4096 {
		return "", fmt.Errorf("line too long")
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (c *session) run() {
	c.r, c.w = bufio.NewReader(c.conn), bufio.NewWriter(c.conn)
	c.reply("220 smtptest ESMTP")
	for {
		line, err := c.readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			c.hello = true
			c.reset()
			c.w.WriteString("250-smtptest\r\n")
			if c.srv.tls != nil && !c.tls {
				c.w.WriteString("250-STARTTLS\r\n")
			}
			if c.srv.opts.Username != "" {
				c.w.WriteString("250-AUTH PLAIN\r\n")
			}
			c.reply("250 8BITMIME")
		case "HELO":
			c.hello = true
			c.reset()
			c.reply("250 smtptest")
		case "STARTTLS":
			if c.srv.tls == nil || c.tls {
				c.reply("502 5.5.1 STARTTLS not available")
				continue
			}
			c.reply("220 2.0.0 Ready to start TLS")
			tc := tls.Server(c.conn, c.srv.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c.conn, c.tls, c.hello = tc, true, false
			c.r, c.w = bufio.NewReader(tc), bufio.NewWriter(tc)
			c.reset()
		case "AUTH":
			c.auth(arg)
		case "MAIL":
			switch {
			case !c.hello:
				c.reply("503 5.5.1 Say EHLO first")
			case c.srv.opts.Username != "" && c.authUser == "":
				c.reply("530 5.7.0 Authentication required")
			case !strings.HasPrefix(strings.ToUpper(arg), "FROM:"):
				c.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
			default:
				c.reset()
				c.from, c.mail = path(arg[5:]), true
				c.reply("250 2.1.0 OK")
			}
		case "RCPT":
			if !c.mail {
				c.reply("503 5.5.1 Need MAIL first")
			} else if !strings.HasPrefix(strings.ToUpper(arg), "TO:") {
				c.reply("501 5.5.4 Syntax: RCPT TO:<address>")
			} else if c.srv.opts.Reject != nil && c.srv.opts.Reject(path(arg[3:])) {
				c.reply("550 5.1.1 No such user")
			} else {
				c.to = append(c.to, path(arg[3:]))
				c.reply("250 2.1.5 OK")
			}
		case "DATA":
			if len(c.to) == 0 {
				c.reply("503 5.5.1 Need RCPT first")
				continue
			}
			c.reply("354 End data with <CR><LF>.<CR><LF>")
			data, err := c.data()
			if err != nil {
				c.reply("552 5.3.4 %v", err)
				return
			}
			r := Received{From: c.from, To: c.to, Data: data, TLS: c.tls, AuthUser: c.authUser}
			if c.srv.opts.Intercept != nil && !c.srv.opts.Intercept(r) {
				return
			}
			c.srv.mu.Lock()
			c.srv.msgs = append(c.srv.msgs, r)
			c.srv.mu.Unlock()
			c.reset()
			c.reply("250 2.0.0 OK queued")
		case "RSET":
			c.reset()
			c.reply("250 2.0.0 OK")
		case "NOOP":
			c.reply("250 2.0.0 OK")
		case "QUIT":
			c.reply("221 2.0.0 Bye")
			return
		default:
			c.reply("502 5.5.2 Command not recognized")
		}
	}
}

func (c *session) reset() { c.from, c.to, c.mail = "", nil, false }

func (c *session) auth(arg string) {
	mech, resp, _ := strings.Cut(arg, " ")
	if c.srv.opts.Username == "" || !strings.EqualFold(mech, "PLAIN") {
		c.reply("504 5.5.4 Unrecognized authentication type")
		return
	}
	if resp == "" {
		c.reply("334 ")
		var err error
		if resp, err = c.readLine(); err != nil {
			return
		}
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[1] != c.srv.opts.Username || parts[2] != c.srv.opts.Password {
		c.reply("535 5.7.8 Authentication credentials invalid")
		return
	}
	c.authUser = parts[1]
	c.reply("235 2.7.0 Authentication successful")
}

// data reads the message up to the lone dot, undoing dot-stuffing.
func (c *session) data() ([]byte, error) {
	var b bytes.Buffer
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" || line == ".\n" {
			return b.Bytes(), nil
		}
		line = strings.TrimPrefix(line, ".")
		if b.Len()+len(line) > maxMessage {
			return nil, fmt.Errorf("message too big")
		}
		b.WriteString(line)
	}
}

// path extracts the address of "<a@b> SIZE=…".
func path(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '>'); strings.HasPrefix(s, "<") && i > 0 {
		return s[1:i]
	}
	return s
}

func selfSigned() (*tls.Config, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	conf := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return conf, cert, nil
}
