// Package account is who may do what on Repère: accounts and sessions,
// structures' members and roles, territory moderators, and the one
// permission check (Can) that every mutating route calls.
//
// The store has no transactions and, embedded, scans for any filter other
// than _id. So every document is read by id, each invariant lives in one
// document written with a version check (a structure's members and roles in
// its StructureAccount, one account per address in a key document), and the
// lists that index other documents (a user's structures, a moderation queue)
// are written first and checked by their readers.
package account

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/keyedlock"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/store"
)

// Session lifetimes.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	touchEvery      = time.Minute // last-seen is written at most this often
)

// Lifetimes of the links sent by mail.
const (
	VerifyTTL     = 48 * time.Hour
	ResetTTL      = time.Hour
	InvitationTTL = 14 * 24 * time.Hour
	flowTTL       = 10 * time.Minute
)

// Paths of the pages the mails link to; the UI mounts these routes. Links
// carry the token as ?jeton=…: the page shows a button and consumes the token
// on POST only, since mail scanners open links.
const (
	VerifyPath     = "/compte/confirmer"
	ResetPath      = "/compte/mot-de-passe/nouveau"
	InvitationPath = "/invitations/accepter"
	LoginPath      = "/connexion"
	DashboardPath  = "/espace"
	ModerationPath = "/espace/moderation"
)

// MembersPath is the page where administrators answer join requests.
func MembersPath(structureID string) string { return "/espace/structures/" + structureID + "/membres" }

// Geography is what accounts need of the gazetteer (*geo.Gazetteer has it).
type Geography interface {
	Commune(code string) (*directory.Commune, bool)
	Departement(code string) (*directory.Departement, bool)
}

// Config wires Accounts.
type Config struct {
	Store   *store.Store
	Mail    mail.Sender
	BaseURL string // absolute, for the links in mails
	Secret  []byte // at least 32 bytes; signs CSRF tokens
	Log     *slog.Logger
	// Optional.
	Geo        Geography    // checks communes and départements, names communes
	ProConnect *oidc.Client // nil: ProConnect disabled
	// Changed is called after a structure's name, place or moderation state
	// changed, so its services can be re-indexed.
	Changed func(ctx context.Context, structureID string)
	Now     func() time.Time
}

// Accounts implements the account use cases.
type Accounts struct {
	store      *store.Store
	mail       mail.Sender
	baseURL    string
	csrfKey    []byte
	log        *slog.Logger
	geo        Geography
	proconnect *oidc.Client
	changed    func(ctx context.Context, structureID string)
	now        func() time.Time
	// locks serialises this process's read-modify-write cycles on one
	// document; the version checks still arbitrate between instances.
	locks keyedlock.Set
}

// New checks cfg.
func New(cfg Config) (*Accounts, error) {
	if cfg.Store == nil || cfg.Mail == nil {
		return nil, errors.New("account: store and mail sender are required")
	}
	if len(cfg.Secret) < 32 {
		return nil, errors.New("account: the secret key must be at least 32 bytes")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("account: the base URL must be absolute")
	}
	a := &Accounts{store: cfg.Store, mail: cfg.Mail, baseURL: u.Scheme + "://" + u.Host + u.Path,
		csrfKey: derive(cfg.Secret, "csrf"), log: cfg.Log, geo: cfg.Geo, proconnect: cfg.ProConnect,
		changed: cfg.Changed, now: cfg.Now}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.changed == nil {
		a.changed = func(context.Context, string) {}
	}
	a.baseURL = strings.TrimRight(a.baseURL, "/")
	return a, nil
}

// Client describes the browser making a request.
type Client struct {
	IP        string
	UserAgent string
}

func (a *Accounts) link(path, token string) string {
	if token == "" {
		return a.baseURL + path
	}
	return a.baseURL + path + "?jeton=" + url.QueryEscape(token)
}

// send mails best-effort: the action it reports is done whatever happens to
// the mail, and the log says when it failed.
func (a *Accounts) send(ctx context.Context, m mail.Message) {
	if err := a.mail.Send(context.WithoutCancel(ctx), m); err != nil {
		a.log.ErrorContext(ctx, "mail not sent", "to", m.To, "subject", m.Subject, "err", err)
	}
}

// retries bounds the read-modify-write loops; each retry means another writer
// won the version race.
const retries = 10

// backoff waits a random moment, longer after each lost race, so that
// writers of one document stop colliding.
func backoff(attempt int) {
	time.Sleep(time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6))))
}

// modifyUser applies fn to the current user and writes it with a version
// check, again on conflict. fn's own errors stop the loop.
func (a *Accounts) modifyUser(ctx context.Context, id string, fn func(u *directory.User) error) (*directory.User, error) {
	defer a.locks.Lock("user/" + id)()
	for i := 0; ; i++ {
		u, err := a.store.User(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := fn(u); err != nil {
			return nil, err
		}
		u.UpdatedAt = a.now().UTC()
		err = a.store.UpdateUser(ctx, u)
		if directory.ErrorCode(err) == directory.ECONFLICT && i < retries {
			backoff(i)
			continue
		}
		return u, err
	}
}

// structureAccount returns the account of a structure; structures imported or
// generated have none until someone joins, and get a fresh one (Version 0).
func (a *Accounts) structureAccount(ctx context.Context, id string) (*directory.StructureAccount, error) {
	sa, err := a.store.StructureAccount(ctx, id)
	if directory.ErrorCode(err) != directory.ENOTFOUND {
		return sa, err
	}
	st, err := a.store.Structure(ctx, id)
	if err != nil {
		return nil, err
	}
	return &directory.StructureAccount{ID: id, Departement: directory.DepartementOfCommune(st.CodeInsee),
		Moderation: directory.ModerationValidated}, nil
}

// modifyStructureAccount is modifyUser for structure accounts, creating the
// document on first write.
func (a *Accounts) modifyStructureAccount(ctx context.Context, id string, fn func(sa *directory.StructureAccount) error) (*directory.StructureAccount, error) {
	defer a.locks.Lock("structure/" + id)()
	for i := 0; ; i++ {
		sa, err := a.structureAccount(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := fn(sa); err != nil {
			return nil, err
		}
		sa.UpdatedAt = a.now().UTC()
		if sa.Version == 0 {
			sa.CreatedAt = sa.UpdatedAt
			err = a.store.CreateStructureAccount(ctx, sa)
		} else {
			err = a.store.UpdateStructureAccount(ctx, sa)
		}
		if directory.ErrorCode(err) == directory.ECONFLICT && i < retries {
			backoff(i)
			continue
		}
		return sa, err
	}
}

func moderationList(dep string) string { return "moderation:" + dep }

const moderatorsList = "moderators"
