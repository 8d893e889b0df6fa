package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// Collections of the scheduler (internal/schedule).
const (
	collLeases = "leases"
	collJobs   = "jobs"
)

// Lease is one term of a job's lease. Terms are numbered and each is its
// own document, inserted with the id job#term: of two instances taking over
// the same expired term, the unique _id lets exactly one insert the next, on
// MongoDB and on FerretDB alike. Only the holder writes its term afterwards
// (renewals, release), so no write races another.
type Lease struct {
	ID        string    `bson:"_id"`
	Job       string    `bson:"job"`
	Term      int64     `bson:"term"`
	Holder    string    `bson:"holder"` // instance id; "" when the term was given up before it began
	TakenAt   time.Time `bson:"taken_at"`
	ExpireAt  time.Time `bson:"expire_at"`
	Released  bool      `bson:"released"` // the holder finished: no need to wait for expiry
	RenewedAt time.Time `bson:"renewed_at"`
}

// LeaseID is the id of a job's term.
func LeaseID(job string, term int64) string { return fmt.Sprintf("%s#%012d", job, term) }

// LatestLease returns the job's highest term, or ENOTFOUND. It filters a
// collection of a few documents per job.
func (s *Store) LatestLease(ctx context.Context, job string) (*Lease, error) {
	var l Lease
	err := s.db.Collection(collLeases).FindOne(ctx, bson.D{{Key: "job", Value: job}},
		options.FindOne().SetSort(bson.D{{Key: "term", Value: -1}})).Decode(&l)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, directory.Errorf(directory.ENOTFOUND, "Aucun bail pour %s.", job)
	} else if err != nil {
		return nil, fmt.Errorf("store: lease of %s: %w", job, err)
	}
	return &l, nil
}

// Lease returns a term by id, or ENOTFOUND.
func (s *Store) Lease(ctx context.Context, id string) (*Lease, error) {
	var l Lease
	if err := s.getByID(ctx, collLeases, id, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// InsertLease claims a new term; ECONFLICT when another instance claimed it.
func (s *Store) InsertLease(ctx context.Context, l *Lease) error {
	l.ID = LeaseID(l.Job, l.Term)
	return s.insert(ctx, collLeases, l)
}

// SaveLease rewrites a term: for its holder only.
func (s *Store) SaveLease(ctx context.Context, l *Lease) error {
	if _, err := s.db.Collection(collLeases).ReplaceOne(ctx, bson.D{{Key: "_id", Value: l.ID}}, l); err != nil {
		return fmt.Errorf("store: save lease %s: %w", l.ID, err)
	}
	return nil
}

// PruneLeases deletes the job's terms below term.
func (s *Store) PruneLeases(ctx context.Context, job string, below int64) error {
	_, err := s.db.Collection(collLeases).DeleteMany(ctx, bson.D{{Key: "job", Value: job}, {Key: "term", Value: bson.D{{Key: "$lt", Value: below}}}})
	if err != nil {
		return fmt.Errorf("store: prune leases of %s: %w", job, err)
	}
	return nil
}

// JobState is what the scheduler remembers of a job between runs. Only the
// holder of the job's lease writes it.
type JobState struct {
	ID        string        `bson:"_id"` // the job's name
	DoneSlot  time.Time     `bson:"done_slot"`
	LastStart time.Time     `bson:"last_start,omitempty"`
	LastEnd   time.Time     `bson:"last_end,omitempty"`
	LastBy    string        `bson:"last_by,omitempty"` // instance
	Duration  time.Duration `bson:"duration"`
	Failures  int           `bson:"failures"` // consecutive
	LastError string        `bson:"last_error,omitempty"`
	ErrorAt   *time.Time    `bson:"error_at,omitempty"`
	RetryAt   time.Time     `bson:"retry_at,omitempty"`
}

// JobState returns the state of a job; a job never run has a zero state.
func (s *Store) JobState(ctx context.Context, name string) (*JobState, error) {
	st := JobState{ID: name}
	err := s.getByID(ctx, collJobs, name, &st)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return &JobState{ID: name}, nil
	}
	return &st, err
}

// SaveJobState writes the state of a job.
func (s *Store) SaveJobState(ctx context.Context, st *JobState) error {
	if _, err := s.db.Collection(collJobs).ReplaceOne(ctx, bson.D{{Key: "_id", Value: st.ID}}, st, upsert()); err != nil {
		return fmt.Errorf("store: save job %s: %w", st.ID, err)
	}
	return nil
}
