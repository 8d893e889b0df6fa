// Package alert is the saved searches whose news is mailed: created from
// any results page, signed in or by e-mail with a confirmation (double
// opt-in), sent daily, weekly or monthly with the services the search finds
// that were published or changed significantly since the last mail (what
// feeds announce), listed by thématique. Nothing new, no mail. Every mail
// has a one-click unsubscribe and a link to manage one's alerts, signed: no
// session is needed.
package alert

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/signed"
	"github.com/repere-spie/repere/internal/store"
)

// Index is what alerts read of the search index.
type Index interface {
	LatestSince(ctx context.Context, q directory.SearchQuery, since time.Time, n int) ([]indexer.Announcement, error)
}

// Config wires the alerts.
type Config struct {
	Store  *store.Store
	Outbox *outbox.Outbox
	Mail   mail.Sender // the confirmations and links asked for, sent at once
	Index  Index
	// Places resolves the places of searches (*geo.Gazetteer).
	Places  directory.Places
	BaseURL string
	Secret  []byte
	Log     *slog.Logger
	Now     func() time.Time
	// Allow says whether a confirmation mail that a visitor asks for may
	// leave (account.Accounts.AllowMail); nil allows all.
	Allow func(ctx context.Context, c account.Client, to string) bool
}

// Alerts are the saved searches and their mails.
type Alerts struct {
	cfg     Config
	confirm *signed.Signer // the link of the confirmation mail
	manage  *signed.Signer // the link to manage the alerts of an address
	unsub   *signed.Signer // the one-click unsubscribe of an alert
}

// New returns the alerts.
func New(cfg Config) *Alerts {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Alerts{cfg: cfg, confirm: signed.New(cfg.Secret, "alerte-confirmation"),
		manage: signed.New(cfg.Secret, "alertes-gestion"), unsub: signed.New(cfg.Secret, "alerte-desabonnement")}
}

// Paths of the pages alerts link to.
const (
	ListPath        = "/alertes"               // ?adresse=…&jeton=… without a session
	NewPath         = "/alertes/nouvelle"      // ?<the search>
	ConfirmPath     = "/alertes/confirmer"     // ?alerte=…&jeton=…
	UnsubscribePath = "/alertes/desabonnement" // /{alert}/{signature}
)

// Lifetimes and bounds.
const (
	ConfirmTTL  = 7 * 24 * time.Hour  // the confirmation link; unconfirmed alerts are then deleted
	ManageTTL   = 60 * 24 * time.Hour // the link to manage one's alerts
	MaxPerEmail = 50
)

func (a *Alerts) url(path string) string { return a.cfg.BaseURL + path }

// ManageURL is the link that lists the alerts of the address without a
// session, for some time.
func (a *Alerts) ManageURL(email string) string {
	tok := a.manage.SignUntil(a.cfg.Now().Add(ManageTTL), email)
	return a.url(ListPath + "?adresse=" + url.QueryEscape(email) + "&jeton=" + tok)
}

// CanManage reports whether token, from a ManageURL, opens the alerts of
// email now.
func (a *Alerts) CanManage(email, token string) bool {
	return email != "" && a.manage.ValidUntil(token, a.cfg.Now(), email)
}

// UnsubscribeURL is the one-click unsubscribe link of an alert.
func (a *Alerts) UnsubscribeURL(id string) string {
	return a.url(UnsubscribePath + "/" + id + "/" + a.unsub.Sign(id))
}

func (a *Alerts) confirmURL(id string) string {
	return a.url(ConfirmPath + "?alerte=" + id + "&jeton=" + a.confirm.SignUntil(a.cfg.Now().Add(ConfirmTTL), id))
}

// SearchURL is the results page of an alert's search.
func (a *Alerts) SearchURL(al *directory.Alert) string {
	return a.url(SearchPath(al.Query))
}

// SearchPath is the results page of a saved search (its canonical query).
// The page asks for a place before searching all of France: a search saved
// without one was of all France, chosen, so its link says so (partout=1).
func SearchPath(query string) string {
	v, _ := url.ParseQuery(query)
	if v.Get("code_commune") == "" && v.Get("lat") == "" {
		if query != "" {
			query += "&"
		}
		query += "partout=1"
	}
	return "/recherche?" + query
}

// Draft is an alert as a subscriber asks for it.
type Draft struct {
	Email     string
	Query     url.Values // the search, in the feed's parameters
	Title     string
	Frequency directory.AlertFrequency
	Client    account.Client // who asks, for the limits on confirmation mails
}

var errTooMany = directory.Errorf(directory.EFORBIDDEN, "Trop de demandes d’alertes pour cette adresse ou depuis votre connexion : réessayez dans une heure.")

