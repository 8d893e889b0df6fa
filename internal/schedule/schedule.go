// Package schedule runs periodic jobs inside the server, each slot of each
// job once even when several instances share one store: no cron to install.
//
// An instance runs a job only while it holds the job's lease, a document with
// an expiry that it renews while the job runs. The store may be FerretDB v1,
// whose updates are not atomic between connections, so no step relies on a
// conditional update: a lease is a series of terms, each its own document
// inserted with the id job#term, and the unique _id decides which of two
// instances takes the next term. After that, only a term's holder writes it.
//
// Safety rests on time, as with every lease: a holder renews well before its
// term expires and stops its job when it cannot; another instance takes over
// only once the term has expired by more than the tolerated clock skew, and
// not before the expiry it reads back after its insert (see acquire). Jobs
// must still be idempotent per slot: a crash after a job's work but before
// its slot is recorded runs the slot again.
package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Job is work to do once per slot of When.
type Job struct {
	Name  string // stable and unique: it names the lease and the state
	Label string // in French, for administrators
	When  When
	// Run does the work of the slot starting at slot. Its ctx ends when the
	// server stops or the lease is lost: Run must return soon after. An
	// error is retried with backoff, and shown to administrators.
	Run func(ctx context.Context, slot time.Time) error
}

// Config wires a Scheduler.
type Config struct {
	Store    *store.Store
	Logger   *slog.Logger
	Now      func() time.Time // nil: time.Now
	Instance string           // names this instance in leases; "": host, pid and a random suffix
	// TTL is how long a lease lasts without renewal (default 1 min); it is
	// renewed every TTL/3.
	TTL time.Duration
	// Skew is the clock difference tolerated between instances (default 5 s).
	Skew time.Duration
	// Interval is how often Run looks for due jobs (default 15 s).
	Interval time.Duration
}

// Scheduler runs jobs.
type Scheduler struct {
	cfg  Config
	jobs []Job

	mu      sync.Mutex
	running map[string]bool // jobs this instance runs now
	wg      sync.WaitGroup
}

// New returns a scheduler without jobs.
func New(cfg Config) *Scheduler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Instance == "" {
		cfg.Instance = instanceName()
	}
	if cfg.TTL <= 0 {
		cfg.TTL = time.Minute
	}
	if cfg.Skew <= 0 {
		cfg.Skew = 5 * time.Second
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	return &Scheduler{cfg: cfg, running: map[string]bool{}}
}

func instanceName() string {
	host, _ := os.Hostname()
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Instance names this instance in leases.
func (s *Scheduler) Instance() string { return s.cfg.Instance }

// Add registers a job; add every job before Run.
func (s *Scheduler) Add(j Job) {
	if j.Name == "" || j.When == nil || j.Run == nil {
		panic("schedule: a job needs a name, a When and a Run")
	}
	for _, o := range s.jobs {
		if o.Name == j.Name {
			panic("schedule: two jobs named " + j.Name)
		}
	}
	s.jobs = append(s.jobs, j)
}

// Run starts the due jobs every Interval until ctx ends, then waits for the
// running ones to return.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		s.start(ctx)
		select {
		case <-ctx.Done():
			s.wg.Wait()
			return
		case <-t.C:
		}
	}
}

// Tick starts the jobs due now and waits for them: what Run does at each
// interval, for tests that move the clock.
func (s *Scheduler) Tick(ctx context.Context) {
	s.start(ctx)
	s.wg.Wait()
}

// start launches each due job this instance is not running already.
func (s *Scheduler) start(ctx context.Context) {
	for _, j := range s.jobs {
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		busy := s.running[j.Name]
		s.running[j.Name] = true
		s.mu.Unlock()
		if busy {
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.running, j.Name)
				s.mu.Unlock()
			}()
			if err := s.runIfDue(ctx, j); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("tâche planifiée : passage impossible", "tâche", j.Name, "err", err)
			}
		}()
	}
}

