package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// targetKind says how guard finds what a route's action is about.
type targetKind int

const (
	targetNone      targetKind = iota // the action is about nothing in particular (create a structure)
	targetSelf                        // the signed-in user's own account
	targetStructure                   // the :structure of the path
	targetService                     // the :service of the path
	targetServices                    // every service named by the form's "services" field
	targetTerritory                   // the départements the signed-in moderator looks after
)

// maxBulk bounds the services of one bulk action.
const maxBulk = 200

// Locals keys.
const (
	localActor    = "repere.actor"
	localActorSet = "repere.actor.read"
	localAnon     = "repere.anon"
	localTarget   = "repere.target"
	localService  = "repere.service"
	localServices = "repere.services"
	localForm     = "repere.form"
)

// guard runs before every route of the partner space and the account
// forms: it reads the session, sends anonymous visitors of signed-in pages
// to the login page, checks the CSRF token of every mutating request, then
// the route's action with account.Can. Nothing reaches a handler unchecked.
func (s *Server) guard(r route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		// Account pages carry a CSRF token or a person's data: no cache
		// keeps them, in the browser or between.
		c.Set(fiber.HeaderCacheControl, "no-store")
		actor, err := s.actor(c)
		if err != nil {
			return err
		}
		if (r.session || r.action != "") && actor == nil {
			return s.toLogin(c)
		}
		if r.mutating() {
			if err := s.Accounts.CheckCSRF(s.binding(c, actor, false), s.csrfOf(c)); err != nil {
				return err
			}
		}
		if r.action == "" {
			return c.Next()
		}
		targets, err := s.targets(c, r.target, actor)
		if err != nil {
			return err
		}
		for _, t := range targets {
			if err := account.Can(actor, r.action, t); err != nil {
				return err
			}
		}
		if len(targets) == 1 {
			c.Locals(localTarget, targets[0])
		}
		return c.Next()
	}
}

// targets loads what the action is about: one target, or one per service
// of a bulk action.
func (s *Server) targets(c *fiber.Ctx, kind targetKind, actor *account.Actor) ([]account.Target, error) {
	ctx := c.UserContext()
	switch kind {
	case targetSelf:
		return []account.Target{{UserID: actor.User.ID}}, nil
	case targetStructure:
		id := c.Params("structure")
		if _, err := s.Accounts.Structure(ctx, id); err != nil {
			return nil, err
		}
		t, err := s.Accounts.StructureTarget(ctx, id)
		return []account.Target{t}, err
	case targetService:
		svc, err := s.Catalog.Service(ctx, c.Params("service"))
		if err != nil {
			return nil, err
		}
		c.Locals(localService, svc)
		t, err := s.Accounts.ServiceTarget(ctx, svc)
		return []account.Target{t}, err
	case targetTerritory:
		return []account.Target{{Departements: actor.User.ModeratorOf}}, nil
	case targetServices:
		ids := s.form(c)["services"]
		if len(ids) == 0 || len(ids) > maxBulk {
			return nil, directory.Errorf(directory.EINVALID, "Choisissez entre 1 et %d services.", maxBulk)
		}
		var out []account.Target
		var svcs []*directory.Service
		for _, id := range ids {
			svc, err := s.Catalog.Service(ctx, id)
			if err != nil {
				return nil, err
			}
			t, err := s.Accounts.ServiceTarget(ctx, svc)
			if err != nil {
				return nil, err
			}
			out, svcs = append(out, t), append(svcs, svc)
		}
		c.Locals(localServices, svcs)
		return out, nil
	}
	return []account.Target{{}}, nil
}

// toLogin sends an anonymous visitor to the login page, to come back here
// afterwards; scripts get a 401.
func (s *Server) toLogin(c *fiber.Ctx) error {
	if strings.Contains(c.Get(fiber.HeaderAccept), "application/json") {
		return directory.Errorf(directory.EUNAUTHORIZED, "Connectez-vous pour continuer.")
	}
	back := ""
	if c.Method() == http.MethodGet {
		back = c.OriginalURL()
	}
	return c.Redirect(loginURL(back), http.StatusSeeOther)
}

// loginURL is the login page, with where to go next.
func loginURL(back string) string {
	if !localPath(back) || back == account.DashboardPath {
		return account.LoginPath
	}
	return account.LoginPath + "?retour=" + url.QueryEscape(back)
}

// serviceOf is the service guard loaded for a targetService route.
func serviceOf(c *fiber.Ctx) *directory.Service {
	svc, _ := c.Locals(localService).(*directory.Service)
	return svc
}

// targetOf is the target guard checked.
func targetOf(c *fiber.Ctx) account.Target {
	t, _ := c.Locals(localTarget).(account.Target)
	return t
}