// Create saves an alert. Asked by a signed-in user for their own verified
// address, it is confirmed at once; otherwise a mail asks to confirm it and
// nothing is sent before. The same search saved again by one address
// updates its frequency. Errors: EINVALID keyed by form field.
func (a *Alerts) Create(ctx context.Context, actor *account.Actor, d Draft) (*directory.Alert, error) {
	email, err := directory.NormalizeEmail(d.Email)
	if err != nil {
		return nil, fieldError("email", directory.ErrorMessage(err))
	}
	q, err := a.parse(d.Query)
	if err != nil {
		return nil, fieldError("recherche", "Cette recherche ne peut pas devenir une alerte : "+directory.ErrorMessage(err))
	}
	now := a.cfg.Now().UTC()
	al := &directory.Alert{Email: email, Query: Canonical(q), Title: strings.TrimSpace(d.Title), Frequency: d.Frequency,
		CreatedAt: now, UpdatedAt: now, Since: now}
	if err := al.Validate(); err != nil {
		return nil, err
	}
	mine := actor != nil && actor.User != nil && actor.User.Email == email && actor.User.Verified()
	if mine {
		al.UserID, al.ConfirmedAt = actor.User.ID, &now
	}
	existing, err := a.ForEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var same *directory.Alert
	for _, e := range existing {
		if e.Query == al.Query {
			same = e
		}
	}
	if same == nil && len(existing) >= MaxPerEmail {
		return nil, fieldError("email", "Cette adresse a déjà 50 alertes : supprimez-en une pour en créer une autre.")
	}
	// A confirmation mail goes to an address nobody proved is theirs: a
	// limited number per address and per connection.
	if !mine && (same == nil || !same.Confirmed()) && a.cfg.Allow != nil && !a.cfg.Allow(ctx, d.Client, email) {
		return nil, errTooMany
	}
	if same != nil {
		return a.again(ctx, same, al)
	}
	if err := a.cfg.Store.CreateAlert(ctx, al); err != nil {
		return nil, err
	}
	if !al.Confirmed() {
		a.send(ctx, a.confirmMail(al))
	}
	return al, nil
}

// again is Create for a search the address already saved: the new
// frequency applies, and a pending confirmation is asked again.
func (a *Alerts) again(ctx context.Context, cur, want *directory.Alert) (*directory.Alert, error) {
	al, err := a.modify(ctx, cur.ID, func(al *directory.Alert) error {
		if al.Frequency != want.Frequency {
			al.Frequency, al.Since = want.Frequency, want.UpdatedAt
		}
		if !al.Confirmed() && want.Confirmed() {
			al.ConfirmedAt, al.UserID, al.Since = want.ConfirmedAt, want.UserID, want.UpdatedAt
		}
		return nil
	})
	if err == nil && !al.Confirmed() {
		a.send(ctx, a.confirmMail(al))
	}
	return al, err
}

// parse reads a saved search as its feed does: an error means it no
// longer makes sense (a commune that merged away).
func (a *Alerts) parse(v url.Values) (directory.SearchQuery, error) {
	return directory.ParseSearch(v, directory.FeedSearch, a.cfg.Places)
}

// Canonical is the saved form of a search: the parameters its feed reads,
// in a fixed order, the place resolved (a postal code becomes its commune).
func Canonical(q directory.SearchQuery) string {
	v := url.Values{}
	for _, kv := range q.Values(directory.FeedSearch) {
		v.Add(kv[0], kv[1])
	}
	return v.Encode()
}

// Confirm confirms an alert from the link of its confirmation mail.
// ENOTFOUND for a bad or expired link, or an alert deleted since.
func (a *Alerts) Confirm(ctx context.Context, id, token string) (*directory.Alert, error) {
	if !a.confirm.ValidUntil(token, a.cfg.Now(), id) {
		return nil, directory.Errorf(directory.ENOTFOUND, "Ce lien n’est pas valide ou a expiré : créez l’alerte de nouveau depuis la page de résultats.")
	}
	return a.modify(ctx, id, func(al *directory.Alert) error {
		if !al.Confirmed() {
			now := a.cfg.Now().UTC()
			al.ConfirmedAt, al.Since = &now, now
		}
		return nil
	})
}

