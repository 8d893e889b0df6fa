package schedule_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/schedule"
	"github.com/repere-spie/repere/internal/store"
)

// stores starts the embedded store and returns n clients of it: the first
// owns it, the others connect over the wire as other instances would.
func stores(t *testing.T, n int) []*store.Store {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx := context.Background()
	first, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), EmbeddedAddr: addr, Logger: apptest.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	out := []*store.Store{first}
	for len(out) < n {
		s, err := store.Open(ctx, store.Config{URI: "mongodb://" + addr + "/", Logger: apptest.QuietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	t.Cleanup(func() {
		for i := len(out) - 1; i >= 0; i-- {
			_ = out[i].Close(context.Background())
		}
	})
	return out
}

func scheduler(s *store.Store, c *apptest.Clock, name string) *schedule.Scheduler {
	return schedule.New(schedule.Config{Store: s, Now: c.Now, Instance: name, Logger: apptest.QuietLogger(),
		TTL: 300 * time.Millisecond, Skew: time.Second})
}

// Four instances, each on its own connection, tick together at every slot:
// each slot runs once, and never two runs at a time.
func TestOneRunPerSlotAmongInstances(t *testing.T) {
	ss := stores(t, 4)
	c := apptest.NewClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	runs := map[time.Time][]string{}
	var active, overlaps atomic.Int32
	var scheds []*schedule.Scheduler
	for i, s := range ss {
		sc := scheduler(s, c, string(rune('A'+i)))
		sc.Add(schedule.Job{Name: "hourly", When: schedule.Every(time.Hour), Run: func(ctx context.Context, slot time.Time) error {
			if active.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer active.Add(-1)
			time.Sleep(2 * time.Millisecond)
			mu.Lock()
			runs[slot] = append(runs[slot], sc.Instance())
			mu.Unlock()
			return nil
		}})
		scheds = append(scheds, sc)
	}
	ctx := context.Background()
	const slots = 24
	for range slots {
		var wg sync.WaitGroup
		for _, sc := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 8 { // again and again, so some look while another finishes
					time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
					sc.Tick(ctx)
				}
			}()
		}
		wg.Wait()
		c.Add(time.Hour)
	}
	if len(runs) != slots {
		t.Fatalf("%d slots run, want %d: %v", len(runs), slots, runs)
	}
	by := map[string]int{}
	for slot, who := range runs {
		if len(who) != 1 {
			t.Errorf("slot %v run %d times: %v", slot, len(who), who)
		}
		by[who[0]]++
	}
	if overlaps.Load() > 0 {
		t.Errorf("%d runs overlapped", overlaps.Load())
	}
	t.Logf("runs by instance: %v", by)
}

// An instance that stops renewing (stalled, or killed) keeps the job until
// its term expires, clock skew included; then another takes over, and the
// stalled one learns it lost the lease.
func TestTakeoverAfterExpiry(t *testing.T) {
	ss := stores(t, 2)
	c := apptest.NewClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	ctx := context.Background()

	// A crashed holder: a term nobody renews.
	dead := &store.Lease{Job: "sync", Term: 7, Holder: "dead", TakenAt: c.Now(), ExpireAt: c.Now().Add(300 * time.Millisecond)}
	if err := ss[0].InsertLease(ctx, dead); err != nil {
		t.Fatal(err)
	}
	var ranBy []string
	var mu sync.Mutex
	release := make(chan struct{})
	var aLost atomic.Bool
	add := func(sc *schedule.Scheduler, block bool) {
		sc.Add(schedule.Job{Name: "sync", When: schedule.Daily(3, 0), Run: func(ctx context.Context, slot time.Time) error {
			mu.Lock()
			ranBy = append(ranBy, sc.Instance())
			mu.Unlock()
			if block {
				select {
				case <-ctx.Done():
					aLost.Store(true)
					return ctx.Err()
				case <-release:
				}
			}
			return nil
		}})
	}
	a, b := scheduler(ss[0], c, "A"), scheduler(ss[1], c, "B")
	add(a, true)
	add(b, false)

	a.Tick(ctx)
	if len(ranBy) != 0 {
		t.Fatalf("ran while the dead holder's term was live: %v", ranBy)
	}
	c.Add(time.Second) // expired, but within the skew
	a.Tick(ctx)
	if len(ranBy) != 0 {
		t.Fatalf("ran within the clock skew: %v", ranBy)
	}

	c.Add(time.Second)
	aDone := make(chan struct{})
	go func() { a.Tick(ctx); close(aDone) }()
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(ranBy) == 1 })
	time.Sleep(250 * time.Millisecond) // A renews: B must wait
	b.Tick(ctx)
	if len(ranBy) != 1 {
		t.Fatalf("B ran while A held the lease: %v", ranBy)
	}

	// A stalls: its clock says it is too late to renew, B takes over.
	c.Add(2 * time.Second)
	<-aDone
	if !aLost.Load() {
		t.Fatal("A's job was not told it lost the lease")
	}
	b.Tick(ctx)
	if want := []string{"A", "B"}; len(ranBy) != 2 || ranBy[1] != "B" {
		t.Fatalf("ran by %v, want %v", ranBy, want)
	}
	st, err := ss[0].JobState(ctx, "sync")
	if err != nil {
		t.Fatal(err)
	}
	if st.LastBy != "B" || st.DoneSlot.IsZero() {
		t.Fatalf("state %+v, want done by B", st)
	}
	close(release)
}

