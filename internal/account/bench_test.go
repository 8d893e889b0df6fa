package account

import (
	"context"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/store"
)

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		hashPassword(goodPassword)
	}
}

func BenchmarkCheckNewPassword(b *testing.B) {
	for b.Loop() {
		CheckNewPassword("Le chat de ma voisine danse", "Camille Martin", "camille.martin@exemple.fr")
	}
}

// BenchmarkAuthenticate is the cost every signed-in request pays: the
// session and the user, each read by id from the embedded store.
func BenchmarkAuthenticate(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: b.TempDir(), Database: "bench", Logger: discard()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	acc, err := New(Config{Store: s, Mail: mail.NewMailbox(1, discard()), BaseURL: "https://x.exemple.fr",
		Secret: []byte("0123456789abcdef0123456789abcdef"), Log: discard()})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	u := &directory.User{Email: "bench@exemple.fr", Name: "Bench", EmailVerifiedAt: &now}
	if err := s.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	l, err := acc.startSession(ctx, u.ID, "password", "", Client{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := acc.Authenticate(ctx, l.Token); err != nil {
			b.Fatal(err)
		}
	}
}