// ForEmail lists the alerts of an address, oldest first.
func (a *Alerts) ForEmail(ctx context.Context, email string) ([]*directory.Alert, error) {
	ids, err := a.cfg.Store.AlertIDsOfEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var out []*directory.Alert
	for _, id := range ids {
		al, err := a.cfg.Store.Alert(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if al.Email == email {
			out = append(out, al)
		}
	}
	slices.SortFunc(out, func(x, y *directory.Alert) int { return x.CreatedAt.Compare(y.CreatedAt) })
	return out, nil
}

// SetFrequency changes how often an alert of email is sent; the next mail
// counts the news from now. ENOTFOUND when the alert is not email's.
func (a *Alerts) SetFrequency(ctx context.Context, email, id string, f directory.AlertFrequency) (*directory.Alert, error) {
	return a.modify(ctx, id, func(al *directory.Alert) error {
		if al.Email != email {
			return errNotYours
		}
		if al.Frequency != f {
			al.Frequency, al.Since = f, a.cfg.Now().UTC()
		}
		return al.Validate()
	})
}

var errNotYours = directory.Errorf(directory.ENOTFOUND, "Cette alerte n’existe pas ou plus.")

// Delete deletes an alert of email; ENOTFOUND when it is not email's.
func (a *Alerts) Delete(ctx context.Context, email, id string) error {
	al, err := a.cfg.Store.Alert(ctx, id)
	if err != nil {
		return err
	}
	if al.Email != email {
		return errNotYours
	}
	return a.cfg.Store.DeleteAlert(ctx, id)
}

// Unsubscribe deletes the alert if sig is its unsubscribe signature:
// ENOTFOUND otherwise. An alert already gone is no error, so a second
// click says the same as the first.
func (a *Alerts) Unsubscribe(ctx context.Context, id, sig string) error {
	if !a.unsub.Valid(sig, id) {
		return directory.Errorf(directory.ENOTFOUND, "Ce lien de désabonnement n’est pas valide.")
	}
	return a.cfg.Store.DeleteAlert(ctx, id)
}

// SendManageLink mails the link to manage the alerts of email, if it has
// some; the caller says the same either way.
func (a *Alerts) SendManageLink(ctx context.Context, email string, c account.Client) error {
	email, err := directory.NormalizeEmail(email)
	if err != nil {
		return fieldError("email", directory.ErrorMessage(err))
	}
	list, err := a.ForEmail(ctx, email)
	if err != nil || len(list) == 0 {
		return err
	}
	if a.cfg.Allow != nil && !a.cfg.Allow(ctx, c, email) {
		return errTooMany
	}
	a.send(ctx, mail.Letter{To: email, Subject: "Vos alertes Repère", Greeting: "Bonjour,",
		Intro:  []string{"Voici le lien qui ouvre la liste de vos alertes, pour en changer la fréquence ou les supprimer. Il reste valable deux mois."},
		Button: &mail.Link{Label: "Gérer mes alertes", URL: a.ManageURL(email)},
		Why:    "Vous recevez ce courriel car quelqu’un, sans doute vous, l’a demandé sur Repère."}.Message())
	return nil
}

func (a *Alerts) confirmMail(al *directory.Alert) mail.Message {
	return mail.Letter{To: al.Email, Subject: "Confirmez votre alerte Repère", Greeting: "Bonjour,",
		Intro: []string{"Vous avez demandé à recevoir par courriel, " + strings.ToLower(al.Frequency.Label()) + ", les nouveaux services trouvés par la recherche « " + al.Title + " ».",
			"Pour recevoir ces alertes, confirmez votre adresse dans les 7 jours :"},
		Button: &mail.Link{Label: "Confirmer mon alerte", URL: a.confirmURL(al.ID)},
		Outro:  []string{"Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : aucune alerte ne vous sera envoyée."},
	}.Message()
}

// send mails at once, best-effort: the page tells what to expect, and the
// subscriber may ask again.
func (a *Alerts) send(ctx context.Context, m mail.Message) {
	if err := a.cfg.Mail.Send(context.WithoutCancel(ctx), m); err != nil {
		a.cfg.Log.ErrorContext(ctx, "courriel non envoyé", "objet", m.Subject, "err", err)
	}
}

// modify applies fn to the stored alert and writes it with a version
// check, again when someone wrote in between.
func (a *Alerts) modify(ctx context.Context, id string, fn func(*directory.Alert) error) (*directory.Alert, error) {
	for attempt := 0; ; attempt++ {
		al, err := a.cfg.Store.Alert(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := fn(al); err != nil {
			return nil, err
		}
		al.UpdatedAt = a.cfg.Now().UTC()
		err = a.cfg.Store.UpdateAlert(ctx, al)
		if directory.ErrorCode(err) == directory.ECONFLICT && attempt < 5 {
			continue
		}
		return al, err
	}
}

func fieldError(field, msg string) error {
	return &directory.Error{Code: directory.EINVALID, Message: "Certains champs sont invalides.", Fields: map[string]string{field: msg}}
}

// PruneUnconfirmed deletes the alerts never confirmed within ConfirmTTL.
func (a *Alerts) PruneUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	var old []string
	err := a.cfg.Store.EachAlert(ctx, func(al *directory.Alert) error {
		if !al.Confirmed() && now.Sub(al.CreatedAt) > ConfirmTTL {
			old = append(old, al.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range old {
		if err := a.cfg.Store.DeleteAlert(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