// A holder stops as soon as a later term exists, even one it did not see
// being taken.
func TestHolderStopsWhenSuperseded(t *testing.T) {
	ss := stores(t, 1)
	c := apptest.NewClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	ctx := context.Background()
	sc := scheduler(ss[0], c, "A")
	stopped := make(chan error, 1)
	started := make(chan struct{})
	sc.Add(schedule.Job{Name: "long", When: schedule.Every(time.Hour), Run: func(ctx context.Context, slot time.Time) error {
		close(started)
		<-ctx.Done()
		stopped <- ctx.Err()
		return ctx.Err()
	}})
	done := make(chan struct{})
	go func() { sc.Tick(ctx); close(done) }()
	<-started
	l, err := ss[0].LatestLease(ctx, "long")
	if err != nil {
		t.Fatal(err)
	}
	if err := ss[0].InsertLease(ctx, &store.Lease{Job: "long", Term: l.Term + 1, Holder: "other", ExpireAt: c.Now().Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the holder went on after its lease was taken")
	}
	<-done
	if st, err := ss[0].JobState(ctx, "long"); err != nil || !st.DoneSlot.IsZero() || st.LastBy != "" {
		t.Fatalf("the superseded holder wrote the job's state: %+v, %v", st, err)
	}
}

// A failing job is retried after a backoff, and its error is kept for the
// administrators until it succeeds.
func TestFailureBackoff(t *testing.T) {
	ss := stores(t, 1)
	c := apptest.NewClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	ctx := context.Background()
	sc := scheduler(ss[0], c, "A")
	var calls int
	fail := true
	sc.Add(schedule.Job{Name: "flaky", When: schedule.Daily(7, 0), Run: func(ctx context.Context, slot time.Time) error {
		calls++
		if fail {
			return errors.New("serveur injoignable")
		}
		return nil
	}})
	sc.Tick(ctx)
	sc.Tick(ctx)
	if calls != 1 {
		t.Fatalf("%d calls, want 1 before the backoff ends", calls)
	}
	st, _ := ss[0].JobState(ctx, "flaky")
	if st.Failures != 1 || st.LastError != "serveur injoignable" || !st.DoneSlot.IsZero() {
		t.Fatalf("state after a failure: %+v", st)
	}
	c.Add(schedule.Backoff(1))
	sc.Tick(ctx)
	if calls != 2 {
		t.Fatalf("%d calls, want a retry after the backoff", calls)
	}
	st, _ = ss[0].JobState(ctx, "flaky")
	if st.Failures != 2 || !st.RetryAt.Equal(c.Now().Add(schedule.Backoff(2)).Truncate(time.Millisecond)) {
		t.Fatalf("state after two failures: %+v", st)
	}
	fail = false
	c.Add(schedule.Backoff(2))
	sc.Tick(ctx)
	st, _ = ss[0].JobState(ctx, "flaky")
	if calls != 3 || st.Failures != 0 || st.LastError != "" || st.DoneSlot.IsZero() {
		t.Fatalf("after success: %d calls, %+v", calls, st)
	}
	statuses, err := sc.Statuses(ctx)
	if err != nil || len(statuses) != 1 || statuses[0].Running(c.Now()) {
		t.Fatalf("statuses %+v, %v", statuses, err)
	}
}

func TestSlots(t *testing.T) {
	paris := directory.Paris
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		when     schedule.When
		now, say string
		want     string
	}{
		{schedule.Daily(7, 0), "2026-12-03 10:00", "chaque jour à 07h00", "2026-12-03 07:00"},
		{schedule.Daily(7, 0), "2026-12-03 06:59", "", "2026-12-02 07:00"},
		{schedule.Daily(7, 0), "2027-03-28 07:30", "", "2027-03-28 07:00"},  // summer time starts that night
		{schedule.Daily(2, 30), "2027-03-28 12:00", "", "2027-03-28 03:30"}, // 02:30 does not exist that day
		{schedule.Weekly(time.Monday, 7, 0), "2026-12-03 10:00", "chaque lundi à 07h00", "2026-11-30 07:00"},
		{schedule.Weekly(time.Monday, 7, 0), "2026-11-30 06:00", "", "2026-11-23 07:00"},
		{schedule.Weekly(time.Thursday, 7, 0), "2026-12-03 07:00", "", "2026-12-03 07:00"},
		{schedule.Monthly(1, 7, 0), "2026-12-03 10:00", "le 1 de chaque mois à 07h00", "2026-12-01 07:00"},
		{schedule.Monthly(1, 7, 0), "2027-01-01 06:00", "", "2026-12-01 07:00"},
		{schedule.Every(15 * time.Minute), "2026-12-03 10:14", "toutes les 15 min", "2026-12-03 10:00"},
	}
	for _, tt := range tests {
		got := tt.when.Slot(at(tt.now))
		if !got.Equal(at(tt.want)) {
			t.Errorf("%s at %s: slot %s, want %s", tt.when, tt.now, got.In(paris).Format("2006-01-02 15:04"), tt.want)
		}
		if tt.say != "" && tt.when.String() != tt.say {
			t.Errorf("%s, want %q", tt.when, tt.say)
		}
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
