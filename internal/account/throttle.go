package account

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// policy says when a key's failures start to lock it out: from threshold
// failures on, each failure locks for base, doubled each time, up to max. A
// key forgets its failures after window without any.
type policy struct {
	threshold int
	base, max time.Duration
	window    time.Duration
}

var (
	// An account: 5 failures lock it 30 s, then 1, 2, 4 … minutes up to an
	// hour. Resetting the password unlocks it.
	accountPolicy = policy{threshold: 5, base: 30 * time.Second, max: time.Hour, window: 24 * time.Hour}
	// An address: offices put many people behind one address, so 20.
	ipPolicy = policy{threshold: 20, base: 30 * time.Second, max: time.Hour, window: time.Hour}
)

func loginKey(email string) string { return "login:" + email }

// pairKey counts the failures of one address on one account.
func pairKey(email, ip string) string { return "login-from:" + email + "|" + ipKey(ip) }

// pairWindow is how long an address's failures on an account are
// remembered.
const pairWindow = 24 * time.Hour

// ipKey groups IPv6 addresses by /64, what one subscriber usually gets.
func ipKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil {
		return "ip:" + addr
	}
	if v4 := ip.To4(); v4 != nil {
		return "ip:" + v4.String()
	}
	return "ip:" + ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// ThrottledError says to wait; it unwraps to an EFORBIDDEN *directory.Error
// (the UI may answer 429 with Retry-After from Until).
type ThrottledError struct {
	Until time.Time
	err   *directory.Error
}

func (e *ThrottledError) Error() string { return e.err.Error() }
func (e *ThrottledError) Unwrap() error { return e.err }

func (a *Accounts) throttled(until time.Time) error {
	wait := until.Sub(a.now())
	var when string
	switch {
	case wait < time.Minute:
		when = "dans une minute"
	case wait < time.Hour:
		when = fmt.Sprintf("dans %d minutes", int(wait.Minutes())+1)
	default:
		when = "dans une heure"
	}
	return &ThrottledError{Until: until, err: directory.Errorf(directory.EFORBIDDEN,
		"Trop de tentatives de connexion. Réessayez %s, ou réinitialisez votre mot de passe.", when)}
}

// modifyThrottle applies fn to the key's counter and writes it with a
// version check, again on conflict.
func (a *Accounts) modifyThrottle(ctx context.Context, key string, fn func(t *store.Throttle) error) (*store.Throttle, error) {
	defer a.locks.Lock("throttle/" + key)()
	for i := 0; ; i++ {
		t, err := a.store.Throttle(ctx, key)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			t, err = &store.Throttle{ID: key}, nil
		}
		if err != nil {
			return nil, err
		}
		if err := fn(t); err != nil {
			return nil, err
		}
		err = a.store.SaveThrottle(ctx, t)
		if directory.ErrorCode(err) == directory.ECONFLICT && i < retries {
			backoff(i)
			continue
		}
		return t, err
	}
}

// attempt counts one attempt on key before the password is checked, so that
// parallel guesses cannot all slip in before the first failure is counted.
// It refuses while the key is locked.
func (a *Accounts) attempt(ctx context.Context, key string, p policy) error {
	now := a.now().UTC()
	_, err := a.modifyThrottle(ctx, key, func(t *store.Throttle) error {
		if now.Before(t.LockedUntil) {
			return a.throttled(t.LockedUntil)
		}
		if now.Sub(t.Last) > p.window {
			t.Count = 0
		}
		t.Count++
		t.Last = now
		if t.Count >= p.threshold {
			t.LockedUntil = now.Add(min(p.max, p.base<<min(t.Count-p.threshold, 20)))
		}
		t.ExpireAt = now.Add(p.window + p.max)
		return nil
	})
	return err
}

// firstTry lets one attempt through on key if it has seen no failure, and
// counts it, so that parallel tries from that address get one between
// them.
func (a *Accounts) firstTry(ctx context.Context, key string) error {
	now := a.now().UTC()
	_, err := a.modifyThrottle(ctx, key, func(t *store.Throttle) error {
		if t.Count > 0 && now.Sub(t.Last) <= pairWindow {
			return errors.New("this address has failed on this account")
		}
		t.Count, t.Last, t.ExpireAt = 1, now, now.Add(pairWindow)
		return nil
	})
	return err
}

// count records an attempt on key, taken back by deleting key on success.
func (a *Accounts) count(ctx context.Context, key string) {
	now := a.now().UTC()
	_, err := a.modifyThrottle(ctx, key, func(t *store.Throttle) error {
		t.Count++
		t.Last, t.ExpireAt = now, now.Add(pairWindow)
		return nil
	})
	if err != nil {
		a.log.ErrorContext(ctx, "throttle not updated", "key", key, "err", err)
	}
}

// succeeded takes back the attempt counted on key.
func (a *Accounts) succeeded(ctx context.Context, key string) {
	_, err := a.modifyThrottle(ctx, key, func(t *store.Throttle) error {
		if t.Count > 0 {
			t.Count--
		}
		return nil
	})
	if err != nil {
		a.log.ErrorContext(ctx, "throttle not updated", "key", key, "err", err)
	}
}

// allow counts an event on key and reports whether it is within limit events
// per window (mails sent to one address, sign-ups from one address).
func (a *Accounts) allow(ctx context.Context, key string, limit int, window time.Duration) bool {
	now := a.now().UTC()
	t, err := a.modifyThrottle(ctx, key, func(t *store.Throttle) error {
		if now.Sub(t.Last) > window {
			t.Count = 0
			t.Last = now // the window starts at its first event
		}
		t.Count++
		t.ExpireAt = t.Last.Add(window)
		return nil
	})
	if err != nil {
		// Refuse: what is limited here (mails, sign-ups) can wait.
		a.log.ErrorContext(ctx, "throttle not updated", "key", key, "err", err)
		return false
	}
	return t.Count <= limit
}

// Lock is a login lock shown to platform administrators: an account
// (Email) or an address (IP) refused until Until.
type Lock struct {
	Email, IP string
	Failures  int
	Until     time.Time
}

// Locks lists the login locks in force, at most 200.
func (a *Accounts) Locks(ctx context.Context) ([]Lock, error) {
	ts, err := a.store.LockedThrottles(ctx, a.now().UTC(), 200)
	if err != nil {
		return nil, err
	}
	out := make([]Lock, 0, len(ts))
	for _, t := range ts {
		l := Lock{Failures: t.Count, Until: t.LockedUntil}
		switch {
		case strings.HasPrefix(t.ID, "login:"):
			l.Email = strings.TrimPrefix(t.ID, "login:")
		case strings.HasPrefix(t.ID, "ip:"):
			l.IP = strings.TrimPrefix(t.ID, "ip:")
		default:
			continue
		}
		out = append(out, l)
	}
	return out, nil
}
