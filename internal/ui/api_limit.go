package ui

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/cache"
)

// The API and the open-data files are public and need no token, so each
// client (its address, as clientIP reads it behind the trusted proxies)
// gets a token bucket: Config.APIBurst requests at once, then
// Config.APIRate a second. Beyond, 429 with Retry-After and a problem
// document. The buckets live in a byte-bounded cache: a flood of addresses
// evicts the oldest buckets, which only forgives their owners.

// limitBudget bounds the buckets' memory: about 20,000 clients.
const limitBudget = 4 << 20

// limitIdle drops a bucket unused this long: it would be full again.
const limitIdle = 10 * time.Minute

type bucket struct {
	mu     sync.Mutex
	tokens float64
	at     time.Time
}

type limiter struct {
	rate    float64
	burst   float64
	buckets *cache.Cache[*bucket]
	now     func() time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	return &limiter{rate: rate, burst: float64(burst), now: now,
		buckets: cache.New(limitBudget, limitIdle, func(string, *bucket) int { return 64 })}
}

// take spends a token of client's bucket; when none is left it says how
// long until one is.
func (l *limiter) take(client string) (ok bool, remaining int, wait time.Duration) {
	now := l.now()
	b, _ := l.buckets.Load(client, func() (*bucket, error) { return &bucket{tokens: l.burst, at: now}, nil })
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false, 0, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, int(b.tokens), 0
}

// limit is the middleware of the limit.
func (s *Server) limit(c *fiber.Ctx) error {
	if err := s.limited(c); err != nil {
		return err
	}
	return c.Next()
}

// limited spends a token of the client of c, and says when none is left.
func (s *Server) limited(c *fiber.Ctx) error {
	if s.limiter == nil || c.Method() == http.MethodOptions {
		return nil
	}
	ok, remaining, wait := s.limiter.take(s.clientIP(c))
	c.Set("RateLimit-Policy", fmt.Sprintf("%d;w=%d", int(s.limiter.burst), int(math.Ceil(s.limiter.burst/s.limiter.rate))))
	if ok {
		c.Set("RateLimit", fmt.Sprintf("limit=%d, remaining=%d", int(s.limiter.burst), remaining))
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	c.Set("RateLimit", fmt.Sprintf("limit=%d, remaining=0, reset=%d", int(s.limiter.burst), secs))
	return &tooManyRequests{retry: secs}
}

// tooManyRequests is the error of a client over its limit: a 429 problem
// document saying when to come back.
type tooManyRequests struct{ retry int }

func (e *tooManyRequests) Error() string {
	return fmt.Sprintf("Trop de requêtes : vous pouvez reprendre dans %d s. Pour tout récupérer, téléchargez les fichiers de l’offre complète (/donnees).", e.retry)
}