// due returns the slot to run, or the zero time when nothing is due.
func (s *Scheduler) due(ctx context.Context, j Job) (time.Time, *store.JobState, error) {
	st, err := s.cfg.Store.JobState(ctx, j.Name)
	if err != nil {
		return time.Time{}, nil, err
	}
	now := s.cfg.Now()
	slot := j.When.Slot(now)
	if !slot.After(st.DoneSlot) || now.Before(st.RetryAt) {
		return time.Time{}, st, nil
	}
	return slot, st, nil
}

// runIfDue runs the job's current slot if nobody did and the lease is free.
func (s *Scheduler) runIfDue(ctx context.Context, j Job) error {
	if slot, _, err := s.due(ctx, j); err != nil || slot.IsZero() {
		return err
	}
	l, err := s.acquire(ctx, j.Name)
	if err != nil || l == nil {
		return err
	}
	// Another instance may have run the slot between our look and our
	// lease: its state was written before it released the lease.
	slot, st, err := s.due(ctx, j)
	if err != nil || slot.IsZero() {
		s.release(ctx, l)
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	lost := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		if !s.keep(runCtx, l) {
			close(lost)
			cancel()
		}
	}()
	start := s.cfg.Now()
	s.cfg.Logger.Info("tâche planifiée", "tâche", j.Name, "créneau", slot.Format(time.RFC3339), "instance", s.cfg.Instance)
	runErr := safeRun(runCtx, j, slot)
	cancel()
	<-renewed
	select {
	case <-lost:
		// Someone else holds the job now: its state is theirs to write.
		return fmt.Errorf("bail perdu pendant le passage de %s", j.Name)
	default:
	}
	end := s.cfg.Now()
	st.LastStart, st.LastEnd, st.LastBy, st.Duration = start.UTC(), end.UTC(), s.cfg.Instance, end.Sub(start)
	if runErr == nil {
		st.DoneSlot, st.Failures, st.LastError, st.ErrorAt, st.RetryAt = slot.UTC(), 0, "", nil, time.Time{}
	} else if ctx.Err() == nil {
		st.Failures++
		st.LastError = runErr.Error()
		at := end.UTC()
		st.ErrorAt, st.RetryAt = &at, at.Add(Backoff(st.Failures))
		s.cfg.Logger.Error("tâche planifiée en échec", "tâche", j.Name, "échecs", st.Failures, "nouvel essai", st.RetryAt, "err", runErr)
	}
	if ctx.Err() == nil || runErr == nil {
		if err := s.cfg.Store.SaveJobState(context.WithoutCancel(ctx), st); err != nil {
			s.release(ctx, l)
			return err
		}
	}
	s.release(ctx, l)
	return nil
}

// safeRun turns a job's panic into its error.
func safeRun(ctx context.Context, j Job, slot time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return j.Run(ctx, slot)
}

// Backoff is the wait before retrying a job that failed n times in a row:
// 1 min, doubling, at most an hour.
func Backoff(n int) time.Duration {
	return min(time.Minute<<min(max(n-1, 0), 10), time.Hour)
}

// acquire takes the next term of the job's lease, or returns nil when the
// current term is held or another instance took the next one.
func (s *Scheduler) acquire(ctx context.Context, job string) (*store.Lease, error) {
	now := s.cfg.Now()
	prev, err := s.cfg.Store.LatestLease(ctx, job)
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return nil, err
	}
	term := int64(1)
	if prev != nil {
		if !prev.Released && now.Before(prev.ExpireAt.Add(s.cfg.Skew)) {
			return nil, nil
		}
		term = prev.Term + 1
	}
	l := &store.Lease{Job: job, Term: term, Holder: s.cfg.Instance, TakenAt: now.UTC(), ExpireAt: now.Add(s.cfg.TTL).UTC(), RenewedAt: now.UTC()}
	if err := s.cfg.Store.InsertLease(ctx, l); directory.ErrorCode(err) == directory.ECONFLICT {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if prev != nil {
		// The previous holder may have renewed between our read and our
		// insert (it checks for our term before and after each renewal, so
		// it stops at the latest at the expiry it wrote). Then this term
		// must not start: give it up, stretched to that expiry, so the
		// next taker waits as long.
		cur, err := s.cfg.Store.Lease(ctx, prev.ID)
		if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return nil, err
		}
		if cur != nil && !cur.Released && cur.ExpireAt.After(prev.ExpireAt) {
			l.Holder, l.ExpireAt = "", cur.ExpireAt
			return nil, s.cfg.Store.SaveLease(ctx, l)
		}
		if err := s.cfg.Store.PruneLeases(ctx, job, prev.Term); err != nil {
			s.cfg.Logger.Warn("anciens baux non supprimés", "tâche", job, "err", err)
		}
	}
	return l, nil
}

