package store

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func TestUsersAreFoundByKey(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	u := &directory.User{Email: "camille@exemple.fr", Name: "Camille"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.Version != 1 {
		t.Fatalf("after create: id %q version %d", u.ID, u.Version)
	}
	got, err := s.UserByKey(ctx, EmailKey("camille@exemple.fr"))
	if err != nil || got.ID != u.ID || got.Name != "Camille" {
		t.Fatalf("by e-mail: %+v, %v", got, err)
	}
	if err := s.CreateUser(ctx, &directory.User{Email: "camille@exemple.fr", Name: "Autre"}); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("second account for one address: %v, want conflict", err)
	}
	if _, err := s.UserByKey(ctx, EmailKey("inconnu@exemple.fr")); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("unknown address: %v", err)
	}
	// A second key for the same user, and a stale versioned write.
	if err := s.ClaimUserKey(ctx, ProConnectKey("sub-1"), u.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimUserKey(ctx, ProConnectKey("sub-1"), u.ID); err != nil {
		t.Fatalf("claiming one's own key again: %v", err)
	}
	a, _ := s.User(ctx, u.ID)
	b, _ := s.User(ctx, u.ID)
	a.Name = "Camille A"
	if err := s.UpdateUser(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.PlatformAdmin = true
	if err := s.UpdateUser(ctx, b); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale write: %v, want conflict", err)
	}
	got, _ = s.UserByKey(ctx, ProConnectKey("sub-1"))
	if got.Name != "Camille A" || got.PlatformAdmin || got.Version != 2 {
		t.Fatalf("after the stale write: %+v", got)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 1 {
		t.Fatalf("CountUsers = %d, %v", n, err)
	}
}

// Twenty sign-ups with one address race: exactly one account exists after.
func TestConcurrentCreateUser(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateUser(ctx, &directory.User{Email: "course@exemple.fr", Name: "Coureur"})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if directory.ErrorCode(err) != directory.ECONFLICT {
			t.Errorf("unexpected error %v", err)
		}
	}
	count, err := s.CountUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || count != 1 {
		t.Fatalf("%d creations succeeded and %d accounts exist, want 1 and 1", ok, count)
	}
}

func TestAbandonedKeyIsTakenOver(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	// A key whose user was never written, as a crash between the two inserts leaves.
	if err := s.ClaimUserKey(ctx, EmailKey("orphelin@exemple.fr"), "ghost"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &directory.User{Email: "orphelin@exemple.fr", Name: "X"}); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("within a minute the key may still be in use: got %v", err)
	}
	real := s.now
	s.now = func() time.Time { return real().Add(2 * time.Minute) }
	u := &directory.User{Email: "orphelin@exemple.fr", Name: "X"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("after a minute the abandoned key should be taken over: %v", err)
	}
	if got, err := s.UserByKey(ctx, EmailKey("orphelin@exemple.fr")); err != nil || got.ID != u.ID {
		t.Fatalf("key points at %v, %v", got, err)
	}
}

func TestTokensAreTakenOnce(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.Now().UTC()
	if err := s.CreateToken(ctx, &Token{ID: "h1", Kind: "reset", UserID: "u1", CreatedAt: now, ExpireAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token(ctx, "h1"); err != nil || tok.UserID != "u1" {
		t.Fatalf("peek: %+v %v", tok, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := s.TakeToken(ctx, "h1")
			if err == nil && tok.Kind == "reset" {
				mu.Lock()
				taken++
				mu.Unlock()
			} else if directory.ErrorCode(err) != directory.ENOTFOUND {
				t.Errorf("take: %v", err)
			}
		}()
	}
	wg.Wait()
	if taken != 1 {
		t.Fatalf("token taken %d times, want once", taken)
	}
}

func TestThrottleVersions(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := &Throttle{ID: "login:x@exemple.fr", Count: 1}
	if err := s.SaveThrottle(ctx, a); err != nil || a.Version != 1 {
		t.Fatalf("first save: %v, version %d", err, a.Version)
	}
	if err := s.SaveThrottle(ctx, &Throttle{ID: "login:x@exemple.fr", Count: 1}); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("second first-save: %v, want conflict", err)
	}
	b, _ := s.Throttle(ctx, "login:x@exemple.fr")
	a.Count, b.Count = 2, 7
	if err := s.SaveThrottle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveThrottle(ctx, b); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale save: %v, want conflict", err)
	}
	if got, _ := s.Throttle(ctx, "login:x@exemple.fr"); got.Count != 2 {
		t.Fatalf("count %d, want 2", got.Count)
	}
}

