package ui

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
)

// NotReady is why the site cannot serve: Reason, short and without
// addresses, is what a monitor reads; Err goes to the log.
type NotReady struct {
	Reason string
	Err    error
}

func (e *NotReady) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *NotReady) Unwrap() error { return e.Err }

// readyTimeout bounds a readiness check: a store that does not answer
// within it is as good as down for the pages.
const readyTimeout = 3 * time.Second

// healthz is liveness: the process answers, whatever its store or index
// do (restarting it would not mend them).
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz is readiness: 200 when the store answers and the index can
// search, 503 with the short reason otherwise, so that a load balancer
// sends visitors elsewhere meanwhile.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			reason := "not ready"
			var nr *NotReady
			if errors.As(err, &nr) {
				reason = nr.Reason
			}
			s.Logger.Warn("site pas prêt", "raison", reason, "err", err)
			return c.Status(http.StatusServiceUnavailable).SendString(reason)
		}
	}
	return c.SendString("ok")
}