// keep renews l every TTL/3 until ctx ends, and returns false as soon as the
// lease is lost or cannot be renewed in time.
func (s *Scheduler) keep(ctx context.Context, l *store.Lease) bool {
	t := time.NewTicker(s.cfg.TTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return true
		case <-t.C:
		}
		if err := s.renew(ctx, l); err != nil {
			if ctx.Err() != nil {
				return true
			}
			s.cfg.Logger.Warn("bail perdu", "tâche", l.Job, "terme", l.Term, "err", err)
			return false
		}
	}
}

var errSuperseded = errors.New("une autre instance a pris le bail")

// renew pushes l's expiry back, unless a later term exists (checked before
// and after the write) or the term is too close to its end to renew safely.
func (s *Scheduler) renew(ctx context.Context, l *store.Lease) error {
	now := s.cfg.Now()
	if !now.Before(l.ExpireAt.Add(-s.cfg.TTL / 3)) {
		return fmt.Errorf("bail renouvelé trop tard (expire à %s)", l.ExpireAt.Format(time.RFC3339))
	}
	if err := s.superseded(ctx, l); err != nil {
		return err
	}
	next := *l
	next.ExpireAt, next.RenewedAt = now.Add(s.cfg.TTL).UTC(), now.UTC()
	if err := s.cfg.Store.SaveLease(ctx, &next); err != nil {
		return err
	}
	if err := s.superseded(ctx, l); err != nil {
		return err
	}
	*l = next
	return nil
}

func (s *Scheduler) superseded(ctx context.Context, l *store.Lease) error {
	_, err := s.cfg.Store.Lease(ctx, store.LeaseID(l.Job, l.Term+1))
	switch directory.ErrorCode(err) {
	case directory.ENOTFOUND:
		return nil
	case "":
		return errSuperseded
	}
	return err
}

// release ends the holder's term early, so the next slot need not wait for
// its expiry.
func (s *Scheduler) release(ctx context.Context, l *store.Lease) {
	l.Released, l.ExpireAt = true, s.cfg.Now().UTC()
	if err := s.cfg.Store.SaveLease(context.WithoutCancel(ctx), l); err != nil {
		s.cfg.Logger.Warn("bail non libéré", "tâche", l.Job, "err", err)
	}
}

// Status is what administrators see of a job.
type Status struct {
	Name  string
	Label string
	When  string
	State *store.JobState
	Lease *store.Lease // the latest term, nil if never run
}

// Running reports whether an instance holds the job's lease at now.
func (st Status) Running(now time.Time) bool {
	return st.Lease != nil && st.Lease.Holder != "" && !st.Lease.Released && now.Before(st.Lease.ExpireAt)
}

// Statuses returns the state of every job.
func (s *Scheduler) Statuses(ctx context.Context) ([]Status, error) {
	var out []Status
	for _, j := range s.jobs {
		st, err := s.cfg.Store.JobState(ctx, j.Name)
		if err != nil {
			return nil, err
		}
		l, err := s.cfg.Store.LatestLease(ctx, j.Name)
		if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return nil, err
		}
		out = append(out, Status{Name: j.Name, Label: j.Label, When: j.When.String(), State: st, Lease: l})
	}
	return out, nil
}