func TestListsSessionsAndExpiry(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b", "a"} {
		if err := s.AddToList(ctx, "moderation:86", id); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RemoveFromList(ctx, "moderation:86", "b"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFromList(ctx, "moderation:33", "b"); err != nil {
		t.Fatalf("removing from a missing list: %v", err)
	}
	if ids, err := s.List(ctx, "moderation:86"); err != nil || len(ids) != 1 || ids[0] != "a" {
		t.Fatalf("list = %v, %v", ids, err)
	}
	if ids, err := s.List(ctx, "nothing"); err != nil || len(ids) != 0 {
		t.Fatalf("missing list = %v, %v", ids, err)
	}
	if names, err := s.ListNames(ctx); err != nil || len(names) != 1 || names[0] != "moderation:86" {
		t.Fatalf("names = %v, %v", names, err)
	}

	now := time.Now().UTC().Truncate(time.Millisecond)
	live := &directory.Session{ID: "s1", UserID: "u1", CreatedAt: now, LastSeenAt: now, ExpireAt: now.Add(time.Hour)}
	dead := &directory.Session{ID: "s2", UserID: "u1", CreatedAt: now, LastSeenAt: now, ExpireAt: now.Add(-time.Second)}
	for _, sess := range []*directory.Session{live, dead} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.TouchSession(ctx, "s1", now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session(ctx, "s1"); err != nil || !got.LastSeenAt.Equal(now.Add(5*time.Minute)) || got.UserID != "u1" {
		t.Fatalf("touched session: %+v %v", got, err)
	}
	if err := s.CreateToken(ctx, &Token{ID: "t-dead", ExpireAt: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneExpired(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want the dead session and token", n, err)
	}
	if _, err := s.Session(ctx, "s1"); err != nil {
		t.Fatalf("live session pruned: %v", err)
	}
	if err := s.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "s1"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("deleted session: %v", err)
	}
}

func TestSecretKeyIsStable(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	k1, err := s.SecretKey(ctx)
	if err != nil || len(k1) != 32 {
		t.Fatalf("key %d bytes, %v", len(k1), err)
	}
	k2, err := s.SecretKey(ctx)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second read gave another key (%v)", err)
	}
}

// ClaimSIRETs claims in bulk as ClaimSIRET does one by one: a SIRET held by
// a live structure, or twice in the batch, is not taken over.
func TestClaimSIRETsInBulk(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.InsertStructures(ctx, []*directory.Structure{{ID: "held", Name: "Déjà là", SIRET: "78930215500039"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimSIRET(ctx, "78930215500039", "held"); err != nil {
		t.Fatal(err)
	}
	taken, err := s.ClaimSIRETs(ctx, []SIRETClaim{
		{"80295478400020", "a"}, {"78930215500039", "b"}, {"80295478400020", "c"}, {"11000007200014", "d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []SIRETClaim{{"78930215500039", "b"}, {"80295478400020", "c"}}; !slices.Equal(taken, want) {
		t.Errorf("taken = %v, want %v", taken, want)
	}
	for siret, want := range map[string]string{"80295478400020": "a", "78930215500039": "held", "11000007200014": "d"} {
		if id, err := s.StructureIDBySIRET(ctx, siret); err != nil || id != want {
			t.Errorf("%s → %q, %v; want %s", siret, id, err, want)
		}
	}
}

func TestSIRETKeys(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sts := []*directory.Structure{
		{ID: "st1", Name: "Première", SIRET: "80295478400020"},
		{ID: "st2", Name: "Doublon", SIRET: "80295478400020"},
		{ID: "st3", Name: "Autre", SIRET: "78930215500039"},
		{ID: "st4", Name: "Sans SIRET"},
	}
	if err := s.InsertStructures(ctx, sts); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimSIRET(ctx, "78930215500039", "st3"); err != nil {
		t.Fatal(err)
	}
	n, err := s.IndexStructureSIRETs(ctx)
	if err != nil || n != 1 {
		t.Fatalf("indexed %d, %v; want 1 (st1; st3 had its key, st2 is a duplicate)", n, err)
	}
	for siret, want := range map[string]string{"80295478400020": "st1", "78930215500039": "st3"} {
		if id, err := s.StructureIDBySIRET(ctx, siret); err != nil || id != want {
			t.Errorf("%s → %q, %v; want %s", siret, id, err, want)
		}
	}
	if err := s.ClaimSIRET(ctx, "80295478400020", "st9"); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("claim of a held SIRET: %v", err)
	}
	if err := s.ReleaseSIRET(ctx, "80295478400020", "st9"); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.StructureIDBySIRET(ctx, "80295478400020"); id != "st1" {
		t.Fatalf("another structure's release removed the key")
	}
	if err := s.ReleaseSIRET(ctx, "80295478400020", "st1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StructureIDBySIRET(ctx, "80295478400020"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("released key still there: %v", err)
	}

	acc := &directory.StructureAccount{ID: "st1", Departement: "86", Moderation: directory.ModerationPending,
		Members: []directory.Member{{UserID: "u1", Role: directory.RoleAdmin}}}
	if err := s.CreateStructureAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	stale, _ := s.StructureAccount(ctx, "st1")
	acc.Members = append(acc.Members, directory.Member{UserID: "u2", Role: directory.RoleMember})
	if err := s.UpdateStructureAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	stale.Members = nil
	if err := s.UpdateStructureAccount(ctx, stale); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale account write: %v", err)
	}
	count := 0
	if err := s.EachStructureAccount(ctx, func(a *directory.StructureAccount) error {
		count++
		if len(a.Members) != 2 || a.RoleOf("u2") != directory.RoleMember {
			t.Errorf("members %+v", a.Members)
		}
		return nil
	}); err != nil || count != 1 {
		t.Fatalf("each: %d, %v", count, err)
	}
}
