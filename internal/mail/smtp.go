package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"time"
)

// SMTPConfig says how to reach the outgoing mail server.
type SMTPConfig struct {
	Host     string
	Port     int // 465 means TLS from the first byte; any other port upgrades with STARTTLS when offered
	Username string
	Password string
	From     string // "Repère <ne-pas-repondre@exemple.fr>"
	// TLS overrides the TLS settings (tests trust their own certificate);
	// nil verifies the server against the system roots.
	TLS     *tls.Config
	Timeout time.Duration // whole conversation; default 30 s
}

// SMTP sends through an SMTP server, one connection per message.
type SMTP struct {
	cfg  SMTPConfig
	from *mail.Address
}

var _ Sender = (*SMTP)(nil)

// NewSMTP checks the configuration.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", cfg.From, err)
	}
	return &SMTP{cfg: cfg, from: from}, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	if s.cfg.TLS != nil {
		c = s.cfg.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = s.cfg.Host
		}
	}
	return c
}

// Send delivers m in one SMTP conversation: EHLO, STARTTLS when offered,
// AUTH when credentials are set, MAIL, RCPT, DATA, QUIT.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	implicit := s.cfg.Port == 465
	var conn net.Conn
	var err error
	if implicit {
		conn, err = (&tls.Dialer{Config: s.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	// Closing the connection is what unblocks a conversation when ctx ends.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("mail: greeting from %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	secure := implicit
	if ok, _ := c.Extension("STARTTLS"); ok && !implicit {
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
		secure = true
	}
	if s.cfg.Username != "" {
		if !secure && !loopback(s.cfg.Host) {
			return fmt.Errorf("mail: %s offers no TLS; refusing to send the password in clear", addr)
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(compose(s.from, m, time.Now())); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: message refused: %w", err)
	}
	return c.Quit()
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
