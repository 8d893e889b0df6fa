package account

import (
	"context"
	"slices"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// SetReminders records which reminder kinds the user no longer wants; the
// others are on. Unknown kinds are EINVALID.
func (a *Accounts) SetReminders(ctx context.Context, actor *Actor, off []directory.Reminder) (*directory.User, error) {
	if err := Can(actor, AccountEdit, Target{UserID: actorID(actor)}); err != nil {
		return nil, err
	}
	for _, r := range off {
		if !r.Valid() {
			return nil, fieldError("rappels", "Rappel inconnu.")
		}
	}
	return a.modifyUser(ctx, actor.User.ID, func(u *directory.User) error {
		u.RemindersOff = nil
		for _, r := range directory.Reminders { // in order, once each
			if slices.Contains(off, r) {
				u.RemindersOff = append(u.RemindersOff, r)
			}
		}
		return nil
	})
}

// StopReminder switches one kind off for the user: the one-click
// unsubscribe of a reminder mail, whose signed link the caller checked.
func (a *Accounts) StopReminder(ctx context.Context, userID string, r directory.Reminder) error {
	if !r.Valid() {
		return directory.Errorf(directory.ENOTFOUND, "Ce lien n’est pas valide.")
	}
	_, err := a.modifyUser(ctx, userID, func(u *directory.User) error {
		if u.Wants(r) {
			u.RemindersOff = append(u.RemindersOff, r)
		}
		return nil
	})
	return err
}

// TerritoryModerators lists the users who moderate at least one
// département: for the moderators' digest, which no request triggers.
func (a *Accounts) TerritoryModerators(ctx context.Context) ([]*directory.User, error) {
	ids, err := a.store.List(ctx, moderatorsList)
	if err != nil {
		return nil, err
	}
	var out []*directory.User
	for _, id := range ids {
		u, err := a.store.User(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if len(u.ModeratorOf) > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// AllowMail counts a mail that a visitor's request sends to an address
// (the confirmation of an alert) and reports whether it stays within the
// limits that keep Repère from flooding a mailbox: mails to one address,
// shared with the account's own mails, and mails asked from one connection.
func (a *Accounts) AllowMail(ctx context.Context, c Client, to string) bool {
	return a.allow(ctx, "mail-from:"+ipKey(c.IP), 4*mailLimit, time.Hour) && a.allow(ctx, mailKey(to), mailLimit, time.Hour)
}
