package account

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/store"
)

// clock is the fixture's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	t       *testing.T
	ctx     context.Context
	store   *store.Store
	acc     *Accounts
	box     *mail.Mailbox
	clock   *clock
	changed []string
}

var testGeography = &directory.Geography{
	Regions:      []directory.Region{{Code: "75", Name: "Nouvelle-Aquitaine"}},
	Departements: []directory.Departement{{Code: "86", Name: "Vienne", Region: "75"}, {Code: "33", Name: "Gironde", Region: "75"}},
	Communes: []directory.Commune{
		{Code: "86194", Name: "Poitiers", PostalCodes: []string{"86000"}, Departement: "86", Region: "75", Population: 90000, Center: &orb.Point{0.3404, 46.5802}},
		{Code: "86066", Name: "Châtellerault", PostalCodes: []string{"86100"}, Departement: "86", Region: "75", Population: 32000, Center: &orb.Point{0.5458, 46.8176}},
		{Code: "33063", Name: "Bordeaux", PostalCodes: []string{"33000"}, Departement: "33", Region: "75", Population: 260000, Center: &orb.Point{-0.5805, 44.8404}},
	},
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newFixture opens the embedded store in a temporary directory and wires
// Accounts to the development mailbox and a hand-moved clock.
func newFixture(t *testing.T, pc *oidc.Client) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Database: "test", Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	f := &fixture{t: t, ctx: ctx, store: s, box: mail.NewMailbox(100, discard()),
		clock: &clock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}}
	f.acc, err = New(Config{Store: s, Mail: f.box, BaseURL: "https://repere.exemple.fr/", Log: discard(),
		Secret: []byte("0123456789abcdef0123456789abcdef"), Geo: geo.NewGazetteer(testGeography), ProConnect: pc,
		Changed: func(_ context.Context, id string) { f.changed = append(f.changed, id) }, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var jeton = regexp.MustCompile(`\?jeton=([A-Za-z0-9_-]+)`)

// link returns the token of the newest mail to the address whose subject
// contains subject.
func (f *fixture) link(to, subject string) string {
	f.t.Helper()
	for _, m := range f.box.Messages() {
		if m.To == to && regexp.MustCompile(regexp.QuoteMeta(subject)).MatchString(m.Subject) {
			if sm := jeton.FindStringSubmatch(m.Text); sm != nil {
				return sm[1]
			}
		}
	}
	f.t.Fatalf("no mail %q with a link to %s", subject, to)
	return ""
}

func (f *fixture) mailsTo(to string) []mail.Sent {
	var out []mail.Sent
	for _, m := range f.box.Messages() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

var browser = Client{IP: "192.0.2.10", UserAgent: "Mozilla/5.0 (test)"}

const goodPassword = "tartine velo orage jardin"

// member signs a person up, verifies the address and signs in.
func (f *fixture) member(email, name string) *Actor {
	f.t.Helper()
	if err := f.acc.SignUp(f.ctx, SignUpForm{Email: email, Name: name, Password: goodPassword}, browser); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.acc.VerifyEmail(f.ctx, f.link(email, "Confirmez")); err != nil {
		f.t.Fatal(err)
	}
	return f.login(email, goodPassword)
}

func (f *fixture) login(email, password string) *Actor {
	f.t.Helper()
	l, err := f.acc.Login(f.ctx, LoginForm{Email: email, Password: password}, browser, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return f.auth(l.Token)
}

func (f *fixture) auth(token string) *Actor {
	f.t.Helper()
	a, err := f.acc.Authenticate(f.ctx, token)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// refresh re-reads the actor's user, as the next request would.
func (f *fixture) refresh(a *Actor) *Actor {
	f.t.Helper()
	u, err := f.store.User(f.ctx, a.User.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return &Actor{User: u, Session: a.Session}
}

func (f *fixture) platformAdmin(email string) *Actor {
	f.t.Helper()
	a := f.member(email, "Administratrice Plateforme")
	if err := f.acc.SetPlatformAdmin(f.ctx, email, true); err != nil {
		f.t.Fatal(err)
	}
	return f.refresh(a)
}

var poitiersForm = StructureForm{
	Name: "Association Mobilité Vienne", SIRET: "802 954 784 00020", Address: "12 rue de la Gare",
	PostalCode: "86000", CodeInsee: "86194", Email: "contact@mobilite-vienne.exemple.fr", Phone: "05 49 00 00 00",
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if directory.ErrorCode(err) != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var e *directory.Error
	if !errors.As(err, &e) || e.Fields[field] == "" {
		t.Fatalf("%s: got %v, want a message on the field %s", what, err, field)
	}
}

// moderation is the verification state of a structure; those without an
// account (imported or generated) count as verified.
func (f *fixture) moderation(structureID string) directory.Moderation {
	sa, err := f.store.StructureAccount(f.ctx, structureID)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return directory.ModerationValidated
	}
	if err != nil {
		panic(err)
	}
	return sa.Moderation
}
